"""The acceptance story of the timing, alerts and escalation issue: the seed's 08:57-09:33 morning replayed
on the virtual clock, alerts evaluated every virtual minute (CASE_STUDY.md section 4; F1, F3-F6, F9, F10).

People: S002 李明 trainee at counter 1 (mentor: S003), S001 王芳 clerk at counter 2,
S003 张伟 senior clerk, M001 陈刚 duty manager, S004 赵静 clerk (the next day). The hall opens at 09:00.

| time     | who   | does                                     | counter_app shows or records           |
|----------|-------|------------------------------------------|----------------------------------------|
| 08:45    | S002  | signs in at counter 1, leaves it closed  |                                        |
| 08:48    | S001  | signs in at counter 2, leaves it closed  |                                        |
| 08:55    | M001  | signs in at the manager window           | on duty, free to help                  |
| 08:57    | kiosk | the customer takes a broadband ticket    | A001, early: serving starts 09:00 (F1) |
| 08:59    | kiosk | bill payment                             | C001                                   |
| 09:02    | kiosk | plan change                              | B001                                   |
| 09:03    |       | both counters still closed, A001 waits   | idle alerts for counters 1 and 2 (F1)  |
| 09:05    | S001  | opens counter 2, calls nobody            | still the same idle alert              |
| 09:06    | S002  | opens counter 1, calls A001              | counter 1's idle alert resolved        |
| 09:07    | S002  | starts; opens the customer by phone      | nothing on record                      |
| 09:08    |       |                                          | C001 wait warning (counted from 09:00) |
| 09:10    |       |                                          | C001 wait breach (10-min target)       |
| 09:10    | S001  | calls C001                               | counter 2 and C001 alerts resolved     |
| 09:11    | S003  | signs in at counter 3, opens it at 09:12 |                                        |
| 09:13    | S001  | finishes C001, calls B001                |                                        |
| 09:14:30 |       | the renewal's warning mark (7:30 of 10)  | service warning; prompt to explain     |
|          |       |                                          | with the broadband sentence (F3)       |
| 09:15    | S002  | "I have told the customer"; asks mentor  | told at 09:15; S003, M001 free (F10)   |
| 09:16    | S003  | accepts the request                      |                                        |
| 09:17    |       | the service target (10 min)              | service breach; the request goes up    |
|          |       |                                          | to the duty manager by itself (F4)     |
| 09:18    | M001  | accepts it                               |                                        |
| 09:20    | S001  | finishes B001 (within its 12 minutes)    |                                        |
| 09:25    | M001  | approves "old arrears already settled"   | the approval on the customer (F5)      |
|          |       | with password, reason and explanation    |                                        |
| 09:27    | M001  | resolves: note and explanation           | the trail: each step, who, when (F4)   |
| 09:33    | S002  | finishes: 26 minutes against 10          | alerts all resolved; needs a cause     |
| 09:33    | M001  | records the cause: system or data        | (F9)                                   |
| +1 09:11 | S004  | serves the customer, opens them by phone | the approval at once: who, when, why   |
|          |       |                                          | (F6)                                   |
"""

import datetime as dt

from helpers.fixtures import DAY, at, staff_id
from helpers.story import act
from sqlmodel import select

from counter_app.models import (
    Alert,
    AlertKind,
    BreachCause,
    Counter,
    Escalation,
    ExceptionKind,
    HelpRoute,
    Ticket,
)
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import alerts, approvals, duty, escalation, explain
from counter_app.workflows.oversight.timing import Level
from counter_app.workflows.queue import counters, tickets
from counter_app.workflows.replay import demo

PASSWORD = demo.DEMO_PASSWORD
PHONE = "138 0013 8000"
REASON = "The 2010 broadband fee was settled by the duty manager in 2010; the arrears flag was never cleared."
EXPLANATION = ("The old 2010 fee on your account had already been paid. The record was wrong, not you; "
               "we have corrected it. We are sorry you waited.")
NOTE = "Arrears flag from 2010 cleared with the duty manager's approval; renewal keyed in."


class Morning:
    """The hall as the manager window sees it: alerts evaluated at every virtual minute as time passes."""

    def __init__(self, store, clock):
        self.store, self.clock = store, clock

    def at(self, hhmm, day=DAY):
        target = at(hhmm, day)
        assert target >= self.clock.now(), f"the story went back in time to {hhmm}"
        while self.clock.now() < target:
            step = self.clock.now().replace(second=0) + dt.timedelta(minutes=1)
            self.clock.set(min(step, target))
            act(self.store, self.clock, alerts.evaluate)
        return self

    def do(self, action, **kw):
        """One user action, then the windows refresh (and evaluate) at the same moment."""
        result = act(self.store, self.clock, action, **kw)
        act(self.store, self.clock, alerts.evaluate)
        return result

    def read(self, reader, **kw):
        with self.store.read() as session:
            return reader(session, self.clock, **kw)

    def alerts(self, kind=None, *, open_only=True):
        with self.store.read() as session:
            query = select(Alert).order_by(Alert.id)
            if kind:
                query = query.where(Alert.kind == kind)
            if open_only:
                query = query.where(Alert.resolved_at.is_(None))
            rows = list(session.exec(query))
            session.expunge_all()
            return rows

    def counter_of(self, alert):
        with self.store.read() as session:
            return session.get(Counter, alert.counter_id).number

    def escalation(self, escalation_id):
        with self.store.read() as session:
            row = session.get(Escalation, escalation_id)
            session.expunge(row)
            return row

    def ticket(self, ticket_id):
        with self.store.read() as session:
            row = session.get(Ticket, ticket_id)
            session.expunge(row)
            return row


def test_the_seed_morning_is_caught_at_every_step(hall, clock):
    m = Morning(hall, clock)
    trainee, clerk = staff_id(hall, "S002"), staff_id(hall, "S001")
    mentor, manager = staff_id(hall, "S003"), staff_id(hall, "M001")

    # -- before opening: staff sign in and sit; the early ticket says when serving starts (F1) ---------------
    m.at("08:45").do(counters.login, counter_number=1, staff_no="S002", password=PASSWORD)
    m.at("08:48").do(counters.login, counter_number=2, staff_no="S001", password=PASSWORD)
    m.at("08:55").do(duty.manager_sign_in, staff_no="M001", password=PASSWORD)
    early = m.at("08:57").do(tickets.issue_ticket, service_code="BB")
    assert (early.number, early.early, early.opens_at, early.ahead) == ("A001", True, at("09:00"), 0)
    m.at("08:59").do(tickets.issue_ticket, service_code="BILL")  # C001
    m.at("09:00")
    assert m.alerts() == []  # nobody is idle before opening, nor in the first minutes after it
    m.at("09:02").do(tickets.issue_ticket, service_code="PLAN")  # B001
    assert m.alerts() == []

    # -- 09:03: the customers wait while logged-in counters sit idle (F1) ------------------------------------
    m.at("09:03")
    idle = m.alerts(AlertKind.IDLE_COUNTER)
    assert sorted(m.counter_of(a) for a in idle) == [1, 2]
    assert {a.raised_at for a in idle} == {at("09:03")}
    counter_2_alert = next(a.id for a in idle if m.counter_of(a) == 2)

    m.at("09:05").do(counters.open_counter, counter_number=2, staff_id=clerk)
    assert [a.id for a in m.alerts(AlertKind.IDLE_COUNTER) if m.counter_of(a) == 2] == [counter_2_alert]

    m.at("09:06").do(counters.open_counter, counter_number=1, staff_id=trainee)
    called = m.do(tickets.call_next, counter_number=1, staff_id=trainee)
    assert called.number == "A001"
    assert [m.counter_of(a) for a in m.alerts(AlertKind.IDLE_COUNTER)] == [2]
    counter_1_alerts = [a for a in m.alerts(AlertKind.IDLE_COUNTER, open_only=False) if m.counter_of(a) == 1]
    assert [a.resolved_at for a in counter_1_alerts] == [at("09:06")]

    m.at("09:07").do(tickets.start_service, counter_number=1, staff_id=trainee)
    card = m.do(records.open_customer, counter_number=1, staff_id=trainee, ref=PHONE)
    assert card.exceptions == []  # nothing on record yet: the 2010 settlement was never written down
    # C001 was taken at 08:59, but its wait counts from opening: nobody could serve before 09:00 (F1).
    assert m.alerts(AlertKind.WAIT_WARNING) == []
    m.at("09:08")
    assert [a.raised_at for a in m.alerts(AlertKind.WAIT_WARNING)] == [at("09:08")]  # C001, 7:30 of 10 min
    m.at("09:09")
    assert m.alerts(AlertKind.WAIT_BREACH) == []

    # C001 is called by counter 2, which sat idle from opening time.
    m.at("09:10").do(tickets.call_next, counter_number=2, staff_id=clerk)
    m.do(tickets.start_service, counter_number=2, staff_id=clerk)
    assert m.alerts(AlertKind.IDLE_COUNTER) == [] and m.alerts(AlertKind.WAIT_BREACH) == []
    assert len(m.alerts(AlertKind.IDLE_COUNTER, open_only=False)) == 2  # one alert per idle spell, no repeats

    m.at("09:11").do(counters.login, counter_number=3, staff_no="S003", password=PASSWORD)
    m.at("09:12").do(counters.open_counter, counter_number=3, staff_id=mentor)
    m.at("09:13").do(tickets.finish_service, counter_number=2, staff_id=clerk)
    m.do(tickets.call_next, counter_number=2, staff_id=clerk)  # B001
    m.do(tickets.start_service, counter_number=2, staff_id=clerk)

    # -- 09:14:30: the warning mark of the renewal; the trainee is asked to explain (F3) ---------------------
    m.at("09:14")
    assert m.read(explain.explain_prompt, counter_number=1, language="zh_CN") is None
    assert m.alerts(AlertKind.SERVICE_WARNING) == []
    m.at("09:14:30")
    prompt = m.read(explain.explain_prompt, counter_number=1, language="zh_CN")
    assert (prompt.number, prompt.level, prompt.told_at) == ("A001", Level.WARNING, None)
    assert prompt.script.startswith("不好意思，让您久等了。我正在核查您的宽带账户")
    assert [a.raised_at for a in m.alerts(AlertKind.SERVICE_WARNING)] == [at("09:14:30")]

    m.at("09:15").do(explain.told_customer, counter_number=1, staff_id=trainee)
    assert m.ticket(called.ticket_id).customer_told_at == at("09:15")

    # -- 09:15: the trainee asks the mentor, who is free (F10); the mentor comes (F4) ------------------------
    free = m.read(duty.helpers)
    assert [(h.name, h.busy_with) for h in free] == [("张伟", None), ("陈刚", None)]
    m.do(escalation.request_help, counter_number=1, staff_id=trainee, route=HelpRoute.MENTOR,
         reason="An unpaid 2010 fee blocks the renewal.")
    [request_id] = [line.escalation_id for line in m.read(lambda s, c: escalation.inbox(s, c.now(),
                                                                                     staff_id=mentor))]
    m.at("09:16").do(escalation.accept, escalation_id=request_id, staff_id=mentor)

    # -- 09:17: the service target; the request goes up to the duty manager on its own (F3, F4) --------------
    assert m.alerts(AlertKind.SERVICE_BREACH) == []
    m.at("09:17")
    [breach] = m.alerts(AlertKind.SERVICE_BREACH)
    assert (breach.raised_at, breach.ticket_id) == (at("09:17"), called.ticket_id)
    handed = m.escalation(request_id)
    assert (handed.state, handed.handed_up_at, handed.accepted_by) == ("handed_up", at("09:17"), None)  # the mentor lets go (F4)
    with hall.read() as session:
        assert len(session.exec(select(Escalation)).all()) == 1  # one request per customer, not a second one
        assert [line.escalation_id for line in escalation.inbox(session, clock.now(), staff_id=manager)] == \
            [request_id]

    m.at("09:18").do(escalation.accept, escalation_id=request_id, staff_id=manager)
    m.at("09:20").do(tickets.finish_service, counter_number=2, staff_id=clerk)  # B001, within its 12 minutes

    # -- 09:25: the duty manager approves the exception with his own credential (F5) -------------------------
    approval = m.at("09:25").do(
        approvals.approve_exception, manager_staff_no="M001", manager_password=PASSWORD, requested_by=trainee,
        kind=ExceptionKind.ARREARS_SETTLED, reason=REASON, customer_explanation=EXPLANATION,
        customer_ref=PHONE, ticket_id=called.ticket_id, escalation_id=request_id)
    assert (approval.approved_by_name, approval.approved_at) == ("陈刚", at("09:25"))

    # -- 09:27: resolved, with what was done and what the customer is told (F4) ------------------------------
    m.at("09:27").do(escalation.resolve, escalation_id=request_id, staff_id=manager, note=NOTE,
                     explanation=EXPLANATION)
    [trail] = m.read(lambda s, c: escalation.escalation_lines(s, c.now(), include_resolved=True))
    assert [(when, action, who) for when, action, who, _ in trail.steps] == [
        (at("09:15"), "requested", "李明"),
        (at("09:16"), "accepted", "张伟"),
        (at("09:17"), "handed_up", None),  # the service target, not a person
        (at("09:18"), "accepted", "陈刚"),
        (at("09:27"), "resolved", "陈刚"),
    ]
    done = m.escalation(request_id)
    assert (done.state, done.resolution_note, done.customer_explanation) == ("resolved", NOTE, EXPLANATION)

    # -- 09:33: the renewal ends, 36 minutes after the ticket; the breach gets its cause (F9) ----------------
    m.at("09:33").do(tickets.finish_service, counter_number=1, staff_id=trainee)
    visit = m.ticket(called.ticket_id)
    assert (visit.issued_at, visit.started_at, visit.finished_at) == (at("08:57"), at("09:07"), at("09:33"))
    assert m.alerts() == []  # every condition is gone, every alert resolved by itself
    assert m.read(explain.needs_cause, ticket_id=called.ticket_id) is True
    m.do(explain.record_breach_cause, ticket_id=called.ticket_id, staff_id=manager,
         cause=BreachCause.SYSTEM_DATA, note="2010 arrears flag settled then but never cleared")
    assert m.read(explain.needs_cause, ticket_id=called.ticket_id) is False
    raised = [(a.kind, a.raised_at) for a in m.alerts(open_only=False)]
    assert raised == [
        (AlertKind.IDLE_COUNTER, at("09:03")), (AlertKind.IDLE_COUNTER, at("09:03")),
        (AlertKind.WAIT_WARNING, at("09:08")), (AlertKind.WAIT_BREACH, at("09:10")),
        (AlertKind.SERVICE_WARNING, at("09:14:30")), (AlertKind.SERVICE_BREACH, at("09:17")),
    ]

    # -- the next morning: another clerk opens the same customer and sees the approval at once (F6) ----------
    tomorrow = DAY + dt.timedelta(days=1)
    m.at("09:10", tomorrow)
    again = m.do(tickets.issue_ticket, service_code="BB")
    m.do(counters.login, counter_number=5, staff_no="S004", password=PASSWORD)
    cashier = staff_id(hall, "S004")
    m.do(counters.open_counter, counter_number=5, staff_id=cashier)
    m.at("09:11", tomorrow).do(tickets.call_next, counter_number=5, staff_id=cashier)
    card = m.do(records.open_customer, counter_number=5, staff_id=cashier, ref="13800138000")
    [known] = card.exceptions
    assert (known.kind, known.approved_by, known.approved_at, known.reason, known.customer_explanation) == \
        (ExceptionKind.ARREARS_SETTLED, "陈刚", at("09:25"), REASON, EXPLANATION)
    assert card.visits == 2
    assert m.read(records.ticket_customer_card, ticket_id=again.ticket_id).exceptions == card.exceptions
