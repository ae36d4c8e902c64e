"""Every window open against one store for a long stretch of real time, with a day of traffic: crashes,
the process's growth and the slowest refresh.

    python benchmarks/soak_windows.py [--minutes 60] [--speed 12] [--out FILE.json]

The windows (two counters, the duty manager, the display, the kiosk, the feedback screen, the reports)
run with their own timers, as on a branch's PCs, in a child process; the parent only watches, so a crash
(the child dying, e.g. "Fatal Python error: none_dealloc") is reported, not suffered. The hall's day runs
on a virtual clock `--speed` times faster than real time (12: a 09:00-21:00 day in an hour): customers
arrive every few virtual minutes and the two clerks call, serve and finish them; the reports window makes
its report every real minute. Each real minute the child prints one line: RSS, None's reference count,
the slowest refresh of each window in that minute.

Result for docs/performance.md: the first and last RSS, the growth per hour, the slowest refresh of each
window, and whether the child survived. `--minutes 1` is the quick mode.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def watch(minutes: float, speed: float, out: Path | None) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    # The child's warnings go to a file: a pipe nobody reads fills up after some 64 KB of Qt's chatter and
    # then stops the child in the middle of a write (the first hour-long run froze so at minute 46).
    log = tempfile.NamedTemporaryFile(prefix="counter-soak-", suffix=".log", delete=False)
    child = subprocess.Popen([sys.executable, __file__, "--child", "--minutes", str(minutes), "--speed", str(speed)],
                             stdout=subprocess.PIPE, stderr=log, text=True, env=env, cwd=ROOT)
    samples = []
    for line in child.stdout:
        if line.startswith("{"):
            sample = json.loads(line)
            samples.append(sample)
            print(f"{sample['minute']:>4} min  rss {sample['rss_mib']:7.1f} MiB  None {sample['none_refs']:>9}  "
                  f"virtual {sample['virtual']}  slowest {sample['slowest_window']} {sample['slowest_ms']:.0f} ms",
                  flush=True)
    child.wait()
    log.close()
    errors = Path(log.name).read_text(errors="replace")
    crashed = child.returncode != 0
    result = {"minutes": minutes, "speed": speed, "crashed": crashed, "exit_code": child.returncode,
              "samples": samples}
    if samples:
        first, last = samples[0], samples[-1]
        hours = max(1e-9, (last["minute"] - first["minute"]) / 60)
        slowest: dict[str, float] = {}
        for sample in samples:
            for window, ms in sample["slowest_by_window"].items():
                slowest[window] = max(slowest.get(window, 0.0), ms)
        result.update(rss_first_mib=first["rss_mib"], rss_last_mib=last["rss_mib"],
                      rss_growth_mib_per_hour=(last["rss_mib"] - first["rss_mib"]) / hours,
                      none_first=first["none_refs"], none_last=last["none_refs"], slowest_ms=slowest)
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
    print(f"the windows' warnings: {log.name}")
    if crashed:
        print("The windows' process died:\n" + errors[-4000:], file=sys.stderr)
    if out:
        out.write_text(json.dumps(result, indent=1))
    return 1 if crashed else 0


def run_child(minutes: float, speed: float) -> None:  # noqa: C901 - one story, told in order
    import datetime as dt
    import random
    import tempfile

    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from counter_app.clock import VirtualClock
    from counter_app.models.db import open_store
    from counter_app.settings import Settings
    from counter_app.ui.common.backend import Backend
    from counter_app.ui.counter.window import CounterWindow
    from counter_app.ui.display.voice import Announcer
    from counter_app.ui.display.window import DisplayWindow
    from counter_app.ui.feedback.window import FeedbackWindow
    from counter_app.ui.kiosk.window import KioskWindow
    from counter_app.ui.manager.window import ManagerWindow
    from counter_app.ui.reports.window import ReportsWindow
    from counter_app.workflows.core import auth
    from counter_app.workflows.oversight import duty
    from counter_app.workflows.queue import counters, tickets
    from counter_app.workflows.replay import demo

    auth.use_fast_hashing()
    folder = Path(tempfile.mkdtemp(prefix="counter-soak-"))
    os.environ["COUNTER_APP_DATA_DIR"] = str(folder / "data")
    app = QApplication.instance() or QApplication([])
    store = open_store(f"sqlite:///{folder / 'store.sqlite3'}")
    day = dt.date(2026, 3, 2)
    clock = VirtualClock(dt.datetime.combine(day, dt.time(8, 55)))
    with store.write() as session:
        demo.seed_demo(session, at=clock.now(), opens=dt.time(9, 0), closes=dt.time(21, 0))
    backend = Backend(store, clock)
    logins = []
    for number, staff_no in ((1, "S001"), (2, "S004")):
        with store.write() as session:
            logins.append(counters.login(session, clock, counter_number=number, staff_no=staff_no,
                                         password=demo.DEMO_PASSWORD))
    with store.write() as session:
        manager_login = duty.manager_sign_in(session, clock, staff_no="M001", password=demo.DEMO_PASSWORD)
    settings = Settings(folder / "settings.json")
    windows = {
        "counter 1": CounterWindow(backend, logins[0]), "counter 2": CounterWindow(backend, logins[1]),
        "manager": ManagerWindow(backend, manager_login),
        "display": DisplayWindow(backend, settings, Announcer(enabled=False)),
        "kiosk": KioskWindow(backend, settings), "feedback": FeedbackWindow(backend, counter_number=1),
        "reports": ReportsWindow(backend, manager_login.staff_id),
    }
    slowest: dict[str, float] = {name: 0.0 for name in windows}

    def timed(name, method):
        def run(*args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                slowest[name] = max(slowest[name], (time.perf_counter() - start) * 1000)
        return run

    for name, window in windows.items():
        if hasattr(window, "refresh"):
            window.refresh = timed(name, window.refresh)
        window.resize(1280, 800)
        window.show()
    for login in logins:
        with store.write() as session:
            counters.open_counter(session, clock, counter_number=login.counter_number, staff_id=login.staff_id)

    rng = random.Random(7)
    codes = ["BB", "PLAN", "BILL", "NEW"]

    def act(action, **kwargs):
        try:
            with store.write() as session:
                return action(session, clock, **kwargs)
        except Exception:  # noqa: BLE001 - a refused step (nobody waiting) is part of the day
            return None

    def traffic():
        clock.advance(seconds=speed)  # one real second
        if rng.random() < speed / 240:  # a customer every ~4 virtual minutes
            act(tickets.issue_ticket, service_code=rng.choice(codes))
        for login in logins:
            if rng.random() < speed / 300:
                for step in (tickets.finish_service, tickets.call_next, tickets.start_service):
                    act(step, counter_number=login.counter_number, staff_id=login.staff_id)

    ticker = QTimer()
    ticker.timeout.connect(traffic)
    ticker.start(1000)
    reporter = QTimer()
    reporter.timeout.connect(lambda: windows["reports"].run_view(windows["reports"].current_view(), force=True))
    reporter.start(60_000)

    started = time.monotonic()
    minute = [0]

    def sample():
        minute[0] += 1
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        worst = max(slowest, key=slowest.get)
        print(json.dumps({"minute": minute[0], "rss_mib": rss / 2**20, "none_refs": sys.getrefcount(None),
                          "virtual": clock.now().strftime("%H:%M"), "slowest_window": worst,
                          "slowest_ms": slowest[worst], "slowest_by_window": dict(slowest)}), flush=True)
        for name in slowest:
            slowest[name] = 0.0
        if time.monotonic() - started >= minutes * 60 - 1:
            app.quit()

    sampler = QTimer()
    sampler.timeout.connect(sample)
    sampler.start(60_000 if minutes >= 1 else int(minutes * 60_000))
    app.exec()
    for window in windows.values():
        window.close()
    backend.stop()
    store.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--speed", type=float, default=12.0, help="virtual seconds per real second")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args.minutes, args.speed)
        return 0
    return watch(args.minutes, args.speed, args.out)


if __name__ == "__main__":
    sys.exit(main())
