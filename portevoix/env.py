"""Typed readers for settings that come from environment variables.

A value that cannot be read stops the platform at start-up with a `SettingError` naming the
variable and what it accepts: a typo such as `SECURE_COOKIES=ture` must not quietly give
insecure cookies. An unset or empty variable takes its default."""

import os
from collections.abc import Mapping, Sequence

TRUE_WORDS = ("true", "1", "yes", "on")
FALSE_WORDS = ("false", "0", "no", "off")


class SettingError(ValueError):
    """An environment variable whose value makes no sense; the message names it."""


def envstr(name: str, default: str = "", *, environ: Mapping[str, str] = os.environ) -> str:
    """The value as it is; blank as unset, as for every other reader: `CLICK_INBOX_DIR=`
    left in a deployment's file must not put the click inbox in the current directory."""
    value = environ.get(name, "")
    return value if value.strip() else default


def envbool(name: str, default: bool = False, *, environ: Mapping[str, str] = os.environ) -> bool:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    word = raw.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise SettingError(
        f"{name} must be true or false (also 1 or 0, yes or no, on or off), not {raw!r}"
    )


def envint(
    name: str, default: int, *, minimum: int = 1, environ: Mapping[str, str] = os.environ
) -> int:
    """A whole number of at least `minimum`: every count, size and delay we read is positive,
    and the few where 0 means "none" or "off" say `minimum=0`."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise SettingError(f"{name} must be at least {minimum}, not {value}")
    return value


def envchoice(
    name: str, default: str, choices: Sequence[str], *, environ: Mapping[str, str] = os.environ
) -> str:
    """One of `choices`, in any case, given back as `choices` spells it."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    for choice in choices:
        if raw.upper() == choice.upper():
            return choice
    raise SettingError(f"{name} must be one of {', '.join(choices)}, not {raw!r}")


def envlist(
    name: str, default: list[str] | None = None, *, environ: Mapping[str, str] = os.environ
) -> list[str]:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]
