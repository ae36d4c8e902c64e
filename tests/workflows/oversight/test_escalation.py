"""Help requests as a state machine: requested, accepted, handed up, resolved; each step with who and when."""

import pytest
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, issue, refused
from sqlmodel import select

from counter_app.models import Escalation, EscalationState, EscalationStep, Event, HelpRoute, Staff, Ticket
from counter_app.workflows.oversight import alerts, escalation
from counter_app.workflows.oversight.escalation import TRANSITIONS
from counter_app.workflows.queue import tickets

S = EscalationState
NOTE = "The 2010 fee was settled in 2010; the flag was cleared."
EXPLANATION = "An old record on your account needed the duty manager's check. It is cleared now; sorry for the wait."


@pytest.fixture
def morning(hall, clock):
    """The trainee (S002) serves a broadband customer at counter 1; the senior clerk (S003, the trainee's
    mentor) is at counter 3; the clerk S001 at counter 2; the duty manager M001 is on duty."""
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    issue(hall, clock, "BB")
    people = {"trainee": open_counter(hall, clock, 1, "S002"), "clerk": open_counter(hall, clock, 2, "S001"),
              "senior": open_counter(hall, clock, 3, "S003"), "manager": staff_id(hall, "M001"),
              "other_clerk": staff_id(hall, "S004")}
    for counter, who in ((1, "trainee"), (2, "clerk")):
        act(hall, clock, tickets.call_next, counter_number=counter, staff_id=people[who])
        act(hall, clock, tickets.start_service, counter_number=counter, staff_id=people[who])
    clock.set(at("09:05"))
    return people


def ask(store, clock, people, who="trainee", route=HelpRoute.MENTOR, reason="old 2010 fee on the account"):
    counter = {"trainee": 1, "clerk": 2, "senior": 3}[who]
    act(store, clock, escalation.request_help, counter_number=counter, staff_id=people[who], route=route,
        reason=reason)
    with store.read() as session:
        return session.exec(select(Escalation.id).order_by(Escalation.id.desc())).first()


def state(store, escalation_id):
    with store.read() as session:
        return session.get(Escalation, escalation_id).state


def steps(store, escalation_id):
    with store.read() as session:
        return [(s.action, s.staff_id, s.at, s.note) for s in session.exec(
            select(EscalationStep).where(EscalationStep.escalation_id == escalation_id).order_by(EscalationStep.id))]


def count_rows(store):
    with store.read() as session:
        return (len(session.exec(select(Escalation)).all()), len(session.exec(select(EscalationStep)).all()),
                len(session.exec(select(Event)).all()))


# -- the table of moves ------------------------------------------------------------------------


def test_the_table_of_moves_is_the_one_written_in_the_issue():
    assert TRANSITIONS == {
        S.REQUESTED: {"accept": S.ACCEPTED, "hand_up": S.HANDED_UP, "resolve": S.RESOLVED, "end": S.RESOLVED},
        S.ACCEPTED: {"hand_up": S.HANDED_UP, "resolve": S.RESOLVED},
        S.HANDED_UP: {"accept": S.ACCEPTED, "resolve": S.RESOLVED, "end": S.RESOLVED},
        S.RESOLVED: {},
    }


def _bring_to(store, clock, people, wanted):
    """A mentor request walked to a given state by the people allowed to move it."""
    request = ask(store, clock, people)
    path = {S.REQUESTED: [], S.ACCEPTED: ["accept"], S.HANDED_UP: ["hand_up"],
            S.RESOLVED: ["accept", "resolve"]}[wanted]
    for move in path:
        do(store, clock, people, request, move)
    assert state(store, request) == wanted
    return request


def do(store, clock, people, request, move):
    """Make a move as the person who may make it from the request's current state."""
    current = state(store, request)
    if move == "accept":
        who = "manager" if current == S.HANDED_UP else "senior"
        return act(store, clock, escalation.accept, escalation_id=request, staff_id=people[who])
    if move == "hand_up":
        return act(store, clock, escalation.hand_up, escalation_id=request, staff_id=people["trainee"])
    return act(store, clock, escalation.resolve, escalation_id=request, staff_id=people["manager"], note=NOTE,
               explanation=EXPLANATION)


ALL_MOVES = ("accept", "hand_up", "resolve")


@pytest.mark.parametrize(("start", "move"), [(s, m) for s in TRANSITIONS for m in TRANSITIONS[s]])
def test_every_allowed_move_reaches_its_state(hall, clock, morning, start, move):
    request = _bring_to(hall, clock, morning, start)
    do(hall, clock, morning, request, move)
    assert state(hall, request) == TRANSITIONS[start][move]


@pytest.mark.parametrize(("start", "move"), [(s, m) for s in TRANSITIONS for m in ALL_MOVES
                                              if m not in TRANSITIONS[s]])
def test_every_move_the_table_does_not_allow_is_refused_and_changes_nothing(hall, clock, morning, start, move):
    request = _bring_to(hall, clock, morning, start)
    before = count_rows(hall)
    with hall.read() as session:
        row = session.get(Escalation, request)
        session.expunge(row)
    calls = {
        "accept": lambda: refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["manager"]),
        "hand_up": lambda: refused(hall, clock, escalation.hand_up, escalation_id=request,
                                   staff_id=morning["trainee"]),
        "resolve": lambda: refused(hall, clock, escalation.resolve, escalation_id=request,
                                   staff_id=morning["manager"], note=NOTE, explanation=EXPLANATION),
    }
    message = calls[move]()
    shown = {S.ACCEPTED: "accepted", S.HANDED_UP: "with the duty manager", S.RESOLVED: "resolved"}[start]
    assert message == f"This help request is already {shown}; that step is not possible now."
    assert count_rows(hall) == before
    with hall.read() as session:
        assert session.get(Escalation, request) == row


def test_a_request_that_does_not_exist_is_refused(hall, clock, morning):
    assert refused(hall, clock, escalation.accept, escalation_id=99, staff_id=morning["senior"]) == \
        "That help request does not exist."


# -- asking ------------------------------------------------------------------------------------


def test_the_trainee_asks_the_mentor_and_the_step_is_recorded(hall, clock, morning):
    clock.set(at("09:06"))
    change = act(hall, clock, escalation.request_help, counter_number=1, staff_id=morning["trainee"],
                 route=HelpRoute.MENTOR, reason="  old 2010 fee on the account ")
    assert (change.kind, change.number, change.counter_number) == ("help_requested", "A001", 1)
    with hall.read() as session:
        row = session.exec(select(Escalation)).one()
        event = session.exec(select(Event).where(Event.kind == "escalation_requested")).one()
    assert (row.state, row.route, row.reason, row.requested_by, row.requested_at, row.auto) == \
        (S.REQUESTED, HelpRoute.MENTOR, "old 2010 fee on the account", morning["trainee"], at("09:06"), False)
    assert row.ticket_id == change.ticket_id and row.counter_id is not None
    assert steps(hall, row.id) == [("requested", morning["trainee"], at("09:06"), "old 2010 fee on the account")]
    assert (event.staff_id, event.ticket_id, event.at) == (morning["trainee"], row.ticket_id, at("09:06"))


def test_one_open_request_per_customer(hall, clock, morning):
    ask(hall, clock, morning)
    before = count_rows(hall)
    assert refused(hall, clock, escalation.request_help, counter_number=1, staff_id=morning["trainee"],
                   route=HelpRoute.MANAGER) == "Help for A001 was already asked at 09:05."
    assert count_rows(hall) == before


def test_once_resolved_the_same_customer_may_need_help_again(hall, clock, morning):
    first = _bring_to(hall, clock, morning, S.RESOLVED)
    second = ask(hall, clock, morning, route=HelpRoute.SENIOR)
    assert second != first and state(hall, second) == S.REQUESTED


def test_asking_a_mentor_one_does_not_have_is_refused(hall, clock, morning):
    assert refused(hall, clock, escalation.request_help, counter_number=2, staff_id=morning["clerk"],
                   route=HelpRoute.MENTOR) == \
        "You have no mentor on record: ask a senior clerk or the duty manager."
    assert refused(hall, clock, escalation.request_help, counter_number=2, staff_id=morning["clerk"],
                   route="colleague") == "Choose whom to ask: mentor, senior clerk or duty manager."
    assert refused(hall, clock, escalation.request_help, counter_number=1, staff_id=morning["clerk"],
                   route=HelpRoute.SENIOR) == "You are not logged in at counter 1."
    assert count_rows(hall)[0] == 0


# -- accepting ---------------------------------------------------------------------------------


def test_nobody_accepts_their_own_request(hall, clock, morning):
    request = ask(hall, clock, morning, who="senior", route=HelpRoute.SENIOR)
    assert refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"]) == \
        "You cannot accept your own help request."
    assert state(hall, request) == S.REQUESTED


def test_a_mentor_request_is_taken_by_the_mentor_or_a_senior_or_the_manager_not_a_clerk(hall, clock, morning):
    request = ask(hall, clock, morning)
    for clerk in ("clerk", "other_clerk"):
        assert refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning[clerk]) == \
            "Only the mentor, a senior clerk or the duty manager can accept this request."
    clock.set(at("09:07"))
    change = act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    assert change.kind == "help_accepted"
    with hall.read() as session:
        row = session.get(Escalation, request)
    assert (row.state, row.accepted_by, row.accepted_at) == (S.ACCEPTED, morning["senior"], at("09:07"))
    assert steps(hall, request)[-1] == ("accepted", morning["senior"], at("09:07"), "")


def test_the_duty_manager_may_take_a_mentor_request(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["manager"])
    assert state(hall, request) == S.ACCEPTED


def test_a_senior_request_is_not_for_clerks(hall, clock, morning):
    request = ask(hall, clock, morning, who="clerk", route=HelpRoute.SENIOR)
    assert refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["other_clerk"]) == \
        "Only the mentor, a senior clerk or the duty manager can accept this request."
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    assert state(hall, request) == S.ACCEPTED


def test_a_request_to_the_duty_manager_is_for_the_duty_manager_only(hall, clock, morning):
    request = ask(hall, clock, morning, who="clerk", route=HelpRoute.MANAGER)
    for helper in ("senior", "other_clerk"):
        assert refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning[helper]) == \
            "This request waits for the duty manager: only a duty manager can accept it."
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["manager"])
    assert state(hall, request) == S.ACCEPTED


def test_a_handed_up_request_is_for_the_duty_manager_only_even_for_the_mentor(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    act(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["senior"])
    assert refused(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"]) == \
        "This request waits for the duty manager: only a duty manager can accept it."
    clock.set(at("09:09"))
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["manager"])
    with hall.read() as session:
        row = session.get(Escalation, request)
    assert (row.state, row.accepted_by, row.accepted_at) == (S.ACCEPTED, morning["manager"], at("09:09"))


# -- handing up --------------------------------------------------------------------------------


def test_the_requester_or_the_helper_hands_up_nobody_else(hall, clock, morning):
    request = ask(hall, clock, morning)
    for who in ("clerk", "senior", "manager"):  # nobody has accepted yet: only the trainee may
        assert refused(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning[who]) == \
            "Only the clerk who asked or the colleague helping can hand this request up."
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    assert refused(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["clerk"]) == \
        "Only the clerk who asked or the colleague helping can hand this request up."
    clock.set(at("09:08"))
    change = act(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["senior"],
                 note="  needs the duty manager: a fee from 2010  ")
    assert change.kind == "help_handed_up"
    with hall.read() as session:
        row = session.get(Escalation, request)
    assert (row.state, row.handed_up_at) == (S.HANDED_UP, at("09:08"))
    assert steps(hall, request)[-1] == ("handed_up", morning["senior"], at("09:08"),
                                        "needs the duty manager: a fee from 2010")


def test_a_hand_up_without_a_person_is_refused(hall, clock, morning):
    request = ask(hall, clock, morning)
    assert refused(hall, clock, escalation.hand_up, escalation_id=request, staff_id=None) == \
        "Only the clerk who asked or the colleague helping can hand this request up."
    assert state(hall, request) == S.REQUESTED


def test_the_requester_may_hand_up_before_anyone_accepts(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["trainee"])
    assert state(hall, request) == S.HANDED_UP


# -- resolving ---------------------------------------------------------------------------------


def test_resolving_needs_a_note_and_an_explanation_and_saves_nothing_without_them(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    before = count_rows(hall)
    assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"], note="  ",
                   explanation=EXPLANATION) == "Write what was done (the resolution note) before resolving."
    assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"], note=NOTE,
                   explanation="") == "Write the explanation for the customer before resolving."
    assert count_rows(hall) == before and state(hall, request) == S.ACCEPTED


def test_only_the_colleague_who_accepted_or_a_duty_manager_resolves(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    for who in ("trainee", "clerk"):
        assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning[who], note=NOTE,
                       explanation=EXPLANATION) == \
            "Only the colleague who accepted this request or a duty manager can resolve it."
    clock.set(at("09:12"))
    change = act(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"],
                 note=f" {NOTE} ", explanation=f"{EXPLANATION}\n")
    assert change.kind == "help_resolved"
    with hall.read() as session:
        row = session.get(Escalation, request)
    assert (row.state, row.resolved_by, row.resolved_at, row.resolution_note, row.customer_explanation) == \
        (S.RESOLVED, morning["senior"], at("09:12"), NOTE, EXPLANATION)


def test_the_duty_manager_may_resolve_a_request_nobody_accepted(hall, clock, morning):
    request = ask(hall, clock, morning, who="clerk", route=HelpRoute.SENIOR)
    assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"], note=NOTE,
                   explanation=EXPLANATION) == \
        "Only the colleague who accepted this request or a duty manager can resolve it."
    act(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["manager"], note=NOTE,
        explanation=EXPLANATION)
    assert state(hall, request) == S.RESOLVED


def test_a_helper_who_handed_a_request_up_cannot_resolve_it_alone(hall, clock, morning):
    # F4: once handed up, the duty manager holds the request; the senior clerk is no longer its helper.
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    clock.set(at("09:08"))
    act(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["senior"], note="2010 fee")
    with hall.read() as session:
        row = session.get(Escalation, request)
        assert (row.state, row.accepted_by, row.accepted_at) == (S.HANDED_UP, None, None)
    assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"], note=NOTE,
                   explanation=EXPLANATION) == \
        "This request is with the duty manager: only a duty manager can resolve it now."
    assert state(hall, request) == S.HANDED_UP
    assert [(action, who) for action, who, _, _ in steps(hall, request)][-1] == ("handed_up", morning["senior"])

    act(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["manager"], note=NOTE,
        explanation=EXPLANATION)
    assert state(hall, request) == S.RESOLVED


def test_an_automatic_request_stores_no_english_text(hall, clock, morning):
    with hall.write() as session:
        ticket = session.get(Ticket, 1)
        auto = escalation.auto_escalate(session, at("09:10"), ticket)
        auto_id = auto.id
    with hall.read() as session:
        row = session.get(Escalation, auto_id)
        assert (row.auto, row.reason, row.state) == (True, "", S.HANDED_UP)
    assert steps(hall, auto_id) == [("auto_raised", None, at("09:10"), "")]


def test_the_service_target_hands_up_an_accepted_request_through_the_table(hall, clock, morning):
    request = ask(hall, clock, morning)
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    with hall.write() as session:
        escalation.auto_escalate(session, at("09:10"), session.get(Ticket, 1))
    with hall.read() as session:
        row = session.get(Escalation, request)
        assert (row.state, row.accepted_by, row.handed_up_at) == (S.HANDED_UP, None, at("09:10"))
    assert refused(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["senior"], note=NOTE,
                   explanation=EXPLANATION) == \
        "This request is with the duty manager: only a duty manager can resolve it now."


# -- the trail and the inboxes -----------------------------------------------------------------


def test_every_step_is_recorded_with_who_and_when_and_shown_with_its_age(hall, clock, morning):
    clock.set(at("09:06"))
    request = ask(hall, clock, morning)
    clock.set(at("09:08"))
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["senior"])
    clock.set(at("09:11"))
    act(hall, clock, escalation.hand_up, escalation_id=request, staff_id=morning["senior"], note="2010 fee")
    clock.set(at("09:13"))
    act(hall, clock, escalation.accept, escalation_id=request, staff_id=morning["manager"])
    with hall.read() as session:
        [line] = escalation.escalation_lines(session, at("09:15"))
    assert (line.state, line.ticket_number, line.counter_number, line.requested_by, line.accepted_by,
            line.age_seconds) == (S.ACCEPTED, "A001", 1, "李明", "陈刚", 9 * 60)
    assert line.steps == [(at("09:06"), "requested", "李明", "old 2010 fee on the account"),
                          (at("09:08"), "accepted", "张伟", ""),
                          (at("09:11"), "handed_up", "张伟", "2010 fee"),
                          (at("09:13"), "accepted", "陈刚", "")]

    clock.set(at("09:20"))
    act(hall, clock, escalation.resolve, escalation_id=request, staff_id=morning["manager"], note=NOTE,
        explanation=EXPLANATION)
    with hall.read() as session:
        assert escalation.escalation_lines(session, at("10:00")) == []
        [done] = escalation.escalation_lines(session, at("10:00"), include_resolved=True)
    assert done.age_seconds == 14 * 60  # the age stops at the resolution
    assert [kind for _, kind, _, _ in done.steps][-1] == "resolved"
    with hall.read() as session:
        kinds = [e.kind for e in session.exec(select(Event).where(Event.kind.like("escalation_%"))
                                              .order_by(Event.id))]
    assert kinds == ["escalation_requested", "escalation_accepted", "escalation_handed_up", "escalation_accepted",
                     "escalation_resolved"]


def _inbox(store, who_id, when):
    with store.read() as session:
        return [line.escalation_id for line in escalation.inbox(session, when, staff_id=who_id)]


def test_each_person_sees_the_requests_they_may_take(hall, clock, morning):
    mentor_request = ask(hall, clock, morning)  # the trainee asks the mentor
    manager_request = ask(hall, clock, morning, who="clerk", route=HelpRoute.MANAGER)
    now = at("09:06")
    assert _inbox(hall, morning["senior"], now) == [mentor_request]
    assert _inbox(hall, morning["manager"], now) == [mentor_request, manager_request]
    assert _inbox(hall, morning["other_clerk"], now) == []
    assert _inbox(hall, morning["trainee"], now) == []  # not one's own request

    act(hall, clock, escalation.accept, escalation_id=mentor_request, staff_id=morning["senior"])
    assert _inbox(hall, morning["senior"], now) == [mentor_request]  # the one they are helping with
    assert _inbox(hall, morning["manager"], now) == [manager_request]

    act(hall, clock, escalation.hand_up, escalation_id=mentor_request, staff_id=morning["senior"])
    assert _inbox(hall, morning["manager"], now) == [mentor_request, manager_request]
    assert _inbox(hall, morning["senior"], now) == []  # handed up: no longer theirs

    act(hall, clock, escalation.resolve, escalation_id=mentor_request, staff_id=morning["manager"], note=NOTE,
        explanation=EXPLANATION)
    assert _inbox(hall, morning["senior"], now) == []
    assert _inbox(hall, morning["manager"], now) == [manager_request]


# -- who keeps the help inbox in view ----------------------------------------------------------


def _is_helper(store, who_id):
    with store.read() as session:
        return escalation.is_helper(session, staff_id=who_id)


def test_seniors_the_duty_manager_and_mentors_keep_the_help_inbox_in_view(hall, clock, morning):
    assert _is_helper(hall, morning["senior"]) and _is_helper(hall, morning["manager"])
    assert not _is_helper(hall, morning["trainee"]) and not _is_helper(hall, morning["clerk"])
    assert not _is_helper(hall, morning["other_clerk"]), "a clerk sees the inbox only when a request is theirs"

    with hall.write() as session:  # S004 becomes the mentor of S001
        mentee = session.get(Staff, morning["clerk"])
        mentee.mentor_id = morning["other_clerk"]
        session.add(mentee)
    assert _is_helper(hall, morning["other_clerk"]), "a clerk who mentors someone may be asked for help any time"
    assert not _is_helper(hall, 999_999), "nobody on record sees nothing"


def test_a_request_nobody_answered_ends_with_its_visit_and_cannot_be_accepted_after(hall, clock):
    clock.set(at("09:00"))
    clerk = open_counter(hall, clock, 1, "S001")
    senior = open_counter(hall, clock, 3, "S003")
    issue(hall, clock)
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)
    act(hall, clock, escalation.request_help, counter_number=1, staff_id=clerk, route="senior")
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=clerk)
    with hall.read() as session:
        help_id = session.exec(select(Escalation.id)).one()
        assert escalation.inbox(session, clock.now(), staff_id=senior) == [], "nobody is sent to an empty counter"
    assert refused(hall, clock, escalation.accept, escalation_id=help_id, staff_id=senior) == (
        "The customer has left the counter: this help request ended with the visit.")

    act(hall, clock, alerts.evaluate)  # every open window evaluates now and then
    with hall.read() as session:
        request = session.get(Escalation, help_id)
        assert escalation.escalation_lines(session, clock.now()) == []
    assert (request.state, request.resolved_by, request.resolution_note) == ("resolved", None, "visit_ended")
