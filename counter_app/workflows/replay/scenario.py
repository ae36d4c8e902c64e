"""Reading a replay scenario: the JSON script, checked in full before anything runs (docs/scenarios.md).

The words themselves (verbs and their fields) are listed in workflows.scenario_vocabulary. Every
refusal names the line of the file where the offending event (or top-level key) starts, so the
author can go straight to it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.workflows.admin import setup_file
from counter_app.workflows.replay.fields import (  # noqa: F401 (ScenarioError is named from here too)
    _DATE,
    _TIME,
    _WS,
    ScenarioError,
    _date,
    _fields,
    _shown,
    _value,
)
from counter_app.workflows.replay.vocabulary import (
    ALERT_TARGET,
    ALERT_TARGETS,
    BRANCH_FIELDS,
    COMMON_FIELDS,
    ONE_OF,
    TICKET_NUMBER,
    TOP_LEVEL,
    VERBS,
)


@dataclass(frozen=True)
class Branch:
    """The demo hall's hours and rules for the replayed day (defaults: the demo hall's own)."""

    opens: dt.time = dt.time(7, 0)
    closes: dt.time = dt.time(22, 0)
    pre_open_minutes: int = 15
    recalls_before_no_show: int = 1


@dataclass(frozen=True)
class Step:
    """One event of the script: at a moment, do a verb with its fields."""

    line: int
    at: dt.datetime
    verb: str
    fields: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    # The event is expected to be refused, with a message containing this text ("" : any refusal).
    refused: str | None = None


@dataclass(frozen=True)
class Scenario:
    title: str
    day: dt.date
    start: dt.datetime
    branch: Branch
    steps: list[Step]
    setup: dict[str, Any] | None = None  # the hall, from a setup file (admin/setup_file.py); else the demo hall
    branch_given: bool = False  # "branch" was written: its hours and rules apply over the setup's

    @property
    def several_days(self) -> bool:
        """Whether an event happens after the scenario's "date" (an event's "day"): the summary dates each one."""
        return any(step.at.date() != self.day for step in self.steps)


# -- positions in the file ------------------------------------------------------------------------

class _Lines:
    """Line numbers of offsets met in increasing order, counting each stretch of the text once: asking for
    every event's line from the start again made reading grow with the square of the file's size."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset < self.offset:  # never in a forward walk; counted afresh rather than wrongly
            return self.text.count("\n", 0, offset) + 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _positions(text: str) -> tuple[dict[str, int], list[int]]:
    """Lines of the top-level keys and of each element of the "events" array.

    Walks the already-validated document with raw_decode, so each value is skipped whole and
    only the offsets we need are kept.
    """
    decoder = json.JSONDecoder()
    lines = _Lines(text)
    keys: dict[str, int] = {}
    elements: list[int] = []
    i = _WS.match(text, 0).end()
    if text[i:i + 1] != "{":
        return keys, elements
    i = _WS.match(text, i + 1).end()
    while text[i:i + 1] == '"':
        key_at = i
        key, i = decoder.raw_decode(text, i)
        i = _WS.match(text, i).end() + 1  # the colon
        i = _WS.match(text, i).end()
        keys[key] = lines.at(key_at)
        if key == "events" and text[i] == "[":
            elements = []
            i = _WS.match(text, i + 1).end()
            while text[i] != "]":
                elements.append(lines.at(i))
                _, i = decoder.raw_decode(text, i)
                i = _WS.match(text, i).end()
                if text[i] == ",":
                    i = _WS.match(text, i + 1).end()
            i += 1
        else:
            _, i = decoder.raw_decode(text, i)
        i = _WS.match(text, i).end()
        if text[i:i + 1] == ",":
            i = _WS.match(text, i + 1).end()
    return keys, elements


# -- parsing values -------------------------------------------------------------------------------

def _time(value: Any, line: int, what: str) -> dt.time:
    match = _TIME.match(value) if isinstance(value, str) else None
    if match:
        hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
        if hours < 24 and minutes < 60 and seconds < 60:
            return dt.time(hours, minutes, seconds)
    raise ScenarioError(line, N_("{what} must be a time written HH:MM or HH:MM:SS, not {value}."),
                        what=what, value=json.dumps(value, ensure_ascii=False))


MAX_BYTES = 1024 * 1024  # a scenario is a script of a day, not a data dump: a megabyte is thousands of events
MAX_EVENTS = 20_000
MAX_RULE = 100_000  # a branch rule's number (minutes, customers, services averaged)
MAX_DAYS = 92  # a scenario of several days covers at most a quarter: a month at the planning desk, with room


def _whole(value: Any, line: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RULE:
        raise ScenarioError(line, N_("{what} must be a whole number from 0 to 100000, not {value}."),
                            what=what, value=json.dumps(value, ensure_ascii=False))
    return value


def _branch(raw: Any, line: int) -> Branch:
    if not isinstance(raw, dict):
        raise ScenarioError(line, N_("\"branch\" must be an object."))
    unknown = sorted(set(raw) - BRANCH_FIELDS)
    if unknown:
        raise ScenarioError(line, N_("\"branch\" has an unknown field \"{name}\"."), name=unknown[0])
    base = Branch()
    branch = Branch(
        opens=_time(raw["opens"], line, "branch.opens") if "opens" in raw else base.opens,
        closes=_time(raw["closes"], line, "branch.closes") if "closes" in raw else base.closes,
        pre_open_minutes=_whole(raw.get("pre_open_minutes", base.pre_open_minutes), line,
                                "branch.pre_open_minutes"),
        recalls_before_no_show=_whole(raw.get("recalls_before_no_show", base.recalls_before_no_show), line,
                                      "branch.recalls_before_no_show"),
    )
    if branch.opens >= branch.closes:
        raise ScenarioError(line, N_("The branch must open before it closes."))
    return branch


def _step(raw: Any, line: int, first: dt.date, previous: dt.datetime, names: set[str]) -> Step:
    if not isinstance(raw, dict):
        raise ScenarioError(line, N_("An event must be an object with \"at\" and \"do\"."))
    verb = raw.get("do")
    if not isinstance(verb, str) or not verb:
        raise ScenarioError(line, N_("The event has no \"do\": say what happens."))
    if verb not in VERBS:
        raise ScenarioError(line, N_("Unknown event \"{verb}\"; known events: {known}."),
                            verb=verb, known=", ".join(VERBS))
    if "at" not in raw:
        raise ScenarioError(line, N_("The event has no \"at\" time."))
    # Without "day", an event happens on the day of the event before it (the scenario's "date" for the first).
    day = _date(raw["day"], line, "day") if "day" in raw else previous.date()
    if not first <= day <= first + dt.timedelta(days=MAX_DAYS):
        raise ScenarioError(line, N_("\"day\" must be from the scenario's date {first} to {days} days after it, "
                                     "not {day}."), first=first.isoformat(), days=MAX_DAYS, day=day.isoformat())
    at = dt.datetime.combine(day, _time(raw["at"], line, "at"))
    if at < previous:
        shown = "%H:%M:%S" if at.date() == previous.date() else "%Y-%m-%d %H:%M:%S"
        raise ScenarioError(line, N_("Time goes backwards: {at} comes before {previous}."),
                            at=at.strftime(shown) if "day" in raw else raw["at"], previous=previous.strftime(shown))
    spec = VERBS[verb]
    unknown = sorted(set(raw) - set(spec) - COMMON_FIELDS)
    if unknown:
        raise ScenarioError(line, N_("\"{verb}\" has no field \"{name}\"."), verb=verb, name=unknown[0])
    fields = _fields(raw, spec, line, verb=verb)
    _check_who(verb, fields, line)
    _check_names(verb, fields, line, names)
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ScenarioError(line, N_("\"note\" must be a text."))
    refused = raw.get("refused")
    if refused is not None and (not isinstance(refused, str) or len(refused) > 500):
        raise ScenarioError(line, N_("\"refused\" must be a text: what the refusal says (or \"\" for any)."))
    return Step(line=line, at=at, verb=verb, fields=fields, note=note, refused=refused)


def _check_who(verb: str, fields: dict[str, Any], line: int) -> None:
    """Fields that go together: who accepts a help request, which order or visit, which alert is acknowledged."""
    if verb in ONE_OF:
        first, second = ONE_OF[verb]
        if (first in fields) == (second in fields):
            raise ScenarioError(line, N_("\"{verb}\" needs either \"{first}\" or \"{second}\", one of the two."),
                                verb=verb, first=first, second=second)
    if verb == "acknowledge":
        kind = fields["alert_kind"]
        target = ALERT_TARGET.get(kind, "ticket")
        if "department" in fields and target != "order":
            raise ScenarioError(line, N_("A {kind} alert is not found by \"{name}\": leave it out."),
                                kind=kind, name="department")
        for name in ALERT_TARGETS:
            if name == target and name not in fields:
                raise ScenarioError(line, N_("A {kind} alert is found by its \"{name}\": give it."),
                                    kind=kind, name=name)
            if name != target and name in fields:
                raise ScenarioError(line, N_("A {kind} alert is not found by \"{name}\": leave it out."),
                                    kind=kind, name=name)


def _check_names(verb: str, fields: dict[str, Any], line: int, names: set[str]) -> None:
    """A ticket is referred to by its number or by a name an earlier take_ticket gave it."""
    if verb == "take_ticket" and "as" in fields:
        name = fields["as"]
        if TICKET_NUMBER.match(name):
            raise ScenarioError(line, N_("\"as\": {name} looks like a ticket number; choose another name."),
                                name=name)
        if name in names:
            raise ScenarioError(line, N_("The name \"{name}\" is already given to another ticket."), name=name)
        names.add(name)
    for key in ("ticket", "expect"):
        ref = fields.get(key)
        if ref is not None and not TICKET_NUMBER.match(ref) and ref not in names:
            raise ScenarioError(line, N_("\"{ref}\" is neither a ticket number nor a name given earlier with \"as\"."),
                                ref=ref)


# -- the whole file -------------------------------------------------------------------------------

def _setup(value: Any, line: int, folder: Path | None) -> dict[str, Any]:
    """A scenario's hall: a setup written in the scenario, or the name of a setup file beside it."""
    if isinstance(value, str):
        if folder is None or not value.strip() or Path(value).is_absolute() or ".." in Path(value).parts:
            raise ScenarioError(line, N_("\"setup\" names a setup file beside the scenario, or holds the setup."))
        try:
            raw: bytes | str = (folder / value).read_bytes()
        except OSError as exc:
            raise ScenarioError(line, N_("The setup file {name} cannot be read ({detail})."), name=value,
                                detail=exc.strerror or type(exc).__name__) from None
    elif isinstance(value, dict):
        raw = json.dumps(value, ensure_ascii=False)
    else:
        raise ScenarioError(line, N_("\"setup\" names a setup file beside the scenario, or holds the setup."))
    try:
        return setup_file.check_setup(raw, language="en")
    except setup_file.SetupProblems as exc:
        raise ScenarioError(line, N_("The setup has problems: {problems}"), problems="; ".join(exc.problems)) from None


def parse_scenario(text: str, *, folder: Path | None = None) -> Scenario:
    """Check a scenario completely; refuse it with the line and the reason of the first problem. `folder`: where
    a setup file the scenario names is found."""
    if len(text) > MAX_BYTES:
        raise ScenarioError(1, N_("the file is too large for a scenario (at most {limit} characters)."),
                            limit=MAX_BYTES)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError(exc.lineno, N_("the file is not valid JSON ({detail})."), detail=exc.msg) from exc
    except RecursionError as exc:
        raise ScenarioError(1, N_("the file is nested too deeply to be a scenario.")) from exc
    if not isinstance(document, dict):
        raise ScenarioError(1, N_("A scenario is a JSON object with \"title\", \"date\", \"start\" and \"events\"."))
    keys, element_lines = _positions(text)
    unknown = sorted(set(document) - TOP_LEVEL)
    if unknown:
        raise ScenarioError(keys.get(unknown[0], 1), N_("Unknown key \"{name}\" in the scenario."), name=unknown[0])
    for required in ("title", "date", "start", "events"):
        if required not in document:
            raise ScenarioError(1, N_("The scenario needs \"{name}\"."), name=required)
    title = document["title"]
    if not isinstance(title, str) or not title.strip():
        raise ScenarioError(keys["title"], N_("\"title\" must be a text."))
    day = _date(document["date"], keys["date"], "date")
    start = dt.datetime.combine(day, _time(document["start"], keys["start"], "start"))
    branch = _branch(document["branch"], keys["branch"]) if "branch" in document else Branch()
    setup = _setup(document["setup"], keys["setup"], folder) if "setup" in document else None
    events = document["events"]
    if isinstance(events, list) and len(events) > MAX_EVENTS:
        raise ScenarioError(keys["events"], N_("A scenario has at most {limit} events."), limit=MAX_EVENTS)
    if not isinstance(events, list) or not events:
        raise ScenarioError(keys["events"], N_("\"events\" must be a list of at least one event."))
    steps: list[Step] = []
    names: set[str] = set()
    previous = start
    for raw, line in zip(events, element_lines, strict=True):
        step = _step(raw, line, day, previous, names)
        steps.append(step)
        previous = step.at
    return Scenario(title=title.strip(), day=day, start=start, branch=branch, steps=steps, setup=setup,
                    branch_given="branch" in document)


def load_scenario(path: Path) -> Scenario:
    try:
        if Path(path).stat().st_size > MAX_BYTES * 4:  # refused before it is read (4 bytes: the widest character)
            raise AppError(N_("The scenario {path} is too large to be a scenario."), path=str(path))
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise AppError(N_("The scenario {path} cannot be read ({detail})."), path=str(path), detail=str(exc)) from exc
    return parse_scenario(text, folder=Path(path).parent)
