"""`manage.py createadmin`: the first administrator of a real installation."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from portevoix.accounts.models import Person

STRONG = "un-mot-de-passe-tres-solide-58"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args, stdin: str | io.StringIO = "") -> str:
    out = io.StringIO()
    stdin = io.StringIO(stdin) if isinstance(stdin, str) else stdin
    call_command("createadmin", *args, stdin=stdin, stdout=out)
    return out.getvalue()


def test_createadmin_makes_an_active_administrator_who_can_log_in(db):
    output = run(
        "--email",
        "Boss@Example.com",
        "--name",
        "Ada Boss",
        "--password-from-stdin",
        stdin=STRONG + "\n",
    )
    admin = Person.objects.get(email="boss@example.com")
    assert (admin.role, admin.full_name, admin.is_active) == ("admin", "Ada Boss", True)
    assert admin.activated_at is not None and admin.deactivated_at is None
    assert admin.check_password(STRONG)
    assert "boss@example.com" in output and STRONG not in output
    response = Client().post(
        reverse("accounts:login"), {"username": "boss@example.com", "password": STRONG}
    )
    assert response.status_code == 302
    assert Client().get(reverse("accounts:people")).status_code == 302  # anonymous: to log-in


def test_createadmin_without_a_password_and_without_a_terminal_refuses(db):
    with pytest.raises(CommandError, match="password-from-stdin"):
        run("--email", "boss@example.com", "--name", "Ada Boss")
    assert not Person.objects.exists()


def test_createadmin_reads_the_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("PORTEVOIX_ADMIN_PASSWORD", STRONG)
    run("--email", "boss@example.com", "--name", "Ada Boss")
    assert Person.objects.get(email="boss@example.com").check_password(STRONG)


def test_createadmin_asks_for_the_password_when_run_by_a_person(db, monkeypatch):
    answers = iter(["different-password-1234", STRONG, STRONG, STRONG])  # a typo, then right
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    run("--email", "boss@example.com", "--name", "Ada Boss", stdin=Terminal())
    assert Person.objects.get(email="boss@example.com").check_password(STRONG)


@pytest.mark.parametrize(
    "args,stdin,message",
    [
        (["--email", "not-an-email", "--name", "Ada"], STRONG, "valid e-mail"),
        (["--email", "boss@example.com", "--name", ""], STRONG, "name"),
        (["--email", "boss@example.com", "--name", "Ada\x0bBoss"], STRONG, "control characters"),
        (["--email", "boss@example.com", "--name", "Ada"], "123", "too short"),
        (["--email", "boss@example.com", "--name", "Ada"], "", "password"),
    ],
)
def test_createadmin_refuses_bad_input_and_creates_nobody(db, args, stdin, message):
    with pytest.raises(CommandError, match=message):
        run(*args, "--password-from-stdin", stdin=stdin)
    assert not Person.objects.exists()


def test_createadmin_refuses_an_existing_address_and_changes_nothing(alice):
    with pytest.raises(CommandError, match="already"):
        run("--email", alice.email, "--name", "Alice", "--password-from-stdin", stdin=STRONG)
    alice.refresh_from_db()
    assert alice.role == "ambassador"
    assert not alice.check_password(STRONG)


def test_createsuperuser_also_makes_an_administrator(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command(
        "createsuperuser",
        "--noinput",
        "--email",
        "root@example.com",
        "--full_name",
        "Root Admin",
        stdout=io.StringIO(),
    )
    admin = Person.objects.get(email="root@example.com")
    assert admin.role == "admin" and admin.activated_at is not None
    assert admin.check_password(STRONG)
