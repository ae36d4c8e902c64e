"""Every row of the speed table (issue 12), each beside its bare baseline measured in the same run.

    python benchmarks/run.py [--quick] [--pg URL] [--only NAME ...]

Rows (docs/performance.md records a full run and the machine it ran on):
  call-next      a counter's call-next with 5,000 customers waiting (SQLite), p50 / p99;
                 bare: the same pick and update as two SQL statements on the sqlite3 module
  issue          a kiosk's ticket, p50; bare: read the highest number and insert the row
  counters       8 counter processes calling, starting and finishing at once (SQLite, and PostgreSQL
                 with --pg): cycles/s and call p99; bare: the same three updates from 8 processes.
                 Then: no ticket called twice, none lost, no "database is locked" reaching a user
  start          cold start (`python -m counter_app --role …`): the start screen's first paint, and the display's
                 and the kiosk's window; bare: a PySide6 label
  csv            a year's breach report written as CSV; bare: the same rows by sqlite3 into csv.writer
  history        the display's refresh and a ticket's issue on a store with a year of history
                 (500,000 past tickets), against the same on an empty store
  notify         (with --pg) a ticket issued in one process reaching a window backend in another: with
                 LISTEN/NOTIFY and with polling alone, p50 / p99; bare: a psycopg connection on the channel
  planning       the planning desk with 5,000 open orders: every committed date (CPM on the working
                 calendar) and a rush order's impact, goal under 100 ms together; bare: the same network's
                 forward pass in plain Python, one grouped sqlite3 query and a running sum (bench_planning.py)
  customers      a lookup by phone among 1,000,000 customers (goal under 5 ms) and the history of a customer
                 with 500 visits (goal under 50 ms); bare: the indexed sqlite3 query alone (bench_customers.py)

--quick (CI) runs each row on a small store for a few rounds: it proves the command works; the numbers
are not the table's. Benchmarks are not timed tests: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import multiprocessing as mp
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FIRST_DAY = dt.date(2025, 1, 1)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def quantiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.99) - 1)]


def line(name: str, app: str, bare: str, ratio: float | None) -> None:
    ratio_text = f"{ratio:.1f}x" if ratio is not None else "-"
    print(f"{name:<34} {app:<28} {bare:<28} {ratio_text}", flush=True)


# -- stores ----------------------------------------------------------------------------------------


def demo_store(where: Path | str, *, counters: int = 6):
    """The demo hall at a SQLite path or a database URL, with `counters` counters serving every service and a
    clerk for each (B001, B002, …)."""
    from sqlmodel import select

    from counter_app.models import Counter, CounterService, Role, Service, Staff
    from counter_app.models.db import open_store
    from counter_app.workflows.core import auth
    from counter_app.workflows.replay import demo

    auth.use_fast_hashing()
    url = where if isinstance(where, str) else f"sqlite:///{where}"
    store = open_store(url, create=True)
    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime.combine(FIRST_DAY, dt.time(7)), opens=dt.time(0),
                       closes=dt.time(0))
        services = list(session.exec(select(Service)))
        for number in range(7, counters + 1):  # more counters than the demo hall's six, serving everything
            counter = Counter(number=number)
            session.add(counter)
            session.flush()
            session.add_all(CounterService(counter_id=counter.id, service_id=s.id) for s in services)
        password = auth.hash_password(demo.DEMO_PASSWORD)
        session.add_all(Staff(staff_no=f"B{n:03d}", name=f"Clerk {n}", role=Role.CLERK, password_hash=password)
                        for n in range(1, counters + 1))
    return store


def year_store(folder: Path, days: int, per_day: int) -> Path:
    import generate_year

    path = folder / f"year-{days}x{per_day}.sqlite3"
    if not path.exists():
        generate_year.generate(path, days=days, per_day=per_day, first_day=FIRST_DAY)
        from counter_app.models.db import open_store

        open_store(f"sqlite:///{path}").dispose()  # brought to the newest schema
        with sqlite3.connect(path) as db:
            db.execute("ANALYZE")
    return path


def sign_in(store, clock, counter: int, staff_no: str) -> int:
    from counter_app.workflows.queue import counters
    from counter_app.workflows.replay import demo

    with store.write() as session:
        login = counters.login(session, clock, counter_number=counter, staff_no=staff_no, password=demo.DEMO_PASSWORD)
    with store.write() as session:
        counters.open_counter(session, clock, counter_number=counter, staff_id=login.staff_id)
    return login.staff_id


# -- call-next and issue ------------------------------------------------------------------------------


def bare_queue(path: Path, waiting: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # as the app's store
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, service INTEGER, day TEXT, seq INTEGER, state TEXT, "
               "priority INTEGER, queue_at TEXT, counter INTEGER)")
    db.execute("CREATE INDEX ix ON t (state, day, priority DESC, queue_at, id)")
    db.execute("CREATE UNIQUE INDEX uq ON t (service, day, seq)")
    db.executemany("INSERT INTO t (service, day, seq, state, priority, queue_at) VALUES (1, '2026-03-02', ?, "
                   "'waiting', 0, ?)", [(n, f"2026-03-02 09:{n % 60:02d}") for n in range(1, waiting + 1)])
    return db


def bare_call(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    row = db.execute("SELECT id FROM t WHERE state = 'waiting' AND day = '2026-03-02' "
                     "ORDER BY priority DESC, queue_at, id LIMIT 1").fetchone()
    db.execute("UPDATE t SET state = 'called', counter = 1 WHERE id = ?", row)
    db.execute("COMMIT")


def bare_issue(db: sqlite3.Connection) -> None:
    db.execute("BEGIN IMMEDIATE")
    seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM t WHERE service = 2 AND day = '2026-03-02'").fetchone()[0]
    db.execute("INSERT INTO t (service, day, seq, state, priority, queue_at) VALUES (2, '2026-03-02', ?, 'waiting', "
               "0, '2026-03-02 10:00')", (seq,))
    db.execute("COMMIT")


def timed(action, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def row_call_next_and_issue(folder: Path, quick: bool) -> None:
    from counter_app.clock import VirtualClock
    from counter_app.workflows.queue import tickets

    waiting = 300 if quick else 5000
    rounds = 30 if quick else 300
    store = demo_store(folder / "queue.sqlite3")
    clock = VirtualClock(dt.datetime(2026, 3, 2, 8, 0))
    for _ in range(waiting):
        with store.write() as session:
            tickets.issue_ticket(session, clock, service_code="BILL")
        clock.advance(seconds=1)
    staff = sign_in(store, clock, 4, "S001")
    bare = bare_queue(folder / "bare.sqlite3", waiting)

    def call() -> None:
        with store.write() as session:
            tickets.call_next(session, clock, counter_number=4, staff_id=staff)

    def finish() -> None:
        with store.write() as session:
            tickets.start_service(session, clock, counter_number=4, staff_id=staff)
        with store.write() as session:
            tickets.finish_service(session, clock, counter_number=4, staff_id=staff)

    app, base = [], []
    for done in range(rounds):  # interleaved, so that a busy moment of the machine hits both sides
        app += timed(call, 1)
        finish()
        base += timed(lambda: bare_call(bare), 1)
        if done % 10 == 9:  # as the counter's window does every 2 s, off the click (ui/common/backend.py)
            store.checkpoint()
    (a50, a99), (b50, b99) = quantiles(app), quantiles(base)
    line(f"call-next, {waiting} waiting, p50/p99", f"{ms(a50)} / {ms(a99)} ms", f"{ms(b50)} / {ms(b99)} ms",
         a50 / b50)

    def issue() -> None:
        with store.write() as session:
            tickets.issue_ticket(session, clock, service_code="BB")

    app = timed(issue, rounds)
    base = timed(lambda: bare_issue(bare), rounds)
    line("issue a ticket, p50", f"{ms(statistics.median(app))} ms", f"{ms(statistics.median(base))} ms",
         statistics.median(app) / statistics.median(base))
    store.dispose()
    bare.close()


# -- eight counters at once ------------------------------------------------------------------------------


def _counter_worker(url: str, counter: int, staff_no: str, seconds: float, start_at: float, out) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from counter_app.clock import SystemClock
    from counter_app.errors import AppError
    from counter_app.models.db import Store, store_busy
    from counter_app.workflows.core import auth
    from counter_app.workflows.queue import counters, tickets
    from counter_app.workflows.replay import demo

    auth.use_fast_hashing()
    store, clock = Store(url), SystemClock()
    with store.write() as session:
        staff = counters.login(session, clock, counter_number=counter, staff_no=staff_no,
                               password=demo.DEMO_PASSWORD).staff_id
    with store.write() as session:
        counters.open_counter(session, clock, counter_number=counter, staff_id=staff)
    while time.time() < start_at:
        time.sleep(0.001)
    cycles, calls, failures, called = 0, [], 0, []
    deadline = time.time() + seconds

    def checkpoints() -> None:  # the counter's window copies SQLite's write-ahead log every 2 s, off the clicks
        while time.time() < deadline:
            time.sleep(2.0)
            store.checkpoint()

    threading.Thread(target=checkpoints, daemon=True).start()
    while time.time() < deadline:
        try:
            started = time.perf_counter()
            with store.write(wait_ms=1500) as session:
                change = tickets.call_next(session, clock, counter_number=counter, staff_id=staff)
            calls.append(time.perf_counter() - started)
            called.append(change.ticket_id)
            for step in (tickets.start_service, tickets.finish_service):
                with store.write() as session:
                    step(session, clock, counter_number=counter, staff_id=staff)
            cycles += 1
        except AppError:
            break  # nobody left waiting
        except SQLAlchemyError as exc:
            if not store_busy(exc):
                raise
            failures += 1  # what a user would see: "busy, try again"
    store.dispose()
    out.put((cycles, calls, failures, called))


def _bare_counter_worker(path: str, counter: int, seconds: float, start_at: float, out) -> None:
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    db.execute("PRAGMA synchronous=NORMAL")  # as the app's store
    while time.time() < start_at:
        time.sleep(0.001)
    cycles, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT id FROM t WHERE state = 'waiting' AND day = '2026-03-02' "
                         "ORDER BY priority DESC, queue_at, id LIMIT 1").fetchone()
        if row is None:
            db.execute("COMMIT")
            break
        db.execute("UPDATE t SET state = 'called', counter = ? WHERE id = ?", (counter, row[0]))
        db.execute("COMMIT")
        for state in ("serving", "done"):
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE t SET state = ? WHERE id = ?", (state, row[0]))
            db.execute("COMMIT")
        cycles += 1
    out.put((cycles, [], 0, []))


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def bare_pg_queue(url: str, waiting: int) -> None:
    import psycopg

    with psycopg.connect(_pg_dsn(url), autocommit=True) as db:
        db.execute("DROP TABLE IF EXISTS bare_t")
        db.execute("CREATE TABLE bare_t (id SERIAL PRIMARY KEY, day TEXT, state TEXT, priority INTEGER, "
                   "queue_at TEXT, counter INTEGER)")
        db.execute("INSERT INTO bare_t (day, state, priority, queue_at) SELECT '2026-03-02', 'waiting', 0, "
                   "to_char(n, 'FM0000000') FROM generate_series(1, %s) AS n", (waiting,))
        db.execute("CREATE INDEX bare_ix ON bare_t (state, day, priority DESC, queue_at, id)")
        db.execute("ANALYZE bare_t")


def _bare_pg_counter_worker(url: str, counter: int, seconds: float, start_at: float, out) -> None:
    import psycopg

    db = psycopg.connect(_pg_dsn(url))
    while time.time() < start_at:
        time.sleep(0.001)
    cycles, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        with db.transaction():
            row = db.execute("SELECT id FROM bare_t WHERE state = 'waiting' AND day = '2026-03-02' ORDER BY "
                             "priority DESC, queue_at, id LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()
            if row is None:
                break
            db.execute("UPDATE bare_t SET state = 'called', counter = %s WHERE id = %s", (counter, row[0]))
        for state in ("serving", "done"):
            with db.transaction():
                db.execute("UPDATE bare_t SET state = %s WHERE id = %s", (state, row[0]))
        cycles += 1
    db.close()
    out.put((cycles, [], 0, []))


def _run_processes(target, args_for, processes: int, seconds: float) -> tuple[float, list[float], int, list[int]]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 3.0  # every process signed in and waiting at the line
    workers = [ctx.Process(target=target, args=(*args_for(n), seconds, start_at, out)) for n in range(processes)]
    for w in workers:
        w.start()
    results = [out.get(timeout=120 + seconds) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    cycles = sum(r[0] for r in results)
    return cycles / seconds, [c for r in results for c in r[1]], sum(r[2] for r in results), \
        [t for r in results for t in r[3]]


def row_counters(folder: Path, quick: bool, pg: str | None) -> None:
    from sqlmodel import func, select

    from counter_app.clock import SystemClock
    from counter_app.models import Ticket
    from counter_app.workflows.queue import tickets

    processes, seconds = (8, 2.0) if quick else (8, 10.0)
    targets = [("SQLite", f"sqlite:///{folder / 'counters.sqlite3'}")] + ([("PostgreSQL", pg)] if pg else [])
    bare_path = folder / "bare-counters.sqlite3"
    bare = bare_queue(bare_path, 400_000)  # more than 8 processes can take in the run: never runs dry
    bare.close()
    sqlite_rate, _, _, _ = _run_processes(_bare_counter_worker, lambda n: (str(bare_path), n + 1), processes,
                                          seconds)
    for name, url in targets:
        store = demo_store(url, counters=processes)
        clock = SystemClock()
        for _ in range(300 if quick else 16_000):  # more than eight counters call in the run: never runs dry
            with store.write() as session:
                tickets.issue_ticket(session, clock, service_code="BILL")
        app_rate, calls, failures, called = _run_processes(
            _counter_worker, lambda n, url=url: (url, n + 1, f"B{n + 1:03d}"), processes, seconds)
        _, p99 = quantiles(calls) if calls else (0, 0)
        with store.read() as session:
            total = session.exec(select(func.count()).select_from(Ticket)).one()
        store.dispose()
        rate = sqlite_rate
        if not url.startswith("sqlite"):  # the bare side on the same server, after the app's run
            bare_pg_queue(url, 400_000)
            rate, _, _, _ = _run_processes(_bare_pg_counter_worker, lambda n, url=url: (url, n + 1), processes,
                                           seconds)
        line(f"{processes} counters, {name}, cycles/s", f"{app_rate:.0f}/s, call p99 {ms(p99)} ms",
             f"{rate:.0f}/s", app_rate / rate if rate else None)
        print(f"    {len(called)} calls, {len(called) - len(set(called))} called twice, {failures} 'busy' "
              f"answers, {total} tickets in the store", flush=True)


# -- cold start -------------------------------------------------------------------------------------------

BARE_START = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
window = QLabel("A012 → 3")
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", type(obj).__name__, time.time(), flush=True)
            QTimer.singleShot(0, app.quit)
        return False
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def row_start(folder: Path, quick: bool) -> None:
    """The app is started as a user starts it (`python -m counter_app --role …`), its start screen and its window
    report their first paint (COUNTER_APP_PAINT_TIMES, ui/starting.py); the bare side is a PySide6 label."""
    store = demo_store(folder / "start.sqlite3")
    store.dispose()
    data = folder / "start-data"  # kept between rounds: the day's backup is made by the first start only
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), COUNTER_APP_PAINT_TIMES="1",
               COUNTER_APP_DATA_DIR=str(data))
    rounds = 1 if quick else 3

    def once(command: list[str]) -> dict[str, float]:
        started = time.time()
        done = subprocess.run([sys.executable, *command], capture_output=True, text=True, env=env, timeout=120,
                              cwd=ROOT)
        painted = {}
        for words in (line.split() for line in done.stdout.splitlines()):
            if len(words) == 3 and words[0] == "painted":
                painted.setdefault(words[1], float(words[2]) - started)
        if not painted:
            raise SystemExit(f"{command} did not paint: {done.stderr[-800:]}")
        return painted

    bare = statistics.median(once(["-c", BARE_START])["QLabel"] for _ in range(rounds))
    once(["-m", "counter_app", "--role", "display", "--windowed", "--db", f"sqlite:///{folder / 'start.sqlite3'}"])
    for role, window in (("display", "DisplayWindow"), ("kiosk", "KioskWindow")):
        runs = [once(["-m", "counter_app", "--role", role, "--windowed", "--db",
                      f"sqlite:///{folder / 'start.sqlite3'}"]) for _ in range(rounds)]
        first = statistics.median(run["StartScreen"] for run in runs)
        shown = statistics.median(run[window] for run in runs)
        line(f"cold start to first paint, {role}", f"{first:.2f} s", f"{bare:.2f} s", first / bare)
        line(f"cold start to the {role} window", f"{shown:.2f} s", f"{bare:.2f} s", shown / bare)


# -- a year's CSV, and history -------------------------------------------------------------------------------


BARE_CSV_SQL = """
SELECT t.business_date, t.number, s.name_en, t.issued_at, t.wait_seconds, t.service_seconds, t.leg_seconds,
       t.breach_cause, t.breach_cause_note, c.number, st.name
FROM ticket t JOIN service s ON s.id = t.service_id LEFT JOIN counter c ON c.id = t.counter_id
LEFT JOIN staff st ON st.id = t.staff_id
WHERE t.business_date BETWEEN ? AND ? AND t.id = t.origin_id AND t.outcome = 'served'
  AND (t.wait_seconds >= s.target_wait_min * 60 OR t.service_seconds >= s.target_service_min * 60)
"""


def row_csv(year: Path, days: int, folder: Path) -> None:
    from counter_app.__main__ import main

    last = (FIRST_DAY + dt.timedelta(days=days - 1)).isoformat()
    args = ["report", "breaches", "--db", str(year), "--from", FIRST_DAY.isoformat(), "--to", last, "--lang", "en",
            "--out", str(folder / "breaches.csv"), "--force"]
    quiet = contextlib.redirect_stdout(io.StringIO())
    with quiet:
        main(args)  # the first run loads the modules; the timed ones are the report's own work

    def bare() -> int:
        with sqlite3.connect(year) as db, (folder / "bare.csv").open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            rows = db.execute(BARE_CSV_SQL, (FIRST_DAY.isoformat(), last))
            writer.writerows((d, n, s, i, round((w or 0) / 60, 1), round((v or 0) / 60, 1),
                              round((t or 0) / 60, 1), c or "", note or "", cn or "", name or "")
                             for d, n, s, i, w, v, t, c, note, cn, name in rows)
        return 0

    with contextlib.redirect_stdout(io.StringIO()):
        app = statistics.median(timed(lambda: main(args), 3))
    base = statistics.median(timed(bare, 3))
    rows = sum(1 for _ in (folder / "breaches.csv").open(encoding="utf-8-sig")) - 1
    line(f"CSV of the breaches ({rows} rows)", f"{app:.2f} s", f"{base:.2f} s", app / base)


def row_history(year: Path, days: int, folder: Path, quick: bool) -> None:
    from counter_app.clock import VirtualClock
    from counter_app.models.db import open_store
    from counter_app.workflows.queue import board, tickets

    rounds = 10 if quick else 60
    results = {}
    for name, source in (("empty", None), ("history", year)):
        path = folder / f"history-{name}.sqlite3"
        if source is None:
            demo_store(path).dispose()
        else:
            shutil.copy(source, path)
        store = open_store(f"sqlite:///{path}")
        clock = VirtualClock(dt.datetime.combine(FIRST_DAY + dt.timedelta(days=days), dt.time(9)))
        sign_in(store, clock, 1, "S001")
        for _ in range(20):
            with store.write() as session:
                tickets.issue_ticket(session, clock, service_code="BILL")

        def refresh(store=store, clock=clock) -> None:
            with store.read() as session:
                board.display_board(session, clock)

        def issue(store=store, clock=clock) -> None:
            with store.write() as session:
                tickets.issue_ticket(session, clock, service_code="BB")

        results[name] = (statistics.median(timed(refresh, rounds)), statistics.median(timed(issue, rounds)))
        store.dispose()
    with sqlite3.connect(year) as db:
        past = db.execute("SELECT count(*) FROM ticket").fetchone()[0]
    for index, what in enumerate(("display refresh", "issue a ticket")):
        history, empty = results["history"][index], results["empty"][index]
        line(f"{what}, {past} past tickets", f"{ms(history)} ms", f"{ms(empty)} ms (empty store)", history / empty)


def row_planning(folder: Path, quick: bool) -> None:
    import bench_planning

    orders, rounds = (500, 3) if quick else (5000, 20)
    for what, app, bare in bench_planning.measure(folder, orders, rounds):
        line(what, f"{ms(app)} ms", f"{ms(bare)} ms", app / bare)


def row_customers(folder: Path, quick: bool) -> None:
    import bench_customers

    customers, visits, others, rounds = (20_000, 500, 5_000, 200) if quick else (1_000_000, 500, 200_000, 2000)
    for what, app, bare in bench_customers.measure(folder, customers, visits, rounds, others):
        line(what, f"{ms(app)} ms", f"{ms(bare)} ms", app / bare if bare else None)


def row_notify(quick: bool, pg: str | None) -> None:
    import bench_notify

    if not pg:
        line("display latency across processes", "(needs --pg)", "-", None)
        return
    found = bench_notify.measure(pg, 8 if quick else 40)
    bare = quantiles(found["bare"])
    for mode in ("notify", "polling"):
        p50, p99 = quantiles(found[mode])
        line(f"latency to another PC, {mode}", f"{ms(p50)} / {ms(p99)} ms", f"{ms(bare[0])} / {ms(bare[1])} ms",
             p50 / bare[0] if bare[0] else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small stores, few rounds: proves the command works")
    parser.add_argument("--pg", help="also run the eight counters on this (empty) PostgreSQL database")
    parser.add_argument("--pg-from-env", action="store_true",
                        help="--pg from COUNTER_APP_TEST_PG (scripts/test_postgres.sh --run starts a server)")
    parser.add_argument("--only", nargs="*", choices=["call-next", "counters", "start", "csv", "history", "planning",
                                                      "notify", "customers"])
    parser.add_argument("--keep", type=Path, help="a folder to keep the generated stores in between runs")
    args = parser.parse_args(argv)
    rows = set(args.only or ["call-next", "counters", "start", "csv", "history", "planning", "notify", "customers"])
    if args.pg_from_env:
        args.pg = os.environ.get("COUNTER_APP_TEST_PG")
    days, per_day = (20, 100) if args.quick else (250, 2000)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="counter-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {'quick' if args.quick else 'full'} run; "
          f"stores in {folder}", flush=True)
    print(f"{'measure':<34} {'counter_app':<28} {'bare':<28} ratio", flush=True)
    try:
        if "call-next" in rows:
            row_call_next_and_issue(folder, args.quick)
        if "counters" in rows:
            row_counters(folder, args.quick, args.pg)
        if "start" in rows:
            row_start(folder, args.quick)
        if rows & {"csv", "history"}:
            year = year_store(folder, days, per_day)
            if "csv" in rows:
                row_csv(year, days, folder)
            if "history" in rows:
                row_history(year, days, folder, args.quick)
        if "planning" in rows:
            row_planning(folder, args.quick)
        if "notify" in rows:
            row_notify(args.quick, args.pg)
        if "customers" in rows:
            row_customers(folder, args.quick)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
