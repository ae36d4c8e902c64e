"""The ID card, kept only as what finds the customer again: its last 4 characters and a salted hash of the whole
number. The number itself is never stored, logged or exported.

A resident ID has 18 characters (17 digits and a check digit, 0-9 or X) and few possible values (a region, a
birth date, a sequence): a plain hash would be undone by trying them all. The hash is PBKDF2 with the store's
own random salt (`customer_secret`) and enough rounds to make trying them all slow, and few enough that an
import of 100,000 customers takes minutes, not hours. Whoever holds the store holds the salt: the hash keeps
the number from casual reading and from tables precomputed elsewhere, not from a determined attacker with a
copy of the store (docs/customers.md).
"""

from __future__ import annotations

import hashlib
import re
import secrets

from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models.customers import CustomerSecret

ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
LAST4 = re.compile(r"^\d{3}[\dX]$")
ROUNDS = 20_000
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def normalise_id_number(value: str) -> str:
    """An 18-character resident ID, spaces dropped and x upper case; refused unless its check digit holds."""
    cleaned = re.sub(r"\s", "", value or "").upper()
    if not ID_NUMBER.match(cleaned) or _CHECK[sum(int(c) * w for c, w in zip(cleaned[:17], _WEIGHTS,
                                                                               strict=True)) % 11] != cleaned[-1]:
        raise AppError(N_("Enter the 18-character resident ID number (its last character may be X)."))
    return cleaned


def is_id_number(value: str) -> bool:
    try:
        normalise_id_number(value)
    except AppError:
        return False
    return True


def salt(session: Session, *, create: bool = True) -> str | None:
    """The store's salt, made on first use (in the caller's transaction) unless `create` is False."""
    row = session.exec(select(CustomerSecret).order_by(CustomerSecret.id).limit(1)).first()
    if row is None and create:
        row = CustomerSecret(salt=secrets.token_hex(32))
        session.add(row)
        session.flush()
    return row.salt if row else None


def id_hash(session: Session, id_number: str, *, create: bool = True) -> str | None:
    """The salted hash of a whole ID number, as kept on the customer and compared on lookup; None when the store
    has no salt yet and `create` is False (then no customer has a hash to compare with)."""
    number = normalise_id_number(id_number)
    key = salt(session, create=create)
    return hashlib.pbkdf2_hmac("sha256", number.encode(), bytes.fromhex(key), ROUNDS).hex() if key else None


def kept(session: Session, id_number: str) -> tuple[str, str]:
    """What the record keeps of an ID number: (last 4, salted hash)."""
    number = normalise_id_number(id_number)
    return number[-4:], id_hash(session, number)
