"""The store's tables: the branch, its services, counters and staff, tickets and the event log.

Times are naive and local to the branch: a hall lives in one time zone, and its business day is the
day whose opening interval holds a moment; it may run past midnight (queue/hours.py, docs/decisions.md).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from counter_app.models.durations import seconds_column
from counter_app.models.limits import BRANCH_LIMITS, COUNTER_LIMITS, SERVICE_LIMITS, checks


class Role(StrEnum):
    CLERK = "clerk"
    TRAINEE = "trainee"
    SENIOR = "senior"
    MANAGER = "manager"
    ADMIN = "admin"
    # The factory's planning desk (workflows/planning/roles.py says who may do what there).
    PMC = "pmc"
    SALES = "sales"
    ENGINEERING = "engineering"
    PURCHASING = "purchasing"
    WAREHOUSE = "warehouse"
    PRODUCTION = "production"
    QUALITY = "quality"


class CounterState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    PAUSED = "paused"


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    PARKED = "parked"
    DONE = "done"


class Outcome(StrEnum):
    SERVED = "served"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"


class BranchSettings(SQLModel, table=True):
    """The branch's own rules; one row (id 1)."""

    __tablename__ = "branch_settings"
    __table_args__ = checks("branch_settings", BRANCH_LIMITS)
    id: int = Field(default=1, primary_key=True)
    name_zh: str = "营业厅"
    name_en: str = "Business hall"
    pre_open_minutes: int = 15  # the kiosk issues tickets this long before opening
    recalls_before_no_show: int = 1  # a no-show may be recorded after this many recalls
    eta_sample_size: int = 20  # recent services averaged for the estimated wait
    warning_share: float = Field(default=0.75, sa_column_kwargs={"server_default": "0.75"})  # the warning mark, as a share of each target
    idle_alert_minutes: int = Field(default=3, sa_column_kwargs={"server_default": "3"})  # customers may wait this long while a logged-in counter sits idle
    max_queue_length: int = Field(default=30, sa_column_kwargs={"server_default": "30"})  # more waiting customers than this raises an alert (0: no limit)
    # A counter window says it is alive this often; silent for `counter_silent_seconds`, its PC is taken
    # for gone: the duty manager sees it, the display and the estimates stop counting it.
    counter_silent_seconds: int = Field(default=90, sa_column_kwargs={"server_default": "90"})
    # An ordinary customer who has waited this long is called like the highest priority tier, so nobody waits
    # for ever behind a stream of priority tickets (0: no ageing; queue/priority.py).
    priority_ageing_minutes: int = Field(default=20, sa_column_kwargs={"server_default": "20"})
    # Printed under the branch's name on every document, when given (revision 0014).
    address_zh: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    address_en: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    hotline: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    # Revision 0015: the feedback address printed on documents, the logo above the branch's name (a PNG, in
    # base64, at most LOGO_BYTES), the windows' language where a PC chose none, the display's layout and the
    # languages a call is announced in, in order ("zh,en": Chinese then English, as halls in China do).
    feedback_address: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    logo: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    default_language: str = Field(default="zh", max_length=5, sa_column_kwargs={"server_default": "zh"})
    announce_languages: str = Field(default="zh,en", max_length=10, sa_column_kwargs={"server_default": "zh,en"})
    display_columns: int = Field(default=8, sa_column_kwargs={"server_default": "8"})  # counters per row
    display_font_percent: int = Field(default=100, sa_column_kwargs={"server_default": "100"})
    # Revision 0019: after this many days a visit's personal data is purged when the day is closed
    # (workflows/customers/privacy.py purge_expired; docs/customers.md "Retention").
    customer_retention_days: int = Field(default=730, sa_column_kwargs={"server_default": "730"})


class OpeningHours(SQLModel, table=True):
    __tablename__ = "opening_hours"
    id: int | None = Field(default=None, primary_key=True)
    weekday: int = Field(index=True, unique=True)  # 0 = Monday
    opens: dt.time
    closes: dt.time


class Holiday(SQLModel, table=True):
    __tablename__ = "holiday"
    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True, unique=True)
    note: str = ""


class Service(SQLModel, table=True):
    __tablename__ = "service"
    __table_args__ = checks("service", SERVICE_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=20)
    name_zh: str
    name_en: str
    prefix: str = Field(unique=True, max_length=3)
    priority: int = 0  # higher tiers are called first
    target_wait_min: int = 15
    target_service_min: int = 10
    typical_service_min: float = 5.0  # the estimate before any service has been timed
    target_wrapup_min: int = Field(default=2, sa_column_kwargs={"server_default": "2"})  # after finishing, time allowed before the counter calls again
    sort_order: int = 0
    active: bool = True
    # Revision 0015: the warning marks (0: the branch's warning share of the target); the idle-with-queue limit
    # for a counter serving it (0: the branch's idle_alert_minutes) and its breach mark (0: none); the queue
    # length of this service that warns and that breaches (0: no limit of its own).
    wait_warning_min: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    service_warning_min: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    idle_warning_min: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    idle_breach_min: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    queue_warning_len: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    queue_breach_len: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # The sentence the clerk is prompted with at the service's warning mark ({minutes}: what is left), and the
    # acceptance form's terms, one per line; empty: the standard ones (oversight/scripts.py, render/acceptance.py).
    script_zh: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    script_en: str = Field(default="", max_length=300, sa_column_kwargs={"server_default": ""})
    terms_zh: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    terms_en: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))

    @property
    def names(self) -> dict[str, str]:
        return {"zh": self.name_zh, "en": self.name_en}


class Counter(SQLModel, table=True):
    __tablename__ = "counter"
    __table_args__ = checks("counter", COUNTER_LIMITS)
    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    # What the display and the staff call it ("VIP窗口"), and whether only senior clerks and duty managers may
    # sign in at it (revision 0013; set by the administrator: workflows/admin).
    name: str = Field(default="", max_length=40, sa_column_kwargs={"server_default": ""})
    senior_only: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    state: str = CounterState.CLOSED
    state_since: NaiveDatetime | None = None
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    # When a counter window last said it is alive; None: no window has (a replay, a script).
    heartbeat_at: NaiveDatetime | None = None
    # Where its column stands on the display: by this, then by number (revision 0015).
    display_order: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class CounterService(SQLModel, table=True):
    """Which services a counter serves, and in which order of preference: call-next takes a lower rank first
    within a priority tier (all 0: no preference; revision 0015)."""

    __tablename__ = "counter_service"
    counter_id: int = Field(foreign_key="counter.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)
    rank: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class Staff(SQLModel, table=True):
    __tablename__ = "staff"
    id: int | None = Field(default=None, primary_key=True)
    staff_no: str = Field(index=True, unique=True, max_length=20)
    name: str
    role: str = Role.CLERK
    mentor_id: int | None = Field(default=None, foreign_key="staff.id")
    password_hash: str
    active: bool = True
    on_duty_since: NaiveDatetime | None = None  # a duty manager signed in at the manager window
    # Wrong passwords in a row, the earliest moment the next attempt is heard, and a lock-out that only a
    # duty manager or an administrator lifts (core/auth.py).
    failed_sign_ins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    retry_after: NaiveDatetime | None = None
    locked_at: NaiveDatetime | None = None
    # An administrator set this password for them (a new person, a forgotten one): they choose their own at
    # their next sign-in, before anything else (core/auth.py change_password; revision 0015).
    password_must_change: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


TRANSFER_LEGS = "id <> origin_id OR outcome = 'transferred'"  # the legs of a visit with a transfer


class Ticket(SQLModel, table=True):
    """One leg of a customer's visit: issued at the kiosk, or created by a transfer."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("service_id", "business_date", "seq", name="uq_ticket_daily_number"),
        Index("ix_ticket_queue", "state", "service_id", "priority", "queue_at"),
        # the reports read a year of legs from this index alone (docs/reports.md)
        Index("ix_ticket_report", "business_date", "origin_id", "service_id", "outcome", "wait_seconds",
              "service_seconds", "leg_seconds"),
        Index("ix_ticket_origin", "origin_id"),  # a visit's legs
        # The hot paths at any history (docs/performance.md, revision 0011): the recent services the estimate
        # averages, call-next's pick across a counter's services, a counter's current ticket.
        Index("ix_ticket_served", "service_id", "outcome", "finished_at"),
        Index("ix_ticket_counter", "counter_id", "state"),
        # only the legs of visits with a transfer (5 %): the reports group them without reading the year
        Index("ix_ticket_transfer", "business_date", "origin_id", "service_id", "outcome", "wait_seconds",
              "service_seconds", "leg_seconds", sqlite_where=text(TRANSFER_LEGS),
              postgresql_where=text(TRANSFER_LEGS)),
    )
    # the generated seconds below are fetched back after each write, so a row never holds a stale one
    __mapper_args__ = {"eager_defaults": True}
    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=12)  # A001: prefix + daily number, kept across transfers
    service_id: int = Field(foreign_key="service.id")
    business_date: dt.date = Field(index=True)
    seq: int | None = None  # the daily number; None on a leg created by a transfer
    priority: int = 0
    customer_ref: str | None = Field(default=None, max_length=40)
    customer_id: int | None = Field(default=None, foreign_key="customer.id", index=True)
    state: str = TicketState.WAITING
    outcome: str | None = None
    early: bool = False  # taken before the branch opened
    issued_at: NaiveDatetime
    queue_at: NaiveDatetime  # the place in the queue: the first leg's issue time
    called_at: NaiveDatetime | None = None  # the last call (a recall moves it)
    first_called_at: NaiveDatetime | None = None
    recall_count: int = 0
    started_at: NaiveDatetime | None = None
    parked_at: NaiveDatetime | None = None
    finished_at: NaiveDatetime | None = None
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    origin_id: int | None = Field(default=None, foreign_key="ticket.id")
    transferred_from_id: int | None = Field(default=None, foreign_key="ticket.id")
    customer_told_at: NaiveDatetime | None = None  # the clerk told the customer what is happening (F3)
    breach_cause: str | None = Field(default=None, max_length=20)  # why a target broke (F9)
    breach_cause_note: str = Field(default="", sa_column_kwargs={"server_default": ""})
    breach_cause_by: int | None = Field(default=None, foreign_key="staff.id")
    print_status: str | None = Field(default=None, max_length=10)  # the paper ticket: printed / failed
    # Generated by the database: wait (issue to last call), service (start to finish), issue to finish.
    wait_seconds: int | None = Field(default=None, sa_column=seconds_column("called_at", "issued_at"))
    service_seconds: int | None = Field(default=None, sa_column=seconds_column("finished_at", "started_at"))
    leg_seconds: int | None = Field(default=None, sa_column=seconds_column("finished_at", "issued_at"))


# In call-next's order (the highest priority tier first, then the place in the queue): the next customer of a
# business day is the index's first row, whatever the history (revision 0011).
Index("ix_ticket_waiting", Ticket.state, Ticket.business_date, Ticket.priority.desc(), Ticket.queue_at, Ticket.id)
# Across tiers, in queue-time order (the service last, read from the index itself): under the ageing rule the
# earliest waiting ticket is aged if any is, and is then the one called (queue/tickets.py, revision 0020).
Index("ix_ticket_queue_time", Ticket.state, Ticket.business_date, Ticket.queue_at, Ticket.id, Ticket.service_id)


class Event(SQLModel, table=True):
    """Append-only record of every state change: what, when, who, where."""

    __tablename__ = "event"
    __table_args__ = (
        # a counter's newest events (idle time, pauses), a visit's events (timeline, reprints): at any history
        Index("ix_event_counter", "counter_id", "id"),
        Index("ix_event_ticket", "ticket_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    kind: str = Field(max_length=40, index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    service_id: int | None = Field(default=None, foreign_key="service.id")
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    prev_hash: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})  # the row before's hash: see workflows/audit.py
    hash: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
