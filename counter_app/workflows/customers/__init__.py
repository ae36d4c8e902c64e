"""Customers: one record per customer, found at the counter, and what the next clerk must see at once —
the exceptions a duty manager already approved (F6).

Public functions (`records`): `find`, `find_or_create`, `remember`, `open_customer`, `card`,
`ticket_customer_card`, `exceptions_of`, `normalise_ref`.

Uses the core only; the queue, oversight, paperwork and replay use it.
"""
