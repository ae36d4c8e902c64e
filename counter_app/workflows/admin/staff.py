"""Credentials an administrator sets, and a branch's first start without demo data.

A person's password is never in a setup file: someone new to the store has none and cannot sign in until an
administrator, with their own credential, sets one (`set_password`). Every change is recorded in the audit
chain with who made it (the staff row's hash covers the password hash: core/audit.py).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import BranchSettings, Role, Service, Staff
from counter_app.workflows.core import auth, bounds, events, settings_record


def set_password(session: Session, clock: Clock, *, staff_no: str, password: str, admin_no: str,
                 admin_password: str) -> Staff:
    """An administrator, with their own credential, sets a person's password (a new person, a forgotten one).
    It opens one door: at their next sign-in the person chooses their own (auth.change_password), so the
    administrator never knows a password in use. An administrator's own is theirs at once."""
    admin = auth.authenticate(session, staff_no=admin_no, password=admin_password, clock=clock, where="password")
    if admin.role != Role.ADMIN:
        raise AppError(N_("Only an administrator can set a password."))
    staff = session.exec(select(Staff).where(Staff.staff_no == (staff_no or "").strip()[:20])).first()
    if staff is None:
        raise AppError(N_("Unknown staff number {staff}."), staff=staff_no)
    staff.password_hash = auth.hash_password(password, role=staff.role)
    staff.locked_at, staff.retry_after, staff.failed_sign_ins = None, None, 0
    staff.password_must_change = staff.id != admin.id
    session.add(staff)
    events.record(session, at=clock.now(), kind="password_set", staff_id=admin.id, staff_no=staff.staff_no)
    settings_record.record(session, at=clock.now(), rows=[staff], why="password_set", staff_id=admin.id)
    return staff


def new_branch(session: Session, *, at: dt.datetime, name_zh: str, name_en: str, admin_no: str, admin_name: str,
               password: str) -> Staff:
    """An empty store becomes a branch with its first administrator; its services, counters, hours and staff
    come next, from a setup file (setup_file.import_setup)."""
    if session.exec(select(Staff.id).limit(1)).first() is not None or \
            session.exec(select(Service.id).limit(1)).first() is not None:
        raise AppError(N_("This store already holds a branch: import a setup file into it instead."))
    name_zh = bounds.text(name_zh, field=N_("The branch's Chinese name"), limit=bounds.NAME * 2, required=True)
    name_en = bounds.text(name_en, field=N_("The branch's English name"), limit=bounds.NAME * 2, required=True)
    admin_no = bounds.text(admin_no, field=N_("Staff number"), limit=20, required=True)
    admin_name = bounds.text(admin_name, field=N_("Name"), limit=bounds.NAME, required=True)
    branch = BranchSettings(id=1, name_zh=name_zh, name_en=name_en)
    admin = Staff(staff_no=admin_no, name=admin_name, role=Role.ADMIN,
                  password_hash=auth.hash_password(password, role=Role.ADMIN))
    session.add_all([branch, admin])
    session.flush()
    events.record(session, at=at, kind="branch_created", staff_id=admin.id, branch=name_zh)
    settings_record.record(session, at=at, rows=[branch, admin], why="branch_created", staff_id=admin.id)
    return admin
