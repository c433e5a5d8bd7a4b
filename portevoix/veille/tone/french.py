"""French: VADER's rules (Hutto & Gilbert 2014) over a French lexicon.

Words are looked up in our company-news supplement first (several-word terms included), then
in Pattern's French lexicon (polarity -1…1, scaled to VADER's -4…4). Like VADER: a negation
in the three words before flips and softens a word ("pas satisfait"), and so does "ne … pas"
around it ("ne fonctionne pas"); an intensifier strengthens the next word ("très déçu"), a
softener weakens it; after "mais" words weigh more, before it less; exclamation marks add
emphasis; the sum is normalised to -1…1 with VADER's formula.
"""

from __future__ import annotations

import math
import re
from functools import cache

from portevoix.veille.tone.lexicon import company_terms, read_tsv

PATTERN_SCALE = 4.0
NEGATION_SCALAR = -0.74  # VADER's N_SCALAR
BOOST = 0.293  # VADER's B_INCR
NEGATORS = {"pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "plus", "guère", "nullement"}
BOOSTERS = {
    "très",
    "trop",
    "vraiment",
    "extrêmement",
    "tellement",
    "totalement",
    "complètement",
    "absolument",
    "particulièrement",
    "hyper",
    "super",
    "si",
    "vivement",
    "profondément",
}
DAMPENERS = {"peu", "légèrement", "plutôt", "assez", "moyennement", "quelque"}
_TOKEN = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœæ0-9]+(?:-[a-zàâäçéèêëîïôöûùüÿœæ]+)*|[!?,;:.]")
CLAUSE_ENDS = {",", ";", ":", ".", "?", "!"}


@cache
def _lexicons(supplement: bool = True) -> tuple[dict[str, float], dict[str, float], int]:
    words: dict[str, float] = {}
    for form, polarity, *_rest in read_tsv("fr_pattern.tsv"):
        # Several-word forms of Pattern are rare idioms: single words are enough here.
        if " " not in form and form not in BOOSTERS and form not in DAMPENERS:
            words[form] = float(polarity) * PATTERN_SCALE
    terms = {" ".join(tokenize(k)): v for k, v in company_terms("fr", supplement).items()}
    words.update({k: v for k, v in terms.items() if " " not in k})
    phrases = {k: v for k, v in terms.items() if " " in k}
    longest = max((len(k.split()) for k in phrases), default=1)
    return words, phrases, longest


def tokenize(text: str) -> list[str]:
    text = text.lower().replace("’", "'")
    # Elisions: "n'est" -> "ne est", "l'usine" -> "usine" (the article weighs nothing).
    text = re.sub(r"\bn'", "ne ", text)
    text = re.sub(r"\b(?:l|d|j|qu|s|c|m|t|jusqu|lorsqu|puisqu)'", " ", text)
    return _TOKEN.findall(text)


def _value(word: str, words: dict[str, float]) -> float:
    if word in words:
        return words[word]
    # Plural and feminine forms the lexicon lacks: "grèves" -> "grève", "ravie" -> "ravi".
    for suffix in ("s", "x", "e", "es"):
        if word.endswith(suffix) and len(word) - len(suffix) > 3 and word[: -len(suffix)] in words:
            return words[word[: -len(suffix)]]
    return 0.0


def _clause(tokens: list[str]) -> list[str]:
    """The tokens up to the first punctuation: a negation does not reach past a comma."""
    for position, token in enumerate(tokens):
        if token in CLAUSE_ENDS:
            return tokens[:position]
    return tokens


def _negated(tokens: list[str], index: int) -> bool:
    before = _clause(tokens[max(0, index - 3) : index][::-1])
    if any(t in NEGATORS for t in before):
        return True
    # "ne fonctionne pas": the second half of the negation comes after the verb.
    return "ne" in _clause(tokens[max(0, index - 2) : index][::-1]) and any(
        t in NEGATORS for t in _clause(tokens[index + 1 : index + 3])
    )


def compound(text: str, *, supplement: bool = True) -> float:
    words, phrases, longest = _lexicons(supplement)
    tokens = tokenize(text)
    sentiments: list[float] = []
    index = 0
    while index < len(tokens):
        value, width = 0.0, 1
        for size in range(min(longest, len(tokens) - index), 1, -1):
            phrase = " ".join(tokens[index : index + size])
            if phrase in phrases:
                value, width = phrases[phrase], size
                break
        else:
            token = tokens[index]
            if token not in NEGATORS and token not in BOOSTERS and token not in DAMPENERS:
                value = _value(token, words)
        if value:
            previous = _clause(tokens[max(0, index - 2) : index][::-1])
            if any(t in BOOSTERS for t in previous):
                value += math.copysign(BOOST, value)
            elif any(t in DAMPENERS for t in previous):
                value -= math.copysign(BOOST, value)
            if _negated(tokens, index):
                value *= NEGATION_SCALAR
        sentiments.extend([value] + [0.0] * (width - 1))
        index += width
    if "mais" in tokens:
        pivot = tokens.index("mais")
        sentiments = [v * 0.5 for v in sentiments[:pivot]] + [v * 1.5 for v in sentiments[pivot:]]
    total = sum(sentiments)
    if total:
        total += math.copysign(min(tokens.count("!"), 4) * 0.292, total)
    return total / math.sqrt(total * total + 15) if total else 0.0
