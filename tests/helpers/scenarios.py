"""Short replay scenarios written by a test: one event a line, the first on line 7, and a refused one."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter_app.errors import AppError
from counter_app.workflows.replay.runner import run_scenario

HEAD = """{
  "title": "A short morning",
  "date": "2026-03-02",
  "start": "08:40",
  "branch": {"opens": "09:00", "closes": "17:30"},
  "events": [
"""  # the first event is on line 7

LOGIN = '{"at": "08:45", "do": "login", "counter": 1, "staff": "S002"}'
TAKE = '{"at": "08:57", "do": "take_ticket", "service": "BB"}'
SERVE = ['{"at": "09:00", "do": "open_counter", "counter": 1}',
         '{"at": "09:00", "do": "call_next", "counter": 1}',
         '{"at": "09:01", "do": "start", "counter": 1}']  # BB: a 10-minute service target
FINISH = '{"at": "09:04", "do": "finish", "counter": 1}'


def write_scenario(tmp_path: Path, *events: str) -> Path:
    """A scenario with one event a line, the first on line 7."""
    path = tmp_path / "scenario.json"
    path.write_text(HEAD + ",\n".join(events) + "\n  ]\n}\n", encoding="utf-8")
    return path


def replay(tmp_path: Path, *events: str) -> tuple[Path, dict]:
    """Replays the events into tmp_path/out; returns the folder and the run's summary."""
    out = tmp_path / "out"
    return out, run_scenario(write_scenario(tmp_path, *events), out)


def refusal(tmp_path: Path, *events: str) -> AppError:
    """The refusal of a scenario, which leaves neither an output folder nor a half-written work folder."""
    out = tmp_path / "out"
    with pytest.raises(AppError) as caught:
        run_scenario(write_scenario(tmp_path, *events), out)
    assert not out.exists(), "a refused scenario leaves no output folder"
    assert [p.name for p in tmp_path.iterdir()] == ["scenario.json"], "nor a half-written work folder"
    return caught.value
