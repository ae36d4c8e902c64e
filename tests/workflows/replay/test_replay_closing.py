"""A scenario ends its day the way a branch does: the duty manager closes it (close_day), and the replay's
folder keeps the page that closing saved. A scenario that does not close the day still gets the page."""

from __future__ import annotations

import re

import pytest
from helpers.scenarios import FINISH, LOGIN, SERVE, TAKE, refusal, replay
from pypdf import PdfReader

from counter_app.models.db import open_store
from counter_app.workflows.core import audit


def close(at: str, staff: str = "M001") -> str:
    return f'{{"at": "{at}", "do": "close_day", "staff": "{staff}"}}'


def page_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def verified(out, *anchors: str) -> audit.AuditResult:
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            return audit.verify(session, anchors=[audit.parse_anchor(a) for a in anchors])
    finally:
        store.dispose()


def test_the_duty_manager_closes_the_day_and_the_folder_keeps_its_page(tmp_path):
    out, summary = replay(tmp_path, LOGIN, TAKE, *SERVE, FINISH, close("09:10"))
    [closed] = summary["closings"]
    assert (closed["line"], closed["at"], closed["staff"], closed["page"]) == (
        13, "2026-03-02T09:10:00", "M001", "reports/end-of-day-2026-03-02.pdf")
    assert summary["reports"][-1] == closed["page"]
    text = page_text(out / closed["page"])
    assert "Day closed by 陈刚 at 09:10." in text
    assert f"counter-app audit verify --anchor {closed['anchor']}" in text
    assert verified(out, closed["anchor"]).ok
    assert "day_closed" in (out / "events.log").read_text(encoding="utf-8").splitlines()[-1]


def test_a_scenario_that_does_not_close_the_day_still_gets_its_page(tmp_path):
    out, summary = replay(tmp_path, LOGIN, TAKE, *SERVE, FINISH)
    assert summary["closings"] == []
    assert summary["reports"][-1] == "reports/end-of-day-2026-03-02.pdf"
    text = page_text(out / "reports" / "end-of-day-2026-03-02.pdf")
    assert "End-of-day summary" in text and "Day closed by" not in text
    # Nothing was closed: the page shows the log's head as it stood, and the log records no closing.
    [anchor] = re.findall(r"--anchor (\d+:[0-9a-f]{16})", text)
    assert verified(out, anchor).ok
    assert "day_closed" not in (out / "events.log").read_text(encoding="utf-8")


def test_a_day_closed_twice_keeps_both_pages(tmp_path):
    late = '{"at": "10:00", "do": "take_ticket", "service": "BILL"}'
    out, summary = replay(tmp_path, LOGIN, TAKE, *SERVE, FINISH, close("09:10"), late, close("10:05", "A001"))
    first, second = summary["closings"]
    assert (first["page"], second["page"]) == ("reports/end-of-day-2026-03-02.pdf",
                                                "reports/end-of-day-2026-03-02-2.pdf")
    assert summary["reports"][-2:] == [first["page"], second["page"]]
    assert "Customers 1 " in page_text(out / first["page"])  # the first page stays as it was printed
    assert "Customers 2 " in page_text(out / second["page"])
    assert "Day closed by 刘洋 at 10:05." in page_text(out / second["page"])  # the administrator
    assert verified(out, first["anchor"], second["anchor"]).ok


def test_only_a_duty_manager_or_an_administrator_closes_the_day(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE, FINISH, close("09:10", "S003"))
    assert str(error) == "line 13: Only duty managers and administrators can close the day."


@pytest.mark.parametrize(("event", "reason"), [
    ('{"at": "09:10", "do": "close_day"}', '"close_day" needs the field "staff".'),
    ('{"at": "09:10", "do": "close_day", "staff": "M001", "counter": 1}', '"close_day" has no field "counter".'),
    ('{"at": "09:10", "do": "close_day", "staff": "M009"}', "Unknown staff number M009."),
])
def test_a_closing_without_a_known_manager_is_refused_with_its_line(tmp_path, event, reason):
    assert str(refusal(tmp_path, LOGIN, event)) == f"line 8: {reason}"
