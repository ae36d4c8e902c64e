"""The walk-in queue end to end, through the windows a branch really has open: kiosk, display, counter."""

import pytest
from helpers.fixtures import at
from PySide6.QtCore import Qt
from sqlmodel import select

from counter_app.models import Ticket
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.counter.window import CounterWindow
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.workflows.queue import counters
from counter_app.workflows.replay import demo


@pytest.fixture
def windows(qtbot, hall, clock, tmp_path):
    """Three windows on three "PCs": each its own backend (and engine) over the one store."""
    settings = Settings(tmp_path / "settings.json")
    backends = [Backend(hall.__class__(hall.url), clock, refresh_ms=50, evaluate_ms=0) for _ in range(3)]
    clock.set(at("09:00"))
    with hall.write() as session:
        login = counters.login(session, clock, counter_number=3, staff_no="S001", password=demo.DEMO_PASSWORD)
    kiosk = KioskWindow(backends[0], settings)
    announcer = Announcer(enabled=False)
    display = DisplayWindow(backends[1], settings, announcer)
    counter = CounterWindow(backends[2], login)
    for window in (kiosk, display, counter):
        qtbot.addWidget(window)
        window.show()
    yield kiosk, display, counter, announcer
    for backend in backends:
        backend.stop()
        backend.store.dispose()


def test_a_customer_takes_a_ticket_is_called_to_counter_3_and_served(qtbot, hall, clock, windows):
    kiosk, display, counter, announcer = windows

    # The clerk opens counter 3; the customer touches "broadband renewal" at the kiosk.
    qtbot.mouseClick(counter.open_button, Qt.MouseButton.LeftButton)
    clock.set(at("09:02"))
    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    assert kiosk.last_ticket.number == "A001"

    # The display, on another PC, shows one customer waiting for broadband.
    qtbot.waitUntil(lambda: display.waiting_labels["BB"].text() == "1", timeout=1000)

    # The counter sees the customer in its list and calls the next one.
    qtbot.waitUntil(lambda: counter.waiting_table.rowCount() == 1, timeout=2000)
    clock.set(at("09:04"))
    qtbot.mouseClick(counter.call_next_button, Qt.MouseButton.LeftButton)
    assert "A001" in counter.current_label.text()

    # The display shows A001 at counter 3, announces it, and nobody waits any more.
    qtbot.waitUntil(lambda: "A001" in display.counter_cells[3].ticket_label.text(), timeout=1000)
    qtbot.waitUntil(lambda: bool(announcer.spoken), timeout=1000)
    assert "A001" in announcer.spoken[-1] and "3" in announcer.spoken[-1]
    assert display.waiting_labels["BB"].text() == "0"

    # The customer arrives, is served for four minutes, and the visit's times are on record.
    qtbot.mouseClick(counter.start_button, Qt.MouseButton.LeftButton)
    clock.set(at("09:08"))
    qtbot.mouseClick(counter.finish_button, Qt.MouseButton.LeftButton)
    with hall.read() as session:
        ticket = session.exec(select(Ticket).where(Ticket.number == "A001")).one()
    assert (ticket.issued_at, ticket.called_at, ticket.started_at, ticket.finished_at) == (
        at("09:02"), at("09:04"), at("09:04"), at("09:08"))
    assert ticket.outcome == "served"
    qtbot.waitUntil(lambda: "A001" not in display.counter_cells[3].ticket_label.text(), timeout=1000)
