"""The role chooser: which window this PC shows, and in which language."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from counter_app import i18n
from counter_app.i18n import _
from counter_app.settings import Settings
from counter_app.ui.common.widgets import BigButton


class RoleChooser(QWidget):
    """Big buttons for the kiosk, the queue display, a counter and the duty manager, smaller ones for the
    reports and the customer feedback screen, and the language of this PC.

    Choosing a language saves it in the settings and switches `_()` at once: the chooser redraws
    itself in the new language, and every window opened from then on uses it. Windows already open
    keep theirs until they are reopened — retranslating every open window live is not worth its
    cost for a setting changed once, when a PC is set up.
    """

    def __init__(self, open_role: Callable[[str], object], settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.open_role = open_role
        self.settings = settings
        self.title_label = QLabel()
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setStyleSheet("font-size: 28px; font-weight: bold;")
        self.subtitle_label = QLabel()
        self.subtitle_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle_label.setStyleSheet("color: #555;")
        self.kiosk_button = BigButton(height=96)
        self.display_button = BigButton(height=96)
        self.counter_button = BigButton(height=96)
        self.manager_button = BigButton(height=96)
        for button in (self.kiosk_button, self.display_button, self.counter_button, self.manager_button):
            button.setStyleSheet("font-size: 24px;")
        self.kiosk_button.clicked.connect(lambda: self.open_role("kiosk"))
        self.display_button.clicked.connect(lambda: self.open_role("display"))
        self.counter_button.clicked.connect(lambda: self.open_role("counter"))
        self.manager_button.clicked.connect(lambda: self.open_role("manager"))
        # Used less often: side by side, below the four main roles.
        self.reports_button = BigButton(height=64)
        self.feedback_button = BigButton(height=64)
        self.admin_button = BigButton(height=64)
        self.planning_button = BigButton(height=64)
        self.reports_button.clicked.connect(lambda: self.open_role("reports"))
        self.feedback_button.clicked.connect(lambda: self.open_role("feedback"))
        self.admin_button.clicked.connect(lambda: self.open_role("admin"))
        self.planning_button.clicked.connect(lambda: self.open_role("planning"))
        more_row = QHBoxLayout()
        more_row.addWidget(self.reports_button)
        more_row.addWidget(self.feedback_button)
        more_row.addWidget(self.admin_button)
        more_row.addWidget(self.planning_button)

        self.language_label = QLabel()
        self.language_combo = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(i18n.current_language())))
        self.language_combo.currentIndexChanged.connect(self._on_language_chosen)
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.language_note.setStyleSheet("color: #555;")

        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        language_row.addWidget(self.language_combo)
        language_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 30, 40, 30)
        layout.setSpacing(16)
        layout.addWidget(self.title_label)
        layout.addWidget(self.subtitle_label)
        layout.addSpacing(8)
        for button in (self.kiosk_button, self.display_button, self.counter_button, self.manager_button):
            layout.addWidget(button)
        layout.addLayout(more_row)
        layout.addStretch(1)
        layout.addLayout(language_row)
        layout.addWidget(self.language_note)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Business hall — choose a window"))
        self.title_label.setText(_("Which window should this PC show?"))
        self.subtitle_label.setText(_("Each can also be started directly with --role."))
        self.kiosk_button.setText(_("Ticket kiosk"))
        self.display_button.setText(_("Queue display"))
        self.counter_button.setText(_("Counter (staff login)"))
        self.manager_button.setText(_("Duty manager (sign in)"))
        self.reports_button.setText(_("Reports (sign in)"))
        self.feedback_button.setText(_("Customer feedback screen"))
        self.admin_button.setText(_("Administration (sign in)"))
        self.planning_button.setText(_("Planning desk (sign in)"))
        self.language_label.setText(_("Language"))

    def _on_language_chosen(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        self.settings.set("language", code)
        i18n.set_language(code)
        self.retranslate()
        self.language_note.setText(_("Windows opened from now on use {language}; open windows keep theirs "
                                     "until they are reopened.").format(language=i18n.LANGUAGES[code]))
