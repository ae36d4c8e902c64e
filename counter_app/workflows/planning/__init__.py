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
- `changes.request_change`, `acknowledge_change`, `missing_acknowledgements`, `departments_for`;
  `changes.CHANGE_RULES` — a change re-reviewed by only the departments it touches (ISO 9001 §8.2.4).
- `rush.set_capacity`, `set_production_load`, `rush_impact`, `accept_rush`, `flags_for`, `mark_flag_seen` —
  rush orders against the factory's capacity, their slips, PMC's sign-off.
- `deliveries.record_delivery`, `shipped_quantity`, `deliveries` — shipments per line.
- `kpi.load_records`, `monthly` and the pure KPIs (`on_time_delivery`, `plan_achievement`, `review_accuracy`,
  `review_cycle_time`, `returned_to_sales`); `kpi.export` (CSV, XLSX).

Uses the core only (the event log, bounds, lookups); nothing below uses it. docs/planning.md tells the rules.
"""
