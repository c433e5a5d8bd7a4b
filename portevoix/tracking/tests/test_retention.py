"""Raw clicks are purged after the retention period; rollups and conversions stay."""

from datetime import timedelta

from django.utils import timezone

from portevoix.core.tasks import retention_purge_daily
from portevoix.tracking.conversions import conversion_key_create
from portevoix.tracking.ingest import clicks_ingest
from portevoix.tracking.models import Click, ClickCount, Conversion
from portevoix.tracking.retention import clicks_purge
from portevoix.tracking.tests.conftest import call, click_id_of


def test_old_raw_clicks_are_purged_and_the_counts_stay(client, redirect_app, link, settings):
    old, recent = (call(redirect_app, f"/s/{link.code}", ip=f"198.51.100.{n}") for n in (1, 2))
    clicks_ingest()
    raw = conversion_key_create(name="site", created_by=None)[1]
    client.post(
        "/tracking/api/conversions",
        {"click": click_id_of(old), "goal": "lead"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    Click.objects.filter(click_id=click_id_of(old)).update(
        at=timezone.now() - timedelta(days=settings.CLICK_RETENTION_DAYS + 1)
    )
    counts_before = list(ClickCount.objects.order_by("id").values_list("id", "value"))

    assert clicks_purge() == 1

    assert list(Click.objects.values_list("click_id", flat=True)) == [click_id_of(recent)]
    assert list(ClickCount.objects.order_by("id").values_list("id", "value")) == counts_before
    assert Conversion.objects.get().click_id == click_id_of(old)


def test_the_environment_sets_the_default_period(redirect_app, link, settings):
    call(redirect_app, f"/s/{link.code}")
    clicks_ingest()
    Click.objects.update(at=timezone.now() - timedelta(days=10))
    settings.CLICK_RETENTION_DAYS = 30
    retention_purge_daily.call_local()
    assert Click.objects.count() == 1
    settings.CLICK_RETENTION_DAYS = 7
    retention_purge_daily.call_local()
    assert Click.objects.count() == 0
