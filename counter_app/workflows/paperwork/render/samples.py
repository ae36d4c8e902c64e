"""Sample documents from the seed's morning (CASE_STUDY.md §4), for tests, docs and the benchmark.

    python -m counter_app.workflows.paperwork.render.samples OUT_DIR                  # PDFs and PNG pages
    python -m counter_app.workflows.paperwork.render.samples docs/samples --png-only  # the pages shown in docs/

The report samples in docs/samples (breach report, satisfaction report, end-of-day page) are made by
scripts/report_samples.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from counter_app.workflows.paperwork.render.acceptance import render_acceptance_form
from counter_app.workflows.paperwork.render.apology import render_apology
from counter_app.workflows.paperwork.render.data import (
    AcceptanceFormData,
    ApologyData,
    Approval,
    Customer,
    LineItem,
    PaymentMethod,
    QueueTicketData,
    ReceiptData,
    Transaction,
    VisitTimes,
)
from counter_app.workflows.paperwork.render.receipt import A4_PAGE, render_receipt
from counter_app.workflows.paperwork.render.ticket import render_ticket

DAY = dt.date(2026, 3, 2)


def at(hhmm: str) -> dt.datetime:
    hours, minutes = hhmm.split(":")
    return dt.datetime.combine(DAY, dt.time(int(hours), int(minutes)))


# The seed's visit: ticket at 08:57 before opening, called at 09:00, served until 09:33.
VISIT = VisitTimes(issued_at=at("08:57"), called_at=at("09:00"), started_at=at("09:01"),
                   finished_at=at("09:33"))

NAMES = {
    "zh_CN": {"branch": "城东营业厅", "service": "宽带续费", "product": "宽带100M", "item": "宽带100M 包年续费",
              "customer": "王建国", "manager": "刘芳",
              "explanation": "您的账户上有一条2010年的欠费记录。这笔费用当年已由值班经理处理结清，但系统中没有注明，"
                             "营业员因此无法办理续费，需要值班经理核实后才能继续。",
              "approval": "核实2010年欠费记录已于当年结清，解除欠费标记，本次续费照常办理。",
              "remedy": "赠送1个月宽带使用期，已计入本次续费。",
              "remark": "2010年欠费记录已核实结清（值班经理刘芳审批，参考号 EXC-20260302-0001）。"},
    "en": {"branch": "East Town Branch", "service": "Broadband renewal", "product": "Broadband 100M",
           "item": "Broadband 100M, 12-month renewal", "customer": "Wang Jianguo", "manager": "Liu Fang",
           "explanation": "Your account carried an unpaid fee from 2010. It had been settled by a duty "
                          "manager at the time, but the record did not say so, and the clerk could not renew "
                          "until a duty manager had checked it.",
           "approval": "The 2010 arrears flag was checked, found settled at the time, and cleared; the "
                       "renewal went ahead as normal.",
           "remedy": "One extra month of broadband, added to this renewal.",
           "remark": "The 2010 arrears were confirmed as settled (approved by duty manager Liu Fang, "
                     "reference EXC-20260302-0001)."},
}


def ticket(language: str = "zh_CN", **changes) -> QueueTicketData:
    n = NAMES[language]
    fields = dict(reference="20260302-A001", number="A001", service_name=n["service"],
                  branch_name=n["branch"], issued_at=at("08:57"), people_ahead=0, estimated_wait_minutes=3,
                  opens_at=at("09:00"),
                  estimated_call_at=at("09:00"))
    return QueueTicketData(**(fields | changes))


def receipt(language: str = "zh_CN", **changes) -> ReceiptData:
    n = NAMES[language]
    fields = dict(reference="RCP-20260302-0001", branch_name=n["branch"], ticket_number="A001",
                  service_name=n["service"], items=(LineItem(n["item"], Decimal("1200.00")),),
                  payment_method=PaymentMethod.WECHAT_PAY, issued_at=at("09:33"), clerk_staff_no="1003",
                  visit=VISIT, counter_number=2)
    return ReceiptData(**(fields | changes))


def acceptance_form(language: str = "zh_CN", **changes) -> AcceptanceFormData:
    n = NAMES[language]
    fields = dict(reference="ACC-20260302-0001", branch_name=n["branch"], issued_at=at("09:31"),
                  service_name=n["service"], transaction=Transaction.RENEWAL, product=n["product"],
                  effective_from=DAY, effective_to=dt.date(2027, 3, 1), term_months=12,
                  items=(LineItem(n["item"], Decimal("1200.00")),),
                  customer=Customer(name=n["customer"], phone="13812341234", id_number="110101198001011234",
                                    account_number="0571-88886666"),
                  clerk_staff_no="1003", payment_method=PaymentMethod.WECHAT_PAY, ticket_number="A001",
                  counter_number=2, remarks=(n["remark"],))
    return AcceptanceFormData(**(fields | changes))


def apology(language: str = "zh_CN", **changes) -> ApologyData:
    n = NAMES[language]
    fields = dict(reference="APO-20260302-0001", branch_name=n["branch"], issued_at=at("09:34"),
                  ticket_number="A001", service_name=n["service"], visit=VISIT, target_wait_minutes=10,
                  target_service_minutes=15, explanation=n["explanation"],
                  counter_number=2, escalated=True,
                  approvals=(Approval(what=n["approval"], approver_name=n["manager"], approver_role="manager",
                                      approved_at=at("09:28")),),
                  remedy=n["remedy"], signed_by_name=n["manager"], signed_by_role="manager")
    return ApologyData(**(fields | changes))


SAMPLES: dict[str, Callable[[str], bytes]] = {
    "ticket": lambda lang: render_ticket(ticket(lang), language=lang),
    "receipt": lambda lang: render_receipt(receipt(lang), language=lang),
    "receipt-a4": lambda lang: render_receipt(receipt(lang), language=lang, paper=A4_PAGE),
    "acceptance-form": lambda lang: render_acceptance_form(acceptance_form(lang), language=lang),
    "apology": lambda lang: render_apology(apology(lang), language=lang),
}


def write_samples(folder: Path, *, resolution: int = 90, keep_pdf: bool = True) -> list[Path]:
    """Every document in Chinese and English as PDF, and as a PNG of page 1 when pdftoppm is installed."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for language in ("zh_CN", "en"):
            for name, render in SAMPLES.items():
                stem = f"{name}-{language}"
                pdf = (folder if keep_pdf else Path(scratch)) / f"{stem}.pdf"
                pdf.write_bytes(render(language))
                if keep_pdf:
                    written.append(pdf)
                if shutil.which("pdftoppm"):
                    command = ["pdftoppm", "-r", str(resolution), "-png", "-singlefile", str(pdf),
                               str(folder / stem)]
                    subprocess.run(command, check=True)
                    written.append(folder / f"{stem}.png")
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write sample documents of the seed's morning.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--png-only", action="store_true", help="keep only the PNG pages (for docs/samples)")
    parser.add_argument("--resolution", type=int, default=90)
    args = parser.parse_args()
    for path in write_samples(args.folder, resolution=args.resolution, keep_pdf=not args.png_only):
        print(path)
