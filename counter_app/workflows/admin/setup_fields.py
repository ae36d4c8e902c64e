"""The rules for one field of a setup file at a time, and the checker that gathers every problem as it reads
(setup_file.check_setup): times, the logo, the clerk's sentence, the form's terms, the order of a service's
marks. Each problem is said in the reader's language, with where it is."""

from __future__ import annotations

import base64
import datetime as dt
import re
import string
from dataclasses import dataclass, field
from typing import Any

from counter_app.errors import AppError
from counter_app.i18n import N_, _, translate
from counter_app.workflows.core import bounds

ROUND_THE_CLOCK = ("00:00", "24:00")
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
LANGUAGES = ("zh", "en")
ANNOUNCED = ("zh,en", "en,zh", "zh", "en", "")  # "": the display only chimes
SERVICE_TEXTS = ("script_zh", "script_en", "terms_zh", "terms_en")
SCRIPT_CHARS = 300
TERMS_LINES, TERM_CHARS = 12, 300
LOGO_BYTES = 200_000  # a PNG logo, before base64


def _in(msgid: str, language: str | None) -> str:
    return translate(msgid, language) if language else _(msgid)


@dataclass
class _Checker:
    language: str | None
    problems: list[str] = field(default_factory=list)

    def say(self, msgid: str, **values: Any) -> None:
        self.problems.append(_in(msgid, self.language).format(**values))

    def entries(self, setup: dict, key: str) -> list[dict]:
        value = setup.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.say(N_("\"{key}\" must be a list of entries."), key=key)
            return []
        return value

    def once(self, key: Any, seen: set, *, valid: bool, invalid: tuple, twice: tuple) -> bool:
        """A key that must be well formed and given once (a code, a number, a day): False, said why, if not.
        `invalid` and `twice` are (msgid, params)."""
        if not valid:
            self.say(invalid[0], **invalid[1])
            return False
        if key in seen:
            self.say(twice[0], **twice[1])
            return False
        seen.add(key)
        return True

    def text(self, entry: dict, key: str, where: str, limit: int) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            self.say(N_("{where}: \"{key}\" is missing."), where=where, key=key)
            return ""
        try:
            return bounds.text(value, field=key, limit=limit, required=True)
        except AppError as exc:
            self.problems.append(f"{where}: {exc.text()}")
            return ""

    def optional_text(self, entry: dict, key: str, where: str, limit: int) -> str:
        value = entry.get(key, "")
        if value in ("", None):
            return ""
        if not isinstance(value, str):
            self.say(N_("{where}: \"{key}\" must be a text."), where=where, key=key)
            return ""
        try:
            return bounds.text(value, field=key, limit=limit)
        except AppError as exc:
            self.problems.append(f"{where}: {exc.text()}")
            return ""

    def choice(self, entry: dict, key: str, where: str, allowed: tuple[str, ...], default: str) -> str:
        value = entry.get(key, default)
        if value not in allowed:
            self.say(N_("{where}: \"{key}\" must be one of {allowed}."), where=where, key=key,
                     allowed=", ".join(f'"{a}"' for a in allowed))
            return default
        return value

    def number(self, entry: dict, table: str, name: str, where: str, default: Any) -> Any:
        value = entry.get(name, default)
        try:
            return bounds.setting(table, name, value, field=name)
        except AppError as exc:
            self.problems.append(f"{where}: {exc.text()}")
            return default


def _time(checker: _Checker, value: Any, where: str, *, closing: bool = False) -> dt.time | None:
    if closing and value == ROUND_THE_CLOCK[1]:
        return dt.time(0, 0)
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        checker.say(N_("{where}: \"{value}\" is not a time (HH:MM)."), where=where, value=value)
        return None
    return dt.time(int(match[1]), int(match[2]))


def _logo(checker: _Checker, value: Any) -> str:
    """A PNG in base64, small enough for every document; "" for none."""
    if value in ("", None):
        return ""
    try:
        data = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except ValueError:
        data = b""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > LOGO_BYTES:
        checker.say(N_("branch: the logo must be a PNG picture of at most {kb} KB."), kb=LOGO_BYTES // 1000)
        return ""
    return value


def _script(checker: _Checker, value: str, where: str, key: str) -> str:
    """A suggested sentence may say {minutes} (what is left of the service) and nothing else in braces."""
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(value)
                  if name is not None]
    except ValueError:
        fields = [("?", "", None)]
    if any(name != "minutes" or spec or conversion for name, spec, conversion in fields):
        checker.say(N_("{where}: \"{key}\" may only say {{minutes}} in braces."), where=where, key=key)
        return ""
    return value


def _terms(checker: _Checker, value: Any, where: str, key: str) -> str:
    """The acceptance form's terms, one per line: at most TERMS_LINES lines of TERM_CHARS characters."""
    if value in ("", None):
        return ""
    lines = [line.strip() for line in value.splitlines() if line.strip()] if isinstance(value, str) else None
    if lines is None or len(lines) > TERMS_LINES or any(len(line) > TERM_CHARS for line in lines):
        checker.say(N_("{where}: \"{key}\" is at most {lines} lines of {chars} characters."), where=where, key=key,
                    lines=TERMS_LINES, chars=TERM_CHARS)
        return ""
    return "\n".join(lines)


def _marks(checker: _Checker, service: dict, idle_alert_minutes: int, where: str) -> None:
    """Each warning mark comes before its breach mark."""
    for warning, target, what in (("wait_warning_min", "target_wait_min", N_("wait")),
                                  ("service_warning_min", "target_service_min", N_("service"))):
        if service[warning] and service[warning] >= service[target]:
            checker.say(N_("{where}: the {what} warning mark ({warning} min) must come before its target "
                           "({target} min)."), where=where, what=_in(what, checker.language),
                        warning=service[warning], target=service[target])
    idle_warning = service["idle_warning_min"] or idle_alert_minutes
    if service["idle_breach_min"] and service["idle_breach_min"] <= idle_warning:
        checker.say(N_("{where}: the idle breach mark ({breach} min) must come after the idle warning mark "
                       "({warning} min)."), where=where, breach=service["idle_breach_min"], warning=idle_warning)
    if service["queue_warning_len"] and service["queue_breach_len"] \
            and service["queue_breach_len"] <= service["queue_warning_len"]:
        checker.say(N_("{where}: the queue breach mark ({breach} waiting) must be above the queue warning mark "
                       "({warning} waiting)."), where=where, breach=service["queue_breach_len"],
                    warning=service["queue_warning_len"])
