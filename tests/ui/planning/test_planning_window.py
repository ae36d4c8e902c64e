"""Stories at the planning desk: a custom order goes through parallel review to a committed date, and prints."""

import datetime as dt

from helpers.pdf_checks import text_of
from helpers.story import events
from sqlmodel import select

from counter_app.models.planning import OrderDateRevision, SalesOrder
from counter_app.ui.planning.dialogs import AnswerReviewDialog, NewOrderDialog, PlanningSignInDialog
from counter_app.workflows.replay import demo

REQUESTED = dt.date(2026, 12, 18)
LEADS = {"engineering": 3, "purchasing": 8, "warehouse": 8, "production": 5, "quality": 2}


def enter_custom_order(window, number="SO-2026-0042", customer="华东机械有限公司"):
    dialog = window.new_order()
    assert isinstance(dialog, NewOrderDialog)
    dialog.number_edit.setText(number)
    dialog.customer_edit.setText(customer)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("custom"))
    dialog.requested_edit.setDate(REQUESTED)
    dialog.lines_table.cellWidget(0, 0).setCurrentIndex(dialog.lines_table.cellWidget(0, 0).findData("P-200"))
    dialog.lines_table.cellWidget(0, 1).setValue(12)
    dialog.lines_table.cellWidget(0, 2).setDate(REQUESTED)
    dialog.ok_button.click()
    assert dialog.result() == NewOrderDialog.DialogCode.Accepted, dialog.message_bar.text()
    return dialog


def answer(window, department, *, can_meet=True, lead=None, reason="", notes="", fields=None):
    dialog = window.answer_review(department)
    assert isinstance(dialog, AnswerReviewDialog)
    assert dialog.department_combo.currentData()[1] == department
    dialog.can_meet_combo.setCurrentIndex(dialog.can_meet_combo.findData(can_meet))
    dialog.lead_spin.setValue(LEADS[department] if lead is None else lead)
    dialog.depends_edit.setText(f"{department} plan")
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData(reason))
    dialog.notes_edit.setText(notes)
    for name, value in (fields or {}).items():
        widget = dialog.fields[department][name]
        if hasattr(widget, "findData"):
            widget.setCurrentIndex(widget.findData(value))
        else:
            widget.setValue(value)
    dialog.ok_button.click()
    return dialog


def column(window, department):
    from counter_app.models.planning import Department

    return list(Department).index(department)


def test_a_custom_order_goes_through_parallel_review_to_a_committed_date(qtbot, window, hall):
    enter_custom_order(window)
    assert window.orders_table.item(0, 0).text() == "SO-2026-0042"
    assert window.orders_table.item(0, 3).text() == "in review"
    panel = window.panel
    assert panel.order.number == "SO-2026-0042"
    assert panel.rule_label.text().startswith("A custom order or a new sample")
    assert "P-200 大型泵 / Large pump × 12, by 2026-12-18" in panel.lines_label.text()
    assert not panel.confirm_button.isEnabled()

    answer(window, "engineering", fields={"drawings_confirmed": True})
    assert window.panel.answers_table.item(2, column(window, "engineering")).text() == "yes"
    assert window.panel.answers_table.item(0, column(window, "purchasing")).text() == "not answered yet"
    for department in ("purchasing", "warehouse", "production", "quality"):
        dialog = answer(window, department)
        assert dialog.result() == AnswerReviewDialog.DialogCode.Accepted, dialog.message_bar.text()
    assert "Every answer is in" in window.message_bar.text()
    order = window.panel.order
    assert order.state == "awaiting_pmc" and order.computed is not None
    # Purchasing and the stock check tie: both are on the critical path, marked in the side-by-side answers.
    assert order.critical == ("engineering", "purchasing", "warehouse", "production", "quality")
    assert window.panel.answers_table.horizontalHeaderItem(column(window, "warehouse")).text() == "warehouse ★"
    assert "Critical path: engineering, purchasing, warehouse, production, quality" in window.panel.date_label.text()
    assert window.panel.confirm_button.isEnabled() and not window.panel.answer_button.isEnabled()

    window.panel.confirm_button.click()
    assert window.message_bar.text() == f"The date {order.computed.isoformat()} is committed."
    assert window.orders_table.item(0, 5).text() == order.computed.isoformat()
    history = window.panel.history_table
    assert [history.item(r, 1).text() for r in range(history.rowCount())] == ["requested date", "committed date"]
    assert history.item(1, 2).text().endswith("(P001)")
    with hall.read() as session:
        stored = session.exec(select(SalesOrder)).one()
        assert stored.state == "committed" and stored.committed_date == order.computed
        assert stored.created_by == window.staff.id

    preview = window.print_document("review_record")
    assert preview is not None and window.last_document.exists()
    text = text_of(window.last_document.read_bytes())
    for fact in ("Order review record", "SO-2026-0042", "engineering", "purchasing", "warehouse", "production",
                 "quality", "Critical path engineering, purchasing, warehouse, production, quality",
                 f"Committed date {order.computed.isoformat()}", "Confirmed as computed"):
        assert fact in text, fact
    window.print_document("commitment_letter")
    assert (f"We commit to deliver sales order SO-2026-0042 by {order.computed.isoformat()}."
            in text_of(window.last_document.read_bytes()))


def test_an_override_without_a_reason_is_refused_in_the_bar_and_nothing_is_saved(qtbot, window, hall):
    enter_custom_order(window)
    for department in LEADS:
        answer(window, department)
    window.panel.override_date_edit.setDate(REQUESTED)
    window.panel.override_reason_edit.setText("   ")
    window.panel.override_button.click()
    assert window.message_bar.kind == "error"
    assert window.message_bar.text() == "Fill in Reason for the other date."
    with hall.read() as session:
        assert session.exec(select(SalesOrder)).one().state == "awaiting_pmc"
        assert [r.kind for r in session.exec(select(OrderDateRevision))] == ["requested"]
    assert not events(hall, "sales_order_date_overridden")

    window.panel.override_reason_edit.setText("客户要求")
    window.panel.override_button.click()
    assert window.message_bar.text() == "The date 2026-12-18 is committed, with your reason."
    assert window.panel.history_table.item(1, 4).text() == "客户要求"


def test_a_no_returns_the_order_with_reasons_and_sales_records_a_later_date(qtbot, window):
    enter_custom_order(window)
    refused = answer(window, "purchasing", can_meet=False, lead=60)
    assert refused.result() != AnswerReviewDialog.DialogCode.Accepted
    assert refused.message_bar.text() == "Say why the requested date cannot be met: choose a reason."
    refused.reason_combo.setCurrentIndex(refused.reason_combo.findData("material_lead_time"))
    refused.notes_edit.setText("铸件 60 天")
    refused.ok_button.click()
    assert refused.result() == AnswerReviewDialog.DialogCode.Accepted
    for department in ("engineering", "warehouse", "production", "quality"):
        answer(window, department)
    panel = window.panel
    assert panel.order.state == "returned_to_sales" and panel.return_box.isVisible()
    assert "purchasing: cannot meet it — Material lead time too long, 60 working days. 铸件 60 天" in \
        panel.return_label.text()
    panel.revise_date_edit.setDate(dt.date(2027, 3, 1))
    panel.revise_button.click()
    assert window.message_bar.text() == "Fill in Why the date changed."
    panel.revise_why_edit.setText("客户同意延期")
    panel.revise_button.click()
    assert panel.order.state == "in_review" and panel.order.requested == dt.date(2027, 3, 1)
    assert panel.answer_button.isEnabled()
    again = window.answer_review()
    assert [again.department_combo.itemData(i)[1] for i in range(again.department_combo.count())] == ["purchasing"]


def test_the_list_filters_by_state_and_marks_overdue_reviews(qtbot, window, clock):
    enter_custom_order(window)
    dialog = window.new_order()
    dialog.number_edit.setText("SO-2026-0043")
    dialog.customer_edit.setText("Acme")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("standard_in_stock"))
    dialog.ok_button.click()
    assert window.orders_table.rowCount() == 2
    window.state_combo.setCurrentIndex(window.state_combo.findData("in_review"))
    assert [window.orders_table.item(r, 0).text() for r in range(window.orders_table.rowCount())] == ["SO-2026-0042"]
    clock.advance(minutes=60 * 24 * 7)
    window.refresh()
    assert window.orders_table.item(0, 6).text() == "5 overdue"
    window.select_order("SO-2026-0042")
    assert window.panel.answers_table.item(9, 0).text() == "OVERDUE"


def test_a_wrong_password_keeps_the_desk_closed(qtbot, backend, products):
    dialog = PlanningSignInDialog(backend)
    qtbot.addWidget(dialog)
    dialog.staff_edit.setText("M001")
    dialog.password_edit.setText(demo.DEMO_PASSWORD + "x")
    dialog.ok_button.click()
    assert dialog.staff is None and dialog.message_bar.text() == "Wrong staff number or password."
    assert dialog.result() != PlanningSignInDialog.DialogCode.Accepted
