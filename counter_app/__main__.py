"""Start-up in one ordered function: arguments, language, store, demo data, then the role's window.

    counter-app [--demo] [--role chooser|kiosk|display|counter|manager] [--counter N] [--db URL] [--lang zh_CN|en]
    counter-app db upgrade|check|tally [--db URL]
    counter-app replay SCENARIO --out DIR
    counter-app audit verify [--db URL] [--anchor ID:HASH …]
    counter-app staff unlock STAFF_NO --manager STAFF_NO [--db URL]
    counter-app staff password STAFF_NO --admin STAFF_NO [--db URL]
    counter-app setup new|export|import … (counter_app/admin_cli.py)
    counter-app backup [--to DIR] [--db URL]
    counter-app restore FILE [--db URL]
    counter-app report VIEW --from DATE --to DATE --format csv|xlsx|pdf --out FILE [--service CODE] …
    counter-app report end-of-day --from DATE --out FILE.pdf
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from counter_app import admin_cli, i18n, paths, planning_cli
from counter_app.errors import AppError, StoreError
from counter_app.i18n import N_, _
from counter_app.settings import Settings

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the business days a command may name
MAX_COUNTER = 999
ROLES = ("chooser", "kiosk", "display", "counter", "manager", "reports", "feedback", "admin", "planning")


def _common_options(*, top: bool) -> argparse.ArgumentParser:
    """--db, --lang and -v, accepted before or after a subcommand.

    On a subcommand their defaults are suppressed, so that `counter-app --lang zh_CN replay …` keeps the
    language given before the subcommand instead of resetting it to the subcommand's default.
    """
    default = None if top else argparse.SUPPRESS
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=default, help=_("database URL (default: the SQLite store in the data "
                                                      "directory, or COUNTER_APP_DB)"))
    common.add_argument("--lang", default=default, choices=sorted(i18n.LANGUAGES),
                        help=_("language of windows and messages"))
    common.add_argument("-v", "--verbose", action="store_true", default=False if top else argparse.SUPPRESS,
                        help=_("log debugging detail"))
    return common


def _parser() -> argparse.ArgumentParser:
    common = _common_options(top=False)
    parser = argparse.ArgumentParser(prog="counter-app", parents=[_common_options(top=True)],
                                     description=_("Queueing and service timing for a business hall."))
    parser.add_argument("--demo", action="store_true", help=_("fill an empty store with the demo business hall"))
    parser.add_argument("--role", choices=ROLES, default="chooser", help=_("which window to open"))
    parser.add_argument("--counter", type=_counter_number, help=_("counter number for --role counter or feedback"))
    parser.add_argument("--windowed", action="store_true", help=_("do not go full screen (display, kiosk, feedback)"))
    sub = parser.add_subparsers(dest="command")
    db = sub.add_parser("db", parents=[common], help=_("store maintenance"))
    db.add_argument("action", choices=("upgrade", "check", "tally"),
                    help=_("upgrade the schema, check it, or tally the breaches of past days (docs/reports.md)"))
    audit = sub.add_parser("audit", parents=[common], help=_("check the event log's hash chain"))
    audit.add_argument("action", choices=("verify",))
    audit.add_argument("--anchor", action="append", default=[], metavar="ID:HASH",
                       help=_("an event id and the start of its hash, as the end-of-day page prints it; the log "
                            "must still hold that event unchanged (repeatable)"))
    backup = sub.add_parser("backup", parents=[common], help=_("back the embedded store up (SQLite's online backup)"))
    backup.add_argument("--to", type=Path, help=_("folder for the backup (default: the data directory's backups)"))
    restore = sub.add_parser("restore", parents=[common], help=_("put a backup in place of the store"))
    restore.add_argument("backup_file", type=Path, help=_("a file made by `counter-app backup`"))
    staff = sub.add_parser("staff", parents=[common], help=_("staff credentials"))
    staff.add_argument("action", choices=("unlock", "password"))
    staff.add_argument("staff_no", help=_("the locked-out person's, or the person whose password is set"))
    staff.add_argument("--manager", help=_("unlock: your staff number (duty manager or administrator); "
                                         "your password is asked for, or read from standard input"))
    staff.add_argument("--admin", help=_("password: your staff number (administrator); your password, then the "
                                       "new one, are asked for or read from standard input"))
    admin_cli.add_parsers(sub, common)
    planning_cli.add_parsers(sub, common)
    replay = sub.add_parser("replay", parents=[common], help=_("replay a scenario on a virtual clock"))
    replay.add_argument("scenario", type=Path, help=_("a scenario file, or the name of one the app ships "
                                                    "(case-study, vip-counter)"))
    replay.add_argument("--out", type=Path, required=True, help=_("folder for the store and what was produced"))
    _report_parser(sub, common)
    return parser


def _report_parser(sub, common: argparse.ArgumentParser) -> None:
    from counter_app.report_views import EXPORT_FORMATS, VIEWS

    report = sub.add_parser("report", parents=[common], help=_("export a report (docs/reports.md)"))
    report.add_argument("view", choices=(*VIEWS, "end-of-day"))
    report.add_argument("--from", dest="date_from", type=_date, required=True, help=_("first business day, YYYY-MM-DD"))
    report.add_argument("--to", dest="date_to", type=_date, help=_("last business day (default: --from)"))
    report.add_argument("--format", choices=EXPORT_FORMATS, default="csv", help=_("end-of-day is always a PDF"))
    report.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    report.add_argument("--force", action="store_true", help=_("replace --out if it exists (never the store)"))
    report.add_argument("--service", action="append", default=[], help=_("service code (repeatable)"))
    report.add_argument("--counter", type=_counter_number, action="append", default=[],
                        help=_("counter number (repeatable)"))
    report.add_argument("--staff", action="append", default=[], help=_("staff number (repeatable)"))
    report.add_argument("--cause", action="append", default=[], help=_("breach cause (repeatable)"))


def _date(text: str):
    import datetime as dt

    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc
    if not FIRST_YEAR <= day.year <= LAST_YEAR:  # 9999-12-31 is a slip, not a business day
        raise argparse.ArgumentTypeError(f"not a business day between {FIRST_YEAR} and {LAST_YEAR}: {text}")
    return day


def _counter_number(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_COUNTER:
        raise argparse.ArgumentTypeError(f"not a counter number (1 to {MAX_COUNTER}): {text}")
    return number


# argparse's own words (usage, errors), translated through the app's catalogue once the language is known.
ARGPARSE_WORDS = (N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
                  N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
                  N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("%(prog)s: error: %(message)s\n"),
                  N_("expected one argument"), N_("argument %(argument_name)s: %(message)s"))


def _language_of(argv: list[str]) -> str | None:
    """The --lang on the command line, read before the parser is built so that its help speaks that language."""
    for index, word in enumerate(argv):
        value = word.split("=", 1)[1] if word.startswith("--lang=") else (
            argv[index + 1] if word == "--lang" and index + 1 < len(argv) else None)
        if value in i18n.LANGUAGES:
            return value
    return None


def _speak_argparse() -> None:
    argparse._ = i18n._  # type: ignore[attr-defined]  # argparse looks its words up through this name


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    i18n.set_language(_language_of(words) or Settings().get("language") or i18n.system_language())
    _speak_argparse()
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.DEBUG if args.verbose else logging.WARNING)
    settings = Settings()
    i18n.set_language(args.lang or settings.get("language") or i18n.system_language())
    url = paths.store_url(args.db) if args.db else paths.default_db_url()
    if args.command == "db":
        return _db(url, args.action)
    if args.command == "replay":
        return _replay(args.scenario, args.out)
    if args.command == "audit":
        return _audit(url, args.anchor)
    if args.command == "staff":
        if args.action == "password":
            return admin_cli.password_command(url, args.staff_no, args.admin or "")
        return admin_cli.unlock_command(url, args.staff_no, args.manager or "")
    if args.command == "setup":
        return admin_cli.setup_command(url, args)
    if args.command == "orders":
        return planning_cli.command(url, args)
    if args.command in ("backup", "restore"):
        return _backup(url, args)
    if args.command == "report":
        return _report(url, args)
    return _gui(url, args, settings)


def _db(url: str, action: str) -> int:
    from counter_app.models.db import SCHEMA_STATE_TEXT, Store, ensure_exists

    try:
        if action != "upgrade":  # only `db upgrade` makes a store where there is none
            ensure_exists(url)
    except StoreError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    try:
        store = Store(url)
    except StoreError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    try:
        if action == "check":
            state = _(SCHEMA_STATE_TEXT[store.check_schema()])
            print(_("Store {url}: schema {state}.").format(url=store.safe_url, state=state))
        elif action == "tally":
            from counter_app.clock import SystemClock
            from counter_app.models.db import open_store
            from counter_app.workflows.reports import closing

            store.dispose()
            store = open_store(url, upgrade=False)
            with store.write() as session:
                days = closing.tally_days(session, SystemClock())
            print(_("Tallied the breaches of {count} past days.").format(count=len(days)))
        else:
            before = store.upgrade()
            _record_settings_first(store)
            print(_("Store {url} upgraded (was: {state}).").format(url=store.safe_url,
                                                                    state=_(SCHEMA_STATE_TEXT[before])))
    except StoreError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    return 0


def _record_settings_first(store) -> None:
    """A store from before the settings were recorded in the event log records them, once, as they stand."""
    from counter_app.clock import SystemClock
    from counter_app.workflows.core import settings_record

    with store.write() as session:
        if settings_record.record_first(session, at=SystemClock().now()):
            logging.getLogger(__name__).info("the branch's settings are recorded in the event log")


def _backup(url: str, args: argparse.Namespace) -> int:
    from counter_app.clock import SystemClock
    from counter_app.workflows.core import backup

    now = SystemClock().now()
    try:
        if args.command == "backup":
            made = backup.backup(url, args.to or paths.backups_dir(), now)
            print(_("Backup written to {path}.").format(path=made))
        else:
            kept = backup.restore(url, args.backup_file, now, keep_dir=paths.backups_dir())
            print(_("Restored {backup}; the store it replaced is kept as {kept}.").format(
                backup=args.backup_file, kept=kept))
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    return 0


def _audit(url: str, anchor_texts: list[str]) -> int:
    from counter_app.models.db import open_store
    from counter_app.workflows.core import audit

    try:
        anchors = [audit.parse_anchor(text) for text in anchor_texts]
        kept = audit.kept_anchors(paths.backups_dir(), url)  # every closed day's, kept beside the backups
        anchors += kept
        store = open_store(url, upgrade=False, create=False)
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    with store.read() as session:
        result = audit.verify(session, anchors=anchors)
    store.dispose()
    if result.ok:
        print(_("Event log intact: {count} events checked.").format(count=result.checked))
        if anchors:
            print(_("The log still holds the anchored events unchanged: {anchors}.").format(
                anchors=", ".join(str(a) for a in anchors)))
        if kept:
            print(_("{count} anchors kept beside the backups were checked.").format(count=len(kept)))
        return 0
    if result.reason == "record differs":
        print(_("Records changed outside the app, no longer what their events recorded: {records}.").format(
            records=", ".join(result.records)), file=sys.stderr)
    elif result.reason == "anchor missing":
        print(_("Event log cut short: event {id} of the anchor {anchor} is no longer in the log; events from it "
                "on were deleted.").format(id=result.first_bad_id, anchor=result.anchor), file=sys.stderr)
    elif result.reason == "anchor differs":
        print(_("Event log rewritten: event {id} is not the one the anchor {anchor} recorded; the log was changed "
                "at or before it.").format(id=result.first_bad_id, anchor=result.anchor), file=sys.stderr)
    else:
        print(_("Event log broken at event {id} ({reason}): that row was edited, or the one before it is missing.")
              .format(id=result.first_bad_id, reason=_(audit.REASON_TEXT[result.reason])), file=sys.stderr)
    return 1


def _report(url: str, args: argparse.Namespace) -> int:
    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store
    from counter_app.workflows.core import files
    from counter_app.workflows.reports import ReportFilter, exports

    now = SystemClock().now()
    try:
        args.out = files.check_target(args.out, force=args.force, store_url=url)
        store = open_store(url, upgrade=False, create=False)
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    f = ReportFilter(args.date_from, args.date_to or args.date_from, services=tuple(args.service),
                     counters=tuple(args.counter), staff=tuple(args.staff), causes=tuple(args.cause), until=now)
    try:
        with store.read() as session:
            if args.view == "end-of-day":
                exports.save_day_summary(session, day=f.date_from, now=now, path=args.out,
                                         language=i18n.current_language())
                print(_("End-of-day summary of {date} written to {out}.").format(date=f.date_from, out=args.out))
                return 0
            report = exports.export(session, args.view, f, fmt=args.format, path=args.out, made_at=now,
                                    language=i18n.current_language())
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    finally:
        store.dispose()
    rows = sum(len(t.rows) for t in report.tables)
    print(_("{title}, {period}: {rows} rows written to {out}.").format(title=report.title, period=report.period,
                                                                       rows=rows, out=args.out))
    return 0


def _replay(scenario: Path, out: Path) -> int:
    from counter_app.workflows.replay.runner import run_scenario

    shipped = paths.scenarios_dir() / f"{scenario.name}.json"
    if not scenario.exists() and len(scenario.parts) == 1 and shipped.is_file():
        scenario = shipped  # `counter-app replay case-study`: a scenario the app ships, by name
    try:
        summary = run_scenario(scenario, out)
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    print(_("Replayed {events} events of {title}; output in {out}.").format(
        events=summary["events_applied"], title=summary["title"], out=out))
    return 0


def _daily_backup(url: str, settings: Settings) -> None:
    """The first window started each day backs the embedded store up and keeps the newest few."""
    from counter_app.clock import SystemClock
    from counter_app.workflows.core import backup

    try:
        daily = backup.daily_backup(url, paths.backups_dir(), SystemClock().now(), keep=settings.get("backup_keep"))
    except (AppError, OSError):
        logging.getLogger(__name__).warning("the daily backup could not be made", exc_info=True)
        return
    if daily.made:
        logging.getLogger(__name__).info("daily backup %s", daily.made)


def _sweep_orphans(store) -> None:
    """Archived documents whose row a crash never committed are moved aside at start (an hour's grace)."""
    import datetime as dt

    from counter_app.clock import SystemClock
    from counter_app.workflows.paperwork import archive

    try:
        with store.read() as session:
            moved = archive.sweep_orphans(session, written_before=SystemClock().now() - dt.timedelta(hours=1))
    except OSError:
        logging.getLogger(__name__).warning("orphaned documents could not be moved aside", exc_info=True)
        return
    for path in moved:
        logging.getLogger(__name__).warning("a document with no record was moved aside: %s", path)


def _no_display() -> str | None:
    """Why no window can open here, in the user's words; None where one can."""
    if os.environ.get("QT_QPA_PLATFORM") or not sys.platform.startswith("linux"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _("No screen to open the window on: start counter-app from the desktop, or on a machine without "
             "one under xvfb-run (or set QT_QPA_PLATFORM=offscreen). The command-line tools work without one: "
             "counter-app --help.")


SWEEP_AFTER_MS = 3000


def _gui(url: str, args: argparse.Namespace, settings: Settings) -> int:
    if (reason := _no_display()) is not None:
        print(reason, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QMessageBox

    from counter_app.ui.app import application
    from counter_app.ui.starting import StartScreen, watch_paints

    app = application()
    watch_paints(app)
    starting = StartScreen(args.role)
    starting.show_now()  # painted first; the store, its tables and the role's window load after (issue 12)

    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store
    from counter_app.ui.common.backend import Backend
    from counter_app.ui.launcher import Launcher
    from counter_app.workflows.replay.demo import keep_demo_open, seed_demo

    try:
        store = open_store(url, create=args.demo)  # only --demo makes a new store on a first start
        if args.demo:
            with store.write() as session:
                now = SystemClock().now()
                seed_demo(session, at=now, planning=True) or keep_demo_open(session, at=now)
        _record_settings_first(store)
        if store.is_sqlite:
            _daily_backup(url, settings)
    except StoreError as exc:
        starting.close()
        QMessageBox.critical(None, _("counter_app"), exc.text())
        return 2
    backend = Backend(store, SystemClock(), refresh_ms=settings.get("refresh_ms"))
    launcher = Launcher(backend, settings, fullscreen=not args.windowed)
    launcher.open_role(args.role, counter_number=args.counter)
    starting.close()
    from PySide6.QtCore import QTimer

    # housekeeping that loads the documents' code (reportlab): once the window is up, not before it
    QTimer.singleShot(SWEEP_AFTER_MS, lambda: _sweep_orphans(store))
    quit_after = os.environ.get("COUNTER_APP_QUIT_AFTER_MS", "")
    if quit_after.isdigit():  # a smoke test of an install (scripts/check_frozen.sh): open, paint, say what, close
        from PySide6.QtCore import QTimer

        def report_and_quit() -> None:
            shown = [type(w).__name__ for w in app.topLevelWidgets() if w.isVisible()]
            print("shown:", ", ".join(shown) or "nothing", flush=True)
            app.exit(0 if shown else 3)

        QTimer.singleShot(int(quit_after), report_and_quit)
    code = app.exec()
    backend.stop()
    store.dispose()
    return code


if __name__ == "__main__":
    sys.exit(main())
