"""The clerk enters the customer's business; the customer reads the acceptance form large on screen before
it is printed for signature (F7); then the receipt is offered on the roll or on A4."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers.fixtures import at, open_counter
from pypdf import PdfReader
from sqlmodel import select

from counter_app.models import IssuedDocument, ServiceOrder
from counter_app.ui.paperwork import printing
from counter_app.workflows.queue import tickets


@pytest.fixture
def serving(hall, clock) -> int:
    """S001 at counter 1 is serving A001, who came to renew broadband."""
    clock.set(at("09:00"))
    with hall.write() as session:
        tickets.issue_ticket(session, clock, service_code="BB")
    clerk = open_counter(hall, clock, 1, "S001")
    with hall.write() as session:
        tickets.call_next(session, clock, counter_number=1, staff_id=clerk)
    with hall.write() as session:
        tickets.start_service(session, clock, counter_number=1, staff_id=clerk)
    clock.set(at("09:12"))
    return clerk


def order_dialog(qtbot, backend, clerk, **kw):
    from counter_app.ui.counter.service_order import ServiceOrderDialog

    dialog = ServiceOrderDialog(backend, 1, clerk, ticket_number="A001", **kw)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill_renewal(dialog, *, phone="13812341234", amount="1200.00") -> None:
    dialog.product_edit.setText("Broadband 100M")
    dialog.term_spin.setValue(12)
    dialog.items_table.item(0, 0).setText("Broadband 100M, 12-month renewal")
    dialog.items_table.item(0, 1).setText(amount)
    dialog.set_payment("wechat_pay")
    dialog.name_edit.setText("Wang Jianguo")
    dialog.phone_edit.setText(phone)


def stored(store, model):
    with store.read() as session:
        return list(session.exec(select(model)))


def test_a_refusal_from_the_workflow_shows_in_the_dialog_and_keeps_the_fields(qtbot, hall, backend, serving):
    dialog = order_dialog(qtbot, backend, serving, language="en")
    fill_renewal(dialog, phone="1381234123")

    assert dialog.create() is None

    assert dialog.message_bar.text() == "The mobile number must have 11 digits, e.g. 13812341234."
    assert dialog.stack.currentIndex() == 0
    assert dialog.product_edit.text() == "Broadband 100M"
    assert stored(hall, ServiceOrder) == []


def test_the_end_date_follows_the_term_until_the_clerk_sets_another(qtbot, backend, serving):
    dialog = order_dialog(qtbot, backend, serving)
    dialog.term_spin.setValue(12)
    assert not dialog.to_edit.isEnabled()
    assert dialog.to_edit.date().toString("yyyy-MM-dd") == "2027-03-01"
    dialog.term_spin.setValue(1)
    assert dialog.to_edit.date().toString("yyyy-MM-dd") == "2026-04-01"
    dialog.to_check.setChecked(True)
    assert dialog.to_edit.isEnabled()


def test_the_total_follows_the_items(qtbot, backend, serving):
    dialog = order_dialog(qtbot, backend, serving)
    fill_renewal(dialog)
    dialog.add_item("Router rental", "60.00")
    assert dialog.total_label.text() == "Total: 1,260.00 yuan"
    assert [item["description"] for item in dialog.items()] == ["Broadband 100M, 12-month renewal", "Router rental"]


def test_the_customer_reads_the_form_on_screen_then_it_is_printed_for_signature(qtbot, tmp_path, hall, backend,
                                                                                serving):
    dialog = order_dialog(qtbot, backend, serving, language="en")
    fill_renewal(dialog)

    order = dialog.create()

    assert order is not None and order.reference.startswith("SO-20260302-")
    [saved] = stored(hall, ServiceOrder)
    assert (saved.product, saved.term_months, saved.effective_to) == ("Broadband 100M", 12, dt.date(2027, 3, 1))
    assert saved.language == "en"
    # the form is issued and opened large, with a word for the clerk
    assert dialog.acceptance is not None and dialog.acceptance.reference.startswith("ACC-20260302-")
    preview = dialog.preview
    assert preview.isVisible()
    assert "read the whole form" in preview.intro_label.text()
    text = PdfReader(preview.pdf_path).pages[0].extract_text()
    assert "You are renewing Broadband 100M for 12 months" in " ".join(text.split())
    assert dialog.stack.currentIndex() == 1
    assert dialog.form_label.text().startswith(f"Acceptance form {dialog.acceptance.reference}")

    preview.print_to(printing.pdf_file_printer(tmp_path / "form.pdf"))

    [form] = [d for d in stored(hall, IssuedDocument) if d.kind == "acceptance"]
    assert form.print_status == "printed"
    dialog.signed_button.click()
    assert stored(hall, ServiceOrder)[0].status == "signed"
    assert dialog.message_bar.text() == "Signature noted."


def test_after_the_form_the_receipt_is_offered_on_a4(qtbot, tmp_path, hall, backend, serving):
    dialog = order_dialog(qtbot, backend, serving, language="zh_CN")
    fill_renewal(dialog)
    dialog.create()
    dialog.preview.reject()

    preview = dialog.issue_receipt(a4=True)

    assert dialog.receipt.kind == "receipt_a4"
    assert "1,200.00" in PdfReader(preview.pdf_path).pages[0].extract_text()
    preview.buttons["decline"].click()
    receipt = next(d for d in stored(hall, IssuedDocument) if d.kind == "receipt_a4")
    assert receipt.print_status == "declined"
    assert receipt.language == "zh_CN"


def test_a_cancelled_order_offers_nothing_more(qtbot, hall, backend, serving):
    dialog = order_dialog(qtbot, backend, serving)
    fill_renewal(dialog)
    dialog.create()
    dialog.preview.reject()

    dialog.cancel_order_button.click()

    assert stored(hall, ServiceOrder)[0].status == "cancelled"
    assert not dialog.receipt_roll_button.isEnabled()
    assert not dialog.signed_button.isEnabled()


def test_characters_the_document_font_lacks_are_pointed_out_before_the_customer_signs(qtbot, backend, serving,
                                                                                      monkeypatch):
    from counter_app.ui.counter import service_order
    from counter_app.workflows.paperwork.render import fonts

    if not fonts.document_font().embedded:
        pytest.skip("no TrueType CJK font here: the built-in one cannot tell what it lacks")
    monkeypatch.setattr(service_order.ServiceOrderDialog, "show_acceptance_form", lambda self: None)
    dialog = order_dialog(qtbot, backend, serving, language="zh_CN")
    fill_renewal(dialog)
    dialog.name_edit.setText("𰀀建国")  # a family name in a character no font here has (CJK Extension G)

    assert dialog.create() is not None
    assert "These characters cannot be printed and stay blank on the form: 𰀀." in dialog.order_label.text()
    assert fonts.unprintable("王建国", "Broadband 100M") == []
