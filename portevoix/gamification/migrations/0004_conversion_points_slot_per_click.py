"""Points for conversions are once per click (slot `conversion-click:<click id>`); lines
earned before had the conversion's own slot (`conversion:<id>`), so a click that had already
scored could score again with a goal reported after the upgrade. The first line of each
(person, click) takes the click's slot; what was earned is kept.
"""

from django.db import migrations

CHUNK = 500


def slots_per_click(apps, schema_editor):
    point_entry = apps.get_model("gamification", "PointEntry")
    conversion = apps.get_model("tracking", "Conversion")
    lines = list(
        point_entry.objects.filter(action="conversion", slot__startswith="conversion:")
        .order_by("occurred_at", "id")
        .values_list("id", "person_id", "source")
    )
    ids = sorted(
        {int(source.split(":", 1)[1]) for _id, _person, source in lines if source[11:].isdigit()}
    )
    clicks = {}
    for start in range(0, len(ids), CHUNK):
        found = conversion.objects.filter(id__in=ids[start : start + CHUNK])
        clicks.update(found.values_list("id", "click_id"))
    taken = set(
        point_entry.objects.filter(
            action="conversion", slot__startswith="conversion-click:"
        ).values_list("person_id", "slot")
    )
    for line_id, person_id, source in lines:
        number = source[11:]
        click_id = clicks.get(int(number)) if number.isdigit() else None
        if click_id is None:
            continue  # its conversion was deleted since: nothing left to report again
        slot = f"conversion-click:{click_id}"
        if (person_id, slot) not in taken:
            point_entry.objects.filter(id=line_id).update(slot=slot)
            taken.add((person_id, slot))


class Migration(migrations.Migration):
    dependencies = [
        ("gamification", "0003_challenge_start_announced"),
        ("tracking", "0006_one_conversion_per_click_and_goal"),
    ]

    operations = [migrations.RunPython(slots_per_click, migrations.RunPython.noop)]
