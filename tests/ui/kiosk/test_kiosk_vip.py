"""A VIP types their mobile on the kiosk's keypad: recognised, the ticket takes their tier and they are called
before older ordinary tickets (issue 13: "a VIP customer for an ordinary service waited behind five older
tickets"). An unknown number gets an ordinary ticket and a plain message; the kiosk never shows a name or the
whole number."""

import datetime as dt
import json

import pytest
from helpers.fixtures import DAY, at, open_counter, staff_id
from helpers.story import act, events, issue
from PySide6.QtCore import Qt

from counter_app.settings import Settings
from counter_app.ui.kiosk.window import KioskWindow
from counter_app.workflows.customers import records, segments
from counter_app.workflows.queue import tickets

VIP_PHONE = "13800138000"


@pytest.fixture
def kiosk(qtbot, hall, clock, backend, tmp_path):
    act(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "A001"))
    with hall.write() as session:
        vip = records.find_or_create(session, at("08:40"), "88000042", "王小明")
        records.attach(session, vip, VIP_PHONE, at("08:40"))
        vip.monthly_spend, vip.customer_since = 900, dt.date(2015, 1, 1)
        segments.resegment(session, today=DAY)
    clock.set(at("09:00"))
    window = KioskWindow(backend, Settings(tmp_path / "settings.json"))
    qtbot.addWidget(window)
    window.resize(1024, 768)
    window.show()
    return window


def type_on_keypad(qtbot, kiosk, number):
    qtbot.mouseClick(kiosk.vip_button, Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentWidget() is kiosk.vip_keypad
    kiosk.vip_keypad.type_number(number)
    return kiosk.vip_keypad.typed_label.text()


def test_a_vip_recognised_at_the_kiosk_is_called_before_five_older_tickets(qtbot, hall, clock, kiosk):
    for _ in range(5):
        issue(hall, clock, "BB")
        clock.advance(minutes=1)

    shown = type_on_keypad(qtbot, kiosk, VIP_PHONE)
    assert shown == "•••••••8000"  # masked as it is typed
    qtbot.mouseClick(kiosk.vip_keypad.keys["ok"], Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentIndex() == 0
    assert "138****8000" in kiosk.message_bar.text() and "王" not in kiosk.message_bar.text()
    assert VIP_PHONE not in kiosk.message_bar.text()

    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    ticket = kiosk.last_ticket
    assert ticket.number == "A006" and ticket.vip
    assert kiosk.ticket_panel.title.text() == "Your number · VIP priority"
    [issued] = [e for e in events(hall, "ticket_issued") if e.ticket_id == ticket.ticket_id]
    assert json.loads(issued.data)["priority_reason"] == "vip"

    clerk = staff_id(hall, "S001")
    open_counter(hall, clock, 1, "S001")
    called = act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    assert called.number == "A006"  # before A001…A005, who came earlier

    kiosk.show_services()  # the next customer gets an ordinary ticket again
    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    assert not kiosk.last_ticket.vip


def test_an_unknown_number_gets_an_ordinary_ticket_and_a_plain_message(qtbot, hall, clock, kiosk):
    type_on_keypad(qtbot, kiosk, "13911112222")
    qtbot.mouseClick(kiosk.vip_keypad.keys["ok"], Qt.MouseButton.LeftButton)
    assert "could not find a VIP membership" in kiosk.message_bar.text()
    assert "13911112222" not in kiosk.message_bar.text()
    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    assert not kiosk.last_ticket.vip and kiosk.ticket_panel.title.text() == "Your number"


def test_going_back_leaves_nothing_typed_for_the_next_customer(qtbot, kiosk):
    type_on_keypad(qtbot, kiosk, "1380013")
    qtbot.mouseClick(kiosk.vip_keypad.keys["cancel"], Qt.MouseButton.LeftButton)
    assert kiosk.stack.currentIndex() == 0 and kiosk.vip_keypad.typed == ""
    assert kiosk.vip_ref is None


def test_a_vip_who_walks_away_is_forgotten_before_the_next_person_touches_a_service(qtbot, kiosk, monkeypatch):
    from counter_app.ui.kiosk import window

    monkeypatch.setattr(window, "VIP_RECOGNISED_SECONDS", 0.2)
    type_on_keypad(qtbot, kiosk, VIP_PHONE)
    qtbot.mouseClick(kiosk.vip_keypad.keys["ok"], Qt.MouseButton.LeftButton)
    assert kiosk.vip_ref == VIP_PHONE
    qtbot.waitUntil(lambda: kiosk.vip_ref is None, timeout=3000)
    assert "138****8000" not in kiosk.message_bar.text()
    qtbot.mouseClick(kiosk.service_buttons["BB"], Qt.MouseButton.LeftButton)
    assert not kiosk.last_ticket.vip and kiosk.ticket_panel.title.text() == "Your number"
