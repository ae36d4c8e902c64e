"""Replaying a scenario on a virtual clock against a fresh demo store, and writing what it produced.

The script is checked in full first (workflows.scenario); then every event runs as one transaction
through the same workflows the windows use (workflows.replay_verbs). Between events the clock steps
minute by minute and the alerts are evaluated at each minute and right after each event, as the windows
do every few seconds, so an alert or an automatic escalation happens at the virtual minute it would in
the hall. At the end the summary, the documents, the day's reports and the event log are written
(workflows.replay_output). The output folder appears only when the whole script ran: the work happens
in a hidden folder next to it that is renamed at the end. The app's data directory for the run (where
documents are archived) is a folder inside it, so nothing is written anywhere else.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from counter_app.clock import VirtualClock
from counter_app.errors import AppError
from counter_app.i18n import N_, current_language
from counter_app.models import BranchSettings, Counter, OpeningHours, Service, Ticket, TicketState
from counter_app.models.db import Store, open_store
from counter_app.workflows.admin import setup_file
from counter_app.workflows.core import auth, settings_record
from counter_app.workflows.oversight import alerts, explain
from counter_app.workflows.replay import demo
from counter_app.workflows.replay.idle import CounterMoment, Moment
from counter_app.workflows.replay.output import (
    DATA_DIR,
    STORE_FILE,
    RunRecord,
    iso,
    write_outputs,
)
from counter_app.workflows.replay.scenario import Scenario, ScenarioError, Step, load_scenario
from counter_app.workflows.replay.verbs import Verbs

DATA_DIR_VARIABLE = "COUNTER_APP_DATA_DIR"


def minutes_between(after: dt.datetime, before: dt.datetime) -> list[dt.datetime]:
    """The whole minutes strictly between two moments: when the alerts are looked at between two events."""
    minute = after.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    found = []
    while minute < before:
        found.append(minute)
        minute += dt.timedelta(minutes=1)
    return found


@contextmanager
def data_dir_in(folder: Path) -> Iterator[Path]:
    """The app's data directory (paths.data_dir(): the document archive) moved into the run's folder."""
    before = os.environ.get(DATA_DIR_VARIABLE)
    os.environ[DATA_DIR_VARIABLE] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(DATA_DIR_VARIABLE, None)
        else:
            os.environ[DATA_DIR_VARIABLE] = before


class _Replay:
    """One run of a checked scenario in a work folder."""

    def __init__(self, scenario: Scenario, folder: Path) -> None:
        self.scenario = scenario
        self.folder = folder
        self.clock = VirtualClock(scenario.start)
        self.store: Store = open_store(f"sqlite:///{folder / STORE_FILE}")
        self.record = RunRecord()
        self.verbs = Verbs(scenario, folder, self.clock, self.record)
        self._prompted: set[tuple[int, str]] = set()

    def run(self) -> dict[str, Any]:
        try:
            with data_dir_in(self.folder / DATA_DIR):
                self._seed()
                self.record.moments.append(self._moment())
                previous = self.scenario.start
                for step in self.scenario.steps:
                    self._watch(previous, step)
                    self.clock.set(step.at)
                    try:
                        with self.store.write() as session:
                            result = self.verbs.apply(session, step)
                    except ScenarioError:
                        raise
                    except AppError as exc:
                        if step.refused is None:
                            raise ScenarioError.wrap(step.line, exc) from exc
                        if step.refused not in str(exc) and step.refused not in exc.text():
                            raise ScenarioError(step.line, N_("The event was refused, but not as expected: "
                                                              "{message}"), message=str(exc)) from exc
                        result = f"refused: {exc}"  # as the scenario expected; nothing was saved
                    else:
                        if step.refused is not None:
                            raise ScenarioError(step.line, N_("The event was expected to be refused, but it "
                                                              "was done."))
                    applied = {"line": step.line, "at": step.at.strftime("%H:%M:%S"), "do": step.verb,
                               "result": result, "note": step.note}
                    if self.scenario.several_days:
                        applied = {"line": step.line, "day": step.at.date().isoformat(), **applied}
                    self.record.applied.append(applied)
                    self._evaluate(step.line)
                    self.record.moments.append(self._moment())
                    previous = step.at
                return write_outputs(self.store, self.scenario, self.record, self.folder, self.clock.now())
        finally:
            self.store.dispose()

    def _seed(self) -> None:
        branch = self.scenario.branch
        with self.store.write() as session:
            if self.scenario.setup is not None:  # the scenario's own hall, everyone with the demo password
                setup_file.import_setup(session, setup=self.scenario.setup, at=self.clock.now(), staff_id=None,
                                        why="scenario_setup", new_password_hash=auth.hash_password(demo.DEMO_PASSWORD))
                if not self.scenario.branch_given:
                    return
                for hours in session.exec(select(OpeningHours)):
                    hours.opens, hours.closes = branch.opens, branch.closes
                    session.add(hours)
            else:
                demo.seed_demo(session, at=self.clock.now(), opens=branch.opens, closes=branch.closes)
            settings = session.get(BranchSettings, 1)
            settings.pre_open_minutes = branch.pre_open_minutes
            settings.recalls_before_no_show = branch.recalls_before_no_show
            session.add(settings)
            settings_record.record(session, at=self.clock.now(),
                                   rows=[settings, *session.exec(select(OpeningHours))], why="scenario_branch")

    def _watch(self, previous: dt.datetime, step: Step) -> None:
        """The minutes before the next step, looked at one by one while something may change with the clock.

        When nothing is left to watch (nobody in the hall, no counter alert open), the only thing the clock alone
        can bring is an order review passing its deadline: the look jumps to the first minute after it, and goes
        on from there; with no such deadline before the step, nothing happens until the step."""
        minutes = minutes_between(previous, step.at)
        index = 0
        while index < len(minutes):
            self.clock.set(minutes[index])
            if self._evaluate(step.line):
                index += 1
                continue
            with self.store.read() as session:
                deadline = alerts.next_review_deadline(session, self.clock.now())
            if deadline is None or deadline >= step.at:
                return
            index = bisect.bisect_right(minutes, deadline, lo=index + 1)  # overdue once the deadline is past

    def _evaluate(self, line: int) -> bool:
        """What the windows do every few seconds: raise and resolve alerts, and prompt the clerk (F3).

        False when there is nothing left to watch (alerts.nothing_to_watch): the minutes up to the next step
        need no look, which keeps a replay that runs on to closing time fast.
        """
        try:
            with self.store.write() as session:
                alerts.evaluate(session, self.clock)
                self._note_prompts(session)
                return not alerts.nothing_to_watch(session, self.clock.now())
        except AppError as exc:
            raise ScenarioError.wrap(line, exc) from exc

    def _note_prompts(self, session: Session) -> None:
        """The first time each service reaches its warning mark, and its target, the counter asks the clerk
        to explain; the suggested sentence is kept as the window shows it."""
        serving = session.exec(select(Counter.number).join(Ticket, Ticket.counter_id == Counter.id)
                               .where(Ticket.state == TicketState.SERVING)).all()
        for number in sorted(serving):
            prompt = explain.explain_prompt(session, self.clock, counter_number=number, language=current_language())
            if prompt is None or (prompt.ticket_id, str(prompt.level)) in self._prompted:
                continue
            self._prompted.add((prompt.ticket_id, str(prompt.level)))
            self.record.prompts.append({
                "at": iso(self.clock.now()), "ticket": prompt.number, "counter": number, "level": str(prompt.level),
                "service_minutes": prompt.service_seconds // 60, "target_service_minutes": prompt.target_min,
                "script": prompt.script, "customer_told_at": iso(prompt.told_at)})

    def _moment(self) -> Moment:
        with self.store.read() as session:
            busy = set(session.exec(select(Ticket.counter_id).where(
                Ticket.state.in_([TicketState.CALLED, TicketState.SERVING]))))
            waiting = frozenset(session.exec(
                select(Service.code).join(Ticket, Ticket.service_id == Service.id)
                .where(Ticket.state == TicketState.WAITING)))
            seen = {c.number: CounterMoment(str(c.state), c.staff_id is not None, c.id in busy)
                    for c in session.exec(select(Counter))}
        return Moment(self.clock.now(), seen, waiting)


# -- the output folder ----------------------------------------------------------------------------

def _check_out(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise AppError(N_("The output folder {path} already exists and is not empty: choose a new folder."),
                       path=str(out))


def _make_parent(parent: Path) -> Path | None:
    """Create the output folder's parent; returns the topmost folder created, to undo on failure."""
    missing = [p for p in (parent, *parent.parents) if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    return missing[-1] if missing else None


def _undo_parent(parent: Path, topmost: Path | None) -> None:
    if topmost is None:
        return
    for folder in (parent, *parent.parents):
        try:
            folder.rmdir()
        except OSError:
            return
        if folder == topmost:
            return


def run_scenario(scenario_path: Path | str, out_dir: Path | str) -> dict[str, Any]:
    """Replay a scenario into a new folder; returns the summary. Nothing is written if it fails."""
    scenario = load_scenario(Path(scenario_path))
    out = Path(out_dir).absolute()
    _check_out(out)
    topmost = _make_parent(out.parent)
    # Not tempfile.mkdtemp: its folder is private (0700), and this one becomes the user's output.
    work = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.partial"
    work.mkdir()
    try:
        summary = _Replay(scenario, work).run()
        _check_out(out)
        if out.exists():
            out.rmdir()
        work.rename(out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        _undo_parent(out.parent, topmost)
        raise
    return summary
