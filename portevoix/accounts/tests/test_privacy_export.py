"""The data export holds every section about the person, with their real values, and nothing
about anybody else."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portevoix.accounts.invitations import invitation_accept, invitation_create
from portevoix.content.models import Suggestion
from portevoix.content.suggestions import suggestion_decline
from portevoix.core.audit import audit_record
from portevoix.gamification.models import Challenge, ChallengeResult
from portevoix.notifications.models import Channel, ChannelDelivery, DigestSent, Notification


@pytest.fixture
def export(client_for):
    def download(person):
        response = client_for(person).get(reverse("accounts:my_data_export"))
        assert response.status_code == 200
        return json.loads(response.content)

    return download


@pytest.fixture
def challenge(db):
    return Challenge.objects.create(
        title="Défi talents",
        starts_at=timezone.now() - timedelta(days=10),
        ends_at=timezone.now() - timedelta(days=1),
        metric="shares",
        closed_at=timezone.now(),
    )


def test_it_exports_my_notification_preferences(export, alice, bob):
    alice.notify_priority = False
    alice.notify_monthly_report = False
    alice.save()
    preferences = export(alice)["account"]["notification_preferences"]
    assert preferences == {
        "notify_priority": False,
        "notify_challenges": True,
        "notify_monthly_report": False,
        "notify_suggestions": True,
        "notify_alerts": True,
    }
    assert export(bob)["account"]["notification_preferences"]["notify_priority"] is True


def test_it_exports_the_invitations_i_received_and_sent(export, carol):
    _invitation, token = invitation_create(
        email="new@example.com", full_name="Nouvelle Recrue", invited_by=carol
    )
    newcomer = invitation_accept(token=token, password="correct-horse-battery-9")
    invitation_create(email="other@example.com", full_name="Autre Recrue", invited_by=newcomer)

    account = export(newcomer)["account"]
    [received] = account["invitations_received"]
    assert (received["email"], received["full_name"]) == ("new@example.com", "Nouvelle Recrue")
    assert received["used_at"] is not None
    [sent] = account["invitations_sent"]
    assert sent == {"role": "ambassador", "created_at": sent["created_at"], "accepted": False}
    dumped = json.dumps(export(newcomer), ensure_ascii=False)
    assert "other@example.com" not in dumped and "Autre Recrue" not in dumped
    assert "carol" not in dumped.lower()
    assert export(carol)["account"]["invitations_sent"][0]["accepted"] is True


def test_it_exports_my_notifications_and_digests_only(export, alice, bob):
    Notification.objects.create(person=alice, kind="priority", title="Pour Alice", body="Lisez")
    Notification.objects.create(person=bob, kind="priority", title="Pour Bob")
    DigestSent.objects.create(person=alice, period="2026-W48")
    DigestSent.objects.create(person=bob, period="2026-W47")
    channel = Channel.objects.create(kind="slack", name="#a", webhook_url="https://hooks.example/")
    ChannelDelivery.objects.create(channel=channel, title="Fini", text="Gagnants : Alice Martin.")
    ChannelDelivery.objects.create(channel=channel, title="Fini", text="Gagnants : Bob Durand.")

    mine = export(alice)["notifications"]
    assert [(n["title"], n["body"]) for n in mine["notifications"]] == [("Pour Alice", "Lisez")]
    assert [d["period"] for d in mine["digests_sent"]] == ["2026-W48"]
    assert [d["text"] for d in mine["channel_messages_naming_me"]] == ["Gagnants : Alice Martin."]
    assert "Bob" not in json.dumps(mine, ensure_ascii=False)


def test_it_exports_my_challenge_results_only(export, alice, bob, challenge):
    ChallengeResult.objects.create(
        challenge=challenge, rank=1, person=bob, name="Bob Durand", value=4, winner=True
    )
    ChallengeResult.objects.create(
        challenge=challenge, rank=2, person=alice, name="Alice Martin", value=3
    )
    [result] = export(alice)["gamification"]["challenge_results"]
    assert (result["challenge"], result["rank"], result["value"], result["winner"]) == (
        "Défi talents",
        2,
        3,
        False,
    )
    assert "Bob" not in json.dumps(export(alice)["gamification"])


def test_it_exports_what_the_audit_log_says_about_me(export, alice, carol):
    audit_record(actor=carol, action="person_deactivated", target=alice)
    audit_record(actor=carol, action="person_invited", target=alice.email, role="ambassador")
    audit_record(actor=carol, action="channel_added", target="#advocacy")
    core = export(alice)["core"]
    assert [e["action"] for e in core["audit_actions_about_me"]] == [
        "person_deactivated",
        "person_invited",
    ]
    assert core["audit_actions_by_me"] == []
    assert [e["action"] for e in export(carol)["core"]["audit_actions_by_me"]] == [
        "person_deactivated",
        "person_invited",
        "channel_added",
    ]
    assert "Carol" not in json.dumps(core)


def test_it_exports_the_suggestions_i_decided(export, alice, bob):
    suggestion = Suggestion.objects.create(author=alice, text="Une idée")
    suggestion_decline(suggestion=suggestion, editor=bob, reason="Hors sujet")
    [decided] = export(bob)["content"]["suggestions_decided"]
    assert (decided["status"], decided["decline_reason"]) == ("declined", "Hors sujet")
    assert export(alice)["content"]["suggestions_decided"] == []
