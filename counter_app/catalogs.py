"""The message catalogues: extracting `_()`/`N_()` strings from the source and keeping the .po files in step.

    python -m counter_app.catalogs          # add new messages to every catalogue, report untranslated
    python -m counter_app.catalogs --check  # exit 1 if any message lacks a translation
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from counter_app import paths
from counter_app.i18n import DOMAIN, LANGUAGES

KEYWORDS = {"_": None, "N_": None, "translate": (1,)}
# A str.format field with any conversion or format spec ({n}, {amount:.2f}, {name!r}); "{{" is a literal brace.
PLACEHOLDER = re.compile(r"(?<!\{)\{\w+(?:[.!:\[][^{}]*)?\}")


def extract() -> Catalog:
    """Every translatable string in the package, with where it is used."""
    catalog = Catalog(project="counter_app", domain=DOMAIN)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(paths.PACKAGE_DIR), method_map=[("**.py", "python")], keywords=KEYWORDS,
    ):
        if isinstance(message, str) and message:
            catalog.add(message, locations=[(f"counter_app/{filename}", lineno)])
    return catalog


def po_path(language: str) -> Path:
    return paths.translations_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=language)
    return Catalog(locale=language, project="counter_app", domain=DOMAIN)


def update() -> dict[str, list[str]]:
    """Merge the source's messages into each catalogue; returns the untranslated ids per language."""
    template = extract()
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        catalog = load(language)
        catalog.update(template, no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            if language == "en" and not message.string:
                message.string = message.id  # the msgids are English
            message.flags.discard("fuzzy")
        catalog.obsolete.clear()
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, sort_output=True, include_previous=False)
        missing[language] = [str(m.id) for m in catalog if m.id and not m.string]
    return missing


def problems(language: str) -> list[str]:
    """Messages of the source that the catalogue lacks, leaves empty, or translates with other placeholders."""
    catalog = load(language)
    found = []
    for message in extract():
        if not message.id:
            continue  # the header, not a message
        entry = catalog.get(message.id)
        if entry is None or not entry.string:
            found.append(f"untranslated: {message.id!r}")
        elif sorted(PLACEHOLDER.findall(str(message.id))) != sorted(PLACEHOLDER.findall(str(entry.string))):
            found.append(f"placeholders differ: {message.id!r} -> {entry.string!r}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        bad = {lang: problems(lang) for lang in LANGUAGES}
        for lang, items in bad.items():
            for item in items:
                print(f"{lang}: {item}")
        return 1 if any(bad.values()) else 0
    for language, ids in update().items():
        print(f"{language}: {len(ids)} untranslated")
        for message_id in ids:
            print(f"  {message_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
