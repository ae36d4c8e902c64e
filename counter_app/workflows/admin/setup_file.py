"""The branch's setup as one readable file: its rules, hours, holidays, services, counters and staff.

`export_setup` writes what the store holds; `check_setup` reads a file and lists *every* problem in it
(nothing is applied while one remains); `import_setup` applies a checked setup in the caller's one
transaction and records every row it changed in the audit chain (core/settings_record.py). Nothing is
deleted that history needs: a service or a staff member missing from the file is retired (inactive), a
counter missing from it serves nothing. Credentials are never in a file: a person new to the store signs
in only once an administrator has set their password (`set_password`). docs/setup.md documents the format.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import (
    BranchSettings,
    Counter,
    CounterService,
    Holiday,
    OpeningHours,
    Role,
    Service,
    Staff,
)
from counter_app.models.limits import BRANCH_LIMITS, SERVICE_LIMITS
from counter_app.workflows.admin.setup_fields import (  # noqa: F401 (the file's limits, named from here too)
    ANNOUNCED,
    LANGUAGES,
    LOGO_BYTES,
    ROUND_THE_CLOCK,
    SCRIPT_CHARS,
    SERVICE_TEXTS,
    TERM_CHARS,
    TERMS_LINES,
    _Checker,
    _in,
    _logo,
    _marks,
    _script,
    _terms,
    _time,
)
from counter_app.workflows.core import bounds, settings_record

FORMAT = "counter_app setup 1"
MAX_FILE_BYTES = 1_000_000
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PREFIX = re.compile(r"^[A-Z]{1,3}$")
CODE = re.compile(r"^[A-Z0-9_]{1,10}$")
STAFF_NO = re.compile(r"^[A-Za-z0-9]{1,20}$")


class SetupProblems(AppError):
    """Every problem of a setup file, each a line in the reader's language."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(N_("The setup has {count} problems; nothing was changed:\n{problems}"),
                         count=len(problems), problems="\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class ImportResult:
    changed: int  # rows written or retired
    recorded: bool  # whether anything went into the audit chain


# -- export ---------------------------------------------------------------------------------------------


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def export_setup(session: Session) -> dict[str, Any]:
    """The store's setup, as a setup file holds it (sorted, so that two exports of one setup are equal)."""
    branch = session.get(BranchSettings, 1) or BranchSettings()
    hours = []
    for row in session.exec(select(OpeningHours).order_by(OpeningHours.weekday)):
        opens, closes = _hhmm(row.opens), _hhmm(row.closes)
        hours.append({"day": WEEKDAYS[row.weekday],
                      **({"opens": ROUND_THE_CLOCK[0], "closes": ROUND_THE_CLOCK[1]} if opens == closes
                         else {"opens": opens, "closes": closes})})
    services = session.exec(select(Service).order_by(Service.sort_order, Service.code)).all()
    code_of = {s.id: s.code for s in services}
    counters = []
    for counter in session.exec(select(Counter).order_by(Counter.number)):
        links = session.exec(select(CounterService.service_id, CounterService.rank)
                             .where(CounterService.counter_id == counter.id)).all()
        ranked = sorted((rank, code_of[i]) for i, rank in links)
        preferred = [code for rank, code in ranked if rank < max(r for r, _c in ranked)] if ranked else []
        counters.append({"number": counter.number, "name": counter.name, "senior_only": counter.senior_only,
                         "display_order": counter.display_order, "services": sorted(code_of[i] for i, _r in links),
                         "preference": preferred})
    staff = session.exec(select(Staff).order_by(Staff.staff_no)).all()
    staff_no_of = {s.id: s.staff_no for s in staff}
    return {
        "format": FORMAT,
        "branch": {"name_zh": branch.name_zh, "name_en": branch.name_en, "address_zh": branch.address_zh,
                   "address_en": branch.address_en, "hotline": branch.hotline,
                   "feedback_address": branch.feedback_address, "logo": branch.logo,
                   "default_language": branch.default_language, "announce_languages": branch.announce_languages,
                   **{name: getattr(branch, name) for name in BRANCH_LIMITS}},
        "hours": hours,
        "holidays": [{"day": h.day.isoformat(), "note": h.note}
                     for h in session.exec(select(Holiday).order_by(Holiday.day))],
        "services": [{"code": s.code, "name_zh": s.name_zh, "name_en": s.name_en, "prefix": s.prefix,
                      **{name: getattr(s, name) for name in SERVICE_LIMITS},
                      **{name: getattr(s, name) for name in SERVICE_TEXTS}, "active": s.active}
                     for s in services],
        "counters": counters,
        "staff": [{"staff_no": s.staff_no, "name": s.name, "role": s.role,
                   "mentor": staff_no_of.get(s.mentor_id), "active": s.active} for s in staff],
    }


def dumps(setup: dict[str, Any]) -> str:
    return json.dumps(setup, ensure_ascii=False, indent=2) + "\n"


# -- checking -------------------------------------------------------------------------------------------


def check_setup(raw: bytes | str, *, language: str | None = None) -> dict[str, Any]:
    """The setup in a file, checked whole: returned clean, or SetupProblems listing every problem found."""
    checker = _Checker(language)
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise SetupProblems([_in(N_("The file is larger than a setup can be (1 MB)."), language)])
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SetupProblems([_in(N_("The file is not UTF-8 text."), language)]) from None
    try:
        setup = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise SetupProblems([_in(N_("The file is not JSON ({detail})."), language).format(
            detail=str(exc)[:120])]) from None
    if not isinstance(setup, dict) or setup.get("format") != FORMAT:
        raise SetupProblems([_in(N_("The file is not a counter_app setup (\"format\": \"{format}\")."),
                                 language).format(format=FORMAT)])
    clean: dict[str, Any] = {"format": FORMAT}

    branch = setup.get("branch", {})
    if not isinstance(branch, dict):
        checker.say(N_("\"branch\" must be an entry."))
        branch = {}
    defaults = BranchSettings()
    clean["branch"] = {"name_zh": checker.text(branch, "name_zh", "branch", bounds.NAME * 2),
                       "name_en": checker.text(branch, "name_en", "branch", bounds.NAME * 2),
                       "address_zh": checker.optional_text(branch, "address_zh", "branch", 80),
                       "address_en": checker.optional_text(branch, "address_en", "branch", 80),
                       "hotline": checker.optional_text(branch, "hotline", "branch", 20),
                       "feedback_address": checker.optional_text(branch, "feedback_address", "branch", 80),
                       "logo": _logo(checker, branch.get("logo", "")),
                       "default_language": checker.choice(branch, "default_language", "branch", LANGUAGES,
                                                          defaults.default_language),
                       "announce_languages": checker.choice(branch, "announce_languages", "branch", ANNOUNCED,
                                                            defaults.announce_languages),
                       **{name: checker.number(branch, "branch_settings", name, "branch", getattr(defaults, name))
                          for name in BRANCH_LIMITS}}

    clean["hours"] = []
    seen_days: set[str] = set()
    for entry in checker.entries(setup, "hours"):
        day = entry.get("day")
        where = f"hours {day}"
        if not checker.once(day, seen_days, valid=day in WEEKDAYS,
                            invalid=(N_("hours: \"{day}\" is not a weekday (mon … sun)."), {"day": day}),
                            twice=(N_("hours: {day} is given twice."), {"day": day})):
            continue
        opens = _time(checker, entry.get("opens"), where)
        closes = _time(checker, entry.get("closes"), where, closing=True)
        if opens is None or closes is None:
            continue
        if (entry.get("opens"), entry.get("closes")) != ROUND_THE_CLOCK and opens == closes:
            checker.say(N_("{where}: the hall closes when it opens; round the clock is 00:00 to 24:00."),
                        where=where)
            continue
        clean["hours"].append({"weekday": WEEKDAYS.index(day), "opens": opens, "closes": closes})

    clean["holidays"] = []
    seen_holidays: set[dt.date] = set()
    for entry in checker.entries(setup, "holidays"):
        try:
            day = dt.date.fromisoformat(str(entry.get("day")))
        except ValueError:
            checker.say(N_("holidays: \"{day}\" is not a date (YYYY-MM-DD)."), day=entry.get("day"))
            continue
        if not 2000 <= day.year <= 2100 or day in seen_holidays:
            checker.say(N_("holidays: {day} is given twice or is out of range."), day=day.isoformat())
            continue
        seen_holidays.add(day)
        note = entry.get("note", "")
        clean["holidays"].append({"day": day, "note": note if isinstance(note, str) else ""})

    clean["services"] = []
    codes: set[str] = set()
    prefixes: dict[str, str] = {}
    for index, entry in enumerate(checker.entries(setup, "services")):
        code = entry.get("code")
        where = f"service {code}"
        if not checker.once(code, codes, valid=isinstance(code, str) and bool(CODE.match(code)), invalid=(
                N_("services: \"{code}\" is not a service code (capital letters, digits, _; at most 10)."),
                {"code": code}), twice=(N_("services: the code {code} is given twice."), {"code": code})):
            continue
        prefix = entry.get("prefix")
        if not isinstance(prefix, str) or not PREFIX.match(prefix):
            checker.say(N_("{where}: the ticket prefix \"{prefix}\" must be 1 to 3 capital letters."),
                        where=where, prefix=prefix)
        elif prefix in prefixes:
            checker.say(N_("{where}: the ticket prefix {prefix} is already {other}'s."), where=where, prefix=prefix,
                        other=prefixes[prefix])
        else:
            prefixes[prefix] = code
        service = {"code": code, "prefix": prefix, "sort_order": index,
                   "name_zh": checker.text(entry, "name_zh", where, bounds.PRODUCT),
                   "name_en": checker.text(entry, "name_en", where, bounds.PRODUCT),
                   "active": entry.get("active", True) is not False}
        defaults_service = Service(code="", name_zh="", name_en="", prefix="")
        for name in SERVICE_LIMITS:
            service[name] = checker.number(entry, "service", name, where, getattr(defaults_service, name))
        for name in ("script_zh", "script_en"):
            service[name] = _script(checker, checker.optional_text(entry, name, where, SCRIPT_CHARS), where, name)
        for name in ("terms_zh", "terms_en"):
            service[name] = _terms(checker, entry.get(name, ""), where, name)
        _marks(checker, service, clean["branch"]["idle_alert_minutes"], where)
        clean["services"].append(service)

    clean["counters"] = []
    numbers: set[int] = set()
    served: set[str] = set()
    for entry in checker.entries(setup, "counters"):
        number = entry.get("number")
        valid = not isinstance(number, bool) and isinstance(number, int) and 1 <= number <= bounds.MAX_COUNTER
        if not checker.once(number, numbers, valid=valid, invalid=(
                N_("counters: \"{number}\" is not a counter number (1 to {high})."),
                {"number": number, "high": bounds.MAX_COUNTER}),
                twice=(N_("counters: counter {number} is given twice."), {"number": number})):
            continue
        services = entry.get("services", [])
        unknown = [c for c in services if c not in codes] if isinstance(services, list) else ["?"]
        if unknown:
            checker.say(N_("counter {number}: no service has the code {codes}."), number=number,
                        codes=", ".join(map(str, unknown)))
            continue
        served.update(services)
        name = entry.get("name", "")
        if not isinstance(name, str) or len(name) > 40:
            checker.say(N_("counter {number}: a counter's name is a text of at most 40 characters."), number=number)
            name = ""
        preference = entry.get("preference", [])
        if not isinstance(preference, list) or not all(isinstance(code, str) for code in preference) \
                or len(set(preference)) != len(preference) \
                or not set(preference) <= set(services):
            checker.say(N_("counter {number}: the preference lists each of the counter's services at most once."),
                        number=number)
            preference = []
        clean["counters"].append({"number": number, "name": name.strip(),
                                  "senior_only": entry.get("senior_only", False) is True,
                                  "display_order": checker.number(entry, "counter", "display_order",
                                                                  f"counter {number}", 0),
                                  "services": sorted(set(services)), "preference": preference})
    for service in clean["services"]:
        if service["active"] and service["code"] not in served:
            checker.say(N_("service {code}: no counter serves it."), code=service["code"])

    clean["staff"] = []
    people: dict[str, dict] = {}
    staff_numbers: set[str] = set()
    for entry in checker.entries(setup, "staff"):
        staff_no = entry.get("staff_no")
        if not checker.once(staff_no, staff_numbers, valid=isinstance(staff_no, str) and bool(STAFF_NO.match(staff_no)),
                            invalid=(N_("staff: \"{staff}\" is not a staff number (letters and digits, at most 20)."),
                                     {"staff": staff_no}),
                            twice=(N_("staff: {staff} is given twice."), {"staff": staff_no})):
            continue
        role = entry.get("role")
        if role not in set(Role):
            checker.say(N_("staff {staff}: \"{role}\" is not a role ({roles})."),
                        staff=staff_no, role=role, roles=", ".join(Role))
        person = {"staff_no": staff_no, "name": checker.text(entry, "name", f"staff {staff_no}", bounds.NAME),
                  "role": role, "mentor": entry.get("mentor"), "active": entry.get("active", True) is not False}
        people[staff_no] = person
        clean["staff"].append(person)
    for person in clean["staff"]:
        mentor = person["mentor"]
        if person["role"] == Role.TRAINEE and not mentor:
            checker.say(N_("staff {staff}: a trainee needs a mentor."), staff=person["staff_no"])
        elif mentor and (mentor not in people or mentor == person["staff_no"]):
            checker.say(N_("staff {staff}: the mentor {mentor} is not another person in the file."),
                        staff=person["staff_no"], mentor=mentor)
    if not any(p["role"] == Role.ADMIN and p["active"] for p in clean["staff"]):
        checker.say(N_("staff: at least one active administrator is needed, or nobody could change the setup."))
    if checker.problems:
        raise SetupProblems(checker.problems)
    return clean


# -- applying -------------------------------------------------------------------------------------------


def import_setup(session: Session, *, setup: dict[str, Any], at: dt.datetime, staff_id: int | None,
                 why: str = "setup_import", new_password_hash: str = "") -> ImportResult:
    """Apply a setup `check_setup` returned, in the caller's transaction; every row changed is recorded.

    A person new to the store gets `new_password_hash` (the demo hall's shared password); by default none,
    and they sign in once an administrator has set one (staff.set_password)."""
    changed: list = []
    deleted: list = []

    def put(row, values: dict) -> None:
        if sa_inspect(row).transient or any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            session.add(row)
            changed.append(row)

    put(session.get(BranchSettings, 1) or BranchSettings(id=1), setup["branch"])
    hours = {h.weekday: h for h in session.exec(select(OpeningHours))}
    for entry in setup["hours"]:
        put(hours.pop(entry["weekday"], None) or OpeningHours(weekday=entry["weekday"], opens=entry["opens"],
                                                               closes=entry["closes"]), entry)
    holidays = {h.day: h for h in session.exec(select(Holiday))}
    for entry in setup["holidays"]:
        put(holidays.pop(entry["day"], None) or Holiday(day=entry["day"]), entry)
    for row in [*hours.values(), *holidays.values()]:  # shut weekdays, holidays no longer kept
        deleted.append(row)
        session.delete(row)
    services = {s.code: s for s in session.exec(select(Service))}
    for entry in setup["services"]:
        row = services.pop(entry["code"], None) or Service(code=entry["code"], name_zh="", name_en="", prefix="")
        put(row, {k: v for k, v in entry.items() if k != "code"})
    for row in services.values():  # retired, with its history
        put(row, {"active": False})
    session.flush()
    service_ids = {s.code: s.id for s in session.exec(select(Service))}
    counters = {c.number: c for c in session.exec(select(Counter))}
    wanted = {entry["number"]: entry["services"] for entry in setup["counters"]}
    described = {entry["number"]: {"name": entry.get("name", ""), "senior_only": entry.get("senior_only", False),
                                   "display_order": entry.get("display_order", 0)}
                 for entry in setup["counters"]}
    preference = {entry["number"]: entry.get("preference", []) for entry in setup["counters"]}
    for number in sorted(set(counters) | set(wanted)):
        counter = counters.get(number)
        if counter is None:
            counter = Counter(number=number)
        put(counter, described.get(number, {"name": counter.name, "senior_only": counter.senior_only,
                                            "display_order": counter.display_order}))
        session.flush()
        links = {link.service_id: link for link in
                 session.exec(select(CounterService).where(CounterService.counter_id == counter.id))}
        preferred = [service_ids[code] for code in preference.get(number, [])]
        want = {service_ids[code]: preferred.index(service_ids[code]) if service_ids[code] in preferred
                else len(preferred) for code in wanted.get(number, [])}
        relinked = False
        for service_id, rank in want.items():
            link = links.get(service_id)
            if link is None:
                session.add(CounterService(counter_id=counter.id, service_id=service_id, rank=rank))
            elif link.rank != rank:
                link.rank = rank
                session.add(link)
            else:
                continue
            relinked = True
        for service_id in set(links) - set(want):
            session.delete(links[service_id])
            relinked = True
        if relinked:
            changed.append(counter)
    staff = {s.staff_no: s for s in session.exec(select(Staff))}
    for entry in setup["staff"]:
        row = staff.pop(entry["staff_no"], None) or Staff(staff_no=entry["staff_no"], name="",
                                                          password_hash=new_password_hash)
        put(row, {"name": entry["name"], "role": entry["role"], "active": entry["active"]})
    for row in staff.values():  # never deleted: history keeps the name
        put(row, {"active": False})
    session.flush()
    ids = {s.staff_no: s.id for s in session.exec(select(Staff))}
    for entry in setup["staff"]:
        row = session.exec(select(Staff).where(Staff.staff_no == entry["staff_no"])).one()
        mentor = ids.get(entry["mentor"]) if entry["mentor"] else None
        if row.mentor_id != mentor:
            row.mentor_id = mentor
            session.add(row)
            changed.append(row)
    unique = list({id(row): row for row in changed}.values())
    covered = unique
    if covered or deleted:
        settings_record.record(session, at=at, rows=covered, deleted=deleted, why=why, staff_id=staff_id)
    return ImportResult(len(unique) + len(deleted), bool(covered or deleted))
