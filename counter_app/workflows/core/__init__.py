"""The shared core every capability may use: the event log and its audit chain, staff credentials,
finding the branch's things by the names users give them, and masking what bystanders may see.

Public functions:
- `events.record` — one hash-chained row per state change, in the change's own transaction;
  `events.hold_chain_lock`, `events.drop_tally_for_ticket`, `events.ticket_days` (the days whose tallies an
  event on a ticket drops, for the hot path that has them in hand).
- `audit.verify`, `audit.chain_head`, `audit.parse_anchor`, `audit.event_digest` — the log as evidence.
- `auth.authenticate`, `auth.hash_password`, `auth.verify_password`, `auth.change_password` — argon2
  credentials; a password an administrator set must be changed by its owner first.
- `lookup.service_by_code`, `lookup.counter_by_number`, `lookup.staff_by_id`, `lookup.staffed_counter`,
  `lookup.current_ticket`, `lookup.parked_tickets` — a clear refusal when something is absent; the counters'
  hot path reads plain rows: `lookup.counter_row`, `staffed_counter_row`, `staffed_counter_with_ticket`, `counter_services`,
  `current_ticket_row`.
- `masking.mask_name`, `masking.mask_phone`, `masking.mask_account`, `masking.mask_id_number`.

Uses only `counter_app.models` and the top-level modules (clock, errors, i18n, paths).
"""
