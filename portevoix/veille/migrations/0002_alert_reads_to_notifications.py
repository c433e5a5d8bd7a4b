"""Veille alerts become notifications: every active editor and admin gets one notification per
existing alert, read when (and as of when) they had read the alert, unread otherwise, as the old
alerts badge counted it. Then the alert reads go.

The texts are written here, frozen as the migration is, with the same messages as
`alert_notices.py` so that they are translated into each person's language."""

from django.conf import settings
from django.db import migrations
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override


def _texts(alert) -> tuple[str, str]:
    if alert.kind == "negative_rise":
        watch = alert.watch.name if alert.watch else ""
        title = _("Veille: negative mentions are rising for “%(watch)s”") % {"watch": watch}
        lines = [
            _("%(count)s negative mentions of “%(watch)s” in the last %(hours)s hours.")
            % {"count": alert.negative_count, "watch": watch, "hours": alert.window_hours}
        ]
        if alert.usual_count:
            usual = number_format(alert.usual_count, decimal_pos=1)
            lines.append(_("Usually: %(usual)s in the same time.") % {"usual": usual})
        return title, "\n".join(lines)
    source = alert.source.name if alert.source else ""
    title = _("Veille: the source “%(source)s” is paused") % {"source": source}
    lines = [
        _("The source “%(source)s” failed too many times in a row and is paused.")
        % {"source": source},
        _("Last error: %(error)s") % {"error": alert.error},
    ]
    return title, "\n".join(lines)


def alerts_to_notifications(apps, schema_editor):
    Alert = apps.get_model("veille", "Alert")
    AlertRead = apps.get_model("veille", "AlertRead")
    Notification = apps.get_model("notifications", "Notification")
    Person = apps.get_model(settings.AUTH_USER_MODEL)
    alerts = list(Alert.objects.select_related("watch", "source").order_by("created_at", "id"))
    if not alerts:
        return
    read_at = {(r.alert_id, r.person_id): r.read_at for r in AlertRead.objects.all()}
    pilots = Person.objects.filter(is_active=True, role__in=["admin", "editor"])
    for person in pilots.iterator(chunk_size=500):
        rows = []
        with override(person.language):
            for alert in alerts:
                title, body = _texts(alert)
                rows.append(
                    Notification(
                        person_id=person.pk,
                        kind="alert",
                        title=title[:200],
                        body=body,
                        url="/veille/alerts/",
                        subject=f"veille-alert:{alert.pk}",
                        created_at=alert.created_at,
                        read_at=read_at.get((alert.pk, person.pk)),
                    )
                )
        Notification.objects.bulk_create(rows, batch_size=500)


def notifications_to_alert_reads(apps, schema_editor):
    Alert = apps.get_model("veille", "Alert")
    AlertRead = apps.get_model("veille", "AlertRead")
    Notification = apps.get_model("notifications", "Notification")
    existing = set(Alert.objects.values_list("pk", flat=True))
    read = Notification.objects.filter(
        kind="alert", subject__startswith="veille-alert:", read_at__isnull=False
    )
    reads = []
    for notification in read.iterator(chunk_size=500):
        alert_id = int(notification.subject.split(":", 1)[1])
        if alert_id in existing:
            reads.append(
                AlertRead(
                    alert_id=alert_id,
                    person_id=notification.person_id,
                    read_at=notification.read_at,
                )
            )
    AlertRead.objects.bulk_create(reads, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("veille", "0001_initial"),
        ("notifications", "0002_alert_kind_and_subject"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(alerts_to_notifications, notifications_to_alert_reads),
        migrations.DeleteModel(name="AlertRead"),
    ]
