from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "portevoix.sharing"
    label = "sharing"

    def ready(self) -> None:
        from portevoix.content.messages import message_check_register
        from portevoix.core.retention import retention_register
        from portevoix.sharing import signals  # noqa: F401 - connects the erasure receiver
        from portevoix.sharing.archive import KINDS
        from portevoix.sharing.message_lengths import message_length_problems

        # Content checks suggested messages without knowing the networks (it sits below us).
        message_check_register(check=message_length_problems)
        for kind in KINDS:
            retention_register(kind)
