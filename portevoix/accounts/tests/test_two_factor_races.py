"""A code works once even when several requests bring it at the same moment: the step is
claimed with a conditional update, not read then written."""

import threading
import time

from django.db import connection

from portevoix.accounts.tests.two_factor_helpers import app_for
from portevoix.accounts.two_factor import CodeRefused, two_factor_check

ATTEMPTS = 8


def simultaneously(person, code: str) -> list[str]:
    start = threading.Barrier(ATTEMPTS)
    outcomes: list[str] = []

    def attempt() -> None:
        try:
            start.wait()
            two_factor_check(person=person, code=code)
            outcomes.append("accepted")
        except CodeRefused:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


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
