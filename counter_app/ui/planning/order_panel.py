"""One sales order at the planning desk: its triage rule and lines, the five departments' answers side by side,
the computed date with its critical path, PMC's confirm and override, a returned order's reasons and the later
date sales may record, the date history, and the printed documents.

A view only: `show_order(OrderView)` draws; the window wires the buttons to the workflows and only offers the
moves `orders.TRANSITIONS` allows from the order's state.
"""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter_app import i18n
from counter_app.i18n import _, join_list
from counter_app.models.planning import Department
from counter_app.ui.common.widgets import DateEdit
from counter_app.ui.planning.dialogs import qdate
from counter_app.ui.planning.order_extras import ChangeBox, DeliveriesBox
from counter_app.ui.planning.snapshot import OrderView
from counter_app.workflows.paperwork.render.planning_docs import (
    DATE_KIND_TEXT,
    KIND_TEXT,
    PAYMENT_TEXT,
    WHY_TEXT,
)
from counter_app.workflows.planning import orders, review

CRITICAL = QColor("#fde7c8")  # the critical path's columns
OVERDUE = QColor("#f8d0cc")
ANSWER_ROWS = ("answered_by", "answered_at", "can_meet", "lead_days", "depends_on", "reason", "notes", "form",
               "deadline", "overdue")


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _table(rows: int, columns: int) -> QTableWidget:
    table = QTableWidget(rows, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    return table


class OrderPanel(QWidget):
    """The selected order. Its buttons and fields are public for the window (and the tests) to use."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.order: OrderView | None = None
        self.title_label = QLabel()
        self.title_label.setStyleSheet("font-size: 18px; font-weight: bold;")
        self.rule_label = QLabel()
        self.rule_label.setWordWrap(True)
        self.rule_label.setStyleSheet("color: #0b3d6e; background: #e8f1fb; padding: 4px 8px; border-radius: 4px;")
        self.lines_label = QLabel()
        self.lines_label.setWordWrap(True)
        self.answers_table = _table(len(ANSWER_ROWS), len(Department))
        self.answers_table.setVerticalHeaderLabels([
            _("Answered by"), _("Answered at"), _("Can meet"), _("Lead days"), _("Depends on"), _("Reason"),
            _("Notes"), _("Form"), _("Deadline"), _("Overdue")])
        self.answers_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.answers_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.answer_button = QPushButton(_("Answer review…"))
        self.date_label = QLabel()
        self.date_label.setWordWrap(True)
        self.date_label.setStyleSheet("font-size: 15px;")
        self.confirm_button = QPushButton(_("Confirm date"))
        self.override_date_edit = DateEdit()
        self.override_reason_edit = QLineEdit()
        self.override_reason_edit.setPlaceholderText(_("Why another date (required)"))
        self.override_button = QPushButton(_("Override"))
        self.rush_button = QPushButton(_("Rush order…"))
        self.rush_button.setToolTip(_("Produce this order first: see which committed orders would slip, then sign "
                                      "it off"))
        self.pmc_box = QGroupBox(_("PMC"))
        pmc = QGridLayout(self.pmc_box)
        pmc.addWidget(self.date_label, 0, 0, 1, 4)
        pmc.addWidget(self.confirm_button, 1, 0)
        pmc.addWidget(self.override_date_edit, 1, 1)
        pmc.addWidget(self.override_reason_edit, 1, 2)
        pmc.addWidget(self.override_button, 1, 3)
        pmc.addWidget(self.rush_button, 1, 4)
        pmc.setColumnStretch(2, 1)
        self.return_label = QLabel()
        self.return_label.setWordWrap(True)
        self.revise_date_edit = DateEdit()
        self.revise_why_edit = QLineEdit()
        self.revise_why_edit.setPlaceholderText(_("Why the date changed (required)"))
        self.revise_button = QPushButton(_("Record later requested date"))
        self.return_box = QGroupBox(_("Returned to sales"))
        returned = QGridLayout(self.return_box)
        returned.addWidget(self.return_label, 0, 0, 1, 3)
        returned.addWidget(self.revise_date_edit, 1, 0)
        returned.addWidget(self.revise_why_edit, 1, 1)
        returned.addWidget(self.revise_button, 1, 2)
        returned.setColumnStretch(1, 1)
        self.history_table = _table(0, 5)
        self.history_table.setHorizontalHeaderLabels([_("Date"), _("What"), _("By"), _("When"), _("Why")])
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        self.history_table.verticalHeader().setVisible(False)
        self.flag_label = QLabel()
        self.flag_label.setWordWrap(True)
        self.flag_label.setStyleSheet("color: #7a2e00; background: #fde7c8; padding: 4px 8px; border-radius: 4px;")
        self.deliveries_box = DeliveriesBox()
        self.change_box = ChangeBox()
        self.side_tabs = QTabWidget()
        self.doc_language_combo = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.doc_language_combo.addItem(name, code)
        self.doc_language_combo.setCurrentIndex(max(0, self.doc_language_combo.findData(i18n.current_language())))
        self.record_button = QPushButton(_("Review record…"))
        self.letter_button = QPushButton(_("Commitment letter…"))

        top = QHBoxLayout()
        top.addWidget(self.title_label, 1)
        top.addWidget(self.answer_button)
        documents = QHBoxLayout()
        documents.addWidget(QLabel(_("Print in")))
        documents.addWidget(self.doc_language_combo)
        documents.addWidget(self.record_button)
        documents.addWidget(self.letter_button)
        documents.addStretch(1)
        bottom = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.pmc_box)
        left.addWidget(self.return_box)
        left.addLayout(documents)
        left.addStretch(1)
        self.side_tabs.addTab(self.history_table, _("Date history"))
        self.side_tabs.addTab(self.deliveries_box, _("Deliveries"))
        self.side_tabs.addTab(self.change_box, _("Changes"))
        bottom.addLayout(left, 3)
        bottom.addWidget(self.side_tabs, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.rule_label)
        layout.addWidget(self.flag_label)
        layout.addWidget(self.lines_label)
        layout.addWidget(self.answers_table)
        layout.addLayout(bottom, 1)
        self.show_order(None)

    def show_order(self, order: OrderView | None, *, today=None, department: str | None = None) -> None:
        """`today` (a QDate) for a shipment's day; `department`: the signed-in reviewer's."""
        self.order = order
        self.deliveries_box.show_order(order, today)
        self.change_box.show_order(order, department)
        self.flag_label.setVisible(bool(order and order.flags))
        if order is not None and order.flags:
            self.flag_label.setText("\n".join(_(
                "⚑ Slipped {days} working days for a rush order: {previous} → {new} (for {owner}, not seen yet)"
            ).format(days=f.days, previous=f.previous.isoformat(), new=f.new.isoformat(), owner=f.owner)
                for f in order.flags))
        for widget in (self.answer_button, self.pmc_box, self.return_box, self.record_button, self.letter_button):
            widget.setEnabled(order is not None)
        if order is None:
            self.title_label.setText(_("Choose an order"))
            self.rule_label.setText("")
            self.lines_label.setText("")
            self.answers_table.clearContents()
            self.history_table.setRowCount(0)
            self.date_label.setText("")
            self.return_box.hide()
            return
        self.title_label.setText(_("{number} · {customer} · {kind} · payment: {payment} · {state}").format(
            number=order.number, customer=order.customer, kind=_(KIND_TEXT.get(order.kind, order.kind)),
            payment=_(PAYMENT_TEXT.get(order.payment, order.payment)),
            state=_(orders.STATE_TEXT.get(order.state, order.state))))
        self.rule_label.setText(_(orders.RULE_TEXT.get(order.rule, order.rule)))
        self.lines_label.setText(_("Lines: {lines}").format(lines="; ".join(
            _("{code} {name} × {quantity}, by {date}").format(code=code, name=name, quantity=quantity,
                                                               date=day.isoformat())
            for code, name, quantity, day in order.lines)))
        self._show_answers(order)
        self._show_dates(order)
        self._show_return(order)
        self.history_table.setRowCount(len(order.history))
        for row, entry in enumerate(order.history):
            why = _(WHY_TEXT[entry.why]) if entry.why in WHY_TEXT else entry.why
            for column, text in enumerate((entry.day.isoformat(), _(DATE_KIND_TEXT.get(entry.kind, entry.kind)),
                                           entry.by, _when(entry.at), why)):
                self.history_table.setItem(row, column, QTableWidgetItem(text))
        self.answer_button.setEnabled(order.state == orders.S.IN_REVIEW and
                                      any(r.answered_at is None for r in order.reviews))
        self.letter_button.setEnabled(order.committed is not None)

    def _show_answers(self, order: OrderView) -> None:
        departments = list(Department)
        table = self.answers_table
        table.clearContents()
        bold = QFont()
        bold.setBold(True)
        for column, department in enumerate(departments):
            critical = department in order.critical
            label = _(review.DEPARTMENT_TEXT[department]) + (" ★" if critical else "")
            header = QTableWidgetItem(label)
            if critical:
                header.setFont(bold)
            table.setHorizontalHeaderItem(column, header)
        by_department = {r.department: r for r in order.reviews}
        for column, department in enumerate(departments):
            r = by_department.get(department)
            if r is None:
                continue
            reason = _(review.REASONS[r.reason_code]) if r.reason_code in review.REASONS else r.reason_code
            form = "\n".join(f"{_(review.FIELD_TEXT.get(k, k))}: {_('yes') if v is True else _('no') if v is False else v}"
                             for k, v in r.details.items())
            cells = {"answered_by": r.answered_by or _("not answered yet"), "answered_at": _when(r.answered_at),
                     "can_meet": "" if r.can_meet is None else (_("yes") if r.can_meet else _("no")),
                     "lead_days": "" if r.lead_days is None else str(r.lead_days), "depends_on": r.depends_on,
                     "reason": reason, "notes": r.notes, "form": form, "deadline": _when(r.deadline),
                     "overdue": _("OVERDUE") if r.overdue else ""}
            for row, key in enumerate(ANSWER_ROWS):
                item = QTableWidgetItem(cells[key])
                if department in order.critical:
                    item.setBackground(QBrush(CRITICAL))
                if key == "overdue" and r.overdue:
                    item.setBackground(QBrush(OVERDUE))
                if key == "can_meet" and r.can_meet is False:
                    item.setFont(bold)
                table.setItem(row, column, item)
        self._fit_height(table)

    @staticmethod
    def _fit_height(table: QTableWidget) -> None:
        """As tall as its rows: the answers never scroll, the space left goes to the dates below."""
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(rows + table.horizontalHeader().height() + 2 * table.frameWidth() + 2)

    def _show_dates(self, order: OrderView) -> None:
        critical = join_list(_(review.DEPARTMENT_TEXT[d]) for d in order.critical) or "—"
        self.date_label.setText(_("Requested {requested} · computed {computed} · committed {committed}\n"
                                  "Critical path: {critical}").format(
            requested=order.requested.isoformat(), computed=order.computed.isoformat() if order.computed else "—",
            committed=order.committed.isoformat() if order.committed else "—", critical=critical))
        can_commit = "confirm" in order.allowed
        self.confirm_button.setEnabled(can_commit)
        self.rush_button.setEnabled("rush" in order.allowed)
        for widget in (self.override_button, self.override_date_edit, self.override_reason_edit):
            widget.setEnabled("override" in order.allowed)
        self.override_date_edit.setDate(qdate(order.computed or order.requested))

    def _show_return(self, order: OrderView) -> None:
        note = order.return_note
        self.return_box.setVisible(note is not None)
        if note is None:
            return
        lines = [_("Requested {requested}; the answers give {computed}: {late} working days late.").format(
            requested=note.requested.isoformat(), computed=note.computed.isoformat() if note.computed else "—",
            late=note.late_by)]
        for refusal in note.refusals:
            reason = _(review.REASONS.get(refusal.reason_code, refusal.reason_code))
            lines.append(_("{department}: cannot meet it — {reason}, {days} working days. {notes}").format(
                department=_(review.DEPARTMENT_TEXT[refusal.department]), reason=reason, days=refusal.lead_days,
                notes=refusal.notes).strip())
        self.return_label.setText("\n".join(lines))
        self.revise_date_edit.setDate(qdate(note.computed or note.requested))
