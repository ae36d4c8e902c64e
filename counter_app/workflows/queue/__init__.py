"""The walk-in queue: tickets and their numbers, calling, recall, no-show, transfer and park; opening
hours; estimated waits; counters and the staff logged in at them; the display board; a visit's legs.

Public functions:
- `tickets`: `issue_ticket`, `call_next`, `call_ticket`, `recall`, `no_show`, `start_service`,
  `finish_service`, `transfer`, `park`, `resume`, `cancel` — each one transaction's worth of change.
- `counters`: `login`, `logout`, `open_counter`, `pause_counter`, `close_counter`.
- `presence`: `heartbeat`, `window_closed`, `silent_counters`, `hand_over`, `release_counter`, `take_over`,
  `close_all` — a counter is never stranded when its window closes or its PC goes silent.
- `silence`: `is_silent`, `silent_since` — the one rule for a counter whose PC stopped answering.
- `hours`: `branch_settings`, `hours_on`, `hall_status`, `wait_clock_start` — when the hall serves.
- `eta`: `estimate`, `people_ahead`, `open_counters`, `free_counters` — the one estimated wait.
- `board`: `display_board`, `workspace`, `store_revision` — what the screens show, read in one go.
- `visits`: `legs_of`, `visit_of`, `reference`, `parse_reference`, `measure`, `visit_measures` — a
  visit's legs and the measures the reports, timers and notices all use.

Uses customers and the core.
"""
