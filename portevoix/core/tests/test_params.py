import pytest
from django.urls import reverse

from portevoix.core.params import id_param


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("007", 7),
        (None, None),
        ("", None),
        ("²", None),
        ("١٢", None),
        ("-3", None),
        ("3.0", None),
        (" 3", None),
        ("9" * 19, None),
        ("9" * 18, int("9" * 18)),
    ],
)
def test_only_plain_ascii_numbers_that_fit_a_database_id_are_ids(value, expected):
    assert id_param(value) == expected


@pytest.mark.parametrize("value", ["²", "9" * 30, "1e3", "%00"])
def test_odd_ids_in_query_strings_are_refused_politely(value, client_for, alice, bob):
    leaderboard = client_for(alice).get(reverse("gamification:leaderboard"), {"group": value})
    assert leaderboard.status_code == 200
    assert "Unknown group" in leaderboard.content.decode() or "Groupe inconnu" in (
        leaderboard.content.decode()
    )
    posts = client_for(bob).get(reverse("content:posts"), {"campaign": value})
    assert posts.status_code == 200
