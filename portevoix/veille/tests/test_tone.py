"""Tone in French and English: accuracy on the labelled sample stays above its floor."""

from pathlib import Path

import pytest

from portevoix.veille.tone import tone_of
from portevoix.veille.tone.language import detect_language

SAMPLE = Path(__file__).parent / "tone_sample"
# Floors set from the measurement in docs/veille.md, a few points below it: the sample the
# supplement was written with (fr 0.985, en 0.970), the held-out one (fr 0.611, en 0.833).
FLOORS = {"fr": 0.93, "en": 0.93, "fr_heldout": 0.55, "en_heldout": 0.77}


def load(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (SAMPLE / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t")
            rows.append((label, text))
    return rows


def accuracy(name: str) -> float:
    rows = load(name)
    right = sum(tone_of(text, language=name[:2]).label == label for label, text in rows)
    return right / len(rows)


def test_the_sample_is_large_and_balanced():
    for language in ("fr", "en"):
        rows = load(language) + load(f"{language}_heldout")
        assert len(rows) >= 60
        labels = [label for label, _text in rows]
        assert min(labels.count(label) for label in ("negative", "neutral", "positive")) >= 30
        guessed = sum(detect_language(text) == language for _label, text in rows)
        assert guessed / len(rows) >= 0.97  # measured: 101/102 French, 102/102 English


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_stays_above_its_floor(name):
    assert accuracy(name) >= FLOORS[name]


@pytest.mark.parametrize(
    "text,label",
    [
        ("Le service client est excellent.", "positive"),
        ("Le service client n'est pas excellent.", "negative"),
        ("Le service client n'est pas du tout à la hauteur, c'est inadmissible.", "negative"),
        ("The customer service is excellent.", "positive"),
        ("The customer service is not excellent.", "negative"),
        ("Le groupe publiera ses résultats le 14 mars.", "neutral"),
        ("The group will publish its results on March 14.", "neutral"),
    ],
)
def test_negation_flips_the_tone(text, label):
    assert tone_of(text).label == label


def test_language_is_guessed_when_unknown():
    assert tone_of("Grève chez Voltéa : les salariés en colère").language == "fr"
    assert tone_of("Workers strike at Voltea").language == "en"
    assert tone_of("Workers strike", language="en-GB").language == "en"
