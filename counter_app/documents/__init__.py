"""Printed documents as PDF bytes: queue ticket, receipt, acceptance form, apology notice. No Qt here.

Each renderer takes a frozen record from `documents.data` and the customer's language, whatever
language the window speaks: `render_ticket(data, language="zh_CN") -> bytes`.
"""

from counter_app.documents.acceptance import render_acceptance_form
from counter_app.documents.apology import render_apology
from counter_app.documents.receipt import render_receipt
from counter_app.documents.ticket import render_ticket

__all__ = ["render_acceptance_form", "render_apology", "render_receipt", "render_ticket"]
