"""The replayed morning hands out its documents and ends with the day's reports: the early ticket, the
acceptance form the customer reads and signs, the receipt, the apology notice with the real minutes (F7,
F8), the customer's rating by the notice's reference, and the breach report listing the visit with its
cause (F9). Everything lands in the output folder and nowhere else."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3

import helpers.scenarios as scenarios
import pytest
from helpers.scenarios import LOGIN, SERVE, TAKE, write_scenario
from pypdf import PdfReader
from sqlmodel import select

from counter_app import i18n, paths
from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.i18n import translate
from counter_app.models import Event, Feedback, ReportDay, Ticket
from counter_app.models.db import open_store
from counter_app.workflows.replay.runner import run_scenario
from counter_app.workflows.reports.exports import cause_text

CASE_STUDY = paths.scenarios_dir() / "case-study.json"

ORDER = ('{"at": "09:03", "do": "order", "counter": 1, "product": "Broadband 100M", "term_months": 12, '
         '"effective_from": "2026-03-02", "items": [{"description": "Broadband 100M, 12 months", "amount": "1200.00"}], '
         '"payment_method": "cash", "customer_phone": "13812341234", "language": "en"}')


def refusal(tmp_path, *events: str) -> AppError:
    refused = scenarios.refusal(tmp_path, *events)
    assert not any(paths.data_dir().iterdir()), "nor a document in the app's own archive"
    return refused


def pdf_text(path) -> str:
    """The PDF's text without whitespace: a phrase wrapped over two lines reads as one."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(path).pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# -- the case study --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def morning(tmp_path_factory):
    """The case study replayed while the app's usual data directory is somewhere else: it must stay empty."""
    i18n.set_language("en")
    elsewhere = tmp_path_factory.mktemp("usual-data-dir")
    out = tmp_path_factory.mktemp("replay") / "morning"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUNTER_APP_DATA_DIR", str(elsewhere))
        summary = run_scenario(CASE_STUDY, out)
        assert os.environ["COUNTER_APP_DATA_DIR"] == str(elsewhere), "the run gives the data directory back"
    return out, summary, elsewhere


def _document(summary, kind, ticket="A001"):
    [found] = [d for d in summary["documents"] if d["kind"] == kind and d["ticket"] == ticket]
    return found


def test_the_visit_yields_the_early_ticket_the_form_the_receipt_and_the_notice(morning):
    out, summary, _ = morning
    visit = [(d["kind"], d["reference"], d["file"], d["print_status"]) for d in summary["documents"]
             if d["ticket"] == "A001"]
    assert visit == [
        ("ticket", "20260302-A001", "documents/ticket-20260302-A001.pdf", "printed"),
        ("acceptance", "ACC-20260302-0001", "documents/acceptance-ACC-20260302-0001.pdf", "printed"),
        ("receipt", "RCP-20260302-0001", "documents/receipt-RCP-20260302-0001.pdf", "printed"),
        ("apology", "APO-20260302-0001", "documents/apology-APO-20260302-0001.pdf", "printed"),
    ]
    for document in summary["documents"]:
        assert hashlib.sha256((out / document["file"]).read_bytes()).hexdigest() == document["sha256"]
    # Every ticket taken that morning got its paper ticket.
    assert {d["ticket"] for d in summary["documents"] if d["kind"] == "ticket"} == {
        "A001", "A002", "A003", "A004", "B001", "C001", "C002"}


def test_the_early_ticket_says_in_chinese_when_serving_starts(morning):
    out, summary, _ = morning
    ticket = _document(summary, "ticket")
    assert ticket["language"] == "zh_CN" and ticket["issued_at"] == "2026-03-02T08:57:00"
    text = pdf_text(out / ticket["file"])
    assert "A001" in text
    assert squeeze(translate("We are not serving yet.", "zh_CN")) in text
    assert squeeze(translate("Serving starts at {time}.", "zh_CN").format(time="09:00")) in text


def test_the_acceptance_form_sums_up_the_renewal_and_masks_the_customer(morning):
    out, summary, _ = morning
    form = _document(summary, "acceptance")
    assert (form["issued_at"], form["issued_by"], form["order"]) == ("2026-03-02T09:31:00", "S002", "SO-20260302-0001")
    text = pdf_text(out / form["file"])
    assert "138****1234" in text and "13812341234" not in text
    assert "张**" in text and "张先生" not in text
    assert "宽带100M" in text and "1,200.00" in text and "2027-03-01" in text
    # The approved exception is on the form the customer signs.
    assert "2010年的那笔费用当年已经结清" in text


def test_the_customer_signs_the_form_and_gets_a_receipt(morning):
    out, summary, _ = morning
    [order] = summary["orders"]
    assert (order["reference"], order["ticket"], order["status"], order["signed_at"]) == (
        "SO-20260302-0001", "A001", "signed", "2026-03-02T09:32:00")
    assert (order["product"], order["term_months"], order["total"], order["effective_to"]) == (
        "宽带100M", 12, "1200.00", "2027-03-01")
    receipt = _document(summary, "receipt")
    text = pdf_text(out / receipt["file"])
    assert "RCP-20260302-0001" in text and "1,200.00" in text and "S002" in text


def test_the_apology_notice_gives_the_real_minutes_and_the_managers_explanation(morning):
    out, summary, _ = morning
    notice = _document(summary, "apology")
    assert (notice["issued_at"], notice["print_status"], notice["language"]) == (
        "2026-03-02T09:33:00", "printed", "zh_CN")
    text = pdf_text(out / notice["file"])
    service = translate("The service took {minutes} minutes, against our target of {target} minutes.", "zh_CN")
    assert squeeze(service.format(minutes=26, target=10)) in text
    assert squeeze(translate("In all, your visit took {minutes} minutes, from {start} to {end}.", "zh_CN")
                   .format(minutes=36, start="08:57", end="09:33")) in text
    assert "我们已将其清除，让您久等了，非常抱歉" in text  # the explanation given when the request was resolved
    assert "陈刚" in text  # the duty manager who approved the exception
    assert "APO-20260302-0001" in text  # how to give feedback


def test_the_customer_rates_the_visit_by_the_notices_reference(morning):
    out, summary, _ = morning
    [rating] = summary["feedback"]
    assert (rating["ticket"], rating["rating"], rating["channel"], rating["reference"], rating["staff"]) == (
        "A001", 2, "notice_reference", "APO-20260302-0001", "S002")
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            feedback, number = session.exec(select(Feedback, Ticket.number)
                                             .join(Ticket, Ticket.id == Feedback.ticket_id)).one()
    finally:
        store.dispose()
    assert (number, feedback.rating, feedback.reason) == ("A001", 2, "service_time")
    assert "经理把原因讲清楚了" in feedback.comment


def test_the_days_breach_report_lists_the_renewal_with_its_cause(morning):
    out, summary, _ = morning
    assert summary["reports"] == [
        "reports/breaches-2026-03-02.csv", "reports/breaches-2026-03-02.pdf",
        "reports/service-level-2026-03-02.csv", "reports/service-level-2026-03-02.pdf",
        "reports/end-of-day-2026-03-02.pdf"]
    with (out / "reports" / "breaches-2026-03-02.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    [renewal] = [row for row in rows if row["Ticket"] == "A001"]
    assert renewal["Cause"] == cause_text("system_data")
    assert renewal["Service time (min)"] == "26.0" and renewal["Staff"] == "李明"
    assert "2010 arrears" in renewal["Note"]
    for name in summary["reports"]:
        if name.endswith(".pdf"):
            assert (out / name).read_bytes().startswith(b"%PDF")


def test_the_end_of_day_summary_closes_the_day(morning):
    _, summary, _ = morning
    day = summary["end_of_day"]
    assert (day["customers"], day["served"], day["no_shows"], day["still_open"]) == (7, 6, 1, 0)
    renewal = next(b for b in day["breaches"] if b["ticket"] == "A001")
    assert (renewal["cause"], renewal["service_minutes"], renewal["broken"]) == ("system_data", 26.0,
                                                                                ["service", "total"])
    assert day["breaches_by_cause"]["system_data"] == 1
    assert (day["ratings"], day["average_rating"], day["open_escalations"]) == (1, 2.0, [])
    assert day["earlier_open_escalations"] == []  # a replay's store holds one day


def _anchor_on(page) -> str:
    [anchor] = re.findall(r"--anchor(\d+:[0-9a-f]{16})", pdf_text(page))
    return anchor


def test_the_duty_manager_closes_the_day_after_the_hall_closes(morning):
    out, summary, _ = morning
    [closed] = summary["closings"]
    assert (closed["at"], closed["staff"], closed["page"]) == (
        "2026-03-02T17:35:00", "M001", "reports/end-of-day-2026-03-02.pdf")
    assert summary["events"][-1]["do"] == "close_day" and summary["events"][-1]["result"] == closed["anchor"]
    # The folder holds the page the closing saved: who closed the day, and the event log's anchor.
    page = out / closed["page"]
    assert len(PdfReader(page).pages) == 1
    assert squeeze("Day closed by 陈刚 at 17:35.") in pdf_text(page)
    assert _anchor_on(page) == closed["anchor"]
    event_id = int(closed["anchor"].split(":")[0])
    store = open_store(f"sqlite:///{out / 'store.sqlite3'}")
    try:
        with store.read() as session:
            event = session.get(Event, event_id)
            tallied = session.exec(select(ReportDay.business_date)).all()
    finally:
        store.dispose()
    assert (event.kind, event.at, event.hash[:16]) == ("day_closed", dt.datetime(2026, 3, 2, 17, 35),
                                                        closed["anchor"].split(":")[1])
    assert json.loads(event.data)["page"] == "end-of-day-2026-03-02.pdf"
    assert tallied == [dt.date(2026, 3, 2)]  # the closed day's breaches are tallied for the reports


def test_the_anchor_on_the_page_checks_the_replayed_event_log(morning, tmp_path, capsys):
    out, summary, _ = morning
    anchor = _anchor_on(out / summary["closings"][0]["page"])
    url = f"sqlite:///{out / 'store.sqlite3'}"
    assert main(["--lang", "en", "audit", "verify", "--db", url, "--anchor", anchor]) == 0
    assert f"The log still holds the anchored events unchanged: {anchor}." in capsys.readouterr().out
    # Someone deletes the closing from a copy of the store: the chain still links, the anchor does not hold.
    copy = tmp_path / "store.sqlite3"
    shutil.copyfile(out / "store.sqlite3", copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("DELETE FROM event WHERE id = ?", (int(anchor.split(":")[0]),))
    connection.close()
    assert main(["--lang", "en", "audit", "verify", "--db", f"sqlite:///{copy}", "--anchor", anchor]) == 1
    assert "Event log cut short" in capsys.readouterr().err


def test_nothing_is_written_outside_the_output_folder(morning):
    out, summary, elsewhere = morning
    assert list(elsewhere.iterdir()) == []
    archive = out / "data" / "documents" / "2026" / "03" / "02"  # the archive as the app keeps it
    for document in summary["documents"]:
        archived = archive / (out / document["file"]).name
        assert archived.read_bytes() == (out / document["file"]).read_bytes()
    assert json.loads((out / "summary.json").read_text(encoding="utf-8"))["documents"] == summary["documents"]


# -- short scripts ---------------------------------------------------------------------------------

def test_a_declined_notice_a_complaint_and_a_rating_on_the_feedback_screen(tmp_path):
    out = tmp_path / "out"
    summary = run_scenario(write_scenario(
        tmp_path, LOGIN, TAKE, *SERVE, ORDER,
        '{"at": "09:04", "do": "sign", "order": "SO-20260302-0001"}',
        '{"at": "09:05", "do": "receipt", "counter": 1, "a4": true}',
        '{"at": "09:14", "do": "finish", "counter": 1}',
        '{"at": "09:14", "do": "apology", "ticket": "A001", "decline": true}',
        '{"at": "09:15", "do": "feedback", "ticket": "A001", "rating": 1, "reason": "service_time"}',
        '{"at": "09:16", "do": "complaint", "ticket": "A001", "staff": "M001", "cause": "training", '
        '"comment": "Nobody told him why it took so long."}'), out)
    kinds = [(d["kind"], d["print_status"], d["language"]) for d in summary["documents"]]
    assert kinds == [("ticket", "printed", "en"), ("acceptance", "printed", "en"), ("receipt_a4", "printed", "en"),
                     ("apology", "declined", "en")]
    text = pdf_text(out / summary["documents"][-1]["file"])
    assert "Theservicetook13minutes,againstourtargetof10minutes." in text
    rating, complaint = summary["feedback"]
    assert (rating["rating"], rating["channel"], rating["complaint"]) == (1, "feedback_window", False)
    assert (complaint["complaint"], complaint["cause"], complaint["recorded_by"]) == (True, "training", "M001")
    assert summary["end_of_day"]["complaints"] == 1


@pytest.mark.parametrize(("event", "reason"), [
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash"}', '"order" needs the field "items".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": []}',
     '"items" must be a list of at least one item, each an object with "description" and "amount".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"description": "BB", "amount": "1200 yuan"}]}',
     '"amount" must be an amount of yuan such as "120.00", not "1200 yuan".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"description": "BB", "price": "12.00"}]}',
     'An item has no field "price".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"amount": "12.00"}]}', '"items" needs the field "description".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"description": "BB", "amount": "1.00"}], "term_months": 0}',
     '"term_months" must be a whole number from 1 to 120, not 0.'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "next week", '
     '"payment_method": "cash", "items": [{"description": "BB", "amount": "1.00"}]}',
     '"effective_from" must be a date written YYYY-MM-DD, not "next week".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "IOU", "items": [{"description": "BB", "amount": "1.00"}]}',
     '"payment_method" must be one of cash, bank_card, wechat_pay, alipay, account, none, not "IOU".'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"description": "BB", "amount": "1.00"}], "customer_phone": "138****1234"}',
     'The mobile number must have 11 digits, e.g. 13812341234.'),
    ('{"at": "09:05", "do": "order", "counter": 1, "product": "BB", "effective_from": "2026-03-02", '
     '"payment_method": "cash", "items": [{"description": "BB", "amount": "1.00"}], "language": "fr"}',
     '"language" must be one of zh_CN, en, not "fr".'),
    ('{"at": "09:05", "do": "sign"}', '"sign" needs either "counter" or "order", one of the two.'),
    ('{"at": "09:05", "do": "receipt", "counter": 1, "a4": "yes"}', '"a4" must be true or false, not "yes".'),
    ('{"at": "09:05", "do": "apology", "ticket": "A001", "decline": 1}', '"decline" must be true or false, not 1.'),
    ('{"at": "09:05", "do": "feedback", "ticket": "A001", "rating": 6}',
     '"rating" must be a whole number from 1 to 5, not 6.'),
    ('{"at": "09:05", "do": "feedback", "ticket": "A001", "reference": "APO-20260302-0001", "rating": 3}',
     '"feedback" needs either "ticket" or "reference", one of the two.'),
    ('{"at": "09:05", "do": "feedback", "ticket": "A001", "rating": 3, "reason": "meh"}',
     '"reason" must be one of wait_time, service_time, not_told, not_resolved, staff_manner, well_served, other, '
     'not "meh".'),
    ('{"at": "09:05", "do": "complaint", "ticket": "A001", "staff": "M001", "comment": "Rude."}',
     '"complaint" needs the field "cause".'),
])
def test_bad_fields_of_the_document_and_feedback_events_are_refused_with_their_line(tmp_path, event, reason):
    assert str(refusal(tmp_path, LOGIN, TAKE, event)) == f"line 9: {reason}"


def test_no_apology_notice_for_a_visit_that_kept_to_its_targets(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE, '{"at": "09:04", "do": "finish", "counter": 1}',
                    '{"at": "09:05", "do": "apology", "ticket": "A001"}')
    assert str(error) == ("line 13: A001 kept to its targets and nobody was asked for help: "
                          "no apology notice is due.")


def test_the_customer_signs_only_an_order_that_was_entered_and_printed(tmp_path):
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE, '{"at": "09:03", "do": "sign", "counter": 1}')) == \
        "line 12: No order has been entered for A001."
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE, ORDER,
                       '{"at": "09:04", "do": "receipt", "order": "SO-20260302-0009"}')) == \
        "line 13: There is no order SO-20260302-0009."
    assert str(refusal(tmp_path, LOGIN, TAKE, *SERVE, ORDER,
                       '{"at": "09:04", "do": "sign", "counter": 1}',
                       '{"at": "09:05", "do": "sign", "counter": 1}')) == \
        "line 14: Order SO-20260302-0001 is signed: that step is not possible now."


def test_feedback_waits_until_the_visit_is_over(tmp_path):
    error = refusal(tmp_path, LOGIN, TAKE, *SERVE,
                    '{"at": "09:03", "do": "feedback", "ticket": "A001", "rating": 5}')
    assert str(error) == "line 12: The visit of A001 has not ended yet: feedback is taken after the service."


def test_a_refused_run_takes_its_documents_with_it(tmp_path):
    # The ticket was printed and archived before the refusal: none of it remains anywhere.
    error = refusal(tmp_path, LOGIN, TAKE, '{"at": "09:05", "do": "call_next", "counter": 1}')
    assert str(error) == "line 9: Counter 1 is closed: open it before calling."

