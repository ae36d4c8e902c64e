"""Printed documents as PDF bytes: queue ticket, receipt, acceptance form, apology notice. No Qt here.

Each renderer takes a frozen record from `render.data` and the customer's language, whatever
language the window speaks: `render_ticket(data, language="zh_CN") -> bytes`.
"""

from counter_app.workflows.paperwork.render.acceptance import render_acceptance_form
from counter_app.workflows.paperwork.render.apology import render_apology
from counter_app.workflows.paperwork.render.receipt import render_receipt
from counter_app.workflows.paperwork.render.ticket import render_ticket

__all__ = ["render_acceptance_form", "render_apology", "render_receipt", "render_ticket"]
