"""The duty manager's loyalty view flags an at-risk customer who is waiting now, prints the follow-up list and
records a call's outcome."""

import datetime as dt
import json

import pytest
from helpers.fixtures import DAY, at, staff_id
from helpers.pdf_checks import squeezed
from helpers.story import act, events, issue
from PySide6.QtCore import Qt

from counter_app.models import Feedback, FeedbackChannel, Ticket
from counter_app.ui.manager.window import ManagerWindow
from counter_app.workflows.customers import records, segments
from counter_app.workflows.oversight import duty
from counter_app.workflows.replay import demo

VIP_PHONE, OTHER_PHONE = "13800138000", "13900139000"


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def complained(hall, clock, phone, name, *, consent, spend=0):
    """A customer's visit that ended in a complaint: at risk for 90 days."""
    ticket_id = issue(hall, clock, "BB").ticket_id
    with hall.write() as session:
        customer = records.find_or_create(session, clock.now(), phone, name)
        customer.consent_contact, customer.monthly_spend, customer.customer_since = consent, spend, dt.date(2015, 1, 1)
        ticket = session.get(Ticket, ticket_id)
        ticket.customer_id, ticket.state = customer.id, "done"
        session.add_all([customer, ticket, Feedback(ticket_id=ticket_id, rating=1, is_complaint=True,
                                                    channel=FeedbackChannel.CLERK_RECORDED, created_at=clock.now())])
        segments.resegment(session, today=clock.now().date())


@pytest.fixture
def loyalty(qtbot, hall, clock, backend):
    act(hall, clock, segments.install_default_rules, staff_id=staff_id(hall, "A001"))
    clock.set(at("10:00", DAY - dt.timedelta(days=0)))
    complained(hall, clock, VIP_PHONE, "王小明", consent=True, spend=900)
    complained(hall, clock, OTHER_PHONE, "李华", consent=False)
    clock.set(at("09:00", DAY + dt.timedelta(days=7)))
    with hall.write() as session:
        login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    window = ManagerWindow(backend, login)
    qtbot.addWidget(window)
    window.resize(1440, 900)
    window.show()
    click(qtbot, window.loyalty_button)
    yield window.loyalty_dialog
    window.close()  # the manager's window keeps the dialog alive as long as the test needs it


def cells(table, row):
    return [table.item(row, col).text() for col in range(table.columnCount())]


def test_an_at_risk_vip_who_is_waiting_now_is_flagged(qtbot, hall, clock, loyalty):
    assert loyalty.isVisible() and loyalty.risk_table.rowCount() == 2
    assert loyalty.waiting_table.rowCount() == 0
    issue(hall, clock, "BB", customer_ref=VIP_PHONE)  # she is back, and takes a ticket at the kiosk
    clock.advance(minutes=6)
    qtbot.waitUntil(lambda: loyalty.waiting_table.rowCount() == 1, timeout=2000)
    loyalty.refresh()

    waiting = cells(loyalty.waiting_table, 0)
    assert waiting == ["A001", "王**", "VIP", "06:00", "yes — step in"]
    rows = {cells(loyalty.risk_table, r)[0]: cells(loyalty.risk_table, r) for r in range(2)}
    assert rows["王**"][2] == "1 complaint(s)" and rows["王**"][7] == "yes"
    assert rows["王**"][8] == "waiting now: A001"
    assert rows["李*"][7] == "no consent" and rows["李*"][8] == ""
    assert loyalty.waiting_table.item(0, 0).background().color().name() == "#ffe082"
    assert all("王小明" not in " ".join(row) and VIP_PHONE not in " ".join(row) for row in rows.values())


def test_the_follow_up_list_and_a_recorded_call(qtbot, hall, clock, loyalty, tmp_path):
    path = loyalty.save_follow_up_list(tmp_path / "calls.pdf", language="en")
    text = squeezed(path.read_bytes())
    assert VIP_PHONE in text and OTHER_PHONE not in text and "139****9000(noconsent)" in text
    [printed] = events(hall, "follow_up_list_printed")  # a phone in full is a full view: logged
    data = json.loads(printed.data)
    assert printed.staff_id == staff_id(hall, "M001") and printed.at == clock.now()
    assert len(data["customers"]) == 1 and len(data["masked"]) == 1  # whose phone was printed in full, whose not

    ids = [loyalty.risk_table.item(r, 0).text() for r in range(2)]
    loyalty.risk_table.selectRow(ids.index("李*"))
    assert not loyalty.record_button.isEnabled()  # she did not agree to be called
    loyalty.risk_table.selectRow(ids.index("王**"))
    loyalty.outcome_edit.setText("Apologised; bill corrected; staying")
    click(qtbot, loyalty.record_button)
    assert loyalty.message_bar.kind == "ok"
    assert len(events(hall, "follow_up_call_recorded")) == 1


def test_the_trend_shows_each_at_risk_customers_last_ratings_in_order(qtbot, hall, clock, loyalty):
    with hall.write() as session:  # two earlier visits of hers, within the 90 days, were rated 5 then 4
        customer = records.find(session, VIP_PHONE)
        for days, rating in ((20, 5), (10, 4)):
            when = at("10:00", DAY - dt.timedelta(days=days))
            ticket = Ticket(number=f"A{days:03d}", service_id=1, business_date=when.date(), seq=100 + days,
                            issued_at=when, queue_at=when, state="done", customer_id=customer.id, finished_at=when)
            session.add(ticket)
            session.flush()
            session.add(Feedback(ticket_id=ticket.id, rating=rating, channel=FeedbackChannel.FEEDBACK_WINDOW,
                                 created_at=when + dt.timedelta(minutes=5)))
    loyalty.refresh()
    rows = {cells(loyalty.risk_table, r)[0]: r for r in range(loyalty.risk_table.rowCount())}
    trend = loyalty.risk_table.item(rows["王**"], loyalty.TREND_COLUMN)
    assert trend.text() == "5 → 4 → 1"  # oldest first: the complaint's 1 is the latest
    assert cells(loyalty.risk_table, rows["王**"])[4] == "3.3"  # the average alone hides the slide
    assert trend.foreground().color().name() == "#b71c1c" and trend.toolTip() == "Satisfaction is falling"
    other = loyalty.risk_table.item(rows["李*"], loyalty.TREND_COLUMN)
    assert other.text() == "1" and other.toolTip() == ""
