import pytest
from django.urls import reverse

from portevoix.accounts.models import NetworkAccount

VALID = {
    "full_name": "Alice Martin",
    "language": "en",
    "time_zone": "Europe/Paris",
    "digest_frequency": "daily",
    "mastodon_instance": "https://Mastodon.Social/",
    "followers_linkedin": "420",
    "followers_x": "",
}


def test_a_person_sets_their_profile(client_for, alice):
    response = client_for(alice).post(
        reverse("accounts:profile"), {**VALID, "hide_from_rankings": "on"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"
    assert alice.mastodon_instance == "mastodon.social"
    assert alice.hide_from_rankings
    assert alice.digest_frequency == "daily"
    assert NetworkAccount.objects.get(person=alice, network="linkedin").followers == 420
    assert not NetworkAccount.objects.filter(person=alice, network="x").exists()


def test_the_profile_language_drives_the_interface(client_for, alice):
    client = client_for(alice)
    client.post(reverse("accounts:profile"), {**VALID, "language": "en"})
    assert "My profile" in client.get(reverse("accounts:profile")).content.decode()
    client.post(reverse("accounts:profile"), {**VALID, "language": "fr"})
    assert "Mon profil" in client.get(reverse("accounts:profile")).content.decode()


def test_forged_role_and_group_fields_are_ignored(client_for, alice):
    response = client_for(alice).post(
        reverse("accounts:profile"),
        {**VALID, "role": "admin", "is_active": "", "email": "evil@example.com", "groups": ["1"]},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == "ambassador"
    assert alice.email == "alice@example.com"
    assert alice.is_active


@pytest.mark.parametrize(
    "field,value",
    [
        ("followers_linkedin", "-5"),
        ("followers_linkedin", "beaucoup"),
        ("followers_linkedin", "10000000000"),
        ("mastodon_instance", "javascript:alert(1)"),
        ("mastodon_instance", "mastodon social"),
        ("language", "de"),
        ("time_zone", "Mars/Olympus"),
        ("digest_frequency", "hourly"),
        ("full_name", ""),
    ],
)
def test_bad_profile_input_is_refused_and_changes_nothing(client_for, alice, field, value):
    response = client_for(alice).post(reverse("accounts:profile"), {**VALID, field: value})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert alice.mastodon_instance == ""
    assert not NetworkAccount.objects.filter(person=alice).exists()


CONTROL_NAMES = ["Alice\x0bMartin", "Alice\nMartin", "Alice\rMartin", "A\tlice", "Al\x85ice"]
CONTROL_MESSAGE = "no line breaks, tabs or control characters"


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_a_name_with_control_characters_is_refused_in_the_profile(client_for, alice, name):
    alice.language = "en"
    alice.save()
    response = client_for(alice).post(reverse("accounts:profile"), {**VALID, "full_name": name})
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    alice.refresh_from_db()
    assert alice.full_name == "Alice Martin"


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_an_admin_cannot_give_someone_a_name_with_control_characters(
    client_for, carol, alice, name
):
    carol.language = "en"
    carol.save()
    response = client_for(carol).post(
        reverse("accounts:person_edit", args=[alice.pk]), {"full_name": name, "role": "ambassador"}
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    alice.refresh_from_db()
    assert alice.full_name == "Alice Martin"


@pytest.mark.parametrize("name", CONTROL_NAMES)
def test_an_invitation_refuses_a_name_with_control_characters(client_for, carol, name):
    from django.core import mail

    from portevoix.accounts.models import Person

    carol.language = "en"
    carol.save()
    response = client_for(carol).post(
        reverse("accounts:person_invite"),
        {"email": "zoe@example.com", "full_name": name, "role": "ambassador"},
    )
    assert response.status_code == 200
    assert CONTROL_MESSAGE in response.content.decode()
    assert not Person.objects.filter(email="zoe@example.com").exists()
    assert mail.outbox == []


def test_a_group_name_pasted_with_a_line_break_is_saved_on_one_line(client_for, carol):
    from portevoix.accounts.models import Group

    client_for(carol).post(reverse("accounts:groups"), {"name": "Ventes\r\nLyon", "kind": "site"})
    assert list(Group.objects.values_list("name", flat=True)) == ["Ventes Lyon"]


def test_a_group_name_with_another_control_character_is_refused(client_for, carol):
    from portevoix.accounts.models import Group

    response = client_for(carol).post(
        reverse("accounts:groups"), {"name": "Ventes\x01Lyon", "kind": "site"}
    )
    assert response.status_code == 200
    assert "caractère de contrôle" in response.content.decode()  # the page is in French
    assert not Group.objects.exists()


def test_the_shared_validator_accepts_accents_and_refuses_control_characters():
    from django.core.exceptions import ValidationError

    from portevoix.accounts.validators import validate_single_line

    validate_single_line("Zoé O'Brien-Łukasz (Ventes) 🙂")
    for name in CONTROL_NAMES + ["A\u2028B", "A\x7fB", "A\x00B", "A\x1bB"]:
        with pytest.raises(ValidationError):
            validate_single_line(name)
