"""Bulk import of people from CSV: every row is checked first; one bad row imports nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from portevoix.accounts.invitations import invitation_create, invitation_send
from portevoix.accounts.models import Group, Person, Role
from portevoix.accounts.scopes import role_grant_problem
from portevoix.accounts.validators import CONTROL_CHARACTERS, has_control_characters

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
REQUIRED_COLUMNS = ("email", "full_name")
GROUP_SEPARATOR = "|"
EMAIL_MAX = cast(int, Person._meta.get_field("email").max_length)  # both are CharFields
NAME_MAX = cast(int, Person._meta.get_field("full_name").max_length)
MAX_REPORTED_LINES = 10
LINE_BREAKS = re.compile("\r\n|\r|\n")


@dataclass
class ImportRow:
    line: int
    email: str
    full_name: str
    role: str
    groups: list[Group] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from None


def people_import_check(data: bytes) -> ImportReport:
    """Parse and validate the whole file; nothing is written.

    Parsing is strict: an unclosed quote, a control character (a NUL byte included) or a line
    with more cells than the header is an error, never a guess, so that what is imported is
    exactly what the file says, on every database.
    """
    report = ImportReport()
    if len(data) > MAX_IMPORT_BYTES:
        report.errors.append((0, _("The file is larger than 2 MB.")))
        return report
    try:
        text = _decode(data)
    except ValueError as error:
        report.errors.append((0, str(error)))
        return report
    if not text.strip():
        report.errors.append((0, _("The file is empty.")))
        return report
    _check_characters(text, report)
    if not report.ok:
        return report
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        _check_rows(reader, report)
    except csv.Error as error:
        # An unclosed quote, a stray quote or a field of over 128 KB: the file is not what it
        # claims to be, and whatever was read so far may be wrong too.
        report.rows.clear()
        report.errors.append(
            (reader.line_num, _("This line is not valid CSV (%(error)s).") % {"error": error})
        )
    if not report.rows and not report.errors:
        report.errors.append((0, _("The file has no person in it.")))
    return report


def _check_characters(text: str, report: ImportReport) -> None:
    """Refuse control characters anywhere but at line ends (a NUL byte is not text)."""
    for number, line in enumerate(LINE_BREAKS.split(text), start=1):
        found = CONTROL_CHARACTERS.search(line)
        if found:
            report.errors.append(
                (
                    number,
                    _(
                        "it contains a control character (U+%(code)04X): save the file again "
                        "as “CSV UTF-8” text."
                    )
                    % {"code": ord(found.group())},
                )
            )
            if len(report.errors) >= MAX_REPORTED_LINES:
                return


def _check_rows(reader: csv.DictReader, report: ImportReport) -> None:
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        report.errors.append(
            (1, _("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
        return
    groups_by_name = {g.name.casefold(): g for g in Group.objects.all()}
    existing = set(Person.objects.values_list("email", flat=True))
    seen: dict[str, int] = {}
    valid_roles = {choice.value for choice in Role}
    for count, raw in enumerate(reader, start=1):
        line = reader.line_num
        if count > MAX_IMPORT_ROWS:
            report.errors.append((line, _("Too many rows (at most 10,000).")))
            break
        if None in raw:  # DictReader's key for cells beyond the header's
            report.errors.append(
                (
                    line,
                    _(
                        "this line has %(cells)d cells but the header has %(columns)d (put a "
                        "value that contains a comma between double quotes)."
                    )
                    % {"cells": len(columns) + len(raw[None]), "columns": len(columns)},
                )
            )
            continue
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        if not any(row.values()):
            continue
        email = row.get("email", "").lower()
        full_name = row.get("full_name", "")
        role = (row.get("role") or Role.AMBASSADOR).lower()
        problems: list[str] = []
        if not email:
            problems.append(_("the e-mail is missing"))
        elif len(email) > EMAIL_MAX:
            problems.append(
                _("the e-mail is longer than %(limit)d characters") % {"limit": EMAIL_MAX}
            )
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(_("“%(email)s” is not a valid e-mail address") % {"email": email})
            if email in existing:
                problems.append(_("%(email)s already has an account") % {"email": email})
            if email in seen:
                problems.append(
                    _("%(email)s already appears on line %(line)d")
                    % {"email": email, "line": seen[email]}
                )
            seen.setdefault(email, line)
        if not full_name:
            problems.append(_("the name is missing"))
        elif len(full_name) > NAME_MAX:
            problems.append(_("the name is longer than %(limit)d characters") % {"limit": NAME_MAX})
        elif has_control_characters(full_name):
            problems.append(_("the name contains a line break, a tab or a control character"))
        if role not in valid_roles:
            problems.append(
                _("unknown role “%(role)s” (use %(roles)s)")
                % {"role": role, "roles": ", ".join(sorted(valid_roles))}
            )
        groups: list[Group] = []
        for name in filter(None, (n.strip() for n in row.get("groups", "").split(GROUP_SEPARATOR))):
            group = groups_by_name.get(name.casefold())
            if group is None:
                problems.append(_("unknown group “%(group)s”") % {"group": name})
            else:
                groups.append(group)
        if problems:
            report.errors.append((line, "; ".join(problems)))
        else:
            report.rows.append(ImportRow(line, email, full_name, role, groups))


def people_import(*, data: bytes, invited_by: Person) -> ImportReport:
    """Import every row, or none when any row is wrong; invitations are e-mailed after commit."""
    report = people_import_check(data)
    for row in report.rows:
        if problem := role_grant_problem(granter=invited_by, role=row.role):
            report.errors.append((row.line, problem))
    if not report.ok:
        return report
    sent: list[tuple] = []
    with transaction.atomic():
        for row in report.rows:
            sent.append(
                invitation_create(
                    email=row.email,
                    full_name=row.full_name,
                    role=row.role,
                    groups=row.groups,
                    invited_by=invited_by,
                )
            )

        def send_all() -> None:
            for invitation, token in sent:
                invitation_send(invitation=invitation, token=token)

        transaction.on_commit(send_all)
    return report
