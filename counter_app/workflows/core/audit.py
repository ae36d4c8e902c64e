"""The event log as evidence: each row carries the hash of the one before, so an edit or a gap shows.

Records that grant something live in tables of their own, outside the chain; each is covered by the
event that made it: an approval's event carries a canonical hash of the whole row (`content_hash`), a
breach cause's event carries the cause and its note, and the branch's settings — a staff member's role
and credentials, a service's targets, the branch's rules, its opening hours and holidays — are recorded
by `settings_recorded` events (core/settings_record.py) with a hash of each row's granting fields
(`COVERED_SETTINGS`). `verify` compares the live rows with the chain and names each row that differs, has
no record, or was deleted (`covered_records`).

The chain alone cannot show that its newest rows were deleted: what is left still links up. An anchor
closes that gap: the id of a row and the start of its hash, kept outside the store (printed on the
end-of-day page). `verify(..., anchors=...)` then also checks that each anchored row is still there,
unchanged; with the chain intact up to it, so is everything before it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from counter_app.errors import AppError
from counter_app.i18n import N_
from counter_app.models import (
    BranchSettings,
    Counter,
    CounterService,
    Event,
    Holiday,
    OpeningHours,
    Service,
    Staff,
    Ticket,
)
from counter_app.models.customers import SegmentRule
from counter_app.models.oversight import ExceptionApproval

GENESIS = "0" * 64
DIGEST_SEPARATOR = "\x1f"  # between the fields an event's hash covers (chr(31), the unit separator)
MAX_EVENT_ID = 2**63 - 1  # an event id the database can hold
ANCHOR_HEX = 16  # hex digits of the hash printed in an anchor: 64 bits, beyond forging by trial
REASON_TEXT = {"edited": N_("edited"), "missing": N_("a row is missing"), "chain start": N_("the log's start is missing"),
               "anchor missing": N_("the anchored event is gone"),
               "anchor differs": N_("the anchored event is not the one recorded"),
               "record differs": N_("a record differs from what its event recorded")}
_ANCHOR = re.compile(r"#?(\d+):([0-9a-fA-F]{8,64})")


def content_hash(row) -> str:
    """sha256 of a record's every column, canonically (sorted names, JSON, dates as ISO text)."""
    values = {name: getattr(row, name) for name in sorted(type(row).__table__.columns.keys())}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


# The settings that grant something, and the fields of each that do: a staff member's failed sign-ins or
# duty shift are not grants, their role and password hash are.
COVERED_SETTINGS: dict[str, tuple[type, tuple[str, ...]]] = {
    "staff": (Staff, ("staff_no", "name", "role", "mentor_id", "password_hash", "active", "password_must_change")),
    "service": (Service, ("code", "prefix", "priority", "target_wait_min", "target_service_min",
                          "target_wrapup_min", "typical_service_min", "active", "wait_warning_min",
                          "service_warning_min", "idle_warning_min", "idle_breach_min", "queue_warning_len",
                          "queue_breach_len", "script_zh", "script_en", "terms_zh", "terms_en")),
    "branch_settings": (BranchSettings, ()),  # () : every column
    "opening_hours": (OpeningHours, ()),
    "holiday": (Holiday, ()),
    "counter": (Counter, ("number", "name", "senior_only", "display_order")),
    "segment_rule": (SegmentRule, ()),  # who is VIP, and the tier it gives (workflows/customers/segments.py)
}
# Fields that came after the branch's settings were first recorded, with the value an older store's row took
# on upgrade: hashed only where they differ from it, so a record made before them still matches its row (a
# row maps to one hash either way: a field left out is at that value).
ADDED_LATER: dict[str, dict[str, object]] = {
    "staff": {"password_must_change": False},
    "service": {"wait_warning_min": 0, "service_warning_min": 0, "idle_warning_min": 0, "idle_breach_min": 0,
                "queue_warning_len": 0, "queue_breach_len": 0, "script_zh": "", "script_en": "", "terms_zh": "",
                "terms_en": ""},
    # (the address and hotline of revision 0014 were hashed from their start: they are not listed here)
    "branch_settings": {"feedback_address": "", "logo": "",
                        "default_language": "zh", "announce_languages": "zh,en", "display_columns": 8,
                        "display_font_percent": 100, "customer_retention_days": 730},
    "counter": {"display_order": 0},
}
LONG_VALUE = 200  # a longer text (a logo) is shown in the history by its hash
SETTINGS_RECORDED = "settings_recorded"


def settings_key(table: str, row) -> str:
    return f"{table} {row.id}"


def _served(row) -> dict[str, list[int]]:
    """A counter's services, and its order of preference among them when it has one (the links are part of
    what the counter grants: who is called where)."""
    session = object_session(row)
    if session is None or row.id is None:
        return {"services": []}
    links = session.exec(select(CounterService.service_id, CounterService.rank)
                         .where(CounterService.counter_id == row.id)).all()
    found: dict[str, list[int]] = {"services": sorted(service_id for service_id, _rank in links)}
    if any(rank for _service_id, rank in links):
        found["preference"] = [service_id for service_id, _rank in sorted(links, key=lambda link: (link[1], link[0]))]
    return found


def _fields(table: str, row) -> dict[str, object]:
    fields = COVERED_SETTINGS[table][1] or tuple(type(row).__table__.columns.keys())
    later = ADDED_LATER.get(table, {})
    return {name: getattr(row, name) for name in fields
            if name not in later or getattr(row, name) != later[name]}


def settings_hash(table: str, row) -> str:
    """sha256 of a settings row's granting fields (every column where COVERED_SETTINGS names none); a counter's
    with the services it serves."""
    values = _fields(table, row)
    if table == "counter":
        values.update(_served(row))
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def settings_values(table: str, row) -> dict[str, object]:
    """A settings row's granting fields as text and numbers, for the history of changes: who changed what
    from what to what. A password is never shown, not even its hash: only whether one is set."""
    fields = COVERED_SETTINGS[table][1] or tuple(type(row).__table__.columns.keys())
    values: dict[str, object] = {}
    for name in fields:
        value = getattr(row, name)
        if name == "password_hash":
            values["password"] = "set" if value else "none"
        elif isinstance(value, str) and len(value) > LONG_VALUE:
            values[name] = "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:16]
        else:
            values[name] = value if isinstance(value, (int, float, str, bool)) or value is None else str(value)
    if table == "counter":
        values.update(_served(row))
    return values


def recorded_settings(session: Session) -> dict[str, str | None] | None:
    """Per settings row ("staff 3"), the hash its newest record holds (None: recorded as deleted); None when
    the store's settings were never recorded (a store from before the records, until its first start)."""
    found: dict[str, str | None] | None = None
    for data in session.exec(select(Event.data).where(Event.kind == SETTINGS_RECORDED).order_by(Event.id)):
        found = found or {}
        found.update(json.loads(data or "{}").get("rows", {}))
    return found


def event_digest(event: Event, prev_hash: str) -> str:
    """sha256 over the previous hash and every field that says what happened."""
    return chained_digest(prev_hash, event.id, digest_tail(event.at, event.kind, event.staff_id, event.counter_id,
                                                          event.ticket_id, event.service_id, event.data))


def digest_tail(at: dt.datetime, kind: str, staff_id: int | None, counter_id: int | None, ticket_id: int | None,
                service_id: int | None, data: str | None) -> str:
    """What an event's hash covers after the previous hash and its id: known before the chain's head is read (on
    PostgreSQL the store joins them, core/events.py: `prev_hash || US || id || US || tail`)."""
    return DIGEST_SEPARATOR.join([at.isoformat(), kind, str(staff_id), str(counter_id), str(ticket_id),
                                  str(service_id), data or "{}"])


def chained_digest(prev_hash: str, event_id: int, tail: str) -> str:
    return hashlib.sha256(f"{prev_hash}{DIGEST_SEPARATOR}{event_id}{DIGEST_SEPARATOR}{tail}".encode()).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The newest row of the log; `anchor` is how it is printed and given back to `audit verify --anchor`."""

    event_id: int
    hash: str
    at: dt.datetime

    @property
    def anchor(self) -> str:
        return f"{self.event_id}:{self.hash[:ANCHOR_HEX]}"


@dataclass(frozen=True)
class Anchor:
    event_id: int
    hash_prefix: str  # lower-case hex

    def __str__(self) -> str:
        return f"{self.event_id}:{self.hash_prefix}"


def chain_head(session: Session) -> ChainHead | None:
    """The log's newest row, or None while it is empty."""
    row = session.exec(select(Event.id, Event.hash, Event.at).order_by(Event.id.desc()).limit(1)).first()
    return ChainHead(*row) if row else None


def parse_anchor(text: str) -> Anchor:
    """`1234:0123456789abcdef` (an event id, a colon, at least 8 hex digits of its hash) as printed."""
    match = _ANCHOR.fullmatch(text.strip())
    if match is None or int(match.group(1)) > MAX_EVENT_ID:
        raise AppError(N_("Not an anchor: {text}. An anchor is an event number, a colon and the start of its hash, "
                          "as the end-of-day page prints it, e.g. 1234:0123456789abcdef."), text=text)
    return Anchor(int(match.group(1)), match.group(2).lower())


@dataclass(frozen=True)
class AuditResult:
    checked: int
    first_bad_id: int | None  # the first row that was edited, or follows a missing one; or the anchored row
    reason: str = ""
    anchor: Anchor | None = None  # the anchor that failed
    records: tuple[str, ...] = ()  # covered records that differ from their events, e.g. "exception_approval 3"

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.records


def verify(session: Session, *, batch: int = 5000, anchors: Iterable[Anchor] = ()) -> AuditResult:
    """Walk the chain from its start; then check that every anchored row is still there and unchanged."""
    prev_hash, prev_id, checked = GENESIS, 0, 0
    while True:
        rows = session.exec(select(Event).where(Event.id > prev_id).order_by(Event.id).limit(batch)).all()
        if not rows:
            result = _check_anchors(session, checked, anchors)
            if not result.ok:
                return result
            differing = covered_records(session)
            return AuditResult(checked, None, "record differs", records=tuple(differing)) if differing else result
        for event in rows:
            checked += 1
            if event.prev_hash != prev_hash:
                return AuditResult(checked, event.id, "missing" if prev_id else "chain start")
            if event.hash != event_digest(event, prev_hash):
                return AuditResult(checked, event.id, "edited")
            prev_hash, prev_id = event.hash, event.id


def _check_anchors(session: Session, checked: int, anchors: Iterable[Anchor]) -> AuditResult:
    for anchor in anchors:
        event = session.get(Event, anchor.event_id)
        if event is None:
            return AuditResult(checked, anchor.event_id, "anchor missing", anchor)
        if not event.hash.startswith(anchor.hash_prefix):
            return AuditResult(checked, anchor.event_id, "anchor differs", anchor)
    return AuditResult(checked, None)


def _newest_data(session: Session, kind: str) -> dict[str, dict]:
    """Per record key, the data of the newest event of a kind (the chain is verified before this is read)."""
    found: dict[str, dict] = {}
    for ticket_id, data in session.exec(select(Event.ticket_id, Event.data).where(Event.kind == kind)
                                        .order_by(Event.id)):
        payload = json.loads(data or "{}")
        payload["_ticket_id"] = ticket_id
        found[str(payload.get("approval", ticket_id))] = payload
    return found


def covered_records(session: Session) -> list[str]:
    """The granting records that differ from the events that made them: approvals (their whole content) and
    breach causes (cause and note). An approval made before its content was recorded is checked on the
    fields its event kept."""
    differing = []
    approved = _newest_data(session, "exception_approved")
    for row in session.exec(select(ExceptionApproval).order_by(ExceptionApproval.id)):
        data = approved.get(str(row.id))
        if data is None:
            differing.append(f"exception_approval {row.id}")
        elif "content" in data:
            if data["content"] != content_hash(row):
                differing.append(f"exception_approval {row.id}")
        elif (data.get("exception_kind"), data.get("requested_by")) != (row.kind, row.requested_by):
            differing.append(f"exception_approval {row.id}")
    causes = _newest_data(session, "breach_cause_recorded")
    for ticket_id, cause, note in session.exec(select(Ticket.id, Ticket.breach_cause, Ticket.breach_cause_note)
                                               .where(Ticket.breach_cause.is_not(None))):
        data = causes.get(str(ticket_id))
        if data is None or (data.get("cause"), data.get("note", "")) != (cause, note or ""):
            differing.append(f"ticket {ticket_id} (breach cause)")
    return differing + _differing_planning(session) + differing_settings(session)


def _event_hashes(session: Session, kinds: tuple[str, ...], key: str) -> dict[int, str | None]:
    """Per record id (`key` in the event's data), the content hash its newest event of these kinds carried."""
    found: dict[int, str | None] = {}
    for data in session.exec(select(Event.data).where(Event.kind.in_(kinds)).order_by(Event.id)):
        payload = json.loads(data or "{}")
        if isinstance(payload.get(key), int):
            found[payload[key]] = payload.get("content_hash")
    return found


def _differing_planning(session: Session) -> list[str]:
    """PMC's approvals at the planning desk: a rush sign-off and a committed date (confirmed or overridden) carry
    the hash of the record they made; a record changed since, or one such approval without its event, is named."""
    from counter_app.models.planning import OrderDateRevision, RushApproval

    differing = []
    rushes = _event_hashes(session, ("rush_order_accepted",), "approval")
    for row in session.exec(select(RushApproval).order_by(RushApproval.id)):
        if rushes.get(row.id) != content_hash(row):
            differing.append(f"rush_approval {row.id}")
    dates = _event_hashes(session, ("sales_order_date_confirmed", "sales_order_date_overridden"), "revision")
    for row in session.exec(select(OrderDateRevision).where(OrderDateRevision.id.in_(list(dates) or [-1]))
                            .order_by(OrderDateRevision.id)):
        if dates[row.id] != content_hash(row):
            differing.append(f"order_date_revision {row.id}")
    return differing


def differing_settings(session: Session) -> list[str]:
    """Settings rows that differ from their newest record, have none, or were deleted behind the app's back."""
    recorded = recorded_settings(session)
    if recorded is None:
        if any(session.exec(select(model.id).limit(1)).first() is not None
               for model, _fields in COVERED_SETTINGS.values()):
            return ["settings (never recorded: start the app once, or run counter-app db upgrade)"]
        return []  # an empty store: nothing granted yet
    differing, live = [], set()
    for table, (model, _fields) in COVERED_SETTINGS.items():
        for row in session.exec(select(model).order_by(model.id)):
            key = settings_key(table, row)
            live.add(key)
            if recorded.get(key) != settings_hash(table, row):
                differing.append(key if key in recorded else f"{key} (no record)")
    differing += [f"{key} (deleted)" for key, value in recorded.items() if value is not None and key not in live]
    return differing


# -- anchors kept outside the store ----------------------------------------------------------------

ANCHORS_FILE = "anchors.txt"  # beside the backups: one line per closed day, "store-key day id:hash"


def store_key(url: str) -> str:
    """A short name for a store in the anchors file (the URL without its password, hashed)."""
    safe = sa.engine.make_url(url).render_as_string(hide_password=True)
    return hashlib.sha256(safe.encode("utf-8")).hexdigest()[:12]


def keep_anchor(folder: Path, url: str, day: dt.date, head: ChainHead) -> Path:
    """Append a closed day's anchor to the anchors file: a store rewritten and re-chained after its newest
    printed anchor still has to match every anchor kept here."""
    path = Path(folder) / ANCHORS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"{store_key(url)} {day.isoformat()} {head.anchor}\n")
    return path


def kept_anchors(folder: Path, url: str) -> list[Anchor]:
    """The anchors kept for this store (lines of other stores, or unreadable ones, are passed over)."""
    path = Path(folder) / ANCHORS_FILE
    if not path.exists():
        return []
    key, found = store_key(url), []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == key:
            try:
                found.append(parse_anchor(parts[2]))
            except AppError:
                continue
    return found
