"""Backups of the embedded store: a consistent copy of a live store, checked, kept a fortnight, restored with the
replaced store kept — the round trip, from the command line too."""

import datetime as dt
import sqlite3

import pytest
from helpers.fixtures import at
from helpers.story import issue

from counter_app import paths
from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.models import Ticket
from counter_app.workflows.core import backup

pytestmark = pytest.mark.sqlite_only("backs up the SQLite file")


def tickets_in(path) -> int:
    connection = sqlite3.connect(str(path))
    try:
        return connection.execute("SELECT count(*) FROM ticket").fetchone()[0]
    finally:
        connection.close()


def test_a_backup_of_a_live_store_holds_what_is_still_in_its_write_ahead_log(hall, clock, tmp_path):
    clock.set(at("09:00"))
    with hall.read() as session:  # a reader keeps the log from being folded into the file
        session.exec(Ticket.__table__.select()).all()
        for _ in range(5):
            issue(hall, clock)
        made = backup.backup(hall.url, tmp_path / "backups", clock.now())
    assert made.name == "counter-app-20260302-090000.sqlite3"
    assert tickets_in(made) == 5
    backup.check_backup(made)
    assert [p.name for p in made.parent.iterdir()] == [made.name], "no temporary file left beside it"


def test_the_daily_backup_is_made_once_a_day_and_keeps_the_newest(hall, clock, tmp_path):
    folder = tmp_path / "backups"
    for day in range(1, 6):
        now = dt.datetime(2026, 3, day, 8, 0)
        first = backup.daily_backup(hall.url, folder, now, keep=3)
        again = backup.daily_backup(hall.url, folder, now + dt.timedelta(hours=2), keep=3)
        assert first.made is not None and again.made is None
    assert [p.name[12:20] for p in backup.backups_in(folder)] == ["20260303", "20260304", "20260305"]


def test_a_restore_checks_the_backup_keeps_the_replaced_store_and_brings_the_old_data_back(hall, clock, tmp_path):
    clock.set(at("09:00"))
    issue(hall, clock)
    made = backup.backup(hall.url, tmp_path / "backups", clock.now())
    clock.advance(minutes=5)
    issue(hall, clock)
    issue(hall, clock)

    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database" * 100)
    with pytest.raises(AppError, match="not a store backup that can be read"):
        backup.restore(hall.url, broken, clock.now(), keep_dir=tmp_path / "kept")
    with hall.read() as session:
        assert len(session.exec(Ticket.__table__.select()).all()) == 3, "a bad backup replaces nothing"

    kept = backup.restore(hall.url, made, clock.now(), keep_dir=tmp_path / "kept")
    with hall.read() as session:
        assert len(session.exec(Ticket.__table__.select()).all()) == 1, "the store is as it was at the backup"
    assert tickets_in(kept) == 3 and ".replaced" in kept.name, "what it replaced is kept"


def test_backup_and_restore_from_the_command_line(tmp_path, capsys):
    store = tmp_path / "hall.sqlite3"
    assert main(["db", "upgrade", "--db", str(store)]) == 0
    assert main(["backup", "--db", str(store), "--to", str(tmp_path / "b")]) == 0
    [made] = backup.backups_in(tmp_path / "b")
    assert str(made) in capsys.readouterr().out
    assert main(["restore", str(made), "--db", str(store)]) == 0
    assert "the store it replaced is kept as" in capsys.readouterr().out
    assert any(".replaced" in p.name for p in paths.backups_dir().iterdir())
    assert main(["backup", "--db", "postgresql+psycopg://u:p@127.0.0.1:1/x"]) == 2
    assert "pg_dump" in capsys.readouterr().err
