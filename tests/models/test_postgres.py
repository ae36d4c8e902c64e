"""The site's shared PostgreSQL store: what only a real server with several PCs on it shows.

These run when COUNTER_APP_TEST_PG names a server (README, "Run the tests"); a SQLite run skips them.
Every other workflow test runs on that server too, through the `store` fixture.
"""

import datetime as dt
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers.fixtures import DAY, at
from helpers.stores import assert_upgrades_like_new, earlier_revisions, migrate_to, schema
from sqlmodel import SQLModel, select

from counter_app.errors import StoreError
from counter_app.models import Event, Service, Ticket
from counter_app.models.db import Store, open_store
from counter_app.workflows.core import audit, settings_record
from counter_app.workflows.queue import tickets

pytestmark = pytest.mark.postgres_only


def wait_until_someone_waits_for_a_lock(store: Store) -> None:
    """Return once a connection to the store is blocked on a lock (another kiosk mid-way through)."""
    deadline = time.monotonic() + 30
    with store.engine.connect() as connection:
        while not connection.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'").scalar_one():
            assert time.monotonic() < deadline, "nobody ever waited: the kiosks did not meet"
            connection.rollback()  # a fresh snapshot of pg_stat_activity for the next look
            time.sleep(0.005)  # polling for a state, not waiting for time to pass


def issue_at(kiosk: Store, clock, code: str = "BB") -> tickets.IssuedTicket:
    with kiosk.write() as session:
        return tickets.issue_ticket(session, clock, service_code=code)


# -- two kiosks, one number each ------------------------------------------------------------------


def test_a_kiosk_pressed_while_another_is_still_saving_its_ticket_waits_and_takes_the_next_number(hall, clock):
    """The bug a site saw: both kiosks read A000 as the highest, and one said "store could not be reached"."""
    clock.set(at("09:00"))
    second_kiosk = Store(hall.url)
    try:
        with ThreadPoolExecutor(1) as pool:
            with hall.write() as session:
                first = tickets.issue_ticket(session, clock, service_code="BB")
                second = pool.submit(issue_at, second_kiosk, clock)  # pressed before the first is saved
                wait_until_someone_waits_for_a_lock(hall)
            second = second.result(timeout=60)
    finally:
        second_kiosk.dispose()
    assert (first.number, second.number) == ("A001", "A002")
    assert second.ahead == 1  # the second customer is told the first one is ahead
    with hall.read() as session:
        assert session.exec(select(Ticket.number).order_by(Ticket.id)).all() == ["A001", "A002"]
        assert audit.verify(session).ok


def test_a_click_gives_up_on_another_pcs_lock_within_two_seconds_and_saves_nothing(hall, clock):
    """The short wait of a click (ui.common.backend) holds on PostgreSQL too: lock_timeout, then "busy"."""
    from counter_app.models.db import store_busy

    clock.set(at("09:00"))
    with hall.write() as session:  # the other PC is half-way through issuing: it holds the numbering lock
        tickets.issue_ticket(session, clock, service_code="BB")
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError) as gave_up:
            issue_at_with_wait(hall, clock, 1500)
        assert time.monotonic() - started < 2.5
        assert store_busy(gave_up.value)
    with hall.read() as session:
        assert session.exec(select(Ticket.number)).all() == ["A001"]
    assert issue_at_with_wait(hall, clock, 1500).number == "A002", "once free, a click works again"


def issue_at_with_wait(store: Store, clock, wait_ms: int) -> tickets.IssuedTicket:
    with store.write(wait_ms=wait_ms) as session:
        return tickets.issue_ticket(session, clock, service_code="BB")


def test_a_number_taken_by_a_program_that_does_not_wait_its_turn_is_skipped_not_shown_as_an_error(hall, clock):
    """Another program on the site's store numbers tickets without the kiosks' lock: ours goes on to A002."""
    clock.set(at("09:00"))
    other_program = Store(hall.url)
    try:
        with ThreadPoolExecutor(1) as pool:
            with other_program.write() as session:
                bb = session.exec(select(Service).where(Service.code == "BB")).one()
                session.add(Ticket(number="A001", service_id=bb.id, business_date=DAY, seq=1,
                                   issued_at=at("09:00"), queue_at=at("09:00")))
                session.flush()
                kiosk = pool.submit(issue_at, hall, clock)  # reads A000 as the highest, then meets A001
                wait_until_someone_waits_for_a_lock(hall)
            issued = kiosk.result(timeout=60)
    finally:
        other_program.dispose()
    assert issued.number == "A002"
    with hall.read() as session:
        assert session.exec(select(Ticket.number).order_by(Ticket.seq)).all() == ["A001", "A002"]
        # the try that failed left nothing behind: one event, for the ticket the customer holds
        issued_events = session.exec(select(Event).where(Event.kind == "ticket_issued")).all()
        assert [e.ticket_id for e in issued_events] == [issued.ticket_id]
        assert audit.verify(session).ok


# -- the schema on PostgreSQL ----------------------------------------------------------------------


def test_the_migrations_build_exactly_the_tables_of_the_models(postgres):
    from_models = Store(postgres.create())
    from_models.create_all_for_tests()
    migrated = open_store(postgres.create())
    try:
        for store in (from_models, migrated):
            with store.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, SQLModel.metadata) == [], store.url
        # The one difference: the first migration gave the one-row settings table's id a sequence on
        # PostgreSQL, which the model (id always 1) does not ask for. Nothing ever draws from it.
        built = schema(migrated)
        settings_id = ("id", "INTEGER", False, "nextval('branch_settings_id_seq'::regclass)")
        assert settings_id in built["branch_settings"]["columns"]
        built["branch_settings"]["columns"] = sorted(
            ("id", "INTEGER", False, None) if column == settings_id else column
            for column in built["branch_settings"]["columns"])
        assert built == schema(from_models)
        assert migrated.check_schema() == "current"
    finally:
        from_models.dispose()
        migrated.dispose()


@pytest.mark.parametrize("revision", earlier_revisions())
def test_a_store_upgraded_from_an_earlier_revision_equals_a_new_one(postgres, revision):
    assert_upgrades_like_new(postgres.create(), postgres.create(), revision)


def test_a_first_version_store_with_a_mornings_tickets_upgrades_to_the_newest(postgres):
    url = postgres.create()
    migrate_to(url, "0001")
    old = Store(url)
    with old.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO service (id, code, name_zh, name_en, prefix, priority, target_wait_min,"
                                   " target_service_min, typical_service_min, sort_order, active)"
                                   " VALUES (1, 'BB', '宽带续费', 'Broadband renewal', 'A', 0, 15, 10, 4, 0, TRUE)")
        connection.exec_driver_sql("INSERT INTO ticket (id, number, service_id, business_date, seq, priority, state,"
                                   " early, issued_at, queue_at, recall_count, called_at, started_at, finished_at,"
                                   " outcome)"
                                   " VALUES (1, 'A001', 1, '2026-03-02', 1, 0, 'done', TRUE, '2026-03-02 08:57:00',"
                                   " '2026-03-02 08:57:00', 0, '2026-03-02 09:02:00', '2026-03-02 09:03:00',"
                                   " '2026-03-02 09:10:30', 'served')")
        connection.exec_driver_sql("INSERT INTO event (id, at, kind, ticket_id, service_id, data)"
                                   " VALUES (1, '2026-03-02 08:57:00', 'ticket_issued', 1, 1, '{}')")
        connection.exec_driver_sql("SELECT setval('event_id_seq', 1)")  # as the app's own insert would leave it
    old.dispose()

    store = open_store(url)
    try:
        assert store.check_schema() == "current"
        with store.read() as session:
            served = session.exec(select(Ticket)).one()
            assert served.number == "A001"
            # the durations the reports read are stored columns on PostgreSQL, filled for old rows too
            assert (served.wait_seconds, served.service_seconds) == (5 * 60, 7 * 60 + 30)
            assert session.exec(select(Event)).one().hash  # the old log was chained by the upgrade
            assert audit.verify(session).records == (
                "settings (never recorded: start the app once, or run counter-app db upgrade)",)
        with store.write() as session:
            assert settings_record.record_first(session, at=dt.datetime(2026, 12, 5, 8))
        with store.read() as session:
            assert audit.verify(session).ok
    finally:
        store.dispose()


def test_a_store_from_a_newer_counter_app_is_refused_and_left_alone(postgres):
    url = postgres.create()
    open_store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError) as refused:
        open_store(url)
    assert "newer counter_app" in refused.value.text() and "9999" in refused.value.text()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").all() == [("9999",)]
    engine.dispose()


def test_a_database_that_is_not_a_counter_app_store_is_refused(postgres):
    url = postgres.create()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(StoreError, match="not a counter_app store"):
        open_store(url)


def test_a_server_that_does_not_answer_is_named_as_such_not_as_a_damaged_store(postgres):
    """A PC whose database server is down must not be told its data is damaged."""
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = sa.engine.make_url(postgres.create()).set(port=port, password="s3cret")
    with pytest.raises(StoreError) as refused:
        open_store(url.render_as_string(hide_password=False))
    message = refused.value.text()
    assert "cannot be reached" in message and "database server is running" in message
    assert "damaged" not in message and "s3cret" not in message
