"""Settings read from environment variables (portevoix/env.py): the spellings each reader
accepts, and nonsense refused with the variable named, so that a typo stops the platform
instead of quietly choosing for it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portevoix.env import SettingError, envbool, envchoice, envint, envlist, envstr

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("value", ["true", "TRUE", "True", "1", "yes", "Yes", "on", " on "])
def test_envbool_reads_the_spellings_of_yes(value):
    assert envbool("SECURE_COOKIES", False, environ={"SECURE_COOKIES": value}) is True


@pytest.mark.parametrize("value", ["false", "FALSE", "0", "no", "No", "off", " off "])
def test_envbool_reads_the_spellings_of_no(value):
    assert envbool("SECURE_COOKIES", True, environ={"SECURE_COOKIES": value}) is False


@pytest.mark.parametrize("environ", [{}, {"SECURE_COOKIES": ""}, {"SECURE_COOKIES": "  "}])
def test_envbool_takes_its_default_when_the_variable_is_unset_or_empty(environ):
    assert envbool("SECURE_COOKIES", True, environ=environ) is True
    assert envbool("SECURE_COOKIES", False, environ=environ) is False


@pytest.mark.parametrize("value", ["ture", "flase", "2", "y", "enabled", "oui"])
def test_envbool_refuses_nonsense_naming_the_variable_and_the_accepted_words(value):
    with pytest.raises(SettingError) as refused:
        envbool("SECURE_COOKIES", False, environ={"SECURE_COOKIES": value})
    message = str(refused.value)
    assert message.startswith("SECURE_COOKIES must be true or false")
    assert repr(value) in message


@pytest.mark.parametrize(("value", "number"), [("14", 14), (" 7 ", 7), ("1", 1), ("+3", 3)])
def test_envint_reads_whole_numbers(value, number):
    assert envint("INVITATION_DAYS", 14, environ={"INVITATION_DAYS": value}) == number


@pytest.mark.parametrize("environ", [{}, {"INVITATION_DAYS": ""}])
def test_envint_takes_its_default_when_the_variable_is_unset_or_empty(environ):
    assert envint("INVITATION_DAYS", 14, environ=environ) == 14


@pytest.mark.parametrize("value", ["two", "1.5", "14 days", "0x10"])
def test_envint_refuses_what_is_not_a_whole_number_naming_the_variable(value):
    with pytest.raises(
        SettingError, match=f"^INVITATION_DAYS must be a whole number, not '{value}'$"
    ):
        envint("INVITATION_DAYS", 14, environ={"INVITATION_DAYS": value})


@pytest.mark.parametrize("value", ["0", "-3"])
def test_envint_refuses_numbers_below_one_naming_the_variable(value):
    with pytest.raises(SettingError, match="^INVITATION_DAYS must be at least 1, not -?[0-9]+$"):
        envint("INVITATION_DAYS", 14, environ={"INVITATION_DAYS": value})


def test_envint_accepts_zero_where_zero_means_off():
    environ = {"ANALYTICS_CACHE_SECONDS": "0"}
    assert envint("ANALYTICS_CACHE_SECONDS", 300, minimum=0, environ=environ) == 0
    with pytest.raises(SettingError, match="ANALYTICS_CACHE_SECONDS must be at least 0"):
        envint("ANALYTICS_CACHE_SECONDS", 300, minimum=0, environ={"ANALYTICS_CACHE_SECONDS": "-1"})


@pytest.mark.parametrize(
    ("value", "choice"), [("FULL", "FULL"), ("full", "FULL"), (" Normal ", "NORMAL")]
)
def test_envchoice_reads_a_choice_in_any_case(value, choice):
    environ = {"CLICK_INBOX_SYNCHRONOUS": value}
    assert (
        envchoice("CLICK_INBOX_SYNCHRONOUS", "NORMAL", ("NORMAL", "FULL"), environ=environ)
        == choice
    )


def test_envchoice_takes_its_default_when_the_variable_is_unset():
    assert (
        envchoice("CLICK_INBOX_SYNCHRONOUS", "NORMAL", ("NORMAL", "FULL"), environ={}) == "NORMAL"
    )


@pytest.mark.parametrize("value", ["FUL", "fsync", "1"])
def test_envchoice_refuses_other_values_naming_the_variable_and_the_choices(value):
    environ = {"CLICK_INBOX_SYNCHRONOUS": value}
    with pytest.raises(
        SettingError, match=f"^CLICK_INBOX_SYNCHRONOUS must be one of NORMAL, FULL, not '{value}'$"
    ):
        envchoice("CLICK_INBOX_SYNCHRONOUS", "NORMAL", ("NORMAL", "FULL"), environ=environ)


def test_envstr_reads_the_value_as_it_is_or_its_default():
    assert envstr("ORGANISATION_NAME", "Portevoix", environ={}) == "Portevoix"
    assert envstr("ORGANISATION_NAME", "Portevoix", environ={"ORGANISATION_NAME": "Acme"}) == "Acme"


@pytest.mark.parametrize("value", ["", " ", "\t"])
def test_envstr_takes_its_default_when_the_variable_is_blank(value):
    # As every other reader: a blank line in a deployment's file is no value.
    environ = {"CLICK_INBOX_DIR": value}
    assert envstr("CLICK_INBOX_DIR", "/var/lib/portevoix/inbox", environ=environ) == (
        "/var/lib/portevoix/inbox"
    )


def settings_value(tmp_path: Path, name: str, **variables: str) -> str:
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ |= {"PORTEVOIX_DATA_DIR": str(tmp_path), **variables}
    script = f"import portevoix.settings as s; print(repr(s.{name}))"
    found = subprocess.run(
        [sys.executable, "-c", script], env=environ, cwd=ROOT, capture_output=True, text=True
    )
    assert found.returncode == 0, found.stderr
    return found.stdout.strip()


def test_a_blank_content_security_policy_keeps_the_default_and_off_sends_none(tmp_path):
    assert "script-src 'self'" in settings_value(
        tmp_path, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY=""
    )
    assert settings_value(tmp_path, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY="off") == (
        "''"
    )


def test_secure_cookies_marks_the_language_cookie_too(tmp_path):
    assert settings_value(tmp_path, "LANGUAGE_COOKIE_SECURE", SECURE_COOKIES="true") == "True"
    assert settings_value(tmp_path, "LANGUAGE_COOKIE_SECURE", SECURE_COOKIES="false") == "False"


def test_envlist_splits_on_commas_and_drops_blanks():
    environ = {"ALLOWED_HOSTS": " a.example.com, ,b.example.com,"}
    assert envlist("ALLOWED_HOSTS", environ=environ) == ["a.example.com", "b.example.com"]
    assert envlist("ALLOWED_HOSTS", ["localhost"], environ={"ALLOWED_HOSTS": " "}) == ["localhost"]


def start_django(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    environ |= {
        "DJANGO_SETTINGS_MODULE": "portevoix.settings",
        "PORTEVOIX_DATA_DIR": str(tmp_path),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_settings_start_with_a_correct_spelling(tmp_path):
    started = start_django(tmp_path, SECURE_COOKIES="yes", INVITATION_DAYS="7")
    assert started.returncode == 0, started.stderr


def test_the_settings_refuse_to_start_with_a_misspelt_yes(tmp_path):
    started = start_django(tmp_path, SECURE_COOKIES="ture")
    assert started.returncode != 0
    assert "SettingError: SECURE_COOKIES must be true or false" in started.stderr
    assert "not 'ture'" in started.stderr


def test_the_settings_refuse_to_start_with_a_number_in_words(tmp_path):
    started = start_django(tmp_path, INVITATION_DAYS="two")
    assert started.returncode != 0
    assert "SettingError: INVITATION_DAYS must be a whole number, not 'two'" in started.stderr
