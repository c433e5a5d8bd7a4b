"""Watch terms: whole words, capitals and accents ignored, an ending * for longer words."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portevoix.veille.text import fold

_SEPARATORS = re.compile(r"[\n,;]+")


def terms_split(text: str) -> list[str]:
    """The terms of a watch field: one per line (commas and semicolons also separate)."""
    return [term.strip() for term in _SEPARATORS.split(text or "") if term.strip()]


def term_pattern(term: str) -> str:
    """A regular expression over folded text; '' for a term with no letter or digit."""
    prefix = term.rstrip().endswith("*")
    words = fold(term.rstrip("* "))
    if not words:
        return ""
    # Folded text is lower-case letters and digits separated by single spaces, so a phrase is
    # its words with single spaces, and a word boundary is "no letter or digit next to it".
    return r"(?<![0-9a-z])" + re.escape(words) + (r"[0-9a-z]*" if prefix else r"(?![0-9a-z])")


@dataclass(frozen=True)
class Matcher:
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None

    def matches(self, folded_text: str) -> bool:
        if self.include is None or not self.include.search(folded_text):
            return False
        return self.exclude is None or not self.exclude.search(folded_text)


def _union(terms: list[str]) -> re.Pattern[str] | None:
    patterns = [p for p in (term_pattern(t) for t in terms) if p]
    return re.compile("|".join(patterns)) if patterns else None


def matcher_for(*, terms: str, exclude_terms: str = "") -> Matcher:
    return Matcher(_union(terms_split(terms)), _union(terms_split(exclude_terms)))
