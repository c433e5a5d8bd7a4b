"""Lengths as each network counts them: X (twitter-text v3), Bluesky graphemes, Mastodon, LinkedIn."""

import pytest

from portevoix.sharing.limits import (
    count_characters,
    count_graphemes,
    count_mastodon,
    count_x,
    length_problem,
)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Bonjour", 7),
        ("Élan économique", 15),  # accented Latin letters weigh 1
        ("Voir https://www.lumiere.example/un/très/long/chemin?avec=des&paramètres=1", 5 + 23),
        ("a https://x.co b", 1 + 1 + 23 + 1 + 1),  # a short URL still counts 23
        ("deux liens http://a.example et www.b.example", 11 + 23 + 4 + 23),
        ("Bravo 👏", 6 + 2),  # an emoji weighs 2
        ("👍🏽", 2),  # with its skin tone: one emoji
        ("👨‍👩‍👧", 2),  # a family joined by zero-width joiners: one emoji
        ("🇫🇷", 2),  # a flag
        ("日本語", 6),  # CJK weighs 2
        ("e\u0301", 1),  # a decomposed é is normalised first
        ("Fin de phrase https://a.example/page.", 14 + 23 + 1),  # the final dot is not the URL's
    ],
)
def test_x_counts_like_twitter_text(text, expected):
    assert count_x(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Bonjour", 7),
        ("👨‍👩‍👧", 1),
        ("🇫🇷🇧🇪", 2),
        ("👍🏽 e\u0301té", 5),
        ("https://lumiere.example/s/abc", 29),  # links count in full on Bluesky
    ],
)
def test_bluesky_counts_graphemes(text, expected):
    assert count_graphemes(text) == expected


def test_mastodon_counts_urls_as_23_and_remote_mentions_by_user_name():
    assert count_mastodon("lire https://lumiere.example/" + "a" * 200) == 5 + 23
    assert count_mastodon("merci @alice@mastodon.social !") == len("merci @alice !")
    assert count_mastodon("🎉") == 1


@pytest.mark.parametrize(
    "network,limit,unit",
    [("x", 280, "a"), ("bluesky", 300, "👨‍👩‍👧"), ("mastodon", 500, "é"), ("linkedin", 3000, "a")],
)
def test_a_text_exactly_at_the_limit_passes_and_one_more_fails(network, limit, unit):
    # On X an "a" weighs 1; on Bluesky a family emoji is one grapheme.
    assert length_problem(network=network, posted_text=unit * limit) is None
    problem = length_problem(network=network, posted_text=unit * (limit + 1))
    assert problem is not None and str(limit) in problem.replace("\u202f", "").replace(",", "")


def test_x_limit_with_emoji_is_reached_sooner():
    assert length_problem(network="x", posted_text="😀" * 140) is None
    assert length_problem(network="x", posted_text="😀" * 141) is not None


def test_networks_without_a_rule_have_no_limit():
    assert length_problem(network="whatsapp", posted_text="a" * 10_000) is None
    assert length_problem(network="email", posted_text="a" * 10_000) is None


def test_linkedin_counts_characters():
    assert count_characters("Ça marche") == 9
