"""The report samples in docs/samples: the breach report (English), the satisfaction report (Chinese) and
the end-of-day page (Chinese), each as a PNG of its first page.

    .venv/bin/python scripts/report_samples.py [OUT_DIR]        # default: docs/samples
    .venv/bin/python scripts/report_samples.py OUT_DIR --pdf    # the PDFs too

The data are ten days of a busy branch from the report benchmark's generator
(`benchmarks/generate_year.py --days 10 --per-day 300`, seed 7: the same every time). Its help requests
are all resolved; so that the end-of-day page shows both of its lists, one request of the last day and
two of earlier days are left open. The duty manager 陈刚 (M001) then closes the last day at 18:55 through
`closing.close_day`, as the end-of-day window does: the page says who closed the day and prints the event
log's anchor. The documents' own samples (ticket, receipt, acceptance form, apology notice) are made by
`python -m counter_app.workflows.paperwork.render.samples docs/samples --png-only`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlmodel import select  # noqa: E402

from benchmarks.generate_year import generate  # noqa: E402
from counter_app import i18n  # noqa: E402
from counter_app.clock import VirtualClock  # noqa: E402
from counter_app.models import Staff, Ticket  # noqa: E402
from counter_app.models.db import open_store  # noqa: E402
from counter_app.models.oversight import Escalation, EscalationState  # noqa: E402
from counter_app.workflows.reports import (  # noqa: E402
    ReportFilter,  # noqa: E402
    closing,
    exports,
)

FIRST_DAY = dt.date(2025, 1, 1)
DAYS = 10
LAST_DAY = FIRST_DAY + dt.timedelta(days=DAYS - 1)
MADE_AT = dt.datetime.combine(LAST_DAY, dt.time(18, 55))  # the hall closes at 18:30, its counters by 18:50
RESOLUTION = 80  # dots per inch of the PNGs: an A4 page about 660 pixels wide


def leave_open(store) -> None:
    """One help request of the last day and two of earlier days not resolved yet, in different states."""
    with store.write() as session:
        def first_of(day: dt.date, skip: int = 0) -> Escalation:
            return session.exec(select(Escalation).join(Ticket, Ticket.id == Escalation.ticket_id)
                                .where(Ticket.business_date == day).order_by(Escalation.id).offset(skip)).first()

        for escalation, state in ((first_of(LAST_DAY, 2), EscalationState.ACCEPTED),
                                  (first_of(LAST_DAY - dt.timedelta(days=1)), EscalationState.HANDED_UP),
                                  (first_of(LAST_DAY - dt.timedelta(days=3)), EscalationState.REQUESTED)):
            escalation.state = state
            escalation.resolved_by = escalation.resolved_at = None
            escalation.resolution_note = escalation.customer_explanation = ""
            if state == EscalationState.REQUESTED:
                escalation.accepted_by = escalation.accepted_at = None
            if state == EscalationState.HANDED_UP:
                escalation.handed_up_at = escalation.accepted_at
            session.add(escalation)
        # An approval belongs to a resolved request: the open ones keep none.
        session.exec(sa.text("DELETE FROM exception_approval WHERE escalation_id IN "
                             "(SELECT id FROM escalation WHERE state != 'resolved')"))


def png(pdf: Path, out: Path) -> Path:
    subprocess.run(["pdftoppm", "-r", str(RESOLUTION), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(out.with_suffix(""))], check=True)
    return out


def make(folder: Path, *, keep_pdf: bool) -> list[Path]:
    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is needed (Debian: poppler-utils)")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        generate(work / "store.sqlite3", days=DAYS, per_day=300, seed=7, first_day=FIRST_DAY)
        store = open_store(f"sqlite:///{work / 'store.sqlite3'}")
        try:
            leave_open(store)
            period = ReportFilter(FIRST_DAY, LAST_DAY, until=MADE_AT)
            pdfs = {}
            for name, view, language in (("report-breaches-en", "breaches", "en"),
                                         ("report-satisfaction-zh_CN", "satisfaction", "zh_CN")):
                i18n.set_language(language)
                pdfs[name] = (folder if keep_pdf else work) / f"{name}.pdf"
                with store.read() as session:
                    exports.export(session, view, period, fmt="pdf", path=pdfs[name], made_at=MADE_AT,
                                   language=language)
            i18n.set_language("zh_CN")
            pdfs["end-of-day-zh_CN"] = (folder if keep_pdf else work) / "end-of-day-zh_CN.pdf"
            with store.write() as session:
                manager = session.exec(select(Staff.id).where(Staff.staff_no == "M001")).one()
                closing.close_day(session, VirtualClock(MADE_AT), day=LAST_DAY, staff_id=manager,
                                  path=pdfs["end-of-day-zh_CN"], language="zh_CN")
        finally:
            store.dispose()
        for name, pdf in pdfs.items():
            written.append(png(pdf, folder / f"{name}.png"))
            if keep_pdf:
                written.append(pdf)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the report samples shown in docs/reports.md.")
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "docs" / "samples")
    parser.add_argument("--pdf", action="store_true", help="keep the PDFs next to the PNGs")
    args = parser.parse_args(argv)
    for path in make(args.folder, keep_pdf=args.pdf):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
