"""An ambassador's tracking data: exported on request, erased with them."""

import json

from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.links import tracked_link_for
from portevoix.tracking.models import Click, ClickCount, Conversion, TrackedLink
from portevoix.tracking.privacy import export_person
from portevoix.tracking.tests.conftest import call, click_id_of
from portevoix.tracking.tests.test_conversions import report


def test_the_export_lists_the_persons_links_and_what_they_brought(
    client, redirect_app, link, alice, bob
):
    tracked_link_for(post=link.post, ambassador=bob, network="x")
    answer = call(redirect_app, f"/s/{link.code}")
    call(redirect_app, f"/s/{link.code}", user_agent="Twitterbot/1.0")
    clicks_ingest()
    from portevoix.tracking.conversions import conversion_key_create

    report(
        client,
        conversion_key_create(name="s", created_by=None)[1],
        {"click": click_id_of(answer), "goal": "lead"},
    )

    exported = export_person(alice)

    json.dumps(exported)  # JSON-ready
    [entry] = exported["tracked_links"]
    assert entry["code"] == link.code and entry["network"] == "linkedin"
    assert entry["clicks"]["raw"] == 2 and entry["clicks"]["verified"] == 1
    assert entry["conversions"] == 1
    assert "visitor" not in json.dumps(exported)  # visitors' hashes are not alice's data


def test_erasing_a_person_removes_their_tracking_but_keeps_anonymous_aggregates(
    client, redirect_app, link, alice
):
    answer = call(redirect_app, f"/s/{link.code}")
    clicks_ingest()
    from portevoix.tracking.conversions import conversion_key_create

    report(
        client,
        conversion_key_create(name="s", created_by=None)[1],
        {"click": click_id_of(answer), "goal": "lead"},
    )
    anonymous = ["post", "all", "network", "campaign", "post@linkedin", "campaign@linkedin"]
    post_counts = ClickCount.objects.filter(dimension__in=anonymous).count()
    assert post_counts
    assert ClickCount.objects.filter(dimension="ambassador@linkedin", key=str(alice.pk)).exists()

    alice.delete()

    assert not TrackedLink.objects.exists()
    assert not Click.objects.exists()
    assert not Conversion.objects.exists()
    assert not ClickCount.objects.filter(dimension__in=["ambassador", "link"]).exists()
    assert not ClickCount.objects.filter(dimension__startswith="ambassador").exists()
    assert ClickCount.objects.filter(dimension__in=anonymous).count() == post_counts
    assert call(redirect_app, f"/s/{link.code}").status == 404


def test_the_export_lists_the_conversion_keys_the_person_created(db, carol, bob):
    from portevoix.tracking.conversions import conversion_key_create

    _key, raw = conversion_key_create(name="Site carrières", created_by=carol)
    conversion_key_create(name="Bob's key", created_by=bob)
    exported = export_person(carol)
    assert [k["name"] for k in exported["conversion_keys_created"]] == ["Site carrières"]
    assert raw not in json.dumps(exported)  # the key itself is never kept, let alone exported
