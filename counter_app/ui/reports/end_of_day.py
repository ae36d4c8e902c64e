"""Closing the day: the day's summary on screen, then one PDF page saved into the documents archive.

Customers, service level, breaches with their causes, help requests still open (the day's, and apart
those from earlier days) and satisfaction, as `reports.day_summary` counts them. "Close the day" is the
workflow `closing.close_day`: it records who closed the day in the event log and prints the log's head
on the page. A day's summary takes a fraction of a second, so it is read on the GUI thread; only the
year-long reports need the worker.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter_app import i18n, paths
from counter_app.i18n import _, join_list
from counter_app.ui.common.actions import act_or_show
from counter_app.ui.common.widgets import MessageBar
from counter_app.workflows import reports
from counter_app.workflows.queue.hours import trading_day
from counter_app.workflows.reports import closing
from counter_app.workflows.reports.export_pdf import (
    ESCALATION_LIST_LIMIT,
    escalation_line,
    still_waiting_line,
)
from counter_app.workflows.reports.exports import BROKEN_TEXT, cause_text


def summary_path(day: dt.date, now: dt.datetime) -> Path:
    """Where the day's page is archived; closing the day again keeps the earlier page."""
    folder = paths.documents_dir() / "reports" / f"{day:%Y-%m}"
    path = folder / f"end-of-day-{day.isoformat()}.pdf"
    return path if not path.exists() else folder / f"end-of-day-{day.isoformat()}-{now:%H%M%S}.pdf"


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:.1f}"


class EndOfDayDialog(QDialog):
    """The day's summary and "Close the day": the page is saved (`saved_path`), then optionally previewed to print."""

    def __init__(self, backend, staff_id: int, day: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.staff_id = staff_id
        self.now = backend.clock.now()
        self.day = day or backend.query(lambda session, _clock: trading_day(session, self.now)) or self.now.date()
        self.saved_path: Path | None = None
        self.closed: closing.DayClosed | None = None
        self.preview = None
        self.setWindowTitle(_("End of day"))
        self.resize(1000, 860)
        self.summary: reports.DaySummary | None = backend.query(
            lambda session, clock: reports.day_summary(session, self.day, self.now))
        heading = QLabel(_("End-of-day summary"))
        heading.setStyleSheet("font-size: 24px; font-weight: bold;")
        subtitle = QLabel(_("Business day {date}, made {time}").format(
            date=self.day.isoformat(), time=self.now.strftime("%Y-%m-%d %H:%M")))
        subtitle.setStyleSheet("color: #555;")
        closings = backend.query(lambda session, _clock: closing.day_closings(session, self.day)) or []
        self.closed_before_label = QLabel("\n".join(
            _("This day was closed at {time} by {name}; closing it again saves a new page beside the first.")
            .format(time=c.at.strftime("%H:%M"), name=c.staff_name) for c in closings))
        self.closed_before_label.setStyleSheet("color: #8a5300;")
        self.closed_before_label.setVisible(bool(closings))
        self.message_bar = MessageBar()
        self.preview_check = QCheckBox(_("Show the page to print it after saving"))
        self.close_day_button = QPushButton(_("Close the day"))
        self.close_day_button.setDefault(True)
        cancel = QPushButton(_("Cancel"))
        cancel.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_check)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.close_day_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(heading)
        layout.addWidget(subtitle)
        layout.addWidget(self.closed_before_label)
        if self.summary is None:
            self.message_bar.show_message(_("The store cannot be read. Try again in a moment."), "error")
            self.close_day_button.setEnabled(False)
            layout.addStretch(1)
        else:
            self._show_summary(layout, self.summary)
        layout.addWidget(self.message_bar)
        layout.addLayout(buttons)
        self.close_day_button.clicked.connect(self.close_day)
        cancel.clicked.connect(self.reject)

    def _show_summary(self, layout: QVBoxLayout, s: reports.DaySummary) -> None:
        level = "—" if s.service_level is None else f"{s.service_level * 100:.1f}%"
        average = "—" if s.average_rating is None else f"{s.average_rating:.2f}"
        figures = [(_("Customers"), str(s.customers)), (_("Served"), str(s.served)),
                   (_("No-shows"), str(s.no_shows)), (_("Cancelled"), str(s.cancelled)),
                   (_("Visits not ended"), str(s.still_open)), (_("Within the wait target"), level),
                   (_("Average wait (min)"), _minutes(s.average_wait_s)), (_("Average rating"), average)]
        grid = QGridLayout()
        self.figure_labels: dict[str, QLabel] = {}
        for index, (title, value) in enumerate(figures):
            tile = QFrame()
            tile.setStyleSheet("QFrame { background: #f4f7fb; border-radius: 6px; }")
            inner = QVBoxLayout(tile)
            value_label = QLabel(value)
            value_label.setStyleSheet("font-size: 26px; font-weight: bold; color: #0b3d6e;")
            inner.addWidget(value_label)
            inner.addWidget(QLabel(title))
            self.figure_labels[title] = value_label
            grid.addWidget(tile, index // 4, index % 4)
        layout.addLayout(grid)
        self.level_label = QLabel(_("{level} served within the wait target ({within} of {served})").format(
            level=level, within=s.within, served=s.served))
        layout.addWidget(self.level_label)

        layout.addWidget(self._section(_("Breaches: {count}").format(count=len(s.breaches))))
        if s.breaches:
            causes = sorted(s.breaches_by_cause.items(), key=lambda item: -item[1])
            layout.addWidget(QLabel("; ".join(f"{cause_text(c)}: {n}" for c, n in causes)))
        else:
            layout.addWidget(QLabel(_("No visit broke its targets.")))
        self.breach_table = QTableWidget(len(s.breaches), 7)
        self.breach_table.setHorizontalHeaderLabels([_("Ticket"), _("Service"), _("Broken"), _("Wait (min)"),
                                                     _("Service time (min)"), _("Cause"), _("Staff")])
        for row, b in enumerate(s.breaches):
            cells = [b.number, b.service, join_list(_(BROKEN_TEXT[x]) for x in b.broken), _minutes(b.wait_s),
                     _minutes(b.service_s), cause_text(b.cause), b.staff_name]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (3, 4):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.breach_table.setItem(row, column, item)
        self.breach_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.breach_table.verticalHeader().setVisible(False)
        self.breach_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.breach_table.setVisible(bool(s.breaches))
        layout.addWidget(self.breach_table, 1)

        layout.addWidget(self._section(_("Open escalations of the day: {count}").format(
            count=len(s.open_escalations))))
        self.escalation_labels = self._escalation_labels(layout, s.open_escalations, with_date=False)
        if not s.open_escalations:
            layout.addWidget(QLabel(_("No help request of the day is still open.")))
        self.earlier_heading: QLabel | None = None
        self.earlier_labels: list[QLabel] = []
        if s.earlier_open_escalations:
            self.earlier_heading = QLabel(_("Still open from earlier days: {count}").format(
                count=len(s.earlier_open_escalations)))
            self.earlier_heading.setStyleSheet("font-weight: bold; color: #8a5300;")
            layout.addWidget(self.earlier_heading)
            self.earlier_labels = self._escalation_labels(layout, s.earlier_open_escalations, with_date=True)
        layout.addWidget(self._section(_("Satisfaction")))
        layout.addWidget(QLabel(_("Ratings: {count}, average {average} of 5; complaints: {complaints}.").format(
            count=s.ratings, average=average, complaints=s.complaints)))
        for line in s.comments[:5]:
            mark = _("complaint") if line.complaint else (f"{line.rating}/5" if line.rating else "")
            comment = QLabel(f"{line.number} ({mark}): {line.comment}")
            comment.setWordWrap(True)
            layout.addWidget(comment)
        if s.still_waiting:
            self.message_bar.show_message(still_waiting_line(s), "warning")
        elif s.still_open:
            self.message_bar.show_message(
                _("{count} visits have not ended yet; the summary counts them as not ended.").format(
                    count=s.still_open), "info")

    @staticmethod
    def _escalation_labels(layout: QVBoxLayout, escalations: list[reports.OpenEscalation], *,
                           with_date: bool) -> list[QLabel]:
        labels = [QLabel(escalation_line(e, with_date=with_date)) for e in escalations[:ESCALATION_LIST_LIMIT]]
        if len(escalations) > ESCALATION_LIST_LIMIT:
            labels.append(QLabel(_("… and {count} more.").format(count=len(escalations) - ESCALATION_LIST_LIMIT)))
        for label in labels:
            layout.addWidget(label)
        return labels

    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setStyleSheet("font-size: 18px; font-weight: bold; margin-top: 8px;")
        return label

    def close_day(self) -> Path | None:
        """Close the day (recorded in the event log) and save its page into the archive; then preview it if asked."""
        path = summary_path(self.day, self.backend.clock.now())
        closed = act_or_show(self.backend, self.message_bar, closing.close_day, day=self.day,
                             staff_id=self.staff_id, path=path, language=i18n.current_language())
        if closed is None:
            return None
        self.closed = closed
        self.saved_path = closed.path
        if self.preview_check.isChecked():
            from counter_app.ui.paperwork.preview import PreviewDialog

            self.preview = PreviewDialog(closed.path, _("End-of-day summary"), self.parentWidget(), ("print", "save"))
            self.preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.preview.open()
        self.accept()
        return closed.path
