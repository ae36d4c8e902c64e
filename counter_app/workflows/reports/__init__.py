"""Reports: where the branch fails its customers, and why (F9) — measures, the SQL behind them, the
day tallies, exports, closing the day, and the customers' feedback and complaints.

Each measure takes the session and a `ReportFilter` and returns plain rows; times are whole seconds.
The public functions are the ones this module names (`__all__`); they live by subject:

- `breach_report`: breaches, breach_summary, breach_page, visit_timeline, causes
- `times`: service_level, time_bands, by_hour
- `people`: staff_and_counters
- `satisfaction_report`: satisfaction, feedback_lines, feedback_comments
- `day`: day_summary, what closing the day saves
- `closing`: close_day — the day's page and its `day_closed` event
- `tallies`: tally_days — past days counted once, for fast year-long reports
- `exports` (with `export_tables`, `export_sheets`, `export_pdf`): any view as CSV, XLSX or PDF
- `feedback`: record_feedback, record_complaint — a customer's rating, a complaint with its cause

The SQL lives in `scope` (the filter), `queries` (visits) and `counter_time`. Definitions are in
docs/reports.md. Uses paperwork (fonts and layout for PDFs), oversight, the queue and the core.
"""

from __future__ import annotations

from counter_app.workflows.reports.breach_report import (
           BreachRow,
           CauseRow,
           TimelineEntry,
           breaches,
           causes,
           grain_for,
           period_start,
           visit_timeline,
)
from counter_app.workflows.reports.day import DaySummary, OpenEscalation, day_summary
from counter_app.workflows.reports.people import StaffRow, staff_and_counters
from counter_app.workflows.reports.satisfaction_report import (
           SATISFACTION_GROUPS,
           FeedbackLine,
           SatisfactionRow,
           feedback_comments,
           feedback_lines,
           satisfaction,
)
from counter_app.workflows.reports.scope import NO_CAUSE, NO_CAUSE_TEXT, ReportFilter
from counter_app.workflows.reports.times import (
           BAND_COUNT,
           BAND_MINUTES,
           DayLevel,
           HourRow,
           ServiceLevelRow,
           TimeBandRow,
           band_label,
           by_hour,
           percentile,
           service_level,
           service_level_by_day,
           time_bands,
)

__all__ = ["ReportFilter", "breaches", "visit_timeline", "service_level", "time_bands", "by_hour",
           "staff_and_counters", "causes", "satisfaction", "feedback_comments", "day_summary",
           "BreachRow", "TimelineEntry", "ServiceLevelRow", "DayLevel", "service_level_by_day", "TimeBandRow",
           "band_label", "HourRow", "percentile", "StaffRow", "CauseRow", "grain_for", "period_start",
           "SatisfactionRow", "FeedbackLine", "feedback_lines", "SATISFACTION_GROUPS", "OpenEscalation",
           "DaySummary", "VIEWS", "EXPORT_FORMATS", "NO_CAUSE", "NO_CAUSE_TEXT", "BAND_MINUTES", "BAND_COUNT"]

from counter_app.report_views import EXPORT_FORMATS, VIEWS  # noqa: E402 - the command line reads them alone
