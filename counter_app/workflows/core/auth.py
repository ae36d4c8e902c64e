"""Staff credentials: argon2 hashes, the sign-in check, and what stops a password being guessed.

A wrong password is recorded (who was tried, where, when — never the password) and counted: from the
third in a row each further attempt must wait, twice as long each time (5 s, 10 s, 20 s … at most 5
minutes); the tenth locks the person out until a duty manager or an administrator unlocks them. A right
password resets the count. Unknown and known staff numbers take the same time to refuse, so staff
numbers cannot be found by timing the answer.
"""

from __future__ import annotations

import datetime as dt
import math

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.errors import AppError, RecordedRefusal
from counter_app.i18n import N_
from counter_app.models import Role, Staff
from counter_app.workflows.core import events, settings_record

_hasher = PasswordHasher()
_unknown_hash: str | None = None  # checked against when the staff number is unknown: the same work, the same time

DELAY_FROM = 3  # wrong passwords in a row before each further attempt must wait
FIRST_DELAY_S = 5
LONGEST_DELAY_S = 300
LOCK_AT = 10  # wrong passwords in a row that lock the person out
# A clerk's may be a 4-character PIN (docs/decisions.md); PMC commits delivery dates and signs off rush
# orders, so its password is as long as a manager's.
MIN_PASSWORD = {Role.MANAGER: 8, Role.ADMIN: 8, Role.PMC: 8}
MAX_PASSWORD = 128
UNLOCKING_ROLES = {Role.MANAGER, Role.ADMIN}


def use_fast_hashing() -> None:
    """Cheaper argon2 parameters, for tests and the replay only: never for a real branch."""
    global _hasher, _unknown_hash
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    _unknown_hash = None


def hash_password(password: str, *, role: str | None = None) -> str:
    least = MIN_PASSWORD.get(role, 4)
    if len(password) < least:
        raise AppError(N_("A password needs at least {count} characters."), count=least)
    if len(password) > MAX_PASSWORD:
        raise AppError(N_("A password has at most {count} characters."), count=MAX_PASSWORD)
    return _hasher.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(staff: Staff, password: str) -> bool:
    return _verify(staff.password_hash, password)


def _waste_equal_time(password: str) -> None:
    global _unknown_hash
    if _unknown_hash is None:
        _unknown_hash = _hasher.hash("an unknown staff number")
    _verify(_unknown_hash, password)


def delay_after(failures: int) -> int:
    """Seconds the next attempt must wait after this many wrong passwords in a row."""
    if failures < DELAY_FROM:
        return 0
    return min(FIRST_DELAY_S * 2 ** (failures - DELAY_FROM), LONGEST_DELAY_S)


class PasswordChangeRequired(AppError):
    """The password was right, but an administrator set it: its owner must choose their own first."""


def authenticate(session: Session, *, staff_no: str, password: str, clock: Clock | None = None,
                 where: str = "", expired_ok: bool = False) -> Staff:
    """The active staff member with this number and password, or a refusal that reveals neither.

    With the clock (every workflow has one), a wrong password is recorded and counted, and a person
    locked out or made to wait is refused before their password is even checked.
    """
    typed = (staff_no or "").strip()[:20]
    if typed != typed.encode("utf-8", "replace").decode("utf-8"):  # a broken character: no staff number
        typed = ""
    staff = session.exec(select(Staff).where(Staff.staff_no == typed)).first() if typed else None
    password = (password or "")[:MAX_PASSWORD].encode("utf-8", "replace").decode("utf-8")
    now = clock.now() if clock is not None else None
    if staff is not None and now is not None:
        if staff.locked_at is not None:
            raise AppError(N_("{staff} is locked after too many wrong passwords: a duty manager or an "
                              "administrator must unlock it."), staff=typed)
        if staff.retry_after is not None and now < staff.retry_after:
            seconds = math.ceil((staff.retry_after - now).total_seconds())
            raise AppError(N_("Too many wrong passwords: try again in {seconds} seconds."), seconds=seconds)
    if staff is None:
        _waste_equal_time(password)
    if staff is not None and staff.active and verify_password(staff, password):
        if staff.password_must_change and not expired_ok:
            raise PasswordChangeRequired(N_("{staff}'s password was set by an administrator: choose your own "
                                            "password to sign in."), staff=typed)
        if staff.failed_sign_ins or staff.retry_after:
            staff.failed_sign_ins, staff.retry_after = 0, None
            session.add(staff)
        return staff
    if now is not None:
        data = {"staff_no": typed, "where": where[:60]}
        if staff is not None:
            staff.failed_sign_ins += 1
            wait = delay_after(staff.failed_sign_ins)
            staff.retry_after = now + dt.timedelta(seconds=wait) if wait else None
            if staff.failed_sign_ins >= LOCK_AT:
                staff.locked_at = now
            session.add(staff)
            data["failures"] = staff.failed_sign_ins
        events.record(session, at=now, kind="sign_in_failed", staff_id=staff.id if staff else None, **data)
        if staff is not None and staff.locked_at == now:
            events.record(session, at=now, kind="staff_locked", staff_id=staff.id, staff_no=typed)
        raise RecordedRefusal(N_("Wrong staff number or password."))
    raise AppError(N_("Wrong staff number or password."))


def change_password(session: Session, clock: Clock, *, staff_no: str, password: str, new_password: str) -> Staff:
    """A person changes their own password with the one they have (the one an administrator set, or their own);
    recorded in the audit chain as theirs."""
    staff = authenticate(session, staff_no=staff_no, password=password, clock=clock, where="password change",
                         expired_ok=True)
    if new_password == password:
        raise AppError(N_("Choose a password other than the one you have now."))
    staff.password_hash = hash_password(new_password, role=staff.role)
    staff.password_must_change = False
    session.add(staff)
    events.record(session, at=clock.now(), kind="password_changed", staff_id=staff.id, staff_no=staff.staff_no)
    settings_record.record(session, at=clock.now(), rows=[staff], why="password_changed", staff_id=staff.id)
    return staff


def unlock(session: Session, clock: Clock, *, staff_no: str, manager_no: str, manager_password: str) -> Staff:
    """A duty manager or an administrator, with their own credential, lets a locked-out person sign in again."""
    manager = authenticate(session, staff_no=manager_no, password=manager_password, clock=clock, where="unlock")
    if manager.role not in UNLOCKING_ROLES:
        raise AppError(N_("Only a duty manager or an administrator can unlock a person."))
    staff = session.exec(select(Staff).where(Staff.staff_no == (staff_no or "").strip()[:20])).first()
    if staff is None:
        raise AppError(N_("Unknown staff number {staff}."), staff=staff_no)
    staff.locked_at, staff.retry_after, staff.failed_sign_ins = None, None, 0
    session.add(staff)
    events.record(session, at=clock.now(), kind="staff_unlocked", staff_id=manager.id, staff_no=staff.staff_no)
    return staff
