"""The breach report over a year of a busy branch against the bare SQL that gives the same answer.

    python benchmarks/generate_year.py /tmp/year.sqlite3        # once: 730,000 tickets (~1.5 min)
    python benchmarks/bench_breach_report.py /tmp/year.sqlite3 [--runs 7] [--from DATE --to DATE]

The report (workflows/reports.breaches) returns one row per breaking visit: its times, targets and
which it broke, cause, counter, staff, escalation and approval ids, as BreachRow objects.

The baseline is the SQL one would write by hand for the same rows, run with the sqlite3 module (no
SQLAlchemy, no objects: the driver's tuples): one statement that reads the one-leg visits along the
report index and keeps the breaking ones (the targets, read from the service table first, written in as
a CASE on the service), groups the legs of
transferred visits from their partial index, keeps the breaking visits and reads only their legs again
for the first and last leg, the serving leg and the cause; and joins the escalation
and approval ids of the period's visits, grouped. It is given the same index hints as the report; without
them SQLite takes the daily-number index and reads every ticket row (about 3x slower).

Both must give the same answer: the same visits with the same values in every column, checked after
the timing (the report lists them in the order of issue; the baseline is let off the sorting). Both run
with the cyclic garbage collector paused, as the report does for its rows, and with the other side's
rows freed. The two are interleaved, so that a busy moment of the machine hits both.
Goal (issue 5): the report under 1 s and <= 2x the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows import reports  # noqa: E402
from counter_app.workflows.report_scope import gc_paused  # noqa: E402

GOAL_S = 1.0
GOAL_RATIO = 2.0

# {wait}, {service}, {total}: the targets in seconds, as a CASE on t.service_id (bare_sql)
BARE_SQL = """
WITH one_leg AS (
    SELECT t.id, t.business_date, t.number, t.service_id, t.issued_at, t.finished_at, 1 AS legs,
           t.wait_seconds AS wait_s, {wait} AS wait_target, t.service_seconds AS service_s, {service} AS service_target,
           CASE WHEN t.outcome = 'served' THEN t.leg_seconds END AS total_s, {total} AS total_target,
           coalesce(t.breach_cause, '') AS cause, t.breach_cause_note AS note, t.counter_id, t.staff_id,
           t.wait_seconds >= {wait}, t.service_seconds >= {service}
    FROM ticket t INDEXED BY ix_ticket_report
    WHERE t.business_date BETWEEN :date_from AND :date_to
      AND t.id = t.origin_id AND t.outcome IS NOT 'transferred'
      AND (t.wait_seconds >= {wait} OR t.service_seconds >= {service}
           OR (t.outcome = 'served' AND t.leg_seconds >= {total}))
), joined AS (
    SELECT t.origin_id, count(*) AS legs, sum(t.wait_seconds) AS wait_s, sum(t.service_seconds) AS service_s,
           max(t.wait_seconds >= s.target_wait_min * 60) AS wait_broken,
           max(t.service_seconds >= s.target_service_min * 60) AS service_broken,
           sum((s.target_wait_min + s.target_service_min) * 60) AS total_target,
           count(t.outcome) = count(*) AS ended, max(t.id) AS last_id
    FROM ticket t INDEXED BY ix_ticket_transfer JOIN service s ON s.id = t.service_id
    WHERE t.business_date BETWEEN :date_from AND :date_to AND (t.id <> t.origin_id OR t.outcome = 'transferred')
    GROUP BY t.origin_id
    HAVING wait_broken OR service_broken  -- a transfer issues the next leg as it ends the last: the legs add up
        OR (ended AND sum(t.outcome = 'served') = 1 AND sum(t.leg_seconds) >= total_target)
), multi_leg AS (
    SELECT f.id, f.business_date, f.number, f.service_id, f.issued_at,
           CASE WHEN j.ended THEN l.finished_at END AS finished_at, j.legs, j.wait_s, s.target_wait_min * 60,
           j.service_s, s.target_service_min * 60,
           CASE WHEN j.ended AND l.outcome = 'served'
                THEN CAST(round((julianday(l.finished_at) - julianday(f.issued_at)) * 86400) AS INTEGER) END AS total_s,
           j.total_target,
           coalesce((SELECT c.breach_cause FROM ticket c WHERE c.origin_id = f.id AND c.breach_cause <> ''
                     ORDER BY c.id DESC LIMIT 1), '') AS cause,
           coalesce((SELECT c.breach_cause_note FROM ticket c WHERE c.origin_id = f.id AND c.breach_cause <> ''
                     ORDER BY c.id DESC LIMIT 1), '') AS note,
           (SELECT v.counter_id FROM ticket v WHERE v.origin_id = f.id ORDER BY v.started_at IS NOT NULL DESC,
                   v.counter_id IS NOT NULL DESC, v.id DESC LIMIT 1) AS counter_id,
           (SELECT v.staff_id FROM ticket v WHERE v.origin_id = f.id ORDER BY v.started_at IS NOT NULL DESC,
                   v.counter_id IS NOT NULL DESC, v.id DESC LIMIT 1) AS staff_id,
           j.wait_broken, j.service_broken
    FROM joined j JOIN ticket f ON f.id = j.origin_id JOIN ticket l ON l.id = j.last_id
         JOIN service s ON s.id = f.service_id
), escalations AS (
    SELECT g.origin_id, group_concat(x.id) AS ids FROM escalation x CROSS JOIN ticket g ON g.id = x.ticket_id
    WHERE g.business_date BETWEEN :date_from AND :date_to GROUP BY g.origin_id
), approvals AS (
    SELECT g.origin_id, group_concat(x.id) AS ids FROM exception_approval x CROSS JOIN ticket g ON g.id = x.ticket_id
    WHERE g.business_date BETWEEN :date_from AND :date_to GROUP BY g.origin_id
), breaking AS (
    SELECT * FROM one_leg
    UNION ALL
    SELECT * FROM multi_leg
)
SELECT v.*, e.ids, a.ids
FROM breaking v LEFT JOIN escalations e ON e.origin_id = v.id LEFT JOIN approvals a ON a.origin_id = v.id
"""


def bare_sql(bare: sqlite3.Connection) -> str:
    """The statement with the services' targets written in (a CASE on the service, cheaper than a join per leg)."""
    targets = bare.execute("SELECT id, target_wait_min * 60, target_service_min * 60 FROM service").fetchall()

    def case(seconds) -> str:
        return "CASE t.service_id " + " ".join(f"WHEN {sid} THEN {seconds(w, s)}" for sid, w, s in targets) + " END"

    return BARE_SQL.format(wait=case(lambda w, _s: w), service=case(lambda _w, s: s), total=case(lambda w, s: w + s))


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _ids(text: str | None) -> tuple[int, ...]:
    return tuple(sorted(int(i) for i in text.split(","))) if text else ()


def bare_answer(bare: sqlite3.Connection, rows: list[tuple]) -> list[tuple]:
    """The baseline's rows in the report's terms (codes, counter numbers, staff numbers, which targets broke)."""
    codes = dict(bare.execute("SELECT id, code FROM service"))
    counters = dict(bare.execute("SELECT id, number FROM counter"))
    staff = dict(bare.execute("SELECT id, staff_no FROM staff"))
    answer = []
    for (ticket_id, day, number, service_id, issued, finished, legs, wait_s, wait_target, service_s, service_target,
         total_s, total_target, cause, note, counter_id, staff_id, wait_broken, service_broken, escalations,
         approvals) in rows:
        broken = tuple(name for name, hit in (("wait", wait_broken), ("service", service_broken),
                                              ("total", total_s is not None and total_s >= total_target)) if hit)
        answer.append((ticket_id, dt.date.fromisoformat(day), number, codes[service_id],
                       dt.datetime.fromisoformat(issued), dt.datetime.fromisoformat(finished) if finished else None,
                       legs, wait_s, wait_target, service_s, service_target, total_s, total_target, broken, cause,
                       note or "", counters.get(counter_id), staff.get(staff_id, ""), _ids(escalations),
                       _ids(approvals)))
    return answer


def report_answer(rows: list[reports.BreachRow]) -> list[tuple]:
    return [(r.ticket_id, r.business_date, r.number, r.service_code, r.issued_at, r.finished_at, r.legs, r.wait_s,
             r.wait_target_s, r.service_s, r.service_target_s, r.total_s, r.total_target_s, r.broken, r.cause,
             r.cause_note, r.counter, r.staff_no, tuple(sorted(r.escalations)), tuple(sorted(r.approvals)))
            for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--from", dest="date_from", default="2025-01-01")
    parser.add_argument("--to", dest="date_to", default="2025-12-31")
    args = parser.parse_args(argv)

    store = open_store(f"sqlite:///{args.store}")  # a store generated before the newest schema gets its indexes
    f = reports.ReportFilter(dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to))
    bare = sqlite3.connect(args.store)
    period = {"date_from": args.date_from, "date_to": args.date_to}
    statement = bare_sql(bare)

    def report():
        with store.read() as session:
            return reports.breaches(session, f)

    def baseline():
        with gc_paused():  # as the report builds its rows: the collector would walk the tuples again and again
            return bare.execute(statement, period).fetchall()

    report()  # warm the page cache and the statement caches on both sides alike
    baseline()
    report_times, base_times = [], []
    rows = bare_rows = None
    for _ in range(args.runs):
        rows = bare_rows = None  # each side starts with the other's rows gone
        seconds, rows = timed(report)
        report_times.append(seconds)
        rows = None
        seconds, bare_rows = timed(baseline)
        base_times.append(seconds)
    rows = report()
    mine, theirs = report_answer(rows), sorted(bare_answer(bare, bare_rows))
    same_visits = [r[0] for r in mine] == [r[0] for r in theirs]  # and the report's in the order of issue
    same = mine == theirs
    if not same:
        differ = next((m, t) for m, t in zip(mine, theirs, strict=False) if m != t)
        print(f"first difference:\n  report {differ[0]}\n  bare   {differ[1]}")
    tickets = bare.execute("SELECT count(*) FROM ticket WHERE business_date BETWEEN ? AND ?",
                           (args.date_from, args.date_to)).fetchone()[0]
    report_s, base_s = statistics.median(report_times), statistics.median(base_times)
    ratio = report_s / base_s
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"store: {args.store} ({tickets} tickets, {args.date_from} to {args.date_to}); "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load}")
    print(f"breaching visits: report {len(rows)}, bare SQL {len(bare_rows)}, same visits: {same_visits}, "
          f"same values in every column: {same}")
    print(f"breach report:  {report_s:7.3f} s  (median of {args.runs}; fastest {min(report_times):.3f} s)")
    print(f"bare SQL:       {base_s:7.3f} s  (median of {args.runs}; fastest {min(base_times):.3f} s)")
    print(f"ratio:          {ratio:7.2f} x   (goal <= {GOAL_RATIO} x, report under {GOAL_S:.0f} s)")
    met = same and ratio <= GOAL_RATIO and report_s < GOAL_S
    print("goal met" if met else "goal NOT met")
    store.dispose()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
