"""A branch may write its own sentence for a service (revision 0015): the clerk is prompted with it at the
warning mark, in the customer's language; where it wrote none, the built-in sentence is offered."""

import pytest
from helpers.fixtures import at, open_counter
from helpers.story import act, issue
from sqlmodel import select

from counter_app.models import Service
from counter_app.workflows.oversight import explain
from counter_app.workflows.oversight.scripts import explanation_script
from counter_app.workflows.queue import tickets

OWN_ZH = "抱歉久等，宽带续费还需要大约{minutes}分钟，请稍候。"
OWN_EN = "Sorry for the wait: your broadband renewal needs about {minutes} more minutes."
BUILT_IN_EN = ("I'm sorry this is taking a little longer: I am checking your broadband account and will have your "
               "renewal done in about 3 minutes. If I need a colleague's help I will tell you.")


def broadband(**scripts) -> Service:
    return Service(code="BB", name_zh="宽带续费", name_en="Broadband renewal", prefix="A", **scripts)


def test_the_services_own_sentence_is_offered_in_the_customers_language():
    service = broadband(script_zh=OWN_ZH, script_en=OWN_EN)
    assert explanation_script(service, minutes=3, language="zh_CN") == "抱歉久等，宽带续费还需要大约3分钟，请稍候。"
    assert explanation_script(service, minutes=3, language="en") == (
        "Sorry for the wait: your broadband renewal needs about 3 more minutes.")


def test_without_its_own_sentence_the_built_in_one_is_offered():
    assert explanation_script(broadband(), minutes=3, language="en") == BUILT_IN_EN


def test_a_sentence_in_one_language_only_leaves_the_other_to_the_built_in_one():
    """A Chinese sentence is never read to a customer who asked for English."""
    service = broadband(script_zh=OWN_ZH)
    assert explanation_script(service, minutes=3, language="en") == BUILT_IN_EN
    assert explanation_script(service, minutes=3, language="zh") == "抱歉久等，宽带续费还需要大约3分钟，请稍候。"


def test_a_sentence_without_minutes_is_said_as_written_and_the_minutes_never_drop_below_one():
    service = broadband(script_en="Thank you for waiting; I am nearly done.", script_zh=OWN_ZH)
    assert explanation_script(service, minutes=0, language="en") == "Thank you for waiting; I am nearly done."
    assert explanation_script(service, minutes=-4, language="zh_CN") == "抱歉久等，宽带续费还需要大约1分钟，请稍候。"


@pytest.mark.parametrize("text", ["Sorry, about {hours} hours.", "Sorry {0}.", "Sorry {minutes"])
def test_a_sentence_with_braces_the_check_would_refuse_falls_back_to_the_built_in_one(text):
    assert explanation_script(broadband(script_en=text), minutes=3, language="en") == BUILT_IN_EN


def test_blank_space_is_no_sentence():
    assert explanation_script(broadband(script_en="   "), minutes=3, language="en") == BUILT_IN_EN


def test_the_clerk_at_the_warning_mark_is_prompted_with_the_branchs_own_sentence(hall, clock):
    with hall.write() as session:
        service = session.exec(select(Service).where(Service.code == "BB")).one()
        service.script_en = OWN_EN
        service.script_zh = OWN_ZH
        session.add(service)
    clock.set(at("09:00"))
    issue(hall, clock, "BB")
    clerk = open_counter(hall, clock, 1, "S002")
    act(hall, clock, tickets.call_next, counter_number=1, staff_id=clerk)
    act(hall, clock, tickets.start_service, counter_number=1, staff_id=clerk)

    clock.set(at("09:07:30"))  # the warning mark of a 10-minute target: 2 minutes and a half left
    with hall.read() as session:
        english = explain.explain_prompt(session, clock, counter_number=1, language="en")
        chinese = explain.explain_prompt(session, clock, counter_number=1, language="zh_CN")
    assert english.script == "Sorry for the wait: your broadband renewal needs about 2 more minutes."
    assert chinese.script == "抱歉久等，宽带续费还需要大约2分钟，请稍候。"
