"""The store: engine set-up for SQLite and PostgreSQL, sessions, schema upgrades."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session, SQLModel

from counter_app import models as _tables  # noqa: F401  (registers every table on the metadata)
from counter_app.errors import RecordedRefusal, StoreError
from counter_app.i18n import N_
from counter_app.models.engines import WAIT_MS, create_engine, store_busy  # noqa: F401 - store_busy: the callers' name

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
# The newest schema revision. A store at it opens without loading Alembic (~0.1 s of every window's start);
# tests/models/test_store.py checks that it is the migrations' head.
CHANGES_CHANNEL = "counter_app_changes"  # PostgreSQL NOTIFY channel: a transaction that wrote has committed
WROTE = "counter_app_wrote"  # session.info key: this transaction changed a row
NOTIFIED = "counter_app_notified"  # session.info key: this transaction already asked for the change notification
# session.info key, PostgreSQL: statements a workflow left to be sent with the commit, in one pipeline (`with_commit`)
WITH_COMMIT = "counter_app.with_commit"


# The hall's calendar (hours, holidays, the branch's settings, the closed days) is kept between transactions
# (queue/hours.py): one holder per Store, handed to its sessions. A transaction that writes any of it, or records
# settings or a closed day, is marked: it reads them itself, and once it commits this process's kept copies are
# dropped (other PCs' changes are noticed by the event log's stamp, docs/decisions.md).
CALENDAR_KEPT = "counter_app.calendar_kept"
CALENDAR_TOUCHED = "counter_app.calendar_touched"
CALENDAR_TABLES = frozenset({"opening_hours", "holiday", "branch_settings"})
CALENDAR_EVENTS = frozenset({"settings_recorded", "day_closed"})
_GENERATIONS = itertools.count(1)  # unique and rising, whichever thread commits


def calendar_generation(holder: dict) -> int:
    """A Store's count of its own calendar writes: a new value whenever a transaction of it that touched the
    calendar commits, and the copies kept before it are dropped (queue/hours.py)."""
    return holder.get("generation", 0)


def touch_calendar(session) -> None:
    """This transaction changes the calendar: it reads it itself, and this process's kept copies go at its commit."""
    session.info[CALENDAR_TOUCHED] = True
    session.info.pop(SETTINGS_CACHE, None)  # what this transaction read of them no longer holds


@event.listens_for(Session, "after_flush")
def _flushed(session, _flush_context) -> None:
    session.info[WROTE] = True
    if not session.info.get(CALENDAR_TOUCHED):
        for row in (*session.new, *session.dirty, *session.deleted):
            table = getattr(row, "__tablename__", None)
            if table in CALENDAR_TABLES or (table == "event" and getattr(row, "kind", None) in CALENDAR_EVENTS):
                touch_calendar(session)
                break


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if table in CALENDAR_TABLES:
            touch_calendar(state.session)
        elif table == "event" and state.is_insert and isinstance(state.parameters, dict) \
                and state.parameters.get("kind") in CALENDAR_EVENTS:
            touch_calendar(state.session)


def with_commit(session, prepared, params: dict) -> bool:
    """Leave `prepared` (a models.prepared.Prepared change) to be sent just before this transaction's COMMIT, in
    the same pipeline: on PostgreSQL a lock it takes is then held only for the server's own time, not for round
    trips to a PC that may be busy elsewhere. Whatever the transaction sends meanwhile, by any way, sends it first,
    so the order of the statements is the order they were asked for. Returns False where there is no such
    pipeline (SQLite, or a session not made by Store.write): the caller runs it itself."""
    pending = session.info.get(WITH_COMMIT)
    if pending is None:
        return False
    if not pending:
        session.connection().counter_app_pending = pending  # seen by _before_cursor_execute, whatever sends next
    pending.append((prepared, params))
    return True


@event.listens_for(sa.Engine, "before_cursor_execute", retval=True)
def _before_cursor_execute(connection, _cursor, statement, parameters, _context, _executemany):
    pending = getattr(connection, "counter_app_pending", None)
    if pending:
        waiting = list(pending)
        pending.clear()
        cursor = connection.connection.driver_connection.cursor()
        for prepared, params in waiting:
            prepared.send(cursor, connection.dialect, params)
    return statement, parameters


def statements_watched(engine) -> bool:
    """Whether something besides this module listens to the statements sent (the tests that check query plans):
    the hot path's prepared statements then go the usual way, where they are seen (models/prepared.py)."""
    return any(listener is not _before_cursor_execute for listener in engine.dispatch.before_cursor_execute) \
        or bool(engine.dispatch.after_cursor_execute)


def send_pending(session) -> None:
    """Send now, one by one, what was left for the commit: something else is about to be sent."""
    pending = session.info.get(WITH_COMMIT)
    if pending:
        waiting = list(pending)
        pending.clear()
        for prepared, params in waiting:
            prepared.run(session, params)


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    holder = session.info.get(CALENDAR_KEPT)
    if session.info.pop(CALENDAR_TOUCHED, None) and holder is not None:
        holder["generation"] = next(_GENERATIONS)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session) -> None:
    session.info.pop(CALENDAR_TOUCHED, None)


SCHEMA_HEAD = "0020"


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


AFTER_COMMIT = "counter_app.after_commit"
# The hall's hours and holidays as read once in a transaction (queue/hours.py); dropped when they are written.
SETTINGS_CACHE = "counter_app.settings_cache"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once this session's transaction has committed (a file that must only name what the store
    already holds: the end-of-day page printing the day_closed event as the log's anchor)."""
    session.info.setdefault(AFTER_COMMIT, []).append(action)


_NOTIFY = sa.text("SELECT pg_notify(:channel, extract(epoch FROM clock_timestamp())::text)")


def _pipelines(driver) -> bool:
    """Whether the driver sends statements in a pipeline: psycopg 3 on libpq 14 or later."""
    pipeline = getattr(type(driver), "pipeline", None)
    if pipeline is None:
        return False
    import psycopg

    return psycopg.Pipeline.is_supported()


def _commit_pipelined(session) -> None:
    """Send what was left for the commit and the COMMIT itself in one pipeline (PostgreSQL)."""
    pending = session.info[WITH_COMMIT]
    connection = session.connection()
    driver = connection.connection.driver_connection
    if statements_watched(connection.engine) or not _pipelines(driver):
        send_pending(session)  # someone listens to the statements: the usual way, where they are seen
        return
    waiting = list(pending)
    pending.clear()
    error = connection.dialect.loaded_dbapi.Error
    try:
        with driver.pipeline():
            cursor = driver.cursor()
            for prepared, params in waiting:
                prepared.send(cursor, connection.dialect, params)
            driver.commit()  # the session's own commit then finds the transaction done: psycopg does nothing
    except error as exc:  # as SQLAlchemy reports it: a lock not granted in time is "busy" (store_busy), as ever
        raise sa.exc.DBAPIError.instance("COMMIT", None, exc, error, dialect=connection.dialect) from exc


class Store:
    """One database: write sessions commit once or not at all; read sessions never lock writers."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = create_engine(url)
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as exc:
            # An address SQLAlchemy cannot parse, a database it does not know, or a driver not installed.
            raise StoreError(N_("{url} is not a store address counter_app can use ({detail}): give a SQLite file's "
                                "path, or postgresql+psycopg://USER:PASSWORD@SERVER:5432/DB with the driver "
                                "installed (pip install 'counter_app[postgres]')."),
                             url=url, detail=type(exc).__name__) from exc
        self._read_engine = self.engine.execution_options(counter_app_readonly=True)
        self._calendar: dict = {}  # queue/hours.py keeps the hall's calendar here between transactions

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self, *, wait_ms: int | None = None) -> Iterator[Session]:
        """A session whose work is one transaction: committed on success, rolled back on any error. What a
        workflow asked to do once its work is committed (`after_commit`) runs then, and only then.
        `wait_ms`: how long to wait for another PC's write lock before giving up (SQLite)."""
        engine = self.engine if wait_ms is None else self.engine.execution_options(counter_app_wait_ms=wait_ms)
        with Session(engine, expire_on_commit=False) as session:
            session.info[CALENDAR_KEPT] = self._calendar
            if not self.is_sqlite:
                session.info[WITH_COMMIT] = []
            try:
                yield session
                self._commit(session)
            except RecordedRefusal:
                session.info.pop(AFTER_COMMIT, None)
                self._commit(session)  # the attempt is on record; the workflow changed nothing else before refusing
                raise
            except BaseException:
                session.info.pop(AFTER_COMMIT, None)
                session.info.pop(WITH_COMMIT, None)
                session.rollback()
                raise
            for action in session.info.pop(AFTER_COMMIT, []):
                action()

    def _commit(self, session: Session) -> None:
        if not self.is_sqlite:
            session.flush()  # what would only be flushed by the commit counts as written too
            if session.info.get(WROTE) and not session.info.get(NOTIFIED):
                # Delivered at commit, to every PC listening (ui/common/backend.py): their windows look now
                # instead of at their next poll. The payload is the server's clock (seconds since the epoch),
                # for the latency benchmark; nothing decides by it.
                session.execute(_NOTIFY, {"channel": CHANGES_CHANNEL})
            if session.info.get(WITH_COMMIT):
                _commit_pipelined(session)
        session.commit()

    @contextmanager
    def read(self) -> Iterator[Session]:
        # Closing (not rolling back) ends the read transaction without expiring what was read, so
        # rows handed out stay usable after the block.
        with Session(self._read_engine, expire_on_commit=False) as session:
            session.info[CALENDAR_KEPT] = self._calendar
            yield session

    # -- schema -----------------------------------------------------------------------------

    def schema_revision(self) -> str | None:
        try:
            with self.engine.connect() as connection:
                if not sa.inspect(connection).has_table("alembic_version"):
                    return None
                return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except DatabaseError as exc:
            if isinstance(exc, OperationalError) and not self.is_sqlite:
                # a server store: the server is down, far away or refuses this PC; the data is not damaged
                raise StoreError(
                    N_("The store {url} cannot be reached ({detail}). Check that its database server is running "
                       "and that this PC may connect to it; nothing was changed."),
                    url=self.safe_url, detail=str(exc.orig),
                ) from exc
            raise StoreError(
                N_("The store {url} cannot be read: it is damaged or is not a counter_app store ({detail})."),
                url=self.safe_url, detail=str(exc.orig),
            ) from exc

    def check_schema(self) -> str:
        """'current', 'outdated' or 'empty'; a store from a newer app is refused."""
        revision = self.schema_revision()
        if revision == SCHEMA_HEAD:
            return "current"
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(alembic_config())
        head = script.get_current_head()
        if revision is None:
            with self.engine.connect() as connection:
                if sa.inspect(connection).get_table_names():
                    raise StoreError(
                        N_("The store {url} has tables but no schema version: it is not a counter_app store."),
                        url=self.safe_url,
                    )
            return "empty"
        if revision == head:
            return "current"
        known = {rev.revision for rev in script.walk_revisions()}
        if revision not in known:
            raise StoreError(
                N_("The store {url} was made by a newer counter_app (schema {revision}). "
                   "Install the newer counter_app to use it; nothing was changed."),
                url=self.safe_url, revision=revision,
            )
        return "outdated"

    def upgrade(self) -> str:
        """Bring the schema to the newest revision; returns what the store was before."""
        before = self.check_schema()
        if before != "current":
            from alembic import command

            cfg = alembic_config()
            try:
                with self.engine.connect() as connection:
                    if self.is_sqlite:
                        # SQLite alters a table by rebuilding it; with foreign keys on, dropping the old
                        # ticket table fails as soon as an event points at a ticket. The pragma only
                        # works outside a transaction, so it goes to the driver before SQLAlchemy begins.
                        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
                    try:
                        with connection.begin():
                            cfg.attributes["connection"] = connection
                            command.upgrade(cfg, "head")
                            if self.is_sqlite:
                                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                                if broken:
                                    raise StoreError(N_("The store {url} could not be upgraded ({detail}); "
                                                        "nothing was changed."),
                                                     url=self.safe_url, detail=f"foreign keys: {broken[:3]}")
                    finally:
                        if self.is_sqlite:
                            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            except (OperationalError, IntegrityError) as exc:
                raise StoreError(
                    N_("The store {url} could not be upgraded ({detail}); nothing was changed."),
                    url=self.safe_url, detail=str(exc.orig),
                ) from exc
        return before

    def checkpoint(self) -> tuple[int, int] | None:
        """Copy what the write-ahead log holds into the store, waiting for nobody and blocking no writer (SQLite's
        PASSIVE checkpoint; a server store does its own): the log's frames and how many of them are now copied.
        The windows do it every couple of seconds, so that a click's commit does not (engines.WAL_BACKSTOP_PAGES)."""
        if not self.is_sqlite:
            return None
        with self.engine.connect() as connection:  # the driver's own statement: no transaction is begun
            _busy, frames, copied = connection.connection.driver_connection.execute(
                "PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return frames, copied

    def create_all_for_tests(self) -> None:
        """Only for checking the migrations against the models: production always migrates."""
        SQLModel.metadata.create_all(self.engine)

    @property
    def safe_url(self) -> str:
        return sa.engine.make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()


SCHEMA_STATE_TEXT = {"current": N_("current"), "outdated": N_("older than this counter_app"),
                     "empty": N_("empty")}


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite store URL (None for another database or an in-memory one)."""
    if not url.startswith("sqlite"):
        return None
    database = url.split(":///", 1)[1] if ":///" in url else ""
    database = database.split("?", 1)[0]
    return Path(database).absolute() if database and database != ":memory:" else None


def ensure_exists(url: str) -> None:
    """A SQLite store file that is missing (moved, deleted, a typo) is not replaced by a new empty one: a counter
    would see no staff and no tickets while a kiosk still issues numbers into the moved file."""
    path = sqlite_file(url)
    if path is None:
        return
    try:
        exists = path.exists()
    except (OSError, ValueError) as exc:  # a name too long for the disk, a NUL character
        raise StoreError(N_("{path} is not a file name this PC can use ({detail})."), path=str(path)[:80] + "…",
                         detail=type(exc).__name__) from exc
    if not exists:
        raise StoreError(N_("There is no store at {path}. Nothing was created: start with --demo, or run "
                            "`counter-app db upgrade`, to make a new one there; or give the right --db."),
                         path=str(path))


def open_store(url: str, *, upgrade: bool = True, create: bool = True) -> Store:
    """Open a store, upgrading it; with upgrade=False (reading tools) it must already be current. With
    create=False a missing SQLite file is refused instead of made."""
    if not create:
        ensure_exists(url)
    store = Store(url)
    if upgrade:
        store.upgrade()
        return store
    state = store.check_schema()
    if state != "current":
        store.dispose()
        raise StoreError(N_("The store {url} is {state}: run `counter-app db upgrade` first. Nothing was changed."),
                         url=store.safe_url, state=SCHEMA_STATE_TEXT[state])
    return store
