"""Shared fixtures: a fresh store per test on a virtual clock, the demo hall, offscreen Qt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Qt aborts the whole run without a display; tests always draw offscreen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pytest  # noqa: E402

from counter_app import i18n  # noqa: E402
from counter_app.workflows.core import auth  # noqa: E402

auth.use_fast_hashing()

pytest_plugins = ["helpers.fixtures"]


def pytest_collection_modifyitems(config, items):
    """On a PostgreSQL run, only the tests with a store: the others would run exactly as on SQLite.

    `sqlite_only` tests check what only SQLite has (its files, its query plans); `postgres_only` ones
    need the server.
    """
    from helpers.fixtures import postgres_url  # imported here: pytest loads it as a plugin first

    on_postgres = postgres_url() is not None
    for item in items:
        if on_postgres:
            marker = item.get_closest_marker("sqlite_only")
            if marker is not None:
                item.add_marker(pytest.mark.skip(reason=f"SQLite only: {marker.args[0]}"))
            elif not {"store", "postgres"} & set(getattr(item, "fixturenames", ())):
                item.add_marker(pytest.mark.skip(reason="no store: runs as on SQLite"))
        elif item.get_closest_marker("postgres_only") is not None:
            item.add_marker(pytest.mark.skip(reason="PostgreSQL only: set COUNTER_APP_TEST_PG (README)"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real data directory or store."""
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("COUNTER_APP_DB", raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
