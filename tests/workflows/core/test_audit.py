"""The event log as evidence: an edited, deleted or re-hashed row is found, at the right row."""

import pytest
import sqlalchemy as sa
from helpers.fixtures import at, open_counter, staff_id
from helpers.story import act, events, issue

from counter_app.__main__ import main
from counter_app.errors import AppError
from counter_app.models import Event, ExceptionKind
from counter_app.workflows.core import audit
from counter_app.workflows.customers import records
from counter_app.workflows.oversight import alerts, approvals, escalation, explain
from counter_app.workflows.queue import tickets
from counter_app.workflows.replay import demo
from counter_app.workflows.reports import closing


@pytest.fixture
def morning(hall, clock):
    """A short morning that touches every kind of workflow: queue, alerts, help, approval, cause."""
    clock.set(at("08:57"))
    issue(hall, clock, "BB")
    trainee = open_counter(hall, clock, 1, "S002")
    clock.set(at("09:00"))
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=trainee)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=trainee)
    act(hall, clock, records.open_customer, counter_number=1, staff_id=trainee, ref="13800138000")
    issue(hall, clock, "BILL")
    for minute in range(1, 12):
        clock.set(at(f"09:{minute:02d}"))
        act(hall, clock, alerts.evaluate)
    act(hall, clock, explain.told_customer, counter_number=1, staff_id=trainee)
    manager = staff_id(hall, "M001")
    act(hall, clock, escalation.accept, escalation_id=1, staff_id=manager)
    act(hall, clock, approvals.approve_exception, manager_staff_no="M001", manager_password=demo.DEMO_PASSWORD,
        requested_by=trainee, kind=ExceptionKind.ARREARS_SETTLED, reason="settled in 2010",
        customer_explanation="The old fee was already paid.", ticket_id=1, escalation_id=1)
    act(hall, clock, escalation.resolve, escalation_id=1, staff_id=manager, note="flag cleared",
        explanation="The old fee was already paid.")
    act(hall, clock, tickets.finish_service, counter_number=1, staff_id=trainee)
    act(hall, clock, explain.record_breach_cause, ticket_id=1, staff_id=manager, cause="system_data")
    return hall


def verify(store, **kw):
    with store.read() as session:
        return audit.verify(session, **kw)


def tamper(store, sql, **params):
    """What someone with a database tool could do behind the application's back."""
    with store.engine.begin() as connection:
        connection.execute(sa.text(sql), params)


def middle(store):
    ids = [e.id for e in events(store)]
    return ids[len(ids) // 2]


def test_a_real_morning_verifies(morning):
    result = verify(morning)
    kinds = {e.kind for e in events(morning)}
    assert {"ticket_issued", "alert_raised", "escalation_auto_raised", "exception_approved",
            "escalation_resolved", "breach_cause_recorded"} <= kinds
    assert result.ok and result.first_bad_id is None
    assert result.checked == len(events(morning))


def test_an_empty_log_verifies(store):
    assert verify(store).ok and verify(store).checked == 0


def test_editing_what_an_event_says_is_found_at_that_event(morning):
    target = middle(morning)
    tamper(morning, "UPDATE event SET data = :data WHERE id = :id", data='{"number": "A999"}', id=target)
    result = verify(morning)
    assert (result.ok, result.first_bad_id, result.reason) == (False, target, "edited")


@pytest.mark.parametrize("column, value", [("at", "2026-03-02 08:00:00.000000"), ("kind", "ticket_cancelled"),
                                           ("staff_id", "A001")])
def test_editing_when_what_or_who_is_found_at_that_event(morning, column, value):
    target = middle(morning)
    if column == "staff_id":  # blame the administrator, who did nothing that morning
        value = staff_id(morning, value)
    tamper(morning, f"UPDATE event SET {column} = :value WHERE id = :id", value=value, id=target)
    assert (verify(morning).first_bad_id, verify(morning).reason) == (target, "edited")


def test_deleting_a_row_is_found_at_the_row_after_it(morning):
    target = middle(morning)
    tamper(morning, "DELETE FROM event WHERE id = :id", id=target)
    result = verify(morning)
    assert (result.first_bad_id, result.reason) == (target + 1, "missing")


def test_deleting_the_first_row_is_found(morning):
    tamper(morning, "DELETE FROM event WHERE id = 1")
    result = verify(morning)
    assert (result.first_bad_id, result.reason) == (2, "chain start")


def test_changing_a_hash_is_found_at_that_row(morning):
    target = middle(morning)
    tamper(morning, "UPDATE event SET hash = :h WHERE id = :id", h="f" * 64, id=target)
    result = verify(morning)
    assert (result.first_bad_id, result.reason) == (target, "edited")


def test_an_edit_with_a_recomputed_hash_still_breaks_the_chain_at_the_next_row(morning):
    target = middle(morning)
    with morning.write() as session:
        event = session.get(Event, target)
        event.data = '{"number": "A999"}'
        event.hash = audit.event_digest(event, event.prev_hash)
        session.add(event)
    result = verify(morning)
    assert result.first_bad_id == target + 1


def test_a_break_is_found_across_batches(morning):
    target = middle(morning)
    assert verify(morning, batch=3).ok
    tamper(morning, "DELETE FROM event WHERE id = :id", id=target)
    assert verify(morning, batch=3).first_bad_id == target + 1


def test_the_audit_command_says_intact_then_names_the_broken_row(morning, capsys):
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en"]) == 0
    count = len(events(morning))
    assert f"Event log intact: {count} events checked." in capsys.readouterr().out

    target = middle(morning)
    tamper(morning, "UPDATE event SET data = '{}' WHERE id = :id", id=target)
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en"]) == 1
    assert f"Event log broken at event {target} (edited)" in capsys.readouterr().err


# -- anchors: the chain's end, kept outside the store --------------------------------------------------

def head_anchor(store) -> str:
    newest = events(store)[-1]
    return f"{newest.id}:{newest.hash[:audit.ANCHOR_HEX]}"


def rehash_from(store, first_id):
    """Someone who knows the hashing rewrites a row and re-chains every row after it: the chain alone verifies."""
    with store.write() as session:
        prev_hash = session.get(Event, first_id - 1).hash
        for event in session.exec(sa.select(Event).where(Event.id >= first_id).order_by(Event.id)).scalars():
            if event.id == first_id:
                event.data = '{"number": "A999"}'
            event.prev_hash = prev_hash
            event.hash = audit.event_digest(event, prev_hash)
            prev_hash = event.hash
            session.add(event)


def test_deleting_the_newest_events_passes_the_chain_but_not_the_anchor(morning):
    anchor = audit.parse_anchor(head_anchor(morning))
    newest = events(morning)[-1].id
    tamper(morning, "DELETE FROM event WHERE id >= :id", id=newest - 2)
    # What is left still links up: nothing in the chain anchors its end. Only the breach cause, whose event
    # went with them, shows that something is missing.
    unanchored = verify(morning)
    assert (unanchored.first_bad_id, unanchored.records) == (None, ("ticket 1 (breach cause)",))
    result = verify(morning, anchors=[anchor])
    assert (result.ok, result.first_bad_id, result.reason, result.anchor) == (False, newest, "anchor missing", anchor)


def test_a_rewritten_and_rehashed_log_passes_the_chain_but_not_the_anchor(morning):
    anchor = audit.parse_anchor(head_anchor(morning))
    rehash_from(morning, middle(morning))
    assert verify(morning).ok
    assert (verify(morning, anchors=[anchor]).reason, verify(morning, anchors=[anchor]).first_bad_id) == (
        "anchor differs", anchor.event_id)


def test_an_anchor_vouches_for_the_log_up_to_it_and_later_events_may_follow(morning, clock):
    anchor = audit.parse_anchor(head_anchor(morning))
    issue(morning, clock, "BB")
    assert verify(morning, anchors=[anchor]).ok


def test_an_anchor_is_read_as_the_page_prints_it():
    assert audit.parse_anchor("1234:0123456789ABCDEF") == audit.Anchor(1234, "0123456789abcdef")
    assert audit.parse_anchor(" #7:deadbeef ") == audit.Anchor(7, "deadbeef")
    for text in ("1234", "1234:xyz", "abc:0123456789abcdef", "12:0123"):  # too short to mean anything
        with pytest.raises(AppError, match="Not an anchor"):
            audit.parse_anchor(text)


def test_the_audit_command_checks_the_anchors_it_is_given(morning, capsys):
    anchor = head_anchor(morning)
    earlier = f"{middle(morning)}:{events(morning)[middle(morning) - 1].hash[:16]}"
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en", "--anchor", earlier, "--anchor", anchor]) == 0
    assert f"The log still holds the anchored events unchanged: {earlier}, {anchor}." in capsys.readouterr().out

    newest = events(morning)[-1].id
    tamper(morning, "DELETE FROM event WHERE id = :id", id=newest)
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en", "--anchor", anchor]) == 1
    assert (f"Event log cut short: event {newest} of the anchor {anchor} is no longer in the log"
            in capsys.readouterr().err)


def test_the_audit_command_says_a_rewritten_log_differs_from_its_anchor(morning, capsys):
    anchor = head_anchor(morning)
    rehash_from(morning, middle(morning))
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en", "--anchor", anchor]) == 1
    assert f"Event log rewritten: event {anchor.split(':')[0]} is not the one the anchor" in capsys.readouterr().err


def test_the_audit_command_refuses_an_anchor_it_cannot_read(morning, capsys):
    assert main(["audit", "verify", "--db", morning.url, "--lang", "en", "--anchor", "yesterday"]) == 2
    assert "Not an anchor: yesterday." in capsys.readouterr().err


def test_the_anchor_on_the_end_of_day_page_verifies_the_log_that_made_it(morning, clock, tmp_path):
    manager = staff_id(morning, "M001")
    closed = act(morning, clock, closing.close_day, day=clock.now().date(), staff_id=manager,
                 path=tmp_path / "day.pdf", language="en")
    assert verify(morning, anchors=[audit.parse_anchor(closed.head.anchor)]).ok
    tamper(morning, "DELETE FROM event WHERE kind = 'day_closed'")
    assert verify(morning).ok
    assert verify(morning, anchors=[audit.parse_anchor(closed.head.anchor)]).reason == "anchor missing"


def test_a_customers_reference_is_masked_as_on_paper():
    from counter_app.workflows.core.masking import mask_ref

    assert mask_ref("13905710123") == "139****0123"
    assert mask_ref("+86 139 0571 0123") == "139****0123"
    assert mask_ref("05718800123") == "057****0123"  # an 11-digit fixed line reads like a mobile: masked alike
    assert mask_ref("BB2026000178") == "********0178"
    assert mask_ref(None) is None


def test_an_approval_or_a_cause_rewritten_in_the_store_is_named_by_the_audit(hall, clock, tmp_path, capsys):
    import sqlite3

    from helpers.morning import seed_morning

    if not hall.url.startswith("sqlite"):
        pytest.skip("rewrites the SQLite file behind the app's back")
    seed_morning(hall, clock)
    with hall.read() as session:
        assert audit.verify(session).ok
    path = hall.url.split("///", 1)[1]
    connection = sqlite3.connect(path)
    connection.execute("UPDATE exception_approval SET amount = '99999.00', reason = 'nothing to see'")
    connection.commit()
    connection.close()
    with hall.read() as session:
        result = audit.verify(session)
    assert not result.ok and result.records == ("exception_approval 1",)
    assert main(["audit", "verify", "--db", hall.url]) == 1
    assert "Records changed outside the app" in capsys.readouterr().err


@pytest.mark.parametrize(("sql", "named"), [
    ("UPDATE staff SET role = 'admin' WHERE staff_no = 'S002'", "staff 3"),
    ("UPDATE staff SET password_hash = 'x' || password_hash WHERE staff_no = 'M001'", "staff 5"),
    ("UPDATE service SET target_wait_min = 600 WHERE code = 'BB'", "service 1"),
    ("UPDATE branch_settings SET max_queue_length = 0", "branch_settings 1"),
    ("UPDATE opening_hours SET closes = '23:00:00' WHERE weekday = 0", "opening_hours 1"),
])
def test_a_role_a_credential_a_target_or_a_setting_rewritten_in_the_store_is_named(hall, sql, named):
    assert verify(hall).ok
    tamper(hall, sql)
    result = verify(hall)
    assert not result.ok and result.records == (named,)


def test_a_staff_member_added_or_a_holiday_removed_behind_the_apps_back_is_named(hall, clock):
    from counter_app.models import Holiday
    from counter_app.workflows.core import settings_record

    with hall.write() as session:  # a holiday set through the app is recorded with it
        holiday = Holiday(day=at("09:00").date(), note="spring")
        session.add(holiday)
        settings_record.record(session, at=clock.now(), rows=[holiday], why="holiday_set")
    assert verify(hall).ok
    tamper(hall, "INSERT INTO staff (staff_no, name, role, password_hash, active, failed_sign_ins)"
                 " VALUES ('X999', 'Nobody', 'admin', 'h', true, 0)")
    tamper(hall, "DELETE FROM holiday")
    assert verify(hall).records == (f"staff {staff_id(hall, 'X999')} (no record)", "holiday 1 (deleted)")


def test_a_settings_change_made_through_the_app_is_recorded_and_verifies(store, clock):
    import datetime as dt

    with store.write() as session:
        demo.seed_demo(session, at=clock.now(), opens=dt.time(7), closes=dt.time(22))
    with store.write() as session:
        assert demo.keep_demo_open(session, at=clock.now())
    assert verify(store).ok
    [recorded] = [e for e in events(store, "settings_recorded") if "round_the_clock" in e.data]
    assert len(audit.json.loads(recorded.data)["rows"]) == 7  # the seven weekdays' hours


def test_failed_sign_ins_are_not_a_grant_and_do_not_break_the_record(hall):
    tamper(hall, "UPDATE staff SET failed_sign_ins = 3, on_duty_since = NULL")
    assert verify(hall).ok
