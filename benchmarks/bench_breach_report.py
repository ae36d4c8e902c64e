"""The breach report over a year of a busy branch against one bare SQL query selecting the same breaches.

    python benchmarks/generate_year.py /tmp/year.sqlite3        # once: 730,000 tickets (~2 min)
    python benchmarks/bench_breach_report.py /tmp/year.sqlite3 [--runs 5]

The report (workflows/reports.breaches) returns one row per breaking visit with its times, targets,
cause, counter, staff, escalation and approval ids. The baseline is the query one would write by hand
on the same store: every leg of the year grouped into visits, the targets joined, the breaking visits
kept (HAVING), fetched with the sqlite3 driver. Both must find the same visits; the two are
interleaved so that a busy moment of the machine hits both.
Goal (issue 5): the report under 1 s and <= 2x the baseline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter_app.models.db import open_store  # noqa: E402
from counter_app.workflows import reports  # noqa: E402

GOAL_S = 1.0
GOAL_RATIO = 2.0

BARE_SQL = """
SELECT t.origin_id,
       min(t.number),
       sum(t.wait_seconds),
       sum(t.service_seconds),
       max(t.wait_seconds >= s.target_wait_min * 60) AS wait_broken,
       max(t.service_seconds >= s.target_service_min * 60) AS service_broken,
       CASE WHEN count(t.outcome) = count(*) AND sum(t.outcome = 'served') = 1
            THEN round((julianday(max(t.finished_at)) - julianday(min(t.issued_at))) * 86400) END AS total,
       sum(s.target_wait_min + s.target_service_min) * 60 AS total_target,
       max(t.breach_cause)
FROM ticket t JOIN service s ON s.id = t.service_id
WHERE t.business_date BETWEEN ? AND ?
GROUP BY t.origin_id
HAVING wait_broken OR service_broken OR total >= total_target
"""


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--from", dest="date_from", default="2025-01-01")
    parser.add_argument("--to", dest="date_to", default="2025-12-31")
    args = parser.parse_args(argv)

    store = open_store(f"sqlite:///{args.store}", upgrade=False)
    f = reports.ReportFilter(dt.date.fromisoformat(args.date_from), dt.date.fromisoformat(args.date_to))
    bare = sqlite3.connect(args.store)

    def report():
        with store.read() as session:
            return reports.breaches(session, f)

    def baseline():
        return bare.execute(BARE_SQL, (args.date_from, args.date_to)).fetchall()

    report()  # warm the page cache and the statement caches on both sides alike
    baseline()
    report_times, base_times = [], []
    for _ in range(args.runs):
        seconds, rows = timed(report)
        report_times.append(seconds)
        seconds, bare_rows = timed(baseline)
        base_times.append(seconds)
    same = {r.ticket_id for r in rows} == {r[0] for r in bare_rows}
    tickets = bare.execute("SELECT count(*) FROM ticket WHERE business_date BETWEEN ? AND ?",
                           (args.date_from, args.date_to)).fetchone()[0]
    report_s, base_s = statistics.median(report_times), statistics.median(base_times)
    ratio = report_s / base_s
    print(f"store: {args.store} ({tickets} tickets, {args.date_from} to {args.date_to})")
    print(f"breaching visits: report {len(rows)}, bare SQL {len(bare_rows)}, same visits: {same}")
    print(f"breach report:  {report_s:7.3f} s  (median of {args.runs})")
    print(f"bare SQL:       {base_s:7.3f} s")
    print(f"ratio:          {ratio:7.2f} x   (goal <= {GOAL_RATIO} x, report under {GOAL_S:.0f} s)")
    met = same and ratio <= GOAL_RATIO and report_s < GOAL_S
    print("goal met" if met else "goal NOT met")
    store.dispose()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
