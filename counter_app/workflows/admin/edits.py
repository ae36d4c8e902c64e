"""One change at a time from the administrator's window: a service (and the counters that serve it), a
counter, a staff member. Each edit is the setup with that one entry changed, checked and imported like a
setup file (setup_file.py): one set of rules for both roads, every problem named, one transaction, every
changed row in the audit chain with the administrator's name.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Role
from counter_app.workflows.admin import setup_file
from counter_app.workflows.admin.setup_file import ImportResult
from counter_app.workflows.core import lookup


def _admin(session: Session, staff_id: int) -> int:
    admin = lookup.staff_by_id(session, staff_id)
    if admin.role != Role.ADMIN or not admin.active:
        raise AppError(N_("Only an administrator can change the branch's setup."))
    return admin.id


def _upsert(entries: list[dict[str, Any]], key: str, entry: dict[str, Any], new: dict[str, Any]) -> None:
    """The entry with this key changed as given, or added (with `new`'s defaults under what is given)."""
    known = [e for e in entries if e[key] == entry.get(key)]
    if known:
        known[0].update(entry)
    else:
        entries.append({**new, **entry})


def _apply(session: Session, clock: Clock, setup: dict[str, Any], admin_id: int, why: str) -> ImportResult:
    checked = setup_file.check_setup(setup_file.dumps(setup))
    return setup_file.import_setup(session, setup=checked, at=clock.now(), staff_id=admin_id, why=why)


def save_service(session: Session, clock: Clock, *, staff_id: int, service: dict[str, Any],
                 counters: list[int]) -> ImportResult:
    """Add or change a service (by its code) and say which counters serve it."""
    admin_id = _admin(session, staff_id)
    setup = setup_file.export_setup(session)
    code = service.get("code")
    _upsert(setup["services"], "code", service, {"active": True})
    wanted = set(counters)
    for counter in setup["counters"]:
        served = [c for c in counter["services"] if c != code]
        counter["services"] = served + ([code] if counter["number"] in wanted else [])
    missing = wanted - {c["number"] for c in setup["counters"]}
    setup["counters"] += [{"number": n, "services": [code]} for n in sorted(missing)]
    return _apply(session, clock, setup, admin_id, "service_saved")


def save_counter(session: Session, clock: Clock, *, staff_id: int, counter: dict[str, Any]) -> ImportResult:
    """Add or change a counter (by its number): its name, whether only senior clerks sign in at it, and the
    codes of the services it serves."""
    admin_id = _admin(session, staff_id)
    setup = setup_file.export_setup(session)
    _upsert(setup["counters"], "number", counter, {"name": "", "senior_only": False, "services": []})
    return _apply(session, clock, setup, admin_id, "counter_saved")


def save_staff(session: Session, clock: Clock, *, staff_id: int, person: dict[str, Any]) -> ImportResult:
    """Add or change a staff member (by staff number): name, role, mentor, active. Never deleted."""
    admin_id = _admin(session, staff_id)
    setup = setup_file.export_setup(session)
    _upsert(setup["staff"], "staff_no", person, {"mentor": None, "active": True})
    return _apply(session, clock, setup, admin_id, "staff_saved")


def save_branch(session: Session, clock: Clock, *, staff_id: int, branch: dict[str, Any],
                hours: list[dict[str, Any]] | None = None, holidays: list[dict[str, Any]] | None = None) -> ImportResult:
    """Change the branch's names, contact, logo, language, display and rules (the keys given), and, when given,
    its whole week of hours and its holidays (as a setup file writes them: {"day": "mon", "opens": "09:00",
    "closes": "17:00"}, {"day": "2026-10-01", "note": "…"})."""
    admin_id = _admin(session, staff_id)
    setup = setup_file.export_setup(session)
    setup["branch"].update(branch)
    if hours is not None:
        setup["hours"] = hours
    if holidays is not None:
        setup["holidays"] = holidays
    return _apply(session, clock, setup, admin_id, "branch_saved")


def import_file(session: Session, clock: Clock, *, staff_id: int, raw: bytes) -> ImportResult:
    """A whole setup file, from the administrator's window."""
    admin_id = _admin(session, staff_id)
    checked = setup_file.check_setup(raw)
    return setup_file.import_setup(session, setup=checked, at=clock.now(), staff_id=admin_id)


def admin_sign_in(session: Session, clock: Clock, *, staff_no: str, password: str):
    """The administrator's window opens for an active administrator's own credential (a wrong one is recorded)."""
    from counter_app.workflows.core import auth

    staff = auth.authenticate(session, staff_no=staff_no, password=password, clock=clock, where="admin")
    if staff.role != Role.ADMIN:
        raise AppError(N_("Only an administrator can open the administration."))
    return staff


def history(session: Session, *, limit: int = 200) -> list[tuple]:
    """The setting changes, newest first: when, who, why, and each change as "service 1 target_wait_min: 15 → 12"
    (a record first seen: "service 6 added"; one deleted: "holiday 1 removed")."""
    import json

    from sqlmodel import select

    from counter_app.models import Event, Staff

    rows = session.exec(select(Event, Staff.name).join(Staff, Staff.id == Event.staff_id, isouter=True)
                        .where(Event.kind == "settings_recorded").order_by(Event.id))
    known: dict[str, dict | None] = {}
    found = []
    for event, name in rows:
        data = json.loads(event.data or "{}")
        lines = []
        for key, new in (data.get("values") or {}).items():
            old = known.get(key)
            if new is None:
                lines.append(f"{key} removed")
            elif old is None:
                lines.append(f"{key} added")
            else:
                lines += [f"{key} {field}: {old.get(field)} → {value}" for field, value in new.items()
                          if old.get(field) != value]
            known[key] = new
        found.append((event.at, name or "", data.get("why", ""), lines or sorted(data.get("rows", {}))))
    return found[::-1][:limit]
