"""Paperwork: what is handed to the customer — ticket, receipt, acceptance form, apology notice — and
the counter's business entry (the *service order*) those papers describe.

Public functions:
- `service_orders`: `create_service_order`, `sign_order`, `cancel_order`, `get_order`.
- `issuing`: `issue_ticket_document`, `issue_receipt`, `issue_acceptance_form`, `issue_apology`,
  `apology_due`, `pending_notices`, `reprint`, `record_print`, `document_kind`.
- `follow_up`: `help_notices_owed`, `help_visit` — what the duty manager follows up with a notice.
- `contents`: `queue_ticket`, `receipt`, `acceptance_form`, `apology` — each document's record filled
  from the store: a printed sentence states a fact from the record.
- `archive`: `document_path`, `search`, `documents_of` — PDFs written under a temporary name first.
- `render` (package): `render_ticket`, `render_receipt`, `render_acceptance_form`, `render_apology` —
  reportlab renderers of a frozen record; no store, no Qt.

Uses oversight, the queue, customers and the core.
"""
