"""Starting the app: a store named by a plain path, and a machine with no screen get clear answers."""

import pytest

from counter_app import paths
from counter_app.__main__ import main


def test_a_plain_path_given_to_db_is_a_sqlite_store_there(tmp_path, capsys):
    store = tmp_path / "hall.sqlite3"
    assert paths.store_url(str(store)) == f"sqlite:///{store}"
    assert paths.store_url("postgresql+psycopg://u:p@127.0.0.1:5432/hall") == "postgresql+psycopg://u:p@127.0.0.1:5432/hall"
    assert main(["db", "upgrade", "--db", str(store)]) == 0
    assert main(["db", "check", "--db", str(store)]) == 0
    assert "schema" in capsys.readouterr().out and store.exists()


def test_without_a_screen_the_app_says_so_instead_of_qts_hint(monkeypatch, capsys):
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["--role", "display"]) == 2
    assert "No screen to open the window on" in capsys.readouterr().err


def test_a_missing_store_is_never_replaced_by_an_empty_one(tmp_path, capsys):
    moved = tmp_path / "moved-away.sqlite3"
    for argv in (["db", "check"], ["db", "tally"], ["audit", "verify"],
                 ["report", "breaches", "--from", "2026-03-02", "--out", str(tmp_path / "b.csv")]):
        assert main([*argv, "--db", str(moved)]) == 2, argv
        assert "There is no store at" in capsys.readouterr().err
    assert not moved.exists()


def test_a_report_never_writes_over_the_store_nor_an_existing_file_unless_forced(tmp_path, capsys):
    store = tmp_path / "hall.sqlite3"
    assert main(["db", "upgrade", "--db", str(store)]) == 0
    before = store.read_bytes()
    capsys.readouterr()
    assert main(["report", "breaches", "--from", "2026-03-02", "--db", str(store), "--out", str(store)]) == 2
    assert "is the store itself" in capsys.readouterr().err and store.read_bytes() == before
    assert main(["report", "breaches", "--from", "2026-03-02", "--db", str(store), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err

    out = tmp_path / "breaches.csv"
    out.write_text("keep me")
    assert main(["report", "breaches", "--from", "2026-03-02", "--db", str(store), "--out", str(out)]) == 2
    assert "exists already" in capsys.readouterr().err and out.read_text() == "keep me"
    assert main(["report", "breaches", "--from", "2026-03-02", "--db", str(store), "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8-sig").startswith("Date,Ticket,Service,")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == [], "no temporary file left"


def test_a_locked_out_manager_is_unlocked_from_the_command_line_by_an_administrator(tmp_path, monkeypatch, capsys):
    import datetime as dt
    import io

    from sqlmodel import select

    from counter_app.models import Staff
    from counter_app.models.db import open_store
    from counter_app.workflows.replay import demo

    path = tmp_path / "hall.sqlite3"
    store = open_store(f"sqlite:///{path}")
    with store.write() as session:
        demo.seed_demo(session, at=dt.datetime(2026, 3, 2, 8))
        session.exec(select(Staff).where(Staff.staff_no == "M001")).one().locked_at = dt.datetime(2026, 3, 2, 9)
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert main(["staff", "unlock", "M001", "--manager", "A001", "--db", str(path)]) == 2
    assert "Wrong staff number or password." in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(demo.DEMO_PASSWORD + "\n"))
    assert main(["staff", "unlock", "M001", "--manager", "A001", "--db", str(path)]) == 0
    assert "M001 can sign in again." in capsys.readouterr().out
    with store.read() as session:
        assert session.exec(select(Staff).where(Staff.staff_no == "M001")).one().locked_at is None
    store.dispose()


def test_absurd_numbers_and_dates_on_the_command_line_get_a_clear_refusal(tmp_path, capsys):
    import pytest

    store = tmp_path / "hall.sqlite3"
    assert main(["db", "upgrade", "--db", str(store)]) == 0
    for argv in (["report", "breaches", "--from", "2026-03-02", "--to", "9999-12-31", "--out", str(tmp_path / "x")],
                 ["report", "breaches", "--from", "2026-03-02", "--counter", str(2**64), "--out", str(tmp_path / "x")],
                 ["--counter", "-3", "--role", "counter"]):
        with pytest.raises(SystemExit) as stopped:
            main([*argv, "--db", str(store)])
        assert stopped.value.code == 2
        err = capsys.readouterr().err
        assert "not a business day" in err or "not a counter number" in err
    assert main(["audit", "verify", "--db", str(store), "--anchor", f"{2**64}:0123456789abcdef"]) == 2
    assert "Not an anchor" in capsys.readouterr().err


@pytest.mark.parametrize(("language", "words"), [("zh_CN", ("用法", "营业厅", "显示此帮助")),
                                                 ("en", ("usage:", "business hall", "show this help"))])
def test_the_command_lines_help_speaks_the_language_asked_for(capsys, language, words):
    from counter_app import i18n
    from counter_app.__main__ import main

    try:
        with pytest.raises(SystemExit) as done:
            main(["--lang", language, "--help"])
    finally:
        i18n.set_language("en")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert all(word in out for word in words), out[:400]
