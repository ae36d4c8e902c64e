"""The store: migrations that match the models, and clear refusals of damaged or newer stores."""

import datetime as dt
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers.stores import assert_upgrades_like_new, earlier_revisions, schema
from sqlmodel import SQLModel

from counter_app.__main__ import main
from counter_app.errors import StoreError
from counter_app.models import Holiday
from counter_app.models.db import Store, open_store


def sqlite_url(path) -> str:
    return f"sqlite:///{path}"


def test_the_migrations_build_exactly_the_tables_of_the_models(tmp_path):
    from_models = Store(sqlite_url(tmp_path / "models.sqlite3"))
    from_models.create_all_for_tests()
    migrated = open_store(sqlite_url(tmp_path / "migrated.sqlite3"))
    try:
        for store in (from_models, migrated):
            with store.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                assert compare_metadata(context, SQLModel.metadata) == [], store.url
        assert schema(migrated) == schema(from_models)
        assert migrated.check_schema() == "current"
    finally:
        from_models.dispose()
        migrated.dispose()


def test_an_empty_file_becomes_a_current_store(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.touch()
    store = open_store(sqlite_url(path))
    try:
        assert store.check_schema() == "current"
    finally:
        store.dispose()


def test_a_corrupt_file_is_refused_with_a_readable_message(tmp_path):
    path = tmp_path / "corrupt.sqlite3"
    garbage = b"this is not a database, just some bytes on a disk \x00\xff" * 200
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as refused:
        open_store(sqlite_url(path))
    message = refused.value.text()
    assert "cannot be read" in message and "corrupt.sqlite3" in message
    assert path.read_bytes() == garbage


def test_a_store_from_a_newer_counter_app_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_store(sqlite_url(path)).dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreError) as refused:
        open_store(sqlite_url(path))
    assert "newer counter_app" in refused.value.text() and "9999" in refused.value.text()
    assert path.read_bytes() == before
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("9999",)]
    connection.close()


def test_a_database_that_is_not_a_counter_app_store_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    connection.close()
    with pytest.raises(StoreError, match="not a counter_app store"):
        open_store(sqlite_url(path))


def test_the_command_line_upgrades_and_checks_a_store(tmp_path, capsys):
    url = sqlite_url(tmp_path / "cli.sqlite3")
    assert main(["db", "check", "--db", url, "--lang", "en"]) == 2
    assert "There is no store at" in capsys.readouterr().err
    assert not (tmp_path / "cli.sqlite3").exists(), "checking never creates a store"
    assert main(["db", "upgrade", "--db", url, "--lang", "en"]) == 0
    assert "upgraded (was: empty)" in capsys.readouterr().out
    assert main(["db", "check", "--db", url, "--lang", "en"]) == 0
    assert "schema current" in capsys.readouterr().out


def test_the_command_line_refuses_a_corrupt_store(tmp_path, capsys):
    path = tmp_path / "corrupt.sqlite3"
    path.write_bytes(b"\xde\xad\xbe\xef" * 1024)
    assert main(["db", "upgrade", "--db", sqlite_url(path), "--lang", "en"]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_a_failed_action_rolls_back_everything_it_wrote(hall):
    with pytest.raises(RuntimeError), hall.write() as session:
        session.add(Holiday(day=dt.date(2026, 5, 1)))
        session.flush()
        raise RuntimeError("the power went")
    with hall.read() as session:
        assert session.get(Holiday, 1) is None


def test_a_first_version_store_with_a_mornings_tickets_upgrades_to_the_newest(tmp_path):
    """A branch that ran the first release keeps its tickets and event log through every migration."""
    from alembic import command

    from counter_app.models.db import alembic_config

    url = sqlite_url(tmp_path / "old.sqlite3")
    old = Store(url)
    cfg = alembic_config()
    with old.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    with old.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO service (id, code, name_zh, name_en, prefix, priority, target_wait_min,"
                                   " target_service_min, typical_service_min, sort_order, active)"
                                   " VALUES (1, 'BB', '宽带续费', 'Broadband renewal', 'A', 0, 15, 10, 4, 0, 1)")
        connection.exec_driver_sql("INSERT INTO ticket (id, number, service_id, business_date, seq, priority, state,"
                                   " early, issued_at, queue_at, recall_count)"
                                   " VALUES (1, 'A001', 1, '2026-03-02', 1, 0, 'waiting', 1,"
                                   " '2026-03-02 08:57:00', '2026-03-02 08:57:00', 0)")
        connection.exec_driver_sql("INSERT INTO event (id, at, kind, ticket_id, service_id, data)"
                                   " VALUES (1, '2026-03-02 08:57:00', 'ticket_issued', 1, 1, '{}')")
    old.dispose()

    store = open_store(url)
    try:
        assert store.check_schema() == "current"
        with store.read() as session:
            from sqlmodel import select

            from counter_app.models import Event, Ticket
            from counter_app.workflows.core import audit

            assert [t.number for t in session.exec(select(Ticket))] == ["A001"]
            assert session.exec(select(Event)).one().hash  # the old log was chained by the upgrade
            # the old store's staff, targets and hours were never recorded: named until they are, once
            assert audit.verify(session).records == (
                "settings (never recorded: start the app once, or run counter-app db upgrade)",)
        from counter_app.workflows.core import settings_record

        with store.write() as session:
            assert settings_record.record_first(session, at=dt.datetime(2026, 12, 5, 8))
        with store.write() as session:
            assert not settings_record.record_first(session, at=dt.datetime(2026, 12, 5, 8))
        with store.read() as session:
            assert audit.verify(session).ok
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        store.dispose()


def test_options_before_a_subcommand_are_kept(tmp_path, capsys):
    """`counter-app --lang zh_CN db check` speaks Chinese, as `db check --lang zh_CN` does."""
    url = sqlite_url(tmp_path / "store.sqlite3")
    open_store(url).dispose()
    assert main(["--lang", "zh_CN", "--db", url, "db", "check"]) == 0
    before = capsys.readouterr().out
    assert main(["db", "check", "--db", url, "--lang", "zh_CN"]) == 0
    assert capsys.readouterr().out == before
    assert any("\u4e00" <= ch <= "\u9fff" for ch in before), before  # said in Chinese


def test_reading_tools_refuse_an_older_store_and_say_how_to_upgrade_it(tmp_path, capsys):
    from alembic import command

    from counter_app.models.db import alembic_config

    url = sqlite_url(tmp_path / "old.sqlite3")
    old = Store(url)
    cfg = alembic_config()
    with old.engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "0001")
    old.dispose()
    assert main(["audit", "verify", "--db", url, "--lang", "en"]) == 2
    assert main(["report", "breaches", "--from", "2026-03-02", "--format", "csv", "--out",
                 str(tmp_path / "b.csv"), "--db", url, "--lang", "en"]) == 2
    message = capsys.readouterr().err
    assert "counter-app db upgrade" in message and "older than this counter_app" in message
    assert not (tmp_path / "b.csv").exists()
    with pytest.raises(StoreError):
        open_store(url, upgrade=False)
    assert Store(url).check_schema() == "outdated"  # nothing was changed


@pytest.mark.parametrize("revision", earlier_revisions())
def test_a_store_upgraded_from_an_earlier_revision_equals_a_new_one(tmp_path, revision):
    assert_upgrades_like_new(sqlite_url(tmp_path / f"at_{revision}.sqlite3"), sqlite_url(tmp_path / "new.sqlite3"),
                             revision)


def test_a_visits_approvals_are_found_through_the_index_not_by_reading_them_all(tmp_path):
    store = open_store(sqlite_url(tmp_path / "store.sqlite3"))
    try:
        with store.engine.connect() as connection:
            plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT * FROM exception_approval WHERE ticket_id IN (1, 2)"))
        assert "ix_exception_approval_ticket_id" in plan, plan
    finally:
        store.dispose()


def test_the_schema_head_the_app_knows_is_the_migrations_newest():
    # A current store opens without loading Alembic: the app compares its revision with this constant.
    from alembic.script import ScriptDirectory

    from counter_app.models.db import SCHEMA_HEAD, alembic_config

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD
