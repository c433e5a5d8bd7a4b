"""French or English? Counting the commonest short words is enough for a headline or a post."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœ]+")
FRENCH = set(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "et",
        "est",
        "sont",
        "au",
        "aux",
        "ce",
        "cette",
        "ces",
        "pour",
        "dans",
        "avec",
        "sur",
        "par",
        "pas",
        "ne",
        "qui",
        "que",
        "nous",
        "vous",
        "il",
        "elle",
        "ils",
        "leur",
        "leurs",
        "son",
        "sa",
        "ses",
        "plus",
        "mais",
        "ou",
        "très",
        "été",
        "être",
        "a",
        "été",
        "notre",
        "nos",
        "votre",
        "vos",
        "chez",
        "après",
        "depuis",
        "sans",
        "entre",
    ]
)
ENGLISH = set(
    [
        "the",
        "a",
        "an",
        "and",
        "is",
        "are",
        "was",
        "were",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "by",
        "not",
        "no",
        "it",
        "its",
        "this",
        "that",
        "these",
        "our",
        "we",
        "you",
        "they",
        "their",
        "his",
        "her",
        "has",
        "have",
        "had",
        "will",
        "be",
        "been",
        "from",
        "at",
        "after",
        "over",
        "as",
        "but",
        "very",
    ]
)


def detect_language(text: str) -> str:
    words = _WORD.findall(text.lower())
    french = sum(w in FRENCH for w in words)
    english = sum(w in ENGLISH for w in words)
    if french == english:
        # Accented letters settle a tie (short headlines): English rarely has them.
        return "fr" if re.search(r"[àâçéèêëîïôûùœ]", text.lower()) else "en"
    return "fr" if french > english else "en"
