"""Two-factor log-in: an authenticator app (TOTP, RFC 6238) and single-use recovery codes.

The secret is sealed (core/secrets.py), recovery codes are kept as digests and shown once.
Codes are checked with one step of tolerance either way (a phone's clock a little off), and a
code is accepted once only: the step it belongs to is remembered, with a conditional update so
that two simultaneous requests with the same code cannot both pass.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portevoix.accounts.models import Person, RecoveryCode, TwoFactor
from portevoix.core.secrets import secret_seal, secret_unseal, token_digest

SEAL_PURPOSE = "accounts.two-factor"
RECOVERY_CODE_COUNT = 10
# 12 characters of an alphabet without look-alikes (no 0/o, 1/l/i): about 59 bits each.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12
VALID_WINDOW = 1


class CodeRefused(Exception):
    """The code does not let the person in; the message says why, in their words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CodeAccepted:
    """A code that let the person in. `recovery_codes_left` is set when it was a recovery code."""

    recovery_codes_left: int | None = None


def two_factor_for(person: Person) -> TwoFactor | None:
    """The person's confirmed authenticator, or None."""
    return TwoFactor.objects.filter(person=person, confirmed_at__isnull=False).first()


def two_factor_enabled(person: Person) -> bool:
    return TwoFactor.objects.filter(person=person, confirmed_at__isnull=False).exists()


def _totp(two_factor: TwoFactor) -> pyotp.TOTP:
    return pyotp.TOTP(secret_unseal(two_factor.secret_sealed, purpose=SEAL_PURPOSE))


def two_factor_setup_begin(*, person: Person) -> TwoFactor:
    """The authenticator being set up: the same one until it is confirmed, so that reloading
    the page after scanning its QR code does not change the secret."""
    two_factor, _created = TwoFactor.objects.get_or_create(
        person=person,
        defaults={"secret_sealed": secret_seal(pyotp.random_base32(), purpose=SEAL_PURPOSE)},
    )
    return two_factor


def two_factor_secret(two_factor: TwoFactor) -> str:
    """The secret, for the person to type into their app when they cannot scan."""
    return secret_unseal(two_factor.secret_sealed, purpose=SEAL_PURPOSE)


def two_factor_qr_svg(*, two_factor: TwoFactor, title: str) -> str:
    """The otpauth:// address as a QR code, drawn on the server as inline SVG."""
    uri = _totp(two_factor).provisioning_uri(
        name=two_factor.person.email, issuer_name=settings.ORGANISATION_NAME
    )
    return segno.make(uri, error="m").svg_inline(scale=5, title=title, svgclass="qr-code")


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _step_take(*, two_factor: TwoFactor, code: str) -> None:
    """Accept the TOTP `code` once, or raise CodeRefused."""
    try:
        step = _totp(two_factor).verify_and_get_timecode(code, valid_window=VALID_WINDOW)
    except pyotp.exceptions.OTPVerificationError:
        raise CodeRefused(
            _("This code is not right. Check that your phone's clock is on time and try again.")
        ) from None
    taken = TwoFactor.objects.filter(pk=two_factor.pk, last_step__lt=step).update(last_step=step)
    if not taken:
        raise CodeRefused(_("This code has already been used: wait for the next one."))
    two_factor.last_step = step


def two_factor_confirm(*, person: Person, code: str) -> list[str]:
    """The app gives the right codes: two-factor log-in is on. Returns the recovery codes,
    which are shown once and never again."""
    with transaction.atomic():
        two_factor = TwoFactor.objects.select_for_update().filter(person=person).first()
        if two_factor is None or two_factor.confirmed_at is not None:
            raise CodeRefused(_("Start the set-up again: this page is out of date."))
        _step_take(two_factor=two_factor, code=_normalise(code))
        two_factor.confirmed_at = timezone.now()
        two_factor.save(update_fields=["confirmed_at"])
        return recovery_codes_renew(person=person)


def _recovery_digest(person: Person, code: str) -> str:
    # Bound to the person: the same code for two people would not give the same digest.
    return token_digest(f"{person.pk}:{_normalise(code)}")


def _recovery_code_new() -> str:
    plain = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(plain[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def recovery_codes_renew(*, person: Person) -> list[str]:
    """New recovery codes; the previous ones stop working."""
    codes = [_recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(person=person).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(person=person, digest=_recovery_digest(person, code)) for code in codes
        )
    return codes


def recovery_codes_left(person: Person) -> int:
    return RecoveryCode.objects.filter(person=person, used_at__isnull=True).count()


def _recovery_code_take(*, person: Person, code: str) -> CodeAccepted:
    digest = _recovery_digest(person, code)
    taken = RecoveryCode.objects.filter(person=person, digest=digest, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if taken:
        return CodeAccepted(recovery_codes_left=recovery_codes_left(person))
    if RecoveryCode.objects.filter(person=person, digest=digest).exists():
        raise CodeRefused(_("This recovery code has already been used: each one works once."))
    raise CodeRefused(
        _("This is neither the code your app shows now nor one of your recovery codes.")
    )


def two_factor_check(*, person: Person, code: str) -> CodeAccepted:
    """The second step of the log-in: a code from the app, or an unused recovery code."""
    two_factor = two_factor_for(person)
    if two_factor is None:
        raise CodeRefused(_("Two-factor log-in is not on for this account."))
    normalised = _normalise(code)
    if normalised.isdigit():
        _step_take(two_factor=two_factor, code=normalised)
        return CodeAccepted()
    return _recovery_code_take(person=person, code=normalised)


def two_factor_disable(*, person: Person) -> None:
    """Turn two-factor log-in off: the secret and the recovery codes are deleted."""
    with transaction.atomic():
        TwoFactor.objects.filter(person=person).delete()
        RecoveryCode.objects.filter(person=person).delete()


def two_factor_export(person: Person) -> dict[str, object]:
    """For "My data": whether it is on and since when — never the secret nor the codes."""
    two_factor = two_factor_for(person)
    return {
        "enabled": two_factor is not None,
        "since": two_factor.confirmed_at.isoformat()
        if two_factor and two_factor.confirmed_at
        else None,
        "recovery_codes_left": recovery_codes_left(person) if two_factor else 0,
    }
