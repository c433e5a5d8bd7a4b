"""Fill a French catalogue from a dict of translations (a Python literal: {msgid: msgstr},
or {msgid: (singular, plural)} for plural entries).

Usage: .venv/bin/python scripts/po_fill.py portevoix/APP/locale/fr/LC_MESSAGES/django.po FILE
Prints the msgids still untranslated, then compile with `manage.py compile_catalogs`.
"""

import ast
import sys

import polib


def main(po_path: str, translations_path: str) -> None:
    po = polib.pofile(po_path)
    with open(translations_path, encoding="utf-8") as handle:
        translations = ast.literal_eval(handle.read())
    for entry in po:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.translated():
            print("MISSING:", repr(entry.msgid))
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Language"] = "fr"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n > 1);"
    po.save()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
