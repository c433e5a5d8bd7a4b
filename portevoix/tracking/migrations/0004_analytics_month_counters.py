"""Month counters (frequency "month", each the sum of its organisation days) and a breakdown
index that holds key and value, so that long dashboard periods read few rows from the index
alone. Existing daily counters are summed into months once, here."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models


def months_from_days(apps, schema_editor):
    ClickCount = apps.get_model("tracking", "ClickCount")
    zone = ZoneInfo(settings.TIME_ZONE)
    rows = (
        ClickCount.objects.filter(frequency="day")
        .order_by("dimension", "key", "property", "subgroup", "start")
        .values_list("dimension", "key", "property", "subgroup", "start", "value")
    )
    batch, current, total = [], None, 0
    for dimension, key, prop, subgroup, start, value in rows.iterator(chunk_size=5000):
        first = start.astimezone(zone).date().replace(day=1)
        bucket = (dimension, key, prop, subgroup, first)
        if bucket != current:
            if current is not None:
                batch.append((current, total))
            current, total = bucket, 0
        total += value
        if len(batch) >= 5000:
            _save(ClickCount, batch, zone)
            batch = []
    if current is not None:
        batch.append((current, total))
    _save(ClickCount, batch, zone)


def _save(ClickCount, batch, zone):
    ClickCount.objects.bulk_create(
        [
            ClickCount(
                dimension=dimension,
                key=key,
                property=prop,
                subgroup=subgroup,
                frequency="month",
                start=datetime.combine(first, time.min, tzinfo=zone),
                value=total,
            )
            for (dimension, key, prop, subgroup, first), total in batch
        ]
    )


def months_remove(apps, schema_editor):
    apps.get_model("tracking", "ClickCount").objects.filter(frequency="month").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0003_seen_sets_in_batches"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="clickcount",
            name="count_by_period",
        ),
        migrations.AlterField(
            model_name="clickcount",
            name="frequency",
            field=models.CharField(max_length=8),
        ),
        migrations.AddIndex(
            model_name="clickcount",
            index=models.Index(
                fields=["dimension", "property", "frequency", "start", "key", "value"],
                name="count_by_period_key",
            ),
        ),
        migrations.RunPython(months_from_days, months_remove),
    ]
