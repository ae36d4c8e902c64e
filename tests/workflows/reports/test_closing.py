"""Closing the day: the page is saved and the event log says who closed the day, with its numbers."""

import json

import pytest
from helpers.fixtures import DAY, at, staff_id
from helpers.report_day import UNTIL, build_day
from helpers.story import act, events, refused
from pypdf import PdfReader

from counter_app.workflows.core import audit
from counter_app.workflows.reports import closing


@pytest.fixture
def morning(hall, clock):
    ids = build_day(hall, clock)
    clock.set(UNTIL)
    return ids


def close(hall, clock, path, staff_no="M001"):
    return act(hall, clock, closing.close_day, day=DAY, staff_id=staff_id(hall, staff_no), path=path,
               language="en")


def test_closing_the_day_records_who_closed_it_and_the_days_numbers(hall, clock, morning, tmp_path):
    before = events(hall)[-1]

    closed = close(hall, clock, tmp_path / "day.pdf")

    [event] = events(hall, "day_closed")
    # the counters left open close first, then the day: its row follows theirs in the chain
    between = [e for e in events(hall) if before.id < e.id < event.id]
    assert {e.kind for e in between} == {"counter_closed", "staff_logged_out"}  # no data old enough to purge
    head_before = between[-1]
    assert event.id == head_before.id + 1 and event.prev_hash == head_before.hash
    assert (event.at, event.staff_id) == (UNTIL, morning["M001"])
    assert json.loads(event.data) == {
        "day": "2026-03-02", "customers": 3, "served": 2, "no_shows": 1, "still_open": 0, "within": 1,
        "service_level": 0.5, "breaches": 3, "open_escalations": 1, "earlier_open_escalations": 0,
        "ratings": 0, "complaints": 0, "head_before": f"{head_before.id}:{head_before.hash[:16]}",
        "page": "day.pdf", "counters_closed": [1, 3], "left_waiting": [], "customers_purged": 0,
        "visits_purged": 0}
    assert closed.change.kind == "day_closed" and closed.path == tmp_path / "day.pdf"
    assert (closed.head.event_id, closed.head.hash) == (event.id, event.hash)
    with hall.read() as session:
        assert audit.verify(session).ok


def test_the_page_prints_the_closing_as_the_event_logs_head(hall, clock, morning, tmp_path):
    closed = close(hall, clock, tmp_path / "day.pdf")
    [event] = events(hall, "day_closed")
    reader = PdfReader(tmp_path / "day.pdf")
    text = " ".join(reader.pages[0].extract_text().split())
    assert len(reader.pages) == 1
    assert "Day closed by 陈刚 at 10:30." in text
    assert f"Head of the event log: event {event.id}, hash {event.hash[:16]}" in text
    assert f"counter-app audit verify --anchor {closed.head.anchor}" in text


def test_only_a_duty_manager_or_an_administrator_closes_the_day(hall, clock, morning, tmp_path):
    seen = len(events(hall))
    message = refused(hall, clock, closing.close_day, day=DAY, staff_id=morning["S001"], path=tmp_path / "day.pdf",
                      language="en")
    assert message == "Only duty managers and administrators can close the day."
    assert len(events(hall)) == seen and not (tmp_path / "day.pdf").exists()
    close(hall, clock, tmp_path / "admin.pdf", staff_no="A001")
    assert [e.staff_id for e in events(hall, "day_closed")] == [staff_id(hall, "A001")]


def test_the_day_is_closed_in_the_store_before_its_page_names_the_anchor(hall, clock, morning, tmp_path,
                                                                         monkeypatch):
    from counter_app.workflows.core import files

    seen_when_written = []
    real = files.write_bytes_atomically

    def write(path, data):
        seen_when_written.append([e.kind for e in events(hall)][-1])  # another connection's view of the store
        return real(path, data)

    monkeypatch.setattr(files, "write_bytes_atomically", write)
    close(hall, clock, tmp_path / "day.pdf")
    assert seen_when_written == ["day_closed"], "the page is written only once its anchor is committed"


def test_a_page_that_cannot_be_saved_leaves_the_day_closed_and_says_how_to_make_it_again(hall, clock, morning,
                                                                                          tmp_path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    message = refused(hall, clock, closing.close_day, day=DAY, staff_id=morning["M001"], path=blocked / "day.pdf",
                      language="en")
    assert message.startswith("The day is closed, but its page could not be saved (")
    assert message.endswith("make it again with counter-app report end-of-day.")
    assert len(events(hall, "day_closed")) == 1


def test_the_closings_of_a_day_are_found_again(hall, clock, morning, tmp_path):
    with hall.read() as session:
        assert closing.day_closings(session, DAY) == []
    first = close(hall, clock, tmp_path / "day.pdf")
    clock.set(at("17:45"))
    second = close(hall, clock, tmp_path / "day-again.pdf", staff_no="A001")
    with hall.read() as session:
        found = closing.day_closings(session, DAY)
    assert [(c.at, c.staff_name, c.anchor) for c in found] == [
        (UNTIL, "陈刚", first.head.anchor), (at("17:45"), "刘洋", second.head.anchor)]
    assert json.loads(events(hall, "day_closed")[1].data)["head_before"] == first.head.anchor


def test_each_closed_days_anchor_is_kept_beside_the_backups_and_checked_by_the_audit(hall, clock, morning, tmp_path,
                                                                                     capsys):
    import sqlalchemy as sa

    from counter_app import paths
    from counter_app.__main__ import main
    from counter_app.workflows.core import audit

    closed = close(hall, clock, tmp_path / "day.pdf")
    assert [str(a) for a in audit.kept_anchors(paths.backups_dir(), hall.url)] == [closed.head.anchor]
    assert audit.kept_anchors(paths.backups_dir(), "sqlite:////elsewhere/other.sqlite3") == []
    assert main(["audit", "verify", "--db", hall.url]) == 0
    assert "1 anchors kept beside the backups were checked." in capsys.readouterr().out

    with hall.engine.begin() as connection:  # the newest rows cut off behind the app's back
        connection.execute(sa.text("DELETE FROM event WHERE id >= :id"), {"id": closed.head.event_id})
    assert main(["audit", "verify", "--db", hall.url]) == 1, "no anchor given: the kept one is enough"
    assert "Event log cut short" in capsys.readouterr().err
