"""The counter window's documents: the business form for the customer at the counter (F7), the apology
notice offered after a visit that went wrong (F8), and the archive."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QVBoxLayout, QWidget

from counter_app.i18n import LANGUAGES, _, current_language, pick
from counter_app.ui.common.backend import Backend
from counter_app.ui.common.widgets import BigButton, MessageBar
from counter_app.ui.counter.service_order import ServiceOrderDialog
from counter_app.ui.paperwork.apology_offer import ApologyOffer
from counter_app.ui.paperwork.archive import ArchiveDialog
from counter_app.workflows.customers.records import PHONE, CustomerCard
from counter_app.workflows.paperwork import issuing
from counter_app.workflows.paperwork.issuing import PendingNotice
from counter_app.workflows.queue.board import Workspace
from counter_app.workflows.queue.counters import CounterLogin


class ApologyPanel(QWidget):
    """The apology offer for the newest visit still owed a notice; it stays, whoever comes to the counter
    next, until the notice is printed or the customer declines it.

    Signals:
        settled(str, str): the offer's outcome (printed, saved, declined) and the sentence saying so.
    """

    settled = Signal(str, str)

    def __init__(self, backend: Backend, staff_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.staff_id = staff_id
        self.offer: ApologyOffer | None = None
        self.language_combo: QComboBox | None = None
        self.more_label: QLabel | None = None
        self.pending: list[PendingNotice] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.hide()

    def show_pending(self, pending: list[PendingNotice], language: str) -> None:
        """Offer the newest; `language` is the one the clerk chose for that customer, used when no order says."""
        self.pending = pending
        if not pending:
            self._drop_offer()
            self.hide()
            return
        first = pending[0]
        if self.offer is None or self.offer.ticket_id != first.ticket_id:
            self._drop_offer()
            self._mount(first, first.language or language)
        self.lock_language()
        self.more_label.setText(_("({count} more visits are owed a notice.)").format(count=len(pending) - 1)
                                if len(pending) > 1 else "")
        self.more_label.setVisible(len(pending) > 1)
        self.show()

    def _mount(self, notice: PendingNotice, language: str) -> None:
        offer = self.offer = ApologyOffer(self.backend, notice.ticket_id, self.staff_id, language, self)
        offer.title_label.setText(f"{notice.number} · " + _("Offer the customer an apology and explanation notice"))
        offer.settled.connect(self._on_settled)
        self.more_label = QLabel()
        self.more_label.setStyleSheet("color: #6b4a00;")
        self.language_combo = QComboBox()
        for code, name in LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(language)))
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        # The notice's language sits in the offer's own row of buttons, where the clerk decides.
        column = offer.layout()
        buttons = next(column.itemAt(i).layout() for i in range(column.count())
                       if column.itemAt(i).layout() is not None
                       and column.itemAt(i).layout().indexOf(offer.decline_button) >= 0)
        buttons.addWidget(QLabel(_("Customer's language:")))
        buttons.addWidget(self.language_combo)
        column.insertWidget(column.indexOf(offer.message_bar), self.more_label)
        self._layout.addWidget(offer)

    def lock_language(self) -> None:
        """Once the notice exists its language is fixed; another copy is a reprint, from the archive."""
        if self.language_combo is not None:
            self.language_combo.setEnabled(self.offer is not None and self.offer.document_id is None)

    def _drop_offer(self) -> None:
        if self.offer is not None:
            self._layout.removeWidget(self.offer)
            self.offer.hide()
            self.offer.deleteLater()  # later: its preview may still be reporting through it
            self.offer = self.language_combo = self.more_label = None

    def _on_language_chosen(self, _index: int) -> None:
        if self.offer is not None and self.offer.document_id is None:
            self.offer.language = self.language_combo.currentData()

    def _on_settled(self, outcome: str) -> None:
        offer = self.sender()
        text = offer.message_bar.text() if isinstance(offer, ApologyOffer) else ""
        if offer is self.offer:
            self._drop_offer()
            self.hide()
        self.settled.emit(outcome, text)


class CounterDocuments(QObject):
    """The counter window's documents: Business… while serving, Archive…, and the apology offers.

    The window places `business_button`, `archive_button` and `apology_panel`, and calls `refresh` with
    each new workspace.
    """

    def __init__(self, backend: Backend, login: CounterLogin, bar: MessageBar, parent: QWidget) -> None:
        super().__init__(parent)
        self.backend = backend
        self.login = login
        self.bar = bar
        self.window = parent
        self.workspace: Workspace | None = None
        self.card: CustomerCard | None = None
        self.order_dialog: ServiceOrderDialog | None = None
        self.archive_dialog: ArchiveDialog | None = None
        self._languages: dict[int, str] = {}  # ticket id: the customer's language chosen at the counter
        self._revision: int | None = None
        self.business_button = BigButton(_("Business…"), height=52)
        self.business_button.setToolTip(_("Enter the customer's business: the acceptance form to read and sign, "
                                           "then the receipt"))
        self.archive_button = QPushButton(_("Archive…"))
        self.archive_button.setToolTip(_("Find an issued document by its reference or ticket number, and reprint it"))
        self.apology_panel = ApologyPanel(backend, login.staff_id)
        self.business_button.clicked.connect(self.open_business)
        self.archive_button.clicked.connect(self.open_archive)
        self.apology_panel.settled.connect(self._on_notice_settled)

    def refresh(self, ws: Workspace, mine: bool, language: str, card: CustomerCard | None) -> None:
        self.workspace, self.card = ws, card
        current = ws.current
        if current is not None:
            self._languages[current.ticket_id] = language
        self.business_button.setEnabled(mine and current is not None and current.state == "serving")
        if not mine:
            self._revision = None
            self.apology_panel.show_pending([], language)
            return
        self.apology_panel.lock_language()
        if ws.revision == self._revision:
            return  # nothing was recorded since: the offers are as they were
        pending = self.backend.query(issuing.pending_notices, counter_number=self.login.counter_number,
                                     staff_id=self.login.staff_id)
        if pending is None:
            return
        self._revision = ws.revision
        chosen = self._languages.get(pending[0].ticket_id, current_language()) if pending else language
        self.apology_panel.show_pending(pending, chosen)

    def open_business(self) -> ServiceOrderDialog | None:
        """The order form, filled with what the counter already knows about the customer at it."""
        ws = self.workspace
        current = ws.current if ws else None
        if current is None:
            return None
        card = self.card
        ref = current.customer_ref or ""
        language = self._languages.get(current.ticket_id, current_language())
        dialog = self.order_dialog = ServiceOrderDialog(
            self.backend, self.login.counter_number, self.login.staff_id, self.window,
            ticket_number=current.number, product=pick(current.service_names, language),
            customer_name=card.name if card else "",
            customer_phone=(card.phone or "") if card else (ref if PHONE.match(ref) else ""),
            customer_account=(card.account_no or "") if card else ("" if PHONE.match(ref) else ref),
            language=language)
        dialog.open()  # not exec(): the counter keeps its timers running while the order is entered
        return dialog

    def open_archive(self) -> ArchiveDialog:
        ws = self.workspace
        query = ws.current.number if ws and ws.current else ""
        dialog = self.archive_dialog = ArchiveDialog(self.backend, self.login.staff_id, self.window, query=query)
        dialog.open()
        return dialog

    def _on_notice_settled(self, _outcome: str, text: str) -> None:
        if text:
            self.bar.show_message(text, "ok", seconds=8)
