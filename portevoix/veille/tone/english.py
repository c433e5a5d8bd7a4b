"""English: VADER with our company-news supplement merged into its lexicon."""

from __future__ import annotations

import re
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from portevoix.veille.tone.lexicon import company_terms


@cache
def _analyzer(
    supplement: bool = True,
) -> tuple[SentimentIntensityAnalyzer, list[tuple[re.Pattern[str], str]]]:
    analyzer = SentimentIntensityAnalyzer()
    phrases = []
    for term, value in company_terms("en", supplement).items():
        # VADER looks words up one at a time: a several-word term becomes one token first.
        token = term.replace(" ", "_").replace("-", "_")
        analyzer.lexicon[token] = value
        if token != term:
            words = re.split(r"[\s-]+", term)
            pattern = re.compile(r"\b" + r"[\s-]+".join(map(re.escape, words)) + r"\b", re.I)
            phrases.append((pattern, token))
    return analyzer, phrases


def compound(text: str, *, supplement: bool = True) -> float:
    analyzer, phrases = _analyzer(supplement)
    for pattern, token in phrases:
        text = pattern.sub(token, text)
    return analyzer.polarity_scores(text)["compound"]
