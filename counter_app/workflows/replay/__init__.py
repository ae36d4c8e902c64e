"""Replay: a morning scripted as a scenario, run on a virtual clock against a fresh store, and what it
produced kept in a folder; the demo business hall.

Public functions:
- `runner.run_scenario` — run a scenario file and write its outputs.
- `scenario.load_scenario`, `scenario.parse_scenario` — the JSON script, checked in full first.
- `vocabulary` — every verb a scenario may use and its fields (docs/scenarios.md).
- `verbs` — what each verb does: the same workflow calls the windows make.
- `planning_verbs.PlanningDesk` — the planning desk's verbs (orders, review, dates, changes, rush, shipping);
  `planning_output` — its sales orders and monthly KPIs in the summary.
- `output.write_outputs` — summary, ticket and display texts, documents and reports.
- `demo.seed_demo` — the demo telecom hall (with `planning=True`, the demo planning desk too).

May use every other capability; only the command line and the launcher use it.
"""
