"""Announcing calls on the queue display: an offline voice where the PC has one, else a chime.

Never a network service: QtTextToSpeech's engines on Windows, macOS and Linux speak locally. A call is said in
each of the branch's announce languages in turn (BranchSettings.announce_languages: "zh,en" says it in Chinese,
then in English); a branch that chose none hears the chime alone.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Sequence

from PySide6.QtCore import QLocale, QObject, QUrl
from PySide6.QtWidgets import QApplication

from counter_app import paths
from counter_app.i18n import current_language, translate

log = logging.getLogger(__name__)


def call_sentence(number: str, counter_number: int, language: str | None = None) -> str:
    """The words said for a call: 请A012号到3号窗口办理 / Number A012, please go to counter 3."""
    text = translate("Number {number}, please go to counter {counter}.", language or current_language())
    return text.format(number=number, counter=counter_number)


# The voice each announce language asks the engine for (QLocale's language, and its territory if it has one).
VOICES = {"zh": (QLocale.Language.Chinese, QLocale.Country.China), "en": (QLocale.Language.English, None)}


class Announcer(QObject):
    """Speaks call sentences; `spoken` keeps what was announced and `chimed` the calls given the chime alone,
    so tests and the log can see them.

    `speech`: an engine to use instead of the PC's (a test's fake); it needs `enqueue(text)`, `setLocale`,
    `locale`, `availableLocales` and the signal `aboutToSynthesize(int)`, as QTextToSpeech has them.
    """

    def __init__(self, *, enabled: bool = True, speech=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.spoken: list[str] = []
        self.chimed = 0
        self.mode = "off"
        self._given_speech = speech
        self._speech = None
        self._chime = None
        self._chime_loaded = False
        self._ready = not enabled
        # The language of each sentence handed to the engine and not yet begun: the engine says them in turn
        # and asks (aboutToSynthesize) just before each, when its voice can still be changed.
        self._queued_languages: deque[str | None] = deque()
        self._locales: dict[str, QLocale | None] = {}
        if enabled:
            self.mode = "pending"  # until `prepare` has loaded the engine

    def prepare(self) -> None:
        """Load the speech engine (or the chime): once, after the display has painted its first picture — the
        engines take a while to load, and the hall's screen should not wait for them (docs/performance.md)."""
        if self._ready:
            return
        self._ready = True
        self._speech = self._given_speech if self._given_speech is not None else self._make_speech()
        self.mode = "voice" if self._speech is not None else "chime"
        if self._speech is None:
            self._load_chime()
        else:
            self._speech.aboutToSynthesize.connect(self._on_about_to_synthesize)

    def _load_chime(self) -> None:
        if not self._chime_loaded:  # once: a PC with a voice needs it only if the branch announces in no language
            self._chime_loaded = True
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

    def announce_call(self, number: str, counter_number: int, languages: Sequence[str]) -> None:
        """Say a call in each of `languages` ("zh", "en"), in that order; with none, ring the chime alone."""
        self._announce([(call_sentence(number, counter_number, language), language) for language in languages])

    def announce(self, text: str) -> None:
        """Say one sentence in the engine's current voice."""
        self._announce([(text, None)])

    def _announce(self, sentences: list[tuple[str, str | None]]) -> None:
        self.spoken.extend(text for text, _language in sentences)
        if not sentences:
            self.chimed += 1
        if not self.enabled:
            return
        self.prepare()
        if self._speech is not None and sentences:
            for text, language in sentences:
                # queued, not said: `say` would cut off the sentence before it (another language, another call)
                self._queued_languages.append(language)
                self._speech.enqueue(text)
            return
        self._load_chime()
        if self._chime is not None:
            self._chime.play()
        else:
            QApplication.beep()

    def _locale(self, language: str) -> QLocale | None:
        """The engine's voice for a language, looked up once; None if it has none (the current voice is kept)."""
        if language not in self._locales:
            wanted, territory = VOICES.get(language, (None, None))
            found = [locale for locale in self._speech.availableLocales() if locale.language() == wanted]
            best = [locale for locale in found if territory is not None and locale.territory() == territory]
            self._locales[language] = (best or found or [None])[0]
            if self._locales[language] is None:
                log.warning("the speech engine has no voice for %s: calls are said in its current voice", language)
        return self._locales[language]

    def _on_about_to_synthesize(self, _utterance: int) -> None:
        language = self._queued_languages.popleft() if self._queued_languages else None
        locale = self._locale(language) if language else None
        if locale is not None and locale != self._speech.locale():
            self._speech.setLocale(locale)
