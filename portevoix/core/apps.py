from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portevoix.core"
    label = "core"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from portevoix.core import checks  # noqa: F401 - registers the start-up checks
        from portevoix.core.audit import audit_purge
        from portevoix.core.retention import RetentionKind, retention_register

        retention_register(
            RetentionKind(
                code="audit_entries",
                label=_("Audit log entries"),
                rule=_(
                    "Older entries are deleted; the hash of the last one deleted is kept, so the "
                    "rest of the chain still verifies."
                ),
                default_days=1825,
                min_days=365,
                max_days=3650,
                purge=audit_purge,
            )
        )

        from portevoix.core.periodic import periodic_hooks_register

        periodic_hooks_register()
