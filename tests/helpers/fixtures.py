"""Fixtures: the virtual clock, a fresh store, the demo hall with known opening hours.

The store is SQLite unless COUNTER_APP_TEST_PG gives a PostgreSQL server, e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/postgres`: then every test gets a database of its own
on that server, cloned from one that the migrations built at the start of the run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel

from counter_app.clock import VirtualClock
from counter_app.models.db import Store, open_store
from counter_app.workflows.queue import counters
from counter_app.workflows.replay import demo

PG_ENV = "COUNTER_APP_TEST_PG"

# A Monday in the seed's spirit: the hall opens at 09:00; the kiosk issues from 08:45.
DAY = dt.date(2026, 3, 2)
OPENS = dt.time(9, 0)
CLOSES = dt.time(17, 30)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    hours, minutes = hhmm.split(":")[:2]
    seconds = int(hhmm.split(":")[2]) if hhmm.count(":") == 2 else 0
    return dt.datetime.combine(day, dt.time(int(hours), int(minutes), seconds))


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(at("08:40"))


def postgres_url() -> str | None:
    return os.environ.get(PG_ENV) or None


class PostgresServer:
    """Databases on a PostgreSQL server for one test run, all dropped at its end.

    The migrations build one database at the start of the run, as a branch's first start does; the
    tests share a copy of it, emptied before each test (rows deleted, id sequences restarted): a fresh
    copy per test would cost half a second. A test that changed the schema gets a new copy.
    """

    def __init__(self, url: str) -> None:
        self.url = sa.engine.make_url(url)
        self.admin = sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"counter_test_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._made: list[str] = []
        self._template: str | None = None
        self._shared: str | None = None
        self._shape: str | None = None
        try:
            with self.admin.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except sa.exc.OperationalError as exc:
            pytest.exit(f"{PG_ENV}={self.url.render_as_string(hide_password=True)}: "
                        f"the PostgreSQL server cannot be reached ({exc.orig})", returncode=3)

    def database_url(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, template: str | None = None) -> str:
        """A new database (empty, or a copy of `template`); returns its URL."""
        name = f"{self.prefix}_{next(self._numbers)}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {name}{clause}")
        self._made.append(name)
        return self.database_url(name)

    def drop(self, url: str) -> None:
        name = sa.engine.make_url(url).database
        with self.admin.connect() as connection:
            # FORCE: a worker process or a connection a test left open must not keep it alive
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if name in self._made:
            self._made.remove(name)

    def migrated_store(self) -> Store:
        """A fully migrated store with nothing in it."""
        if self._template is None:
            url = self.create()
            open_store(url).dispose()  # the migrations, exactly as a branch's first start runs them
            self._template = sa.engine.make_url(url).database
        if self._shared is not None and not self._empty(self._shared):
            self.drop(self._shared)
            self._shared = None
        if self._shared is None:
            self._shared = self.create(template=self._template)
            self._shape = self._schema_shape(self._shared)
        return open_store(self._shared)

    def _schema_shape(self, url: str) -> str:
        engine = sa.create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return connection.exec_driver_sql(SCHEMA_SHAPE).scalar_one()
        finally:
            engine.dispose()

    def _empty(self, url: str) -> bool:
        """Empty the shared database as a test left it; False if its schema changed (it is then replaced)."""
        name = sa.engine.make_url(url).database
        with self.admin.connect() as connection:
            # a connection a test left open (a worker, an undisposed store) would hold locks on the rows
            connection.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                       "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        engine = sa.create_engine(url, poolclass=NullPool)
        try:
            with engine.begin() as connection:
                if connection.exec_driver_sql(SCHEMA_SHAPE).scalar_one() != self._shape:
                    return False
                for table in reversed(SQLModel.metadata.sorted_tables):
                    connection.execute(table.delete())
                connection.execute(sa.text(RESTART_SEQUENCES))
            return True
        finally:
            engine.dispose()

    def close(self) -> None:
        for name in list(self._made):
            self.drop(self.database_url(name))
        self.admin.dispose()


# Tables, indexes and their columns: what a test must not change on the shared database.
SCHEMA_SHAPE = """
SELECT string_agg(c.relname || ':' || c.relkind::text || ':' || (
           SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a
           WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), ';' ORDER BY c.relname)
       || (SELECT string_agg(version_num, ',') FROM alembic_version)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public'
"""
RESTART_SEQUENCES = """
DO $$
DECLARE s record;
BEGIN
    FOR s IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER SEQUENCE %I RESTART', s.sequencename);
    END LOOP;
END $$
"""


@pytest.fixture(scope="session")
def postgres() -> PostgresServer | None:
    """The PostgreSQL server the run uses, or None on a SQLite run."""
    url = postgres_url()
    if url is None:
        yield None
        return
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture
def store(tmp_path, postgres) -> Store:
    """An empty, fully migrated store: SQLite, or a database of its own on the test PostgreSQL server."""
    if postgres is None:
        s = open_store(f"sqlite:///{tmp_path / 'store.sqlite3'}")
        yield s
        s.dispose()
        return
    s = postgres.migrated_store()
    yield s
    s.dispose()


@pytest.fixture
def hall(store: Store, clock: VirtualClock) -> Store:
    """The demo business hall, open 09:00-17:30 every day (its settings recorded at the clock's start)."""
    with store.write() as session:
        demo.seed_demo(session, at=clock.now(), opens=OPENS, closes=CLOSES)
    return store


def staff_id(store: Store, staff_no: str) -> int:
    from sqlmodel import select

    from counter_app.models import Staff

    with store.read() as session:
        return session.exec(select(Staff.id).where(Staff.staff_no == staff_no)).one()


def open_counter(store: Store, clock, number: int, staff_no: str) -> int:
    """Log a demo staff member in at a counter and open it; returns their staff id."""
    with store.write() as session:
        login = counters.login(session, clock, counter_number=number, staff_no=staff_no,
                               password=demo.DEMO_PASSWORD)
    with store.write() as session:
        counters.open_counter(session, clock, counter_number=number, staff_id=login.staff_id)
    return login.staff_id
