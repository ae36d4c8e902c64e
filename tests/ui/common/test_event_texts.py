"""Every event the workflows record reads as words in a visit's timeline, never as its internal kind."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from counter_app.ui.reports.timeline import EVENT_TEXT, TimelineDialog, event_details
from counter_app.workflows import reports
from counter_app.workflows.replay.runner import run_scenario

CASE_STUDY = Path(__file__).resolve().parents[3] / "resources" / "scenarios" / "case-study.json"


def test_every_event_kind_of_the_case_study_day_has_a_text(tmp_path):
    out = tmp_path / "day"
    run_scenario(CASE_STUDY, out)
    with sqlite3.connect(out / "store.sqlite3") as db:
        kinds = {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM event")}
    assert len(kinds) > 20  # a whole day: tickets, alerts, help requests, orders, documents, feedback
    assert sorted(kinds - EVENT_TEXT.keys()) == []


def test_a_transfer_in_the_timeline_names_the_service_not_its_code(qtbot, clock):
    entry = reports.TimelineEntry(clock.now(), "ticket_transferred", "A001", 1, "王芳", {"to_service": "NEW"})
    names = {"NEW": {"zh": "新装宽带", "en": "New broadband"}}
    assert event_details(entry, names) == "to New broadband"
    dialog = TimelineDialog([entry], "A001", service_names=names)
    qtbot.addWidget(dialog)
    assert dialog.kinds() == ["Transferred"]
    assert dialog.table.item(0, 5).text() == "to New broadband"
