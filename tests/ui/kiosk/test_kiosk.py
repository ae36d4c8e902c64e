"""Stories at the kiosk: taking an early ticket, being refused after closing, a store that cannot be read."""

import pytest
from helpers.fixtures import at
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import Ticket
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.kiosk.window import KioskWindow


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def backend(hall, clock):
    backend = Backend(hall, clock, refresh_ms=50)
    yield backend
    backend.stop()


def make_kiosk(qtbot, backend, settings):
    kiosk = KioskWindow(backend, settings)
    qtbot.addWidget(kiosk)
    kiosk.resize(1024, 768)
    kiosk.show()
    return kiosk


def tickets(store):
    with store.read() as session:
        return session.exec(select(Ticket)).all()


def test_a_ticket_taken_at_0857_says_when_serving_starts(qtbot, hall, clock, backend, settings):
    clock.set(at("08:57"))
    kiosk = make_kiosk(qtbot, backend, settings)
    assert "Serving starts at 09:00" in kiosk.hall_label.text()
    assert kiosk.service_buttons["BB"].isEnabled()

    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)

    assert kiosk.last_ticket.number == "A001"
    assert kiosk.last_ticket.early
    panel = kiosk.ticket_panel
    assert panel.isVisible()
    assert panel.number_label.text() == "A001"
    assert panel.service_label.text() == "Broadband renewal"
    assert panel.ahead_label.text() == "Nobody is ahead of you."
    assert panel.early_label.isVisible()
    assert panel.early_label.text() == "Serving starts at 09:00. Estimated call time: 09:00."
    # the button behind the ticket now counts the customer who just took it
    assert kiosk.service_buttons["BB"].detail_label.text().startswith("1 waiting")


def test_the_next_customer_learns_how_many_are_ahead(qtbot, hall, clock, backend, settings):
    clock.set(at("09:10"))
    kiosk = make_kiosk(qtbot, backend, settings)
    kiosk.issue("BB")
    kiosk.show_services()
    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    assert kiosk.last_ticket.number == "A002"
    assert kiosk.ticket_panel.ahead_label.text() == "People ahead of you: 1"
    assert not kiosk.ticket_panel.early_label.isVisible()
    assert "Estimated wait: about" in kiosk.ticket_panel.eta_label.text()


def test_the_ticket_goes_away_by_itself_and_the_services_come_back(qtbot, hall, clock, backend, settings):
    settings.set("kiosk_ticket_seconds", 1)
    clock.set(at("09:10"))
    kiosk = make_kiosk(qtbot, backend, settings)
    kiosk.issue("PLAN")
    assert kiosk.stack.currentWidget() is kiosk.ticket_panel
    qtbot.waitUntil(lambda: kiosk.stack.currentIndex() == 0, timeout=2000)


def test_after_closing_a_touch_is_refused_and_nothing_is_issued(qtbot, hall, clock, backend, settings):
    clock.set(at("17:29"))
    kiosk = make_kiosk(qtbot, backend, settings)
    assert kiosk.service_buttons["BB"].isEnabled()
    clock.set(at("18:00"))  # the hall closed while the screen still showed the buttons

    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)

    assert tickets(hall) == []
    assert kiosk.last_ticket is None
    assert kiosk.message_bar.isVisible()
    assert kiosk.message_bar.text() == "The hall is closed. Tickets are issued again from 2026-03-03 08:45."
    # the kiosk stays usable and now shows it is closed
    assert kiosk.stack.currentIndex() == 0
    assert not any(b.isEnabled() for b in kiosk.service_buttons.values())
    assert kiosk.hall_label.text().startswith("The hall is closed.")


def test_a_kiosk_started_after_closing_offers_nothing(qtbot, hall, clock, backend, settings):
    clock.set(at("18:00"))
    kiosk = make_kiosk(qtbot, backend, settings)
    assert kiosk.hall_label.text() == "The hall is closed. Tickets are issued again from 2026-03-03 08:45."
    assert not any(b.isEnabled() for b in kiosk.service_buttons.values())


def test_a_store_that_cannot_be_read_disables_the_buttons(qtbot, hall, clock, backend, settings, monkeypatch):
    clock.set(at("09:10"))
    kiosk = make_kiosk(qtbot, backend, settings)
    monkeypatch.setattr(backend, "query", lambda *a, **kw: None)
    kiosk.refresh()
    assert "Data unavailable" in kiosk.hall_label.text()
    assert not any(b.isEnabled() for b in kiosk.service_buttons.values())
    monkeypatch.undo()
    kiosk.refresh()
    assert all(b.isEnabled() for b in kiosk.service_buttons.values())


def test_service_names_are_whole_on_a_narrow_kiosk_in_english(qtbot, hall, clock, backend, settings):
    clock.set(at("09:05"))
    kiosk = make_kiosk(qtbot, backend, settings)
    kiosk.resize(640, 480)
    qtbot.wait(50)
    for code, button in kiosk.service_buttons.items():
        label = button.name_label
        needed = label.fontMetrics().boundingRect(label.contentsRect(), int(Qt.TextFlag.TextWordWrap), label.text())
        assert needed.width() <= label.contentsRect().width(), f"{code}: {label.text()!r} is cut at the sides"
        assert needed.height() <= label.contentsRect().height(), f"{code}: {label.text()!r} is cut off below"


def test_an_elderly_customer_takes_a_priority_ticket_at_the_kiosk_and_is_called_first(qtbot, hall, clock,
                                                                                      backend, settings):
    import json

    from helpers.fixtures import open_counter
    from helpers.story import act, events

    from counter_app.workflows.queue import tickets as queue

    clock.set(at("09:00"))
    kiosk = make_kiosk(qtbot, backend, settings)
    kiosk.issue("BB")  # A001, an ordinary ticket
    assert kiosk.prompt_label.text() == "Touch the service you need:"
    qtbot.mouseClick(kiosk.priority_button, Qt.MouseButton.LeftButton)
    assert kiosk.priority_button.isChecked()
    assert kiosk.prompt_label.text() == "A priority ticket: touch the service you need:"
    clock.advance(minutes=1)
    taken = kiosk.issue("BB")  # A002, priority

    assert not kiosk.priority_button.isChecked()  # the next customer starts from an ordinary ticket
    assert [t.priority for t in tickets(hall)] == [0, 1]
    assert json.loads(events(hall, "ticket_issued")[-1].data)["priority_reason"] == "kiosk"
    clerk = open_counter(hall, clock, 1, "S001")
    assert act(hall, clock, queue.call_next, counter_number=1, staff_id=clerk).number == taken.number
