"""The PostgreSQL click inbox holds one row per committed group of clicks (was: one per click).

Clicks still waiting at the upgrade become groups of one. Groups are kept in the table's own
pages up to 8 KB (`toast_tuple_target`): no compression or out-of-line storage work for the
database on the redirect's path.
"""

import json

from django.db import migrations, models

COLUMNS = ("code", "at", "user_agent", "referrer", "click_id", "visitor", "self_token")


def clicks_to_groups(apps, schema_editor):
    inbox = apps.get_model("tracking", "ClickInbox")
    for row in inbox.objects.order_by("id").values("id", *COLUMNS).iterator():
        clicks = json.dumps([[row[name] for name in COLUMNS]], ensure_ascii=False)
        inbox.objects.filter(id=row["id"]).update(size=1, clicks=clicks)


def groups_stored_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE tracking_clickinbox SET (toast_tuple_target = 8160)")


class Migration(migrations.Migration):
    dependencies = [("tracking", "0007_scanner_networks_and_kind")]

    operations = [
        migrations.AddField(
            model_name="clickinbox",
            name="size",
            field=models.PositiveIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="clickinbox",
            name="clicks",
            field=models.TextField(default="[]"),
            preserve_default=False,
        ),
        migrations.RunPython(clicks_to_groups, migrations.RunPython.noop),
        *[migrations.RemoveField(model_name="clickinbox", name=name) for name in COLUMNS],
        migrations.RunPython(groups_stored_inline, migrations.RunPython.noop),
    ]
