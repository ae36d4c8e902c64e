"""The planning (PMC) desk: a customer's sales order (销售订单) from entry to a committed delivery date —
triage at entry, parallel order review (订单评审) by engineering, purchasing, the warehouse, production and
quality, the date computed through a dependency network on the factory's working calendar with its critical
path, PMC's confirmation or override, and every requested and committed date with who, when and why.
Sales orders are not the counter's service orders (paperwork): the two share nothing.

Public functions:
- `working_days.WorkingCalendar` (`add`, `between`, `is_working`), `calendar_of`, `add_working_days`,
  `working_days_between`, `load_calendar` — the working calendar.
- `network.REVIEW_NETWORK`, `network.ordered`, `network.schedule` — the network as data, a loop refused, CPM.
- `orders.add_product`, `add_material`, `set_factory_day`, `enter_order` (triage), `record_payment`,
  `get_order`; `orders.TRANSITIONS` — the order's state machine in one table.
- `review.answer_review`, `overdue_reviews`, `confirm_date`, `override_date`, `revise_requested_date`,
  `return_note`, `current_reviews`, `date_history`, `critical_path`.

Uses the core only (the event log, bounds, lookups); nothing below uses it. docs/planning.md tells the rules.
"""
