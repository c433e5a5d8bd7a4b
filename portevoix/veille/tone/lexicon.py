"""Reading the lexicon files in data/: `term<TAB>value[<TAB>…]`, '#' starts a comment line."""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


def read_tsv(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append(line.split("\t"))
    return rows


@cache
def company_terms(language: str, enabled: bool = True) -> dict[str, float]:
    """Our supplement for company news, on VADER's scale (-4…4); keys may be several words.
    `enabled=False` gives none: the bench measures the stock lexicons beside ours."""
    if not enabled:
        return {}
    return {row[0].strip().lower(): float(row[1]) for row in read_tsv(f"{language}_company.tsv")}
