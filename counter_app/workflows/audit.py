"""The event log as evidence: each row carries the hash of the one before, so an edit or a gap shows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlmodel import Session, select

from counter_app.i18n import N_
from counter_app.models import Event

GENESIS = "0" * 64
REASON_TEXT = {"edited": N_("edited"), "missing": N_("a row is missing"), "chain start": N_("the log's start is missing")}


def event_digest(event: Event, prev_hash: str) -> str:
    """sha256 over the previous hash and every field that says what happened."""
    parts = [prev_hash, str(event.id), event.at.isoformat(), event.kind, str(event.staff_id), str(event.counter_id),
             str(event.ticket_id), str(event.service_id), event.data or "{}"]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditResult:
    checked: int
    first_bad_id: int | None  # the first row that was edited, or follows a missing one
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify(session: Session, *, batch: int = 5000) -> AuditResult:
    prev_hash, prev_id, checked = GENESIS, 0, 0
    while True:
        rows = session.exec(select(Event).where(Event.id > prev_id).order_by(Event.id).limit(batch)).all()
        if not rows:
            return AuditResult(checked, None)
        for event in rows:
            checked += 1
            if event.prev_hash != prev_hash:
                return AuditResult(checked, event.id, "missing" if prev_id else "chain start")
            if event.hash != event_digest(event, prev_hash):
                return AuditResult(checked, event.id, "edited")
            prev_hash, prev_id = event.hash, event.id
