"""Every user-visible string has its French translation."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/fr/LC_MESSAGES/django.po"))


def test_there_are_french_catalogues():
    assert len(CATALOGUES) >= 2


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_french_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    missing = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert missing == [] and fuzzy == []


def test_the_compiled_catalogues_are_up_to_date():
    for path in CATALOGUES:
        mo = path.with_suffix(".mo")
        assert mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime, f"run make install: {mo}"
