"""`manage.py archive_verify`: check the compliance archive's hash chain; say where it broke."""

from django.core.management.base import BaseCommand, CommandError

from portevoix.core.models import ChainHead
from portevoix.sharing.archive import CHAIN, archive_verify


class Command(BaseCommand):
    help = "Check the compliance archive's hash chain; exit non-zero and name each broken entry."

    def handle(self, *args: object, **options: object) -> None:
        breaks = list(archive_verify())
        for found in breaks:
            self.stdout.write(f"broken: {found}")
        if breaks:
            raise CommandError(f"the archive chain is broken in {len(breaks)} place(s)")
        head = ChainHead.objects.filter(name=CHAIN).first()
        self.stdout.write(f"archive chain intact; newest hash {head.last_hash if head else '-'}")
