"""Changes made on other PCs, as they happen: PostgreSQL's LISTEN/NOTIFY.

Every transaction that wrote to a shared store sends a notification at commit (models/db.py). A listener
holds one connection of its own on a thread, waits on the channel, and tells its backend, which then looks
at once instead of at its next poll. Polling stays: on SQLite, when the listening connection is lost (it
reconnects by itself, every few seconds), and as the floor under everything.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, Signal

from counter_app.models.db import CHANGES_CHANNEL

log = logging.getLogger(__name__)
RETRY_S = (0.5, 1, 2, 5)  # after a lost connection: these waits, then the last one for ever
WAKE_S = 0.5  # how often the thread looks up from waiting, to notice that it should stop


class ChangeListener(QObject):
    """`notified(float)`: another transaction committed; its sender's wall-clock time (for the latency
    benchmark). Emitted from the listening thread; a receiver in the GUI thread gets it queued."""

    notified = Signal(float)
    connected_changed = Signal(bool)

    def __init__(self, url, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # psycopg takes the libpq form of the URL: the same server, user, password and database as the store
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._stop = threading.Event()
        self.connected = False
        self._thread = threading.Thread(target=self._run, name="counter_app-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.connected_changed.emit(connected)

    def _run(self) -> None:
        import psycopg

        failures = 0
        while not self._stop.is_set():
            try:
                # TCP keepalives: a connection a firewall dropped or a server that lost power is noticed within
                # about a minute, instead of the listener waiting on a socket that will never speak again
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5, keepalives=1,
                                     keepalives_idle=30, keepalives_interval=10, keepalives_count=3) as connection:
                    connection.execute(f"LISTEN {CHANGES_CHANNEL}")
                    self._set_connected(True)
                    failures = 0
                    while not self._stop.is_set():
                        for notice in connection.notifies(timeout=WAKE_S):
                            try:
                                sent = float(notice.payload)
                            except ValueError:
                                sent = time.time()
                            self.notified.emit(sent)
                        if connection.closed:
                            raise psycopg.OperationalError("the listening connection closed")
            except Exception as exc:  # noqa: BLE001 (the thread must live on: polling is not the only road)
                if not isinstance(exc, psycopg.Error):
                    log.exception("the change listener failed; it starts again")
                self._set_connected(False)
                wait = RETRY_S[min(failures, len(RETRY_S) - 1)]
                failures += 1
                if failures == 1:
                    log.warning("not listening for changes (%s): polling until the server answers", exc)
                self._stop.wait(wait)
        self._set_connected(False)
