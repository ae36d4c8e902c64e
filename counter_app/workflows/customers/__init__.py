"""Customers: one record per customer (accounts, phones, the ID card's last 4 and salted hash, segment, value,
language, consents, notes), found at the counter, and what the next clerk must see at once — the exceptions a
duty manager already approved (F6). Segments from rules that are data; merging two records; follow-up calls;
privacy (masking, logged full views, export, erasure, the retention purge); importing from CSV or XLSX.

Public functions:
- `records`: `find`, `find_or_create`, `remember`, `attach`, `open_customer`, `card`, `ticket_customer_card`,
  `exceptions_of`, `normalise_ref`, `find_by_id_number`, `candidates_by_id_last4`, `find_by_ticket`, `search`,
  `live`, `linked_ids`.
- `identity`: `normalise_id_number`, `kept` (last 4 and salted hash), `id_hash`.
- `segments`: `segment_of` (pure), `rules`, `save_rules`, `install_default_rules`, `resegment`, `recognise`.
- `merging`: `merge` (a senior clerk or manager, with a reason).
- `loyalty`: `waiting_high_value`, `record_call`, `follow_up_calls`.
- `privacy`: `masked`, `full_details`, `export_customer`, `export_for` (logged), `erase`, `purge_expired` (run by
  closing the day).
- `importing`: `import_customers`, `import_rows`, `read_rows`.

A customer's history and who is at risk judge visits by the queue's measures: `oversight/customer_history.py`.

Uses the core only; the queue, oversight, paperwork and replay use it.
"""
