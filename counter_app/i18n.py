"""gettext `_()` and `N_()` shared by windows, messages and printed documents.

Catalogues are the Babel `.po` files under resources/translations; they are read directly,
so there is no compiled file to forget to rebuild.

The windows' language at start: the command line's, else this PC's "language" setting, else the branch's
`default_language` once the store is open (`adopt_branch_language`), else the system locale.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Iterable, Mapping

from babel.messages.pofile import read_po

from counter_app import paths

DOMAIN = "counter_app"
LANGUAGES = {"zh_CN": "简体中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"

_catalogs: dict[str, dict[str, str]] = {}
_current = DEFAULT_LANGUAGE
_follows_system = False  # the current language is the system locale's: nobody chose one


class _SystemChoice(str):
    """A language read from the PC's locale, so that `set_language` can tell it from one somebody chose."""


def _load(language: str) -> dict[str, str]:
    if language not in _catalogs:
        po = paths.translations_dir() / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        table: dict[str, str] = {}
        if po.exists():
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=language)
            for message in catalog:
                if message.id and message.string and not message.fuzzy:
                    table[str(message.id)] = str(message.string)
        _catalogs[language] = table
    return _catalogs[language]


def normalise(language: str | None) -> str:
    """Map a locale name (zh_CN.UTF-8, zh-Hans, en_GB …) onto a language we have."""
    if not language:
        return DEFAULT_LANGUAGE
    lang = language.replace("-", "_").split(".")[0]
    if lang.lower().startswith("zh"):
        return "zh_CN"
    if lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def system_language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(var) and os.environ[var] not in ("C", "C.UTF-8", "POSIX"):
            return _SystemChoice(normalise(os.environ[var]))
    try:
        return _SystemChoice(normalise(locale.getlocale()[0]))
    except ValueError:
        return _SystemChoice(DEFAULT_LANGUAGE)


def set_language(language: str) -> str:
    global _current, _follows_system
    _current = normalise(language)
    _follows_system = isinstance(language, _SystemChoice)
    _load(_current)
    return _current


def follows_system() -> bool:
    """Whether the language was taken from the system locale because nobody chose one (`system_language`)."""
    return _follows_system


def adopt_branch_language(language: str | None) -> str:
    """Take the branch's default language ("zh", "en"; None: the store could not tell) where the language only
    followed the system locale; a language chosen on the command line or in this PC's settings stays."""
    if language and _follows_system:
        set_language(language)
    return _current


def current_language() -> str:
    return _current


def gettext(message: str) -> str:
    return _load(_current).get(message, message)


def translate(message: str, language: str) -> str:
    """Translate into a given language, whatever the UI speaks (a ticket in the customer's language)."""
    return _load(normalise(language)).get(message, message)


def _(message: str) -> str:
    return gettext(message)


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; `_()` translates it where it is shown."""
    return message


def pick(names: Mapping[str, str], language: str | None = None) -> str:
    """Choose the zh or en variant of a name stored in the database."""
    lang = normalise(language or _current)
    key = "zh" if lang == "zh_CN" else "en"
    return names.get(key) or names.get("zh") or names.get("en") or ""


def join_list(items: Iterable[str], language: str | None = None) -> str:
    """Items of a list shown in one line or cell: "等候、全程" in Chinese, "wait, total" otherwise."""
    separator = "、" if normalise(language or _current) == "zh_CN" else ", "
    return separator.join(items)
