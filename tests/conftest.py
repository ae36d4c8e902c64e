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
from counter_app.workflows import auth  # noqa: E402

auth.use_fast_hashing()

pytest_plugins = ["helpers.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real data directory or store."""
    monkeypatch.setenv("COUNTER_APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("COUNTER_APP_DB", raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")
