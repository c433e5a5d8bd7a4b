"""Counters of post, ambassador, campaign and group within each network ("post@linkedin"), and
of post, ambassador and campaign within each group ("post@group:12"), which a
dashboard filtered on one network or one group reads instead of summing thousands of links.

Existing clicks are carried over once, here, from the link counters (a link fixes its post,
ambassador, network and campaign). A link's groups at click time are not kept anywhere, so
the counters of groups carried over use the ambassador's groups at migration time; clicks
counted from now on use the groups at ingestion, as the other group counters do.
"""

from django.db import migrations, models

PROPERTIES = "('raw', 'verified', 'conversions')"
CROSSED = {
    "network": ("post", "ambassador", "campaign", "group"),
    "group": ("post", "ambassador", "campaign"),
}
OWNER = {
    "post": "l.post_id",
    "ambassador": "l.ambassador_id",
    "campaign": "p.campaign_id",
    "group": "m.group_id",
}


def crossed_from_links(apps, schema_editor):
    counts = apps.get_model("tracking", "ClickCount")._meta.db_table
    links = apps.get_model("tracking", "TrackedLink")._meta.db_table
    posts = apps.get_model("content", "Post")._meta.db_table
    memberships = apps.get_model("accounts", "Person").groups.through._meta.db_table
    # Joined on the link's primary key (the counter's key cast to an integer), not on the id
    # cast to text: SQLite would otherwise scan every link for each counter row.
    with schema_editor.connection.cursor() as cursor:
        for scope, dimensions in CROSSED.items():
            for by in dimensions:
                if scope == "network":
                    dimension = f"'{by}@' || l.network"
                else:
                    dimension = f"'{by}@group:' || CAST(m.group_id AS TEXT)"
                owner = OWNER[by]
                joined = f"JOIN {links} l ON l.id = CAST(c.\"key\" AS INTEGER)"
                if by == "campaign":
                    joined += f" JOIN {posts} p ON p.id = l.post_id"
                if "group" in (scope, by):
                    joined += f" JOIN {memberships} m ON m.person_id = l.ambassador_id"
                cursor.execute(
                    f"INSERT INTO {counts} "
                    '(dimension, "key", property, subgroup, frequency, "start", value) '
                    f"SELECT {dimension}, CAST({owner} AS TEXT), c.property, c.subgroup, "
                    f'c.frequency, c."start", SUM(c.value) FROM {counts} c {joined} '
                    "WHERE c.dimension = 'link' AND c.frequency IN ('day', 'month') "
                    f"AND c.property IN {PROPERTIES} AND {owner} IS NOT NULL "
                    f'GROUP BY {dimension}, {owner}, c.property, c.subgroup, c.frequency, c."start"'
                )


def crossed_remove(apps, schema_editor):
    apps.get_model("tracking", "ClickCount").objects.filter(dimension__contains="@").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0004_analytics_month_counters"),
        ("content", "0002_content_hub"),
        ("accounts", "0002_notify_suggestions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clickcount",
            name="dimension",
            field=models.CharField(max_length=24),
        ),
        migrations.RunPython(crossed_from_links, crossed_remove),
    ]
