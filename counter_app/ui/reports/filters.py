"""The reports' filter bar: business dates, a quick period, and one service, counter, staff member or cause."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget
from sqlmodel import Session, select

from counter_app.clock import Clock
from counter_app.i18n import N_, _, pick
from counter_app.models import Counter, Service, Staff
from counter_app.ui.common.widgets import DateEdit
from counter_app.workflows import reports
from counter_app.workflows.oversight.explain import CAUSE_TEXT
from counter_app.workflows.reports import ReportFilter

PERIODS = {"today": N_("Today"), "yesterday": N_("Yesterday"), "week": N_("This week"), "last7": N_("Last 7 days"),
           "month": N_("This month"), "last_month": N_("Last month")}
CHANGE_DELAY_MS = 350  # typing a date fires on every digit: wait until the user stops


def period_dates(period: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last business day of a quick period, ending today."""
    if period == "yesterday":
        day = today - dt.timedelta(days=1)
        return day, day
    if period == "week":
        return today - dt.timedelta(days=today.weekday()), today
    if period == "last7":
        return today - dt.timedelta(days=6), today
    if period == "month":
        return today.replace(day=1), today
    if period == "last_month":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    return today, today


def filter_options(session: Session, clock: Clock) -> dict[str, list[tuple[object, str]]]:
    """What the combos offer: the branch's services, counters and staff."""
    services = session.exec(select(Service).order_by(Service.sort_order, Service.code))
    counters = session.exec(select(Counter.number).order_by(Counter.number))
    staff = session.exec(select(Staff).order_by(Staff.staff_no))
    return {
        "services": [(s.code, pick(s.names)) for s in services],
        "counters": [(n, _("Counter {number}").format(number=n)) for n in counters],
        "staff": [(s.staff_no, f"{s.staff_no} {s.name}") for s in staff],
    }


def _date(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class FilterBar(QWidget):
    """Signals: changed(): a filter changed and the user has stopped typing."""

    changed = Signal()

    def __init__(self, today: dt.date, options: dict[str, list[tuple[object, str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.from_edit, self.to_edit = DateEdit(), DateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setDate(_date(today))
        self.period_combo = QComboBox()
        self.period_combo.addItem(_("Quick period…"), None)
        for key, text in PERIODS.items():
            self.period_combo.addItem(_(text), key)
        self.service_combo, self.counter_combo = QComboBox(), QComboBox()
        self.staff_combo, self.cause_combo = QComboBox(), QComboBox()
        for combo, key in ((self.service_combo, "services"), (self.counter_combo, "counters"),
                           (self.staff_combo, "staff")):
            combo.addItem(_("All"), None)
            for value, text in options.get(key, []):
                combo.addItem(text, value)
        self.cause_combo.addItem(_("All"), None)
        for cause, text in CAUSE_TEXT.items():
            self.cause_combo.addItem(_(text), str(cause))
        self.cause_combo.addItem(_(reports.NO_CAUSE_TEXT), reports.NO_CAUSE)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, widget in ((_("Business days"), self.from_edit), ("–", self.to_edit), (None, self.period_combo),
                              (_("Service"), self.service_combo), (_("Counter"), self.counter_combo),
                              (_("Staff"), self.staff_combo), (_("Cause"), self.cause_combo)):
            if label:
                layout.addWidget(QLabel(label))
            layout.addWidget(widget)
        layout.addStretch(1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHANGE_DELAY_MS)
        self._timer.timeout.connect(self.changed)
        self.period_combo.activated.connect(self._on_period_chosen)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(lambda _d: self._timer.start())
        for combo in (self.service_combo, self.counter_combo, self.staff_combo, self.cause_combo):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())

    def current_filter(self, until: dt.datetime | None) -> ReportFilter:
        def chosen(combo: QComboBox) -> tuple:
            value = combo.currentData()
            return () if value is None else (value,)

        return ReportFilter(self.from_edit.date().toPython(), self.to_edit.date().toPython(),
                            services=chosen(self.service_combo), counters=chosen(self.counter_combo),
                            staff=chosen(self.staff_combo), causes=chosen(self.cause_combo), until=until)

    def set_period(self, date_from: dt.date, date_to: dt.date) -> None:
        self.from_edit.setDate(_date(date_from))
        self.to_edit.setDate(_date(date_to))

    def choose(self, combo: QComboBox, value: object) -> None:
        combo.setCurrentIndex(combo.findData(value))

    def settle(self) -> None:
        """Stop waiting for more typing (a report is about to run with the filters as they are)."""
        self._timer.stop()

    def _on_period_chosen(self, index: int) -> None:
        period = self.period_combo.itemData(index)
        if period:
            self.set_period(*period_dates(period, self.today))
