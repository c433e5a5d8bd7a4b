"""`make bench ONLY=veille`: tone accuracy on the labelled sample (ours beside the stock
lexicons), language guessing, and the speed of tone scoring, watch matching and feed parsing.
No database, no network."""

from __future__ import annotations

import time
from pathlib import Path

SAMPLE = Path(__file__).parents[1] / "tests" / "tone_sample"


def _rows(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (SAMPLE / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t")
            rows.append((label, text))
    return rows


def _accuracy(rows: list[tuple[str, str]], language: str, *, supplement: bool = True) -> float:
    from portevoix.veille.tone import tone_of

    right = sum(
        tone_of(text, language=language, supplement=supplement).label == label
        for label, text in rows
    )
    return right / len(rows)


def _rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def run() -> dict[str, float]:
    import django

    django.setup()
    from portevoix.veille.feeds import feed_parse
    from portevoix.veille.matching import matcher_for
    from portevoix.veille.text import fold
    from portevoix.veille.tone import tone_of
    from portevoix.veille.tone.language import detect_language

    figures: dict[str, float] = {}
    for language in ("fr", "en"):
        tuned, held = _rows(language), _rows(f"{language}_heldout")
        everything = tuned + held
        figures[f"veille.tone_accuracy.{language}"] = _accuracy(everything, language)
        figures[f"veille.tone_accuracy.{language}.tuning_sample"] = _accuracy(tuned, language)
        figures[f"veille.tone_accuracy.{language}.heldout_sample"] = _accuracy(held, language)
        figures[f"veille.tone_accuracy.{language}.stock_lexicon"] = _accuracy(
            everything, language, supplement=False
        )
        figures[f"veille.tone_accuracy.{language}.stock_lexicon.heldout_sample"] = _accuracy(
            held, language, supplement=False
        )
        figures[f"veille.sample_size.{language}"] = len(everything)
        figures[f"veille.language_guess_accuracy.{language}"] = sum(
            detect_language(text) == language for _label, text in everything
        ) / len(everything)

    texts = [text for name in ("fr", "en") for _label, text in _rows(name)] * 20
    started = time.perf_counter()
    for text in texts:
        tone_of(text)
    figures["veille.tone_texts_per_s"] = _rate(len(texts), time.perf_counter() - started)

    folded = [fold(text) for text in texts]
    matcher = matcher_for(
        terms="Lumière Énergies\nVoltéa\nÉnergéo\nHelios Power\nSolévia\nThermiQ*",
        exclude_terms="Québec",
    )
    started = time.perf_counter()
    hits = sum(matcher.matches(text) for text in folded)
    figures["veille.watch_matches_per_s"] = _rate(len(folded), time.perf_counter() - started)
    figures["veille.watch_hits_in_sample"] = float(hits)

    entries = "".join(
        f"<item><title>Article {n}</title><link>https://t.example/{n}</link><guid>{n}</guid>"
        f"<pubDate>Tue, 10 Nov 2026 09:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;Résumé {n} avec &lt;b&gt;gras&lt;/b&gt;.&lt;/p&gt;</description></item>"
        for n in range(200)
    )
    body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>B</title>{entries}</channel></rss>'.encode()
    started = time.perf_counter()
    for _ in range(5):
        feed_parse(body, url="https://t.example/feed")
    figures["veille.feed_items_parsed_per_s"] = _rate(5 * 200, time.perf_counter() - started)
    return figures
