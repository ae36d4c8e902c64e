"""The engines: SQLite's (a write lock taken at BEGIN, looked for every few milliseconds; its write-ahead log left to
the windows) and a server's (PostgreSQL: a click's lock timeout); and how a "busy" store is recognised."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

WAIT_MS = 30_000  # a transaction's wait for the write lock, unless it asks for less (Store.write)
# A commit that finds the write-ahead log past this many pages copies it into the store itself (SQLite's own
# checkpoint, ~2.5 ms for its default 1,000 pages: it was the p99 of a click). The windows copy it every couple of
# seconds instead, off their own thread (Store.checkpoint, ui/common/backend.py); this is the backstop for when
# none runs (the command-line tools, a replay).
WAL_BACKSTOP_PAGES = 10_000
BEGIN_WAIT_MS = 0  # SQLite itself does not wait: the pauses between looks are ours
FIRST_LOOK_S = 0.001  # the first pause between looks; each next one twice as long, up to LAST_LOOK_S
LAST_LOOK_S = 0.004


def _busy_timeout(driver, kept: dict, wait_ms: int) -> None:
    if kept.get("busy_timeout") != wait_ms:
        driver.execute(f"PRAGMA busy_timeout={wait_ms}")
        kept["busy_timeout"] = wait_ms


def _sqlite_engine(url: str) -> sa.Engine:
    db_path = sa.engine.make_url(url).database
    if db_path and db_path != ":memory:":
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - exercised by every test
        # Autocommit at the driver; transactions are begun by us, below, so that a writer takes
        # the write lock at BEGIN and two counters can never read the same "next" ticket.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={WAIT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
        cursor.close()
        _record.info["busy_timeout"] = WAIT_MS

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        options = connection.get_execution_options()
        readonly = options.get("counter_app_readonly", False)
        # How long this transaction waits for another PC's write lock: a click answers within a couple of
        # seconds ("busy, try again"), bookkeeping and tools wait the full half minute.
        wait = int(options.get("counter_app_wait_ms", WAIT_MS))
        driver = connection.connection.driver_connection
        kept = connection.connection.info  # this driver connection's own: the wait SQLite was last given
        if readonly:
            try:
                _busy_timeout(driver, kept, wait)
                driver.execute("BEGIN DEFERRED")
            except sqlite3.Error:
                kept.pop("busy_timeout", None)
                connection.exec_driver_sql("BEGIN DEFERRED")  # SQLite's answer, as SQLAlchemy reports it
            return
        # A writer that finds another's write lock looks again after 1, 2 and then every 4 ms until its wait is
        # over, instead of SQLite's own 1, 2, 5 … 25, 50, 100 ms sleeps: with eight counters writing at once on one
        # store, a click that lost a few turns slept a tenth of a second at a time while the store was free, and
        # one in a thousand was answered "busy" after its 1.5 s (docs/performance.md).
        deadline = time.monotonic() + wait / 1000
        pause = FIRST_LOOK_S
        while True:
            try:
                _busy_timeout(driver, kept, BEGIN_WAIT_MS)
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:  # anything but "locked" goes to SQLAlchemy at once, reported as its error
                if not store_busy(exc) or time.monotonic() + pause > deadline:
                    break
            time.sleep(pause)
            pause = min(pause * 2, LAST_LOOK_S)
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # SQLite's answer, as SQLAlchemy reports it

    return engine


def _server_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, pool_pre_ping=True)
    if engine.dialect.name != "postgresql":
        return engine

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A click waits this long for a lock another PC holds (a row, the numbering lock), then gives up with
        # "busy, try again", as on SQLite; bookkeeping and tools wait as long as it takes.
        wait = connection.get_execution_options().get("counter_app_wait_ms")
        if wait is not None:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait)}")

    return engine


def create_engine(url: str) -> sa.Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return _server_engine(url)


def store_busy(exc: BaseException) -> bool:
    """Whether a database error means another PC holds a lock we waited for in vain (SQLite's "database is
    locked", PostgreSQL's lock_timeout, SQLSTATE 55P03): nothing was saved, trying again later will do."""
    original = getattr(exc, "orig", None)
    if getattr(original, "sqlstate", None) == "55P03":
        return True
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text or "lock timeout" in text


