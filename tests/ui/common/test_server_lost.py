"""Losing the server: the PostgreSQL server stops while a kiosk in another process keeps issuing tickets and a
display watches. The display says the data is unavailable (never "0 waiting"), an action is refused with a
clear message, both come back by themselves when the server is back, and every ticket the kiosk was told it
got is in the store afterwards."""

import os
import subprocess
import sys

import pytest
from helpers.fixtures import at
from sqlmodel import select

from counter_app.models import Ticket
from counter_app.settings import Settings
from counter_app.ui.common.backend import Backend
from counter_app.ui.display.voice import Announcer
from counter_app.ui.display.window import DisplayWindow
from counter_app.workflows.queue import tickets

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow,
              pytest.mark.skipif(not os.environ.get("COUNTER_APP_TEST_PG_STOP"),
                                 reason="needs a server the test may stop (scripts/test_postgres.sh)")]

KIOSK = """
import datetime as dt, sys, time
from counter_app.clock import VirtualClock
from counter_app.models.db import open_store
from counter_app.workflows.queue import tickets
store, clock = open_store(sys.argv[1]), VirtualClock(dt.datetime.fromisoformat(sys.argv[2]))
confirmed, refused = open(sys.argv[3], "w"), 0
deadline = time.monotonic() + float(sys.argv[4])
while time.monotonic() < deadline:
    try:
        with store.write(wait_ms=1500) as session:
            issued = tickets.issue_ticket(session, clock, service_code="BB")
        confirmed.write(issued.number + "\\n"); confirmed.flush()  # the customer holds this number now
    except Exception:
        refused += 1  # the kiosk says "try again": the customer holds no number
    time.sleep(0.15)
print(refused)
"""


def server(command: str) -> None:
    subprocess.run(os.environ[command], shell=True, check=True, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_the_display_and_a_kiosk_ride_out_a_server_restart_and_nothing_confirmed_is_lost(qtbot, hall, clock,
                                                                                          tmp_path):
    clock.set(at("09:05"))
    backend = Backend(hall, clock, refresh_ms=100, evaluate_ms=0)
    display = DisplayWindow(backend, Settings(tmp_path / "settings.json"), Announcer(enabled=False))
    qtbot.addWidget(display)
    display.show()
    confirmed_file = tmp_path / "confirmed.txt"
    kiosk = subprocess.Popen([sys.executable, "-c", KIOSK, hall.engine.url.render_as_string(hide_password=False),
                              clock.now().isoformat(), str(confirmed_file), "9"], stdout=subprocess.PIPE, text=True)
    try:
        qtbot.waitUntil(lambda: confirmed_file.exists() and len(confirmed_file.read_text().split()) >= 3,
                        timeout=10_000)
        server("COUNTER_APP_TEST_PG_STOP")
        try:
            qtbot.waitUntil(lambda: not backend.available, timeout=5000)
            qtbot.waitUntil(lambda: display.body.currentIndex() == 1, timeout=5000)  # "data unavailable"
            assert display.unavailable_label.isVisible()
            refusals = []
            backend.failed.connect(refusals.append)
            assert backend.act(tickets.issue_ticket, service_code="BB") is None
            assert "could not be reached" in refusals[-1] and "Nothing was saved" in refusals[-1]
            qtbot.wait(1500)  # the kiosk keeps trying meanwhile
        finally:
            server("COUNTER_APP_TEST_PG_START")
        qtbot.waitUntil(lambda: backend.available, timeout=15_000)
        qtbot.waitUntil(lambda: display.body.currentIndex() == 0, timeout=5000)  # the board again, by itself
        refused = int(kiosk.communicate(timeout=60)[0].strip())
    finally:
        if kiosk.poll() is None:
            kiosk.kill()
        backend.stop()
    confirmed = confirmed_file.read_text().split()
    assert refused >= 1  # it did meet the outage
    with hall.read() as session:
        stored = set(session.exec(select(Ticket.number)))
    assert set(confirmed) <= stored and len(confirmed) == len(set(confirmed))
    assert display.services.waiting_labels  # the board shows the queue again, read after the restart
