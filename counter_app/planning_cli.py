"""The planning desk's command line: the monthly KPIs written to a file.

    counter-app orders kpi --from YYYY-MM --to YYYY-MM --format csv|xlsx|pdf --out FILE [--force] [--db URL]

docs/planning.md defines each KPI. The file is written to a temporary name and renamed; an existing file is
kept unless --force, and the store itself is never written over.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from counter_app.errors import AppError
from counter_app.i18n import _


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    orders = sub.add_parser("orders", parents=[common], help=_("the planning desk's sales orders (docs/planning.md)"))
    orders.add_argument("action", choices=("kpi",))
    orders.add_argument("--from", dest="month_from", required=True, help=_("first month, YYYY-MM"))
    orders.add_argument("--to", dest="month_to", help=_("last month, YYYY-MM (default: --from)"))
    orders.add_argument("--format", choices=("csv", "xlsx", "pdf"), default="csv",
                        help=_("pdf: a printable table in the language of --lang"))
    orders.add_argument("--out", type=Path, required=True, help=_("the file to write"))
    orders.add_argument("--force", action="store_true", help=_("replace --out if it exists (never the store)"))


def command(url: str, args: argparse.Namespace) -> int:
    from counter_app import i18n
    from counter_app.clock import SystemClock
    from counter_app.models.db import open_store
    from counter_app.workflows.core import files
    from counter_app.workflows.paperwork import contents
    from counter_app.workflows.paperwork.render import planning_kpi
    from counter_app.workflows.planning import kpi
    from counter_app.workflows.planning.working_days import load_calendar

    try:
        first = kpi.parse_month(args.month_from)
        last = kpi.parse_month(args.month_to) if args.month_to else first
        kpi.months(first, last)  # the order of the two is checked before anything is opened
        out = files.check_target(args.out, force=args.force, store_url=url)
        store = open_store(url, upgrade=False, create=False)
        try:
            with store.read() as session:
                kpis = kpi.monthly(kpi.load_records(session), first, last, load_calendar(session))
                branch = contents.branch_name(session, i18n.current_language())
        finally:
            store.dispose()
        if args.format == "pdf":
            pdf = planning_kpi.render_kpis(kpis, language=i18n.current_language(), branch=branch,
                                           at=SystemClock().now())
            files.write_bytes_atomically(out, pdf)
        else:
            kpi.export(kpis, out, args.format)
    except AppError as exc:
        print(exc.text(), file=sys.stderr)
        return 2
    print(_("KPIs of {first} to {last}: {rows} months written to {out}.").format(
        first=f"{first:%Y-%m}", last=f"{last:%Y-%m}", rows=len(kpis), out=out))
    return 0
