"""The windows' one road to the store: runs workflow actions and tells every window what changed.

Signals:
    changed(object): an action here succeeded (the workflow's `Change`), or another window or PC
        changed the store (None). Every open window decides for itself whether to redraw.
    failed(str): an action was refused or the store could not be reached; the text is already in
        the user's language and nothing was saved.
    availability_changed(bool): the store became unreadable (False) or readable again (True).
    busy_changed(bool): a write of this window has waited over a second for another PC's lock and is
        still retrying (True), or went through (False); reading, the clock and the picture go on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from sqlalchemy.exc import SQLAlchemyError

from counter_app.clock import Clock
from counter_app.errors import AppError
from counter_app.i18n import _
from counter_app.models.db import Store, store_busy
from counter_app.ui.common.listener import ChangeListener
from counter_app.workflows.queue.board import store_revision

log = logging.getLogger(__name__)
ACTION_WAIT_MS = 1500  # a click or a kiosk touch answers within about 2 s, even while another PC holds the lock
CHECKPOINT_MS = 2000  # how often a window copies SQLite's write-ahead log into the store
BUSY_AFTER_S = 1.0  # a bookkeeping write waiting longer than this shows the window as "busy, retrying"
T = TypeVar("T")


class _Done(QObject):
    finished = Signal(object)  # the work's result, or None when it could not be done


class _BackgroundWrite(QRunnable):
    """A bookkeeping write (alert checks, a heartbeat) on a pool thread: while another PC holds the store's
    write lock for a while, the window's own thread keeps its clock and its picture instead of waiting."""

    def __init__(self, store: Store, clock: Clock, action: Callable[..., Any], kwargs: dict[str, Any],
                 needed: Callable[..., bool] | None = None) -> None:
        super().__init__()
        self.signals = _Done()
        self.store, self.clock, self.action, self.kwargs, self.needed = store, clock, action, kwargs, needed

    def run(self) -> None:
        try:
            if self.needed is not None:  # a read first: no write lock is taken when there is nothing to write
                with self.store.read() as session:
                    if not self.needed(session, self.clock):
                        self.signals.finished.emit(None)
                        return
            with self.store.write() as session:
                result = self.action(session, self.clock, **self.kwargs)
        except (AppError, SQLAlchemyError):
            log.warning("%s could not be written", getattr(self.action, "__name__", self.action), exc_info=True)
            result = None
        self.signals.finished.emit(result)


class _Checkpoint(QRunnable):
    """SQLite's write-ahead log copied into the store on a pool thread (Store.checkpoint): it waits for nobody."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def run(self) -> None:
        try:
            self.store.checkpoint()
        except Exception:  # noqa: BLE001 - the store's or the driver's error: logged, the next tick tries again
            log.warning("the write-ahead log could not be copied into the store", exc_info=True)


class Backend(QObject):
    changed = Signal(object)
    failed = Signal(str)
    availability_changed = Signal(bool)
    busy_changed = Signal(bool)

    def __init__(self, store: Store, clock: Clock, *, refresh_ms: int = 400, evaluate_ms: int = 5000,
                 listen: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_refusal: AppError | None = None  # the newest action's refusal, for a window that must know which
        self.store = store
        self.clock = clock
        self.available = True
        self.busy = False
        self._running: dict[str, float] = {}  # what is on its way, since when: a slow store piles nothing up
        self._revision = -1
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self._on_poll)
        self._timer.start()
        # The windows built on this backend read the store now: a change made from here on, even
        # before the first tick, is one they have not seen.
        self._on_poll()
        # Alerts are conditions of the queue over time: any open window looks for them now and then.
        self._evaluate_timer = QTimer(self)
        self._evaluate_timer.setInterval(evaluate_ms)
        self._evaluate_timer.timeout.connect(self.evaluate_alerts_in_background)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one bookkeeping write at a time, in the order asked
        self._signals: dict[str, _Done] = {}
        if evaluate_ms > 0:
            self._evaluate_timer.start()
        # SQLite: the write-ahead log is copied into the store here, off the window's thread, and not by a click's
        # commit (models/engines.py, WAL_BACKSTOP_PAGES).
        self._checkpoint_timer = QTimer(self)
        self._checkpoint_timer.setInterval(CHECKPOINT_MS)
        self._checkpoint_timer.timeout.connect(self.checkpoint_in_background)
        if store.is_sqlite:
            self._checkpoint_timer.start()
        # On a shared PostgreSQL store, another PC's change arrives as it commits (ui/common/listener.py).
        self.listener: ChangeListener | None = None
        if not store.is_sqlite and listen:
            self.listener = ChangeListener(store.engine.url, self)
            self.listener.notified.connect(self._on_notified)
            self.listener.start()
        self.last_notified_at: float | None = None  # the sender's time of the newest notification

    # -- actions -----------------------------------------------------------------------------

    def act(self, action: Callable[..., T], **kwargs: Any) -> T | None:
        """Run one workflow action as one transaction; on refusal emit `failed` and return None."""
        self.last_refusal = None
        try:
            with self.store.write(wait_ms=ACTION_WAIT_MS) as session:
                result = action(session, self.clock, **kwargs)
        except AppError as exc:
            self.last_refusal = exc  # a window that must tell one refusal from another (a password to change)
            self.failed.emit(exc.text())
            return None
        except SQLAlchemyError as exc:
            if store_busy(exc):
                log.warning("store busy during %s", getattr(action, "__name__", action))
                self.failed.emit(_("The store is busy (another PC is writing, a report or a backup is running): "
                                   "nothing was saved. Please try again in a moment."))
                return None
            log.exception("store error during %s", getattr(action, "__name__", action))
            self.failed.emit(_("The store could not be reached ({detail}). Nothing was saved.").format(
                detail=type(exc).__name__))
            return None
        change = getattr(result, "change", result)
        self.changed.emit(change)
        self._on_poll()
        return result

    def in_background(self, key: str, action: Callable[..., Any], done: Callable[[Any], None] | None = None,
                      needed: Callable[..., bool] | None = None, **kwargs: Any) -> bool:
        """Run a bookkeeping write on the pool; `done(result)` back on this thread. False if the same work (`key`)
        is still on its way: nothing piles up behind a locked store."""
        if key in self._running:
            return False
        self._running[key] = time.monotonic()
        job = _BackgroundWrite(self.store, self.clock, action, kwargs, needed)

        def finished(result: Any) -> None:
            self._running.pop(key, None)
            self._signals.pop(key, None)
            self._check_busy()
            if done is not None:
                done(result)

        job.signals.finished.connect(finished)
        self._signals[key] = job.signals  # kept until its signal is handled
        self._pool.start(job)
        return True

    def evaluate_alerts_in_background(self) -> None:
        """The windows' periodic alert check, off their own thread (see `_BackgroundWrite`)."""
        from counter_app.workflows.oversight import alerts

        def done(changes: Any) -> None:
            if changes:
                self.changed.emit(changes[0])
                self._on_poll()

        self.in_background("alerts", alerts.evaluate, done, needed=alerts.due)

    def checkpoint_in_background(self) -> None:
        if self._pool.activeThreadCount() == 0:  # the pool is free: nothing piles up behind a slow disk
            self._pool.start(_Checkpoint(self.store))

    def settle(self, msecs: int = 2000) -> None:
        """Wait for the bookkeeping writes on their way (a window closing must not be overtaken by its own
        heartbeat)."""
        self._pool.waitForDone(msecs)

    def query(self, reader: Callable[..., T], **kwargs: Any) -> T | None:
        """Read something for a screen; None (and `availability_changed(False)`) if the store is unreadable."""
        try:
            with self.store.read() as session:
                result = reader(session, self.clock, **kwargs)
        except SQLAlchemyError:
            if self.available:  # once per outage, not on every refresh
                log.exception("store unreadable")
            self._set_available(False)
            return None
        self._set_available(True)
        return result

    def evaluate_alerts(self) -> None:
        """Raise and resolve alerts; quiet when nothing changed."""
        from counter_app.workflows.oversight import alerts

        try:
            with self.store.write() as session:
                changes = alerts.evaluate(session, self.clock)
        except (AppError, SQLAlchemyError):
            log.warning("alerts could not be evaluated", exc_info=True)
            return
        if changes:
            self.changed.emit(changes[0])
            self._on_poll()

    # -- watching other windows and PCs ------------------------------------------------------

    def _check_busy(self) -> None:
        now = time.monotonic()
        busy = any(now - since > BUSY_AFTER_S for since in self._running.values())
        if busy != self.busy:
            self.busy = busy
            self.busy_changed.emit(busy)

    def _on_poll(self) -> None:
        self._check_busy()
        try:
            with self.store.read() as session:
                revision = store_revision(session)
        except SQLAlchemyError:
            self._set_available(False)
            return
        self._set_available(True)
        if revision != self._revision:
            first = self._revision == -1
            self._revision = revision
            if not first:
                self.changed.emit(None)

    def _on_notified(self, sent: float) -> None:
        self.last_notified_at = sent
        self._on_poll()

    def _set_available(self, available: bool) -> None:
        if available != self.available:
            self.available = available
            self.availability_changed.emit(available)

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
        self._timer.stop()
        self._evaluate_timer.stop()
        self._checkpoint_timer.stop()
        self._pool.waitForDone(5000)  # a bookkeeping write on its way finishes before the store is closed
