"""Oversight: every wait and service timed against its targets; alerts; the prompt to tell the customer
and the cause of a breach; help requests and escalation; duty-manager approvals; who is on duty.

Public functions:
- `timing`: `live_timings`, `level_of`, `seconds_until_warning`, `visit_breaches`.
- `alerts`: `evaluate`, `acknowledge`, `alert_lines`, `nothing_to_watch`.
- `explain`: `prompt_is_due` and `explain_prompt` (when and what the clerk is prompted to say, F3),
  `told_customer`, `record_breach_cause`, `needs_cause`, `causes_owed` (F9).
- `scripts`: `explanation_script`, `escalated_script` — the sentences a clerk is offered.
- `escalation`: `request_help`, `accept`, `hand_up`, `resolve`, `auto_escalate`, `inbox` — the help
  state machine (F4, F10), its allowed moves written down once.
- `approvals`: `approve_exception` — own credential, reason and customer explanation (F5).
- `duty`: `manager_sign_in`, `manager_sign_out`, `helpers` — who is free to help.
- `customer_history`: `history`, `at_risk` — one customer's timeline (approved exceptions first) and the
  customers at risk of leaving; here because they need the visits' measures and breaches.

Uses the queue, customers and the core.
"""
