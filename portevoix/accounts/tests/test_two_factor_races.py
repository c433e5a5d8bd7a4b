"""A code works once even when several requests bring it at the same moment: the step is
claimed with a conditional update, not read then written."""

import time

from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.accounts.two_factor import CodeRefused, two_factor_check
from portevoix.core.testing import at_once

ATTEMPTS = 8


def simultaneously(person, code: str) -> list[str]:
    def attempt(_number: int) -> str:
        try:
            two_factor_check(person=person, code=code)
        except CodeRefused:
            return "refused"
        return "accepted"

    return at_once(attempt, ATTEMPTS)


def test_one_app_code_brought_eight_times_at_once_lets_in_once(transactional_db, charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice Martin", "ambassador")
    app, _codes = app_for(alice)
    outcomes = simultaneously(alice, app.at(time.time()))
    assert sorted(outcomes) == ["accepted"] + ["refused"] * (ATTEMPTS - 1)


def test_one_recovery_code_brought_eight_times_at_once_lets_in_once(transactional_db, charter):
    from conftest import make_person

    alice = make_person("alice@example.com", "Alice Martin", "ambassador")
    _app, codes = app_for(alice)
    outcomes = simultaneously(alice, codes[0])
    assert sorted(outcomes) == ["accepted"] + ["refused"] * (ATTEMPTS - 1)
