"""A call made on one PC reaching another PC's windows, in separate processes, on PostgreSQL: with
LISTEN/NOTIFY, and with polling alone (the windows' 400 ms look). Run by run.py's "notify" row with --pg.

The watching process is a real window backend (ui/common/backend.py, offscreen Qt): latency is from the moment the
writer begins its transaction (a ticket's issue, ~1 ms) to that backend's `changed` signal. Bare: a psycopg connection waiting on the channel
(the notification alone, no store read, no Qt).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import time


def _watch(url: str, listen: bool, ready, results, count: int) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QTimer

    from counter_app.clock import VirtualClock
    from counter_app.models.db import open_store
    from counter_app.ui.common.backend import Backend

    app = QCoreApplication([])
    store = open_store(url)
    backend = Backend(store, VirtualClock(dt.datetime(2025, 1, 1, 9)), refresh_ms=400, evaluate_ms=0, listen=listen)
    seen: list[float] = []

    def changed(_change) -> None:
        seen.append(time.time())
        if len(seen) >= count:
            app.quit()

    backend.changed.connect(changed)

    def wait_ready() -> None:
        if backend.listener is None or backend.listener.connected:
            ready.set()
        else:
            QTimer.singleShot(20, wait_ready)

    wait_ready()
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    results.put(seen)
    backend.stop()
    store.dispose()


def _bare_watch(url: str, ready, results, count: int) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from counter_app.models.db import CHANGES_CHANNEL

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    seen = []
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f"LISTEN {CHANGES_CHANNEL}")
        ready.set()
        for _notice in connection.notifies(timeout=120):
            seen.append(time.time())
            if len(seen) >= count:
                break
    results.put(seen)


def measure(url: str, count: int) -> dict[str, list[float]]:
    """Latencies (s) for "notify", "polling" and "bare": `count` tickets issued 0.6 s apart by this process."""
    from counter_app.clock import VirtualClock
    from counter_app.models.db import open_store
    from counter_app.workflows.queue import tickets
    from counter_app.workflows.replay import demo

    first = open_store(url, create=True)
    with first.write() as session:  # the demo hall, open round the clock, unless the database has a branch
        demo.seed_demo(session, at=dt.datetime(2025, 1, 1, 7), opens=dt.time(0), closes=dt.time(0))
    first.dispose()
    context = mp.get_context("spawn")
    found = {}
    for mode in ("notify", "polling", "bare"):
        ready, results = context.Event(), context.Queue()
        target, args = (_bare_watch, (url, ready, results, count)) if mode == "bare" else (
            _watch, (url, mode == "notify", ready, results, count))
        watcher = context.Process(target=target, args=args)
        watcher.start()
        ready.wait(60)
        time.sleep(0.5)
        store = open_store(url)
        clock = VirtualClock(dt.datetime(2025, 1, 1, 9, 30))
        committed = []
        for _ in range(count):
            # from the moment the kiosk begins its write: the end of a commit cannot be seen from outside (the
            # watcher is woken while the writer's process is still closing its session)
            committed.append(time.time())
            with store.write() as session:
                tickets.issue_ticket(session, clock, service_code="BB")
            time.sleep(0.6)  # longer than a poll: each change is its own signal, in every mode
        seen = results.get(timeout=120)
        watcher.join(30)
        store.dispose()
        found[mode] = [s - c for s, c in zip(seen, committed, strict=False)]
    return found
