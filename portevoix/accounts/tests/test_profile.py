import pytest
from django.urls import reverse

from portevoix.accounts.models import NetworkAccount
from portevoix.content.models import Topic

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
    topic = Topic.objects.create(name="Innovation")
    response = client_for(alice).post(
        reverse("accounts:profile"), {**VALID, "topics": [topic.pk], "hide_from_rankings": "on"}
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"
    assert alice.mastodon_instance == "mastodon.social"
    assert alice.hide_from_rankings
    assert alice.digest_frequency == "daily"
    assert list(alice.topics.all()) == [topic]
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
