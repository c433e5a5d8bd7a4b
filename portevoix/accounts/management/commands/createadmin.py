"""`manage.py createadmin`: the first administrator of a real installation (docs/deploy.md)."""

from __future__ import annotations

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from portevoix.accounts.people import admin_create

PASSWORD_ENV = "PORTEVOIX_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create an active administrator who can log in at once. The password is asked on the "
        f"terminal, or read from standard input (--password-from-stdin) or from {PASSWORD_ENV}."
    )
    # As createsuperuser: call_command(..., stdin=...) for scripts and tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="their e-mail, used to log in")
        parser.add_argument("--name", required=True, help="their full name")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="read the password from the first line of standard input",
        )

    @no_translations  # the operator's terminal reads English, like Django's own commands
    def handle(self, *args, **options) -> None:
        stdin = options.get("stdin") or sys.stdin
        password = self._password(stdin, from_stdin=options["password_from_stdin"])
        try:
            person = admin_create(
                email=options["email"], full_name=options["name"], password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Administrator {person.email} created: they can log in now.")

    def _password(self, stdin, *, from_stdin: bool) -> str:
        # Never a command-line argument: it would show in `ps` and the shell's history.
        if from_stdin:
            return stdin.readline().rstrip("\r\n")
        if os.environ.get(PASSWORD_ENV):
            return os.environ[PASSWORD_ENV]
        if not stdin.isatty():
            raise CommandError(
                f"No password: run this on a terminal, or use --password-from-stdin or {PASSWORD_ENV}."
            )
        for _attempt in range(3):
            password = getpass.getpass("Password: ")
            if password == getpass.getpass("Password (again): "):
                return password
            self.stderr.write("The two passwords differ; again.")
        raise CommandError("The two passwords differed three times.")
