import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def link_entries_to_people(apps, schema_editor):
    """Entries recorded before `target_person` existed name their target as text (the person's
    name, or their e-mail when they had none, or an invitation's e-mail): link the ones that
    name exactly one person, so erasing that person finds them."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    Person = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    by_email = {}
    by_name = {}
    for pk, email, full_name in Person.objects.values_list("pk", "email", "full_name"):
        by_email[email.lower()] = pk
        by_name.setdefault(full_name, []).append(pk)
    for entry in AuditEntry.objects.exclude(target="").only("pk", "target").iterator():
        named = by_name.get(entry.target, [])
        pk = by_email.get(entry.target.lower()) or (named[0] if len(named) == 1 else None)
        if pk is not None:
            AuditEntry.objects.filter(pk=entry.pk).update(target_person_id=pk)


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='target_person',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(link_entries_to_people, migrations.RunPython.noop),
    ]
