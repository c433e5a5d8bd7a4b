"""Two checks fewer per stored click on PostgreSQL: the click's foreign key to its link (ingest.py
locks a batch's links once instead) and the LIKE index that `unique=True` added beside the
unique one.

On PostgreSQL the unique constraint is renamed, not rebuilt: an upgrade with millions of clicks
takes no longer than a small one. SQLite keeps its table as it is (rebuilding it would copy
every click): its foreign key, checked in memory, costs little there.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_FORWARDS = [
    "DROP INDEX IF EXISTS tracking_click_click_id_194c369e_like",
    "ALTER TABLE tracking_click "
    "DROP CONSTRAINT IF EXISTS tracking_click_link_id_a7f19eda_fk_tracking_trackedlink_id",
    "ALTER TABLE tracking_click RENAME CONSTRAINT tracking_click_click_id_key "
    "TO one_click_per_click_id",
]
POSTGRESQL_BACKWARDS = [
    "ALTER TABLE tracking_click RENAME CONSTRAINT one_click_per_click_id "
    "TO tracking_click_click_id_key",
    "CREATE INDEX tracking_click_click_id_194c369e_like "
    "ON tracking_click (click_id varchar_pattern_ops)",
    "ALTER TABLE tracking_click ADD CONSTRAINT "
    "tracking_click_link_id_a7f19eda_fk_tracking_trackedlink_id FOREIGN KEY (link_id) "
    "REFERENCES tracking_trackedlink (id) DEFERRABLE INITIALLY DEFERRED",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0010_click_spool"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="click",
                    name="click_id",
                    field=models.CharField(max_length=24),
                ),
                migrations.AlterField(
                    model_name="click",
                    name="link",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="clicks",
                        to="tracking.trackedlink",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="click",
                    constraint=models.UniqueConstraint(
                        fields=("click_id",), name="one_click_per_click_id"
                    ),
                ),
            ],
            database_operations=[
                migrations.RunPython(
                    _on_postgresql(POSTGRESQL_FORWARDS), _on_postgresql(POSTGRESQL_BACKWARDS)
                )
            ],
        )
    ]
