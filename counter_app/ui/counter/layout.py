"""The counter window's widgets and their places: what the clerk sees where (the window wires them up).

Kept apart from the window's behaviour so each reads in one sitting; the places matter (issue 10): the
message bar keeps its room, the prompt to explain comes and goes on the right, the everyday buttons and
the costly ones (no-show, park, transfer) stay where a finger expects them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter_app.i18n import _
from counter_app.ui.common.texts import ROLE_TEXT, state_text
from counter_app.ui.common.widgets import BigButton, MessageBar
from counter_app.ui.counter.oversight import (
    BreachCausePanel,
    CustomerPanel,
    ExplainBanner,
    HelpStrip,
)
from counter_app.ui.counter.panels import (
    CurrentTicketPanel,
    ParkedPanel,
    WaitingPanel,
)
from counter_app.ui.counter.paperwork import CounterDocuments

# Disabled, the Help button still reads: dark grey on pale grey-blue (contrast about 5:1), not white on lavender.
HELP_STYLE = ("QPushButton { background: #3d4fa8; color: white; font-weight: bold; font-size: 18px; }"
              " QPushButton:disabled { background: #e3e6f0; color: #5b6070; }")




class CounterLayout:
    """Builds the counter window's widgets as attributes of the window (`_lay_out`)."""

    def _lay_out(self) -> None:
        self.counter_label = QLabel(_("Counter {number}").format(number=self.login.counter_number))
        self.counter_label.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.staff_label = QLabel(_("{name} · {role} · {staff_no}").format(
            name=self.login.name, role=state_text(self.login.role, ROLE_TEXT), staff_no=self.login.staff_no))
        self.staff_label.setStyleSheet("font-size: 17px;")
        self.state_label = QLabel()
        self.open_button = QPushButton(_("Open service"))
        self.pause_button = QPushButton(_("Pause"))
        self.close_button = QPushButton(_("Close counter"))
        self.logout_button = QPushButton(_("Log out"))
        self.inbox_button = QPushButton()
        self.inbox_button.hide()
        self.message_bar = MessageBar(reserve_lines=2)
        # Business…, Archive… and the apology offers (F7, F8) live in their own module.
        self.documents = CounterDocuments(self.backend, self.login, self.message_bar, self)
        self.business_button = self.documents.business_button
        self.archive_button = self.documents.archive_button
        self.apology_panel = self.documents.apology_panel
        header = QHBoxLayout()
        header.addWidget(self.counter_label)
        header.addSpacing(16)
        header.addWidget(self.staff_label)
        header.addSpacing(16)
        header.addWidget(self.state_label)
        header.addStretch(1)
        for button in (self.inbox_button, self.archive_button, self.open_button, self.pause_button, self.close_button,
                       self.logout_button):
            header.addWidget(button)

        self.current_panel = CurrentTicketPanel()
        self.current_label = self.current_panel.number_label
        self.timer_label = self.current_panel.timer_label

        self.call_next_button = BigButton(_("Call next"), height=84)
        self.call_next_button.setStyleSheet("font-size: 26px; font-weight: bold;")
        self.recall_button = BigButton(_("Recall"), height=52)
        self.no_show_button = BigButton(_("No-show"), height=52)
        self.start_button = BigButton(_("Start service"), height=52)
        self.finish_button = BigButton(_("Finish service"), height=52)
        self.transfer_button = BigButton(_("Transfer…"), height=52)
        self.park_button = BigButton(_("Park"), height=52)
        self.customer_button = BigButton(_("Customer…"), height=52)
        self.customer_button.setToolTip(_("Identify the customer by account number or mobile"))
        self.help_button = BigButton(_("Help"), height=52)
        self.help_button.setStyleSheet(HELP_STYLE)
        self.help_button.setToolTip(_("Ask your mentor, a senior clerk or the duty manager for help"))
        actions = QGridLayout()
        actions.addWidget(self.call_next_button, 0, 0, 1, 3)
        # The everyday steps first; the ones a slip makes costly (no-show asks first, park, transfer) in a row
        # of their own below a gap, never where "start" or "finish" was a moment ago.
        for index, button in enumerate((self.recall_button, self.start_button, self.finish_button,
                                        self.customer_button, self.business_button, self.help_button)):
            actions.addWidget(button, 1 + index // 3, index % 3)
        actions.setRowMinimumHeight(3, 14)
        for index, button in enumerate((self.no_show_button, self.park_button, self.transfer_button)):
            actions.addWidget(button, 4, index)

        self.parked_panel = ParkedPanel()
        self.parked_list = self.parked_panel.parked_list
        self.resume_button = self.parked_panel.resume_button
        self.explain_banner = ExplainBanner()
        self.help_strip = HelpStrip()
        self.cause_panel = BreachCausePanel()
        self.customer_panel = CustomerPanel()
        left = QVBoxLayout()
        left.addWidget(self.current_panel)
        left.addLayout(actions)
        left.addSpacing(8)
        left.addWidget(self.parked_panel)
        left.addStretch(1)

        self.waiting_panel = WaitingPanel()
        self.waiting_table = self.waiting_panel.waiting_table
        self.call_selected_button = self.waiting_panel.call_selected_button
        right = QVBoxLayout()
        # What is about this customer sits beside the timer; the waiting list gives up the room it needs.
        # The prompt to explain comes and goes here, on the right: the buttons on the left never move.
        right.addWidget(self.explain_banner)
        right.addWidget(self.customer_panel)
        right.addWidget(self.help_strip)
        right.addWidget(self.cause_panel)
        right.addWidget(self.apology_panel)
        right.addWidget(self.waiting_panel, 1)

        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addSpacing(12)
        body.addLayout(right, 4)
        root = QVBoxLayout()
        root.addLayout(header)
        root.addWidget(self.message_bar)
        root.addLayout(body, 1)
        central = QWidget()
        central.setLayout(root)
        self.setCentralWidget(central)

