"""`manage.py audit_verify`: check the audit log's hash chain; say where it was broken."""

from django.core.management.base import BaseCommand, CommandError

from portevoix.core.audit import audit_verify
from portevoix.core.models import ChainHead


class Command(BaseCommand):
    help = "Check the audit log's hash chain; exit non-zero and name each broken entry."

    def handle(self, *args: object, **options: object) -> None:
        breaks = list(audit_verify())
        for found in breaks:
            self.stdout.write(f"broken: {found}")
        if breaks:
            raise CommandError(f"the audit chain is broken in {len(breaks)} place(s)")
        head = ChainHead.objects.filter(name="audit").first()
        last = head.last_hash if head else "-"
        self.stdout.write(f"audit chain intact; newest hash {last}")
