"""Starting the app: a store named by a plain path, and a machine with no screen get clear answers."""

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
