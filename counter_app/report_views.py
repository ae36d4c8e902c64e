"""The reports' names, for the command line's choices: importing the reports themselves (SQLAlchemy, the tables)
would cost every window's start a third of a second just to build `--help` (workflows/reports/ re-exports them)."""

VIEWS = ("breaches", "service-level", "time-bands", "by-hour", "staff", "causes", "satisfaction")
EXPORT_FORMATS = ("csv", "xlsx", "pdf")
