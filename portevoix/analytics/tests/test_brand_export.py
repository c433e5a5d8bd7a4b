"""The personal-brand file: shares with their texts, verified clicks and reach by month, badges
and challenge results; from one's profile (alumni too), and by an e-mailed link to a leaver."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portevoix.analytics.tests.conftest import local
from portevoix.gamification.models import BadgeAward, Challenge, ChallengeResult
from portevoix.sharing.models import Share


def opened(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def rows(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode())))


@pytest.fixture
def achievements(world):
    alice = world.alice
    BadgeAward.objects.create(person=alice, badge="first_share")
    challenge = Challenge.objects.create(
        title="Défi de décembre",
        starts_at=local("2025-12-01T00:00"),
        ends_at=local("2025-12-31T23:00"),
        metric="verified_clicks",
    )
    ChallengeResult.objects.create(
        challenge=challenge, rank=1, person=alice, name=alice.full_name, value=4, winner=True
    )
    share = Share.objects.filter(person=alice).order_by("created_at").first()
    share.text = '=HYPERLINK("https://evil.example") Nous recrutons !'
    share.save()
    return world


def test_my_file_holds_shares_clicks_reach_badges_and_challenges(client_for, achievements):
    archive = opened(client_for(achievements.alice).get(reverse("analytics:brand_export")))
    assert set(archive.namelist()) == {
        "README.txt",
        "brand.json",
        "shares.csv",
        "by_month.csv",
        "badges.csv",
        "challenges.csv",
    }
    data = json.loads(archive.read("brand.json"))
    assert data["person"]["email"] == "alice@example.com"
    shares = rows(archive, "shares.csv")
    assert len(shares) == 4 == len(data["shares"])
    assert shares[0]["post"] == "Nous recrutons des techniciens"
    # A formula is written as text: a spreadsheet never runs it.
    assert shares[0]["text"].startswith("'=HYPERLINK")
    months = {row["month"]: row for row in rows(archive, "by_month.csv")}
    assert months["2025-12"]["verified_clicks"] == "4"
    assert months["2025-12"]["raw_clicks"] == "7"
    assert months["2025-12"]["shares"] == "3"
    assert months["2025-12"]["potential_reach"] == "700"  # LinkedIn 500 + X 200
    assert months["2026-01"]["potential_reach"] == "500"
    assert rows(archive, "badges.csv")[0]["badge"] == "Premier partage"  # alice reads French
    [result] = rows(archive, "challenges.csv")
    assert (result["challenge"], result["rank"], result["score"]) == ("Défi de décembre", "1", "4")
    assert "frank" not in archive.read("brand.json").decode().lower()


@pytest.mark.parametrize("person", ["alice", "bob", "carol", "dave"])
def test_every_role_gets_only_their_own_file(client_for, request, world, person):
    who = request.getfixturevalue(person)
    archive = opened(client_for(who).get(reverse("analytics:brand_export")))
    assert json.loads(archive.read("brand.json"))["person"]["email"] == who.email


def test_anonymous_is_sent_to_log_in(client, db):
    response = client.get(reverse("analytics:brand_export"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_leaver_is_mailed_a_link_that_works_without_logging_in(client, client_for, carol, world):
    alice = world.alice
    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    alice.refresh_from_db()
    assert not alice.is_active

    [message] = [m for m in mail.outbox if m.to == [alice.email]]
    assert "dossier de marque personnelle" in message.subject
    link = re.search(r"https?://\S+/analytics/my-brand/\S+\.zip", message.body).group(0)
    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    archive = opened(client.get("/" + path))
    assert json.loads(archive.read("brand.json"))["person"]["email"] == alice.email


def test_a_changed_or_foreign_link_is_refused(client, world):
    from portevoix.analytics.brand_export import brand_export_link

    link = brand_export_link(world.alice)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    token = path.rsplit("/", 1)[1][: -len(".zip")]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(path.replace(token, forged)).status_code == 404
    assert client.get("/analytics/my-brand/nothing.zip").status_code == 404


def test_an_old_link_is_refused(client, world):
    from django.core import signing

    from portevoix.analytics.brand_export import LINK_DAYS, LINK_SALT

    signer = signing.TimestampSigner(salt=LINK_SALT)
    old = timezone.now() - timedelta(days=LINK_DAYS + 1)
    # The token as it was signed LINK_DAYS + 1 days ago: the same value with an older stamp.
    value = signing.b64_encode(signing.JSONSerializer().dumps({"p": world.alice.pk})).decode()

    def signed_at(moment) -> str:  # Django's format: value:timestamp:signature
        raw = f"{value}{signer.sep}{signing.b62_encode(int(moment.timestamp()))}"
        return f"{raw}{signer.sep}{signer.signature(raw)}"

    world.alice.is_active = False
    world.alice.save(update_fields=["is_active"])
    assert client.get(f"/analytics/my-brand/{signed_at(old)}.zip").status_code == 404
    assert client.get(f"/analytics/my-brand/{signed_at(timezone.now())}.zip").status_code == 200


def test_a_link_stops_working_once_the_leaver_is_reactivated(client, client_for, carol, world):
    """The link is for someone who cannot log in: once reactivated, the old e-mail no longer
    hands out their file (which by then holds what they did since)."""
    alice = world.alice
    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "0"})
    [message] = [m for m in mail.outbox if m.to == [alice.email]]
    link = re.search(r"https?://\S+/analytics/my-brand/\S+\.zip", message.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert client.get(path).status_code == 200

    client_for(carol).post(reverse("accounts:person_active", args=[alice.pk]), {"active": "1"})
    alice.refresh_from_db()
    assert alice.is_active
    client.logout()
    assert client.get(path).status_code == 404


def test_a_link_made_for_someone_still_active_gives_nothing(client, world):
    from portevoix.analytics.brand_export import brand_export_link

    link = brand_export_link(world.alice)
    assert client.get("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 404
