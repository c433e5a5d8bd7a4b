"""Hourly counters are no longer kept per link (rollups.py): nothing read them, and they were a
quarter of the counter rows each ingestion batch adds to. The existing ones go, so that the
check against the raw clicks (`manage.py figures_verify`) finds the live counters as it
rebuilds them."""

from django.db import migrations


def forwards(apps, schema_editor):
    ClickCount = apps.get_model("tracking", "ClickCount")
    ClickCount.objects.filter(dimension="link", frequency="hour").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0011_click_checks_fewer_per_row"),
    ]

    # Not reversible in data (the hours are not kept anywhere else): going back leaves the
    # links without hourly counters, which nothing reads.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
