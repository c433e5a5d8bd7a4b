"""Tone of a text — negative, neutral or positive — in French and in English.

Lexicon and rules, nothing downloaded at run time (docs/veille.md, "Tone"):
- English: VADER (Hutto & Gilbert 2014, the vaderSentiment package, MIT), its own lexicon and
  rules, plus data/en_company.tsv, our terms of company news VADER lacks (layoffs, recall…).
- French: the same rules (french.py) over Pattern's French lexicon (data/fr_pattern.tsv, PDDL)
  plus data/fr_company.tsv, the same kind of company-news terms in French.
A text whose score reaches THRESHOLD is positive, -THRESHOLD negative, neutral in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from portevoix.veille.tone.language import detect_language

NEGATIVE, NEUTRAL, POSITIVE = "negative", "neutral", "positive"
THRESHOLD = 0.25


@dataclass(frozen=True)
class ToneResult:
    label: str
    score: float  # -1 (very negative) … 1 (very positive)
    language: str


def label_for(score: float) -> str:
    if score >= THRESHOLD:
        return POSITIVE
    if score <= -THRESHOLD:
        return NEGATIVE
    return NEUTRAL


def tone_of(text: str, *, language: str = "", supplement: bool = True) -> ToneResult:
    """Score a text; `language` ('fr', 'en', 'fr-FR'…) when known, else it is guessed.
    `supplement=False` leaves out our company-news terms (for comparison only)."""
    language = (language or "").lower()[:2]
    if language not in ("fr", "en"):
        language = detect_language(text)
    if language == "fr":
        from portevoix.veille.tone.french import compound
    else:
        from portevoix.veille.tone.english import compound
    score = compound(text, supplement=supplement)
    return ToneResult(label_for(score), round(score, 4), language)
