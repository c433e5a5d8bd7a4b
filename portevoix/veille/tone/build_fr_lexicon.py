"""Rebuild data/fr_pattern.tsv from Pattern's French lexicon (fr-sentiment.xml).

Source: Pattern 2.6 by Tom De Smedt and Walter Daelemans (CLiPS, University of Antwerp), the
same file textblob-fr 0.2.0 ships on PyPI; licence PDDL (public domain). Each form keeps the
mean polarity of its senses (-1..1), as Pattern itself does, and its intensity (adverbs such as
"très" strengthen the next word).

Usage: python -m portevoix.veille.tone.build_fr_lexicon path/to/fr-sentiment.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

TARGET = Path(__file__).parent / "data" / "fr_pattern.tsv"


def main(xml_path: str) -> None:
    polarities: dict[str, list[float]] = defaultdict(list)
    intensities: dict[str, float] = {}
    for word in ET.parse(xml_path).getroot().iter("word"):
        form = word.get("form", "").strip().lower()
        if not form:
            continue
        polarities[form].append(float(word.get("polarity", "0")))
        intensities[form] = max(intensities.get(form, 1.0), float(word.get("intensity", "1")))
    lines = [
        "# French sentiment lexicon derived from Pattern 2.6 fr-sentiment.xml (T. De Smedt,",
        "# W. Daelemans, CLiPS, University of Antwerp), licence PDDL. form<TAB>polarity<TAB>intensity",
    ]
    for form in sorted(polarities):
        mean = sum(polarities[form]) / len(polarities[form])
        lines.append(f"{form}\t{mean:.3f}\t{intensities[form]:.1f}")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(polarities)} forms written to {TARGET}")


if __name__ == "__main__":
    main(sys.argv[1])
