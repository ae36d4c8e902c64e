"""Small steps for the customer stories: a known customer's visit, served at counter 1, on a given day."""

from __future__ import annotations

import datetime as dt

from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, counter, issue

from counter_app.models import CounterState
from counter_app.workflows.customers import records
from counter_app.workflows.queue import tickets


def visit(store, clock, ref: str | None, *, day: dt.date, start: str = "09:00", wait_min: float = 2,
          service_min: float = 3, code: str = "BB", staff_no: str = "S001") -> int:
    """A customer takes a ticket, waits, is identified at counter 1 (when `ref` is given) and served; returns the
    visit's first leg."""
    clock.set(at(start, day))
    issued = issue(store, clock, code)
    clerk = staff_id(store, staff_no)
    desk = counter(store, 1)
    if desk.state != CounterState.OPEN or desk.staff_id != clerk:
        open_counter(store, clock, 1, staff_no)
    clock.advance(minutes=wait_min)
    act(store, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    if ref:
        act(store, clock, records.open_customer, counter_number=1, staff_id=clerk, ref=ref)
    act(store, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    clock.advance(minutes=service_min)
    act(store, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    return issued.ticket_id
