"""One year of a busy branch, bulk-inserted into a SQLite store: the data the report benchmark runs on.

    python benchmarks/generate_year.py OUT.sqlite3 [--days 365] [--per-day 2000] [--seed 7]

2,000 ticket rows a day (transfer legs included) for 365 days: 730,000 tickets, with the demo hall's
services, counters and staff, counter opening and closing events, breach causes on most breaches,
help requests and approvals on some, and feedback on about one visit in five. The queue is not
simulated: waits and service times are drawn at random around each service's typical time, heavier
at the busy hours, so that about one visit in ten breaks a target. The rows go in with executemany
(SQLAlchemy Core), not through the workflows, which would take hours and write a full event log.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import select  # noqa: E402

from counter_app.models import (  # noqa: E402
    BreachCause,
    Counter,
    CounterService,
    Escalation,
    Event,
    ExceptionApproval,
    Feedback,
    FeedbackChannel,
    Outcome,
    Service,
    Staff,
    Ticket,
    TicketState,
)
from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows.core import auth  # noqa: E402
from counter_app.workflows.replay import demo  # noqa: E402

OPENS = dt.time(8, 30)
CLOSES = dt.time(18, 30)
# Relative arrivals per hour of the day (08:00 … 18:00): a morning and an afternoon peak.
HOUR_WEIGHT = {8: 3, 9: 8, 10: 12, 11: 11, 12: 7, 13: 7, 14: 10, 15: 11, 16: 9, 17: 6, 18: 2}
SERVICE_WEIGHT = {"BB": 30, "PLAN": 20, "BILL": 35, "NEW": 8, "VIP": 7}
CAUSES = [c.value for c in BreachCause]
CAUSE_WEIGHT = [30, 25, 25, 15, 5]
BATCH = 20_000


def _arrival(rng: random.Random, day: dt.date) -> dt.datetime:
    hour = rng.choices(list(HOUR_WEIGHT), weights=list(HOUR_WEIGHT.values()))[0]
    moment = dt.datetime.combine(day, dt.time(hour)) + dt.timedelta(seconds=rng.randrange(3600))
    opens = dt.datetime.combine(day, OPENS) - dt.timedelta(minutes=15)
    closes = dt.datetime.combine(day, CLOSES) - dt.timedelta(minutes=1)
    return min(max(moment, opens), closes)


def _wait_seconds(rng: random.Random, hour: int, target_min: int) -> int:
    busy = HOUR_WEIGHT.get(hour, 5) / 12
    return int(rng.expovariate(1 / (target_min * 60 * 0.35 * (0.5 + busy))))


def _service_seconds(rng: random.Random, typical_min: float) -> int:
    return max(30, int(rng.lognormvariate(0, 0.45) * typical_min * 60))


class Generator:
    """Builds one day's rows at a time; ids are given here so legs, escalations and feedback can point at them."""

    def __init__(self, session, seed: int) -> None:
        self.rng = random.Random(seed)
        self.services = {s.code: s for s in session.exec(select(Service))}
        self.by_id = {s.id: s for s in self.services.values()}
        self.counters = {c.number: c.id for c in session.exec(select(Counter))}
        self.serves: dict[int, list[int]] = {}
        for link in session.exec(select(CounterService)):
            self.serves.setdefault(link.service_id, []).append(link.counter_id)
        staff = {s.staff_no: s.id for s in session.exec(select(Staff))}
        self.clerks = [staff[n] for n in ("S001", "S002", "S003", "S004")] + [staff["M001"]] * 2
        self.manager = staff["M001"]
        self.ticket_id = session.exec(select(sa.func.coalesce(sa.func.max(Ticket.id), 0))).one()
        self.escalation_id = 0
        self.rows: dict[str, list[dict]] = {"ticket": [], "escalation": [], "exception_approval": [],
                                            "feedback": [], "event": []}

    def day(self, day: dt.date, per_day: int) -> None:
        rng = self.rng
        codes = list(SERVICE_WEIGHT)
        seq = dict.fromkeys(codes, 0)
        arrivals = sorted(_arrival(rng, day) for _ in range(per_day))
        counter_staff = {}
        for number, counter_id in self.counters.items():
            staff_id = self.clerks[number - 1]
            counter_staff[counter_id] = staff_id
            self._event(dt.datetime.combine(day, OPENS), "counter_opened", staff_id, counter_id)
            self._event(dt.datetime.combine(day, CLOSES) + dt.timedelta(minutes=20), "counter_closed",
                        staff_id, counter_id)
        made = 0
        for issued in arrivals:
            if made >= per_day:
                break
            code = rng.choices(codes, weights=list(SERVICE_WEIGHT.values()))[0]
            seq[code] += 1
            service = self.services[code]
            number = f"{service.prefix}{seq[code]:03d}"
            transfer_to = None
            if code in ("BB", "PLAN") and rng.random() < 0.05 and made + 2 <= per_day:
                transfer_to = self.services["NEW" if code == "BB" else "BB"]
            origin = self._leg(day, service, number, seq[code], issued, issued, None, counter_staff,
                               final=transfer_to is None)
            made += 1
            if transfer_to is not None:
                self._leg(day, transfer_to, number, None, origin["finished_at"], issued, origin,
                          counter_staff, final=True)
                made += 1

    def _leg(self, day, service, number, seq, issued, queue_at, previous, counter_staff, *, final) -> dict:
        rng = self.rng
        self.ticket_id += 1
        wait = _wait_seconds(rng, issued.hour, service.target_wait_min)
        called = issued + dt.timedelta(seconds=wait)
        counter_id = rng.choice(self.serves[service.id])
        staff_id = counter_staff[counter_id]
        row = dict(id=self.ticket_id, number=number, service_id=service.id, business_date=day, seq=seq,
                   priority=service.priority, state=TicketState.DONE.value, early=issued.time() < OPENS,
                   issued_at=issued, queue_at=queue_at, called_at=called, first_called_at=called,
                   recall_count=0, counter_id=counter_id, staff_id=staff_id,
                   origin_id=previous["origin_id"] if previous else self.ticket_id,
                   transferred_from_id=previous["id"] if previous else None, breach_cause_note="")
        roll = rng.random()
        if final and roll < 0.03:
            row.update(outcome=Outcome.NO_SHOW.value, recall_count=1,
                       finished_at=called + dt.timedelta(minutes=2))
        else:
            started = called + dt.timedelta(seconds=rng.randint(20, 90))
            finished = started + dt.timedelta(seconds=_service_seconds(rng, service.typical_service_min))
            row.update(started_at=started, finished_at=finished,
                       outcome=Outcome.SERVED.value if final else Outcome.TRANSFERRED.value)
        self.rows["ticket"].append(row)
        breached = (wait >= service.target_wait_min * 60 or (
            row.get("started_at") and (row["finished_at"] - row["started_at"]).total_seconds()
            >= service.target_service_min * 60))
        if breached and rng.random() < 0.8:
            row["breach_cause"] = rng.choices(CAUSES, weights=CAUSE_WEIGHT)[0]
            row["breach_cause_by"] = staff_id
            if row["breach_cause"] == BreachCause.OTHER:
                row["breach_cause_note"] = "printer jam"
        if breached and row.get("started_at") and rng.random() < 0.3:
            self._escalation(row)
        if final and row["outcome"] == Outcome.SERVED and rng.random() < 0.2:
            self._feedback(row, breached)
        return row

    def _escalation(self, leg: dict) -> None:
        self.escalation_id += 1
        asked = leg["started_at"] + dt.timedelta(minutes=3)
        self.rows["escalation"].append(dict(
            id=self.escalation_id, ticket_id=leg["id"], counter_id=leg["counter_id"], route="senior",
            state="resolved", reason="account problem", auto=False, requested_by=leg["staff_id"],
            requested_at=asked, accepted_by=self.manager, accepted_at=asked + dt.timedelta(minutes=1),
            resolved_by=self.manager, resolved_at=leg["finished_at"], resolution_note="fixed",
            customer_explanation="explained"))
        if self.rng.random() < 0.3:
            self.rows["exception_approval"].append(dict(
                ticket_id=leg["id"], escalation_id=self.escalation_id, kind="fee_waiver", reason="old fee",
                customer_explanation="waived", remedy="", amount="", requested_by=leg["staff_id"],
                approved_by=self.manager, approved_at=leg["finished_at"]))

    def _feedback(self, leg: dict, breached: bool) -> None:
        rng = self.rng
        rating = rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 10, 30, 40] if not breached else [25, 25, 25, 15, 10])[0]
        complaint = breached and rating == 1 and rng.random() < 0.3
        self.rows["feedback"].append(dict(
            ticket_id=leg["origin_id"], reference="", staff_id=leg["staff_id"], service_id=leg["service_id"],
            counter_id=leg["counter_id"], rating=rating, reason="wait_time" if breached else "",
            comment="", channel=FeedbackChannel.FEEDBACK_WINDOW.value, is_complaint=complaint,
            cause=leg.get("breach_cause") if complaint else None,
            created_at=leg["finished_at"] + dt.timedelta(seconds=30), recorded_by=None))

    def _event(self, at: dt.datetime, kind: str, staff_id: int, counter_id: int) -> None:
        self.rows["event"].append(dict(at=at, kind=kind, staff_id=staff_id, counter_id=counter_id, data="{}",
                                       prev_hash="", hash=""))

    def flush(self, connection) -> int:
        """Write what was built; every row of a table has the same keys, as executemany needs."""
        written = 0
        for name, table in (("ticket", Ticket), ("escalation", Escalation),
                            ("exception_approval", ExceptionApproval), ("feedback", Feedback),
                            ("event", Event)):
            rows = self.rows[name]
            if not rows:
                continue
            keys = set().union(*(r.keys() for r in rows))
            for row in rows:
                for key in keys:
                    row.setdefault(key, None)
            connection.execute(sa.insert(table.__table__), rows)
            written += len(rows) if name == "ticket" else 0
            rows.clear()
        return written


def generate(path: Path, *, days: int = 365, per_day: int = 2000, seed: int = 7,
             first_day: dt.date = dt.date(2025, 1, 1)) -> int:
    """Write the year into a new store at path; returns the number of ticket rows."""
    if path.exists():
        path.unlink()
    auth.use_fast_hashing()
    store = open_store(f"sqlite:///{path}")
    try:
        with store.write() as session:
            demo.seed_demo(session, at=dt.datetime.combine(first_day, dt.time()), opens=OPENS, closes=CLOSES)
        with store.read() as session:
            generator = Generator(session, seed)
        tickets = 0
        with store.engine.begin() as connection:
            for offset in range(days):
                generator.day(first_day + dt.timedelta(days=offset), per_day)
                if len(generator.rows["ticket"]) >= BATCH or offset == days - 1:
                    tickets += generator.flush(connection)
        with store.engine.begin() as connection:  # committed: the planner's statistics are part of the store
            connection.exec_driver_sql("ANALYZE")
        return tickets
    finally:
        store.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    tickets = generate(args.out, days=args.days, per_day=args.per_day, seed=args.seed)
    print(f"{tickets} tickets over {args.days} days in {args.out} ({time.perf_counter() - start:.1f} s, "
          f"{args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
