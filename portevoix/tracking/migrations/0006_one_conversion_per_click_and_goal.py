"""One conversion per click and goal, whatever the label (was: per click, goal and label).

Before the constraint can exist, the extra conversions that other labels made of the same click
and goal are deleted: the first one reported is kept. Those that were counted are taken back
from the counters, and the points they earned from the ledger. A link's groups at conversion
time are not kept anywhere: group counters are corrected with the ambassador's groups of
today (a counter that would go below zero, of a group joined since, is removed).
"""

from django.db import migrations, models


def duplicates_remove(apps, schema_editor):
    from portevoix.tracking.rollups import Attribution, conversion_rollups_add

    conversion = apps.get_model("tracking", "Conversion")
    point_entry = apps.get_model("gamification", "PointEntry")
    memberships = apps.get_model("accounts", "Person").groups.through
    repeated = (
        conversion.objects.values("click_id", "goal")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("click_id", "goal")
    )
    for click_id, goal in list(repeated):  # read whole before deleting from the same table
        rows = conversion.objects.filter(click_id=click_id, goal=goal).order_by("at", "id")
        extra = list(rows.select_related("link", "link__post")[1:])
        for row in extra:
            if row.counted:
                link = row.link
                groups = memberships.objects.filter(person_id=link.ambassador_id)
                attribution = Attribution(
                    link_id=link.id,
                    post_id=link.post_id,
                    ambassador_id=link.ambassador_id,
                    network=link.network,
                    campaign_id=link.post.campaign_id,
                    group_ids=tuple(sorted(groups.values_list("group_id", flat=True))),
                )
                conversion_rollups_add(
                    attribution=attribution, goal=goal, at=row.at.timestamp(), amount=-1
                )
        point_entry.objects.filter(
            action="conversion", source__in=[f"conversion:{row.id}" for row in extra]
        ).delete()
        conversion.objects.filter(id__in=[row.id for row in extra]).delete()
    # A counter at zero says what no row says; one below zero is of a group joined since.
    clickcount = apps.get_model("tracking", "ClickCount")
    below = clickcount.objects.filter(property="conversions", value__lt=0)
    below.update(value=0)
    clickcount.objects.filter(property="conversions", value=0).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("gamification", "0003_challenge_start_announced"),
        ("tracking", "0005_network_crossed_counters"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="conversion",
            name="one_conversion_per_click_goal",
        ),
        migrations.RunPython(duplicates_remove, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="conversion",
            constraint=models.UniqueConstraint(
                fields=("click_id", "goal"), name="one_conversion_per_click_and_goal"
            ),
        ),
    ]
