"""Seen-visitor sets move from one row per key to packed batches per day (tracking/seen.py).

The keys already recorded are carried over, so a visitor seen before the upgrade is still a
repeat after it. The digest is computed here as seen.py computes it at the time of writing:
a migration must not change with later code.
"""

import secrets
import sys
from array import array
from hashlib import blake2b

from django.db import migrations, models


def _bits(text: str) -> int:
    return int.from_bytes(blake2b(text.encode(), digest_size=8).digest(), "little")


def seen_rows_to_batches(apps, schema_editor):
    VisitorSeen = apps.get_model("tracking", "VisitorSeen")
    SeenBatch = apps.get_model("tracking", "SeenBatch")
    SeenState = apps.get_model("tracking", "SeenState")
    by_day: dict = {}
    # Old key: 16 hex digits of the visitor hash, the scope, then the day as yymmdd.
    for key, day in VisitorSeen.objects.values_list("key", "day").iterator():
        visitor, scope = key[:16], key[16:-6]
        try:
            digest = int(visitor, 16) ^ _bits(scope)
        except ValueError:
            continue
        by_day.setdefault(day, set()).add(digest)
    for day, digests in by_day.items():
        token = secrets.randbits(63)
        packed = array("Q", digests)
        if sys.byteorder != "little":
            packed.byteswap()  # stored little-endian whatever the machine
        SeenBatch.objects.create(day=day, generation=1, token=token, digests=packed.tobytes())
        SeenState.objects.create(day=day, generation=1, token=token)


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0002_clicks_inbox_rollups_conversions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SeenBatch",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("generation", models.BigIntegerField()),
                ("token", models.BigIntegerField()),
                ("digests", models.BinaryField()),
            ],
        ),
        migrations.CreateModel(
            name="SeenState",
            fields=[
                ("day", models.DateField(primary_key=True, serialize=False)),
                ("generation", models.BigIntegerField(default=0)),
                ("token", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddConstraint(
            model_name="seenbatch",
            constraint=models.UniqueConstraint(
                fields=("day", "generation"), name="one_seen_batch_per_step"
            ),
        ),
        migrations.RunPython(seen_rows_to_batches, migrations.RunPython.noop),
        migrations.DeleteModel(
            name="VisitorSeen",
        ),
    ]
