"""The breach report over a year of a busy branch against the bare SQL aggregate in the same run.

    python benchmarks/generate_year.py /tmp/year.sqlite3        # once: 730,000 tickets (~1.5 min)
    python benchmarks/bench_breach_report.py /tmp/year.sqlite3 [--runs 7] [--from DATE --to DATE]

What the reports window does when the breach report is opened (issue 5's goal: under 1 s and <= 2x the
bare SQL): `breach_summary` counts the breaking visits per day, service and cause — from the tallies of
the days that are over (workflows/tallies.py), the rest from the tickets — and `breach_page` reads the
first 500 rows along the report index. The baseline is the bare SQL aggregate: one statement, run with
the sqlite3 module, that counts the same visits per day, service and cause from the tickets (the
one-leg visits along the report index with each service's targets written in as a CASE, the visits with
a transfer grouped from their partial index). Both must give the same counts, checked after the timing.

Before the timing the past days of the period are tallied, as closing each day does (timed, once). Two
more comparisons are printed, so that nothing is hidden behind the tallies:
- counted from the tickets: the same counts without tallies (a store whose days were never tallied),
  against the same bare aggregate;
- the whole list: every breaking visit as a BreachRow (what the exports write), against the bare SQL that
  returns the same rows (BARE_SQL), compared column by column.
The sides run interleaved, so that a busy moment of the machine hits both, with the cyclic garbage
collector paused as the report does for its rows.
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

from counter_app.clock import VirtualClock  # noqa: E402
from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows import reports  # noqa: E402
from counter_app.workflows.reports import breach_report, closing  # noqa: E402
from counter_app.workflows.reports.scope import gc_paused  # noqa: E402

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

# The same counts the summary gives, per day, service (the visit's first) and cause, from the tickets alone.
BARE_AGGREGATE = """
WITH one_leg AS (
    SELECT t.business_date, t.service_id, coalesce(t.breach_cause, '') AS cause, count(*) AS visits
    FROM ticket t INDEXED BY ix_ticket_report
    WHERE t.business_date BETWEEN :date_from AND :date_to
      AND t.id = t.origin_id AND t.outcome IS NOT 'transferred'
      AND (t.wait_seconds >= {wait} OR t.service_seconds >= {service}
           OR (t.outcome = 'served' AND t.leg_seconds >= {total}))
    GROUP BY t.business_date, t.service_id, cause
), joined AS (
    SELECT t.origin_id
    FROM ticket t INDEXED BY ix_ticket_transfer JOIN service s ON s.id = t.service_id
    WHERE t.business_date BETWEEN :date_from AND :date_to AND (t.id <> t.origin_id OR t.outcome = 'transferred')
    GROUP BY t.origin_id
    HAVING max(t.wait_seconds >= s.target_wait_min * 60) OR max(t.service_seconds >= s.target_service_min * 60)
        OR (count(t.outcome) = count(*) AND sum(t.outcome = 'served') = 1
            AND sum(t.leg_seconds) >= sum((s.target_wait_min + s.target_service_min) * 60))
), multi_leg AS (
    SELECT f.business_date, f.service_id,
           coalesce((SELECT c.breach_cause FROM ticket c WHERE c.origin_id = f.id AND c.breach_cause <> ''
                     ORDER BY c.id DESC LIMIT 1), '') AS cause, count(*) AS visits
    FROM joined j JOIN ticket f ON f.id = j.origin_id
    GROUP BY f.business_date, f.service_id, cause
)
SELECT * FROM one_leg UNION ALL SELECT * FROM multi_leg
"""


def bare_sql(bare: sqlite3.Connection, statement: str = BARE_SQL) -> str:
    """The statement with the services' targets written in (a CASE on the service, cheaper than a join per leg)."""
    targets = bare.execute("SELECT id, target_wait_min * 60, target_service_min * 60 FROM service").fetchall()

    def case(seconds) -> str:
        return "CASE t.service_id " + " ".join(f"WHEN {sid} THEN {seconds(w, s)}" for sid, w, s in targets) + " END"

    return statement.format(wait=case(lambda w, _s: w), service=case(lambda _w, s: s), total=case(lambda w, s: w + s))


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


def bare_counts(rows: list[tuple]) -> dict[tuple[dt.date, int, str], int]:
    counts: dict[tuple[dt.date, int, str], int] = {}
    for day, service_id, cause, visits in rows:
        key = (dt.date.fromisoformat(day), service_id, cause)
        counts[key] = counts.get(key, 0) + visits
    return counts


def interleaved(runs: int, *sides) -> list[list[float]]:
    """Each side timed `runs` times, taking turns; returns the times per side."""
    times: list[list[float]] = [[] for _ in sides]
    for _ in range(runs):
        for i, side in enumerate(sides):
            seconds, _result = timed(side)
            times[i].append(seconds)
    return times


def line(name: str, times: list[float]) -> str:
    return f"{name:<34}{statistics.median(times):7.3f} s  (median of {len(times)}; fastest {min(times):.3f} s)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--from", dest="date_from", default="2025-01-01")
    parser.add_argument("--to", dest="date_to", default="2025-12-31")
    args = parser.parse_args(argv)

    store = open_store(f"sqlite:///{args.store}")  # a store generated before the newest schema gets its tables
    f = reports.ReportFilter(dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to))
    bare = sqlite3.connect(args.store)
    period = {"date_from": args.date_from, "date_to": args.date_to}
    whole_statement, aggregate_statement = bare_sql(bare), bare_sql(bare, BARE_AGGREGATE)

    # The days of the period are over: tally them, as closing each day does.
    clock = VirtualClock(dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time(8)))
    seconds, tallied = timed(lambda: _tally(store, clock))
    print(f"tallied {len(tallied)} days not tallied before in {seconds:.2f} s (once; closing a day tallies that day)")

    def window():
        with store.read() as session:
            return breach_report.breach_summary(session, f), breach_report.breach_page(session, f)

    def from_tickets():
        with store.read() as session:
            days = [f.date_from + dt.timedelta(days=n) for n in range((f.date_to - f.date_from).days + 1)]
            return breach_report.counted_from_tickets(session, days)

    def aggregate():
        return bare.execute(aggregate_statement, period).fetchall()

    def whole():
        with store.read() as session:
            return reports.breaches(session, f)

    def whole_bare():
        with gc_paused():  # as the report builds its rows: the collector would walk the tuples again and again
            return bare.execute(whole_statement, period).fetchall()

    for side in (window, from_tickets, aggregate, whole, whole_bare):
        side()  # warm the page cache and the statement caches on every side alike
    window_s, tickets_s, aggregate_s = interleaved(args.runs, window, from_tickets, aggregate)
    whole_s, whole_bare_s = interleaved(args.runs, whole, whole_bare)

    summary, page = window()
    bare_rows = aggregate()
    expected = bare_counts(bare_rows)
    same_counts = summary.counts == expected and from_tickets() == expected
    rows = whole()
    mine, theirs = report_answer(rows), sorted(bare_answer(bare, whole_bare()))
    same_rows = mine == theirs and report_answer(page) == theirs[:len(page)]
    if not same_rows:
        differ = next(((m, t) for m, t in zip(mine, theirs, strict=False) if m != t), (len(mine), len(theirs)))
        print(f"first difference:\n  report {differ[0]}\n  bare   {differ[1]}")

    tickets = bare.execute("SELECT count(*) FROM ticket WHERE business_date BETWEEN ? AND ?",
                           (args.date_from, args.date_to)).fetchone()[0]
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"store: {args.store} ({tickets} tickets, {args.date_from} to {args.date_to}); "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs, load average {load}")
    print(f"breaching visits: {summary.visits} ({summary.tallied} days from tallies); first page {len(page)} rows; "
          f"same counts as the bare aggregate: {same_counts}; same rows as the bare SQL: {same_rows}")
    print(line("breach report (summary + page):", window_s))
    print(line("bare SQL aggregate:", aggregate_s))
    ratio = statistics.median(window_s) / statistics.median(aggregate_s)
    print(f"{'ratio:':<34}{ratio:7.2f} x   (goal <= {GOAL_RATIO} x, report under {GOAL_S:.0f} s)")
    print(line("counted from the tickets:", tickets_s)
          + f"  {statistics.median(tickets_s) / statistics.median(aggregate_s):.2f} x the bare aggregate")
    print(line("whole list (exports):", whole_s))
    print(line("bare SQL, whole list:", whole_bare_s)
          + f"  the list is {statistics.median(whole_s) / statistics.median(whole_bare_s):.2f} x")
    met = same_counts and same_rows and ratio <= GOAL_RATIO and statistics.median(window_s) < GOAL_S
    print("goal met" if met else "goal NOT met")
    store.dispose()
    return 0 if same_counts and same_rows else 1


def _tally(store, clock) -> list[dt.date]:
    with store.write() as session:
        return closing.tally_days(session, clock)


if __name__ == "__main__":
    sys.exit(main())
