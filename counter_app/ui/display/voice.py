"""Announcing calls on the queue display: an offline voice where the PC has one, else a chime.

Never a network service: QtTextToSpeech's engines on Windows, macOS and Linux speak locally.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from counter_app import paths
from counter_app.i18n import current_language, translate

log = logging.getLogger(__name__)


def call_sentence(number: str, counter_number: int, language: str | None = None) -> str:
    """The words said for a call: 请A012号到3号窗口办理 / Number A012, please go to counter 3."""
    text = translate("Number {number}, please go to counter {counter}.", language or current_language())
    return text.format(number=number, counter=counter_number)


class Announcer(QObject):
    """Speaks call sentences; `spoken` keeps what was announced, so tests and the log can see it."""

    def __init__(self, *, enabled: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.spoken: list[str] = []
        self.mode = "off"
        self._speech = None
        self._chime = None
        self._ready = not enabled
        if enabled:
            self.mode = "pending"  # until `prepare` has loaded the engine

    def prepare(self) -> None:
        """Load the speech engine (or the chime): once, after the display has painted its first picture — the
        engines take a while to load, and the hall's screen should not wait for them (docs/performance.md)."""
        if self._ready:
            return
        self._ready = True
        self._speech = self._make_speech()
        self.mode = "voice" if self._speech is not None else "chime"
        if self._speech is None:
            self._chime = self._make_chime()

    @staticmethod
    def _make_speech():
        try:
            from PySide6.QtTextToSpeech import QTextToSpeech
        except ImportError:
            return None
        engines = [e for e in QTextToSpeech.availableEngines() if e != "mock"]
        for engine in engines:
            speech = QTextToSpeech(engine)
            if speech.state() != QTextToSpeech.State.Error:
                return speech
        return None

    def _make_chime(self):
        chime = paths.sounds_dir() / "chime.wav"
        try:
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:
            return None
        if not chime.exists():
            return None
        effect = QSoundEffect(self)
        effect.setSource(QUrl.fromLocalFile(str(chime)))
        return effect

    def announce(self, text: str) -> None:
        self.spoken.append(text)
        if not self.enabled:
            return
        self.prepare()
        if self._speech is not None:
            self._speech.say(text)
        elif self._chime is not None:
            self._chime.play()
        else:
            QApplication.beep()
