"""Staff credentials: argon2 hashes, and the log-in check."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import Staff

_hasher = PasswordHasher()


def use_fast_hashing() -> None:
    """Cheaper argon2 parameters, for tests and the replay only: never for a real branch."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def hash_password(password: str) -> str:
    if len(password) < 4:
        raise AppError(N_("A password needs at least 4 characters."))
    return _hasher.hash(password)


def verify_password(staff: Staff, password: str) -> bool:
    try:
        return _hasher.verify(staff.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, *, staff_no: str, password: str) -> Staff:
    """The active staff member with this number and password, or a refusal that reveals neither."""
    staff = session.exec(select(Staff).where(Staff.staff_no == staff_no.strip())).first()
    if staff is None or not staff.active or not verify_password(staff, password):
        raise AppError(N_("Wrong staff number or password."))
    return staff
