"""The review network: earliest dates, the critical path (both branches of a tie), a loop refused."""

import pytest

from counter_app.errors import AppError
from counter_app.workflows.planning.network import REVIEW_NETWORK, ordered, schedule

LEADS = {"engineering": 2, "purchasing": 3, "warehouse": 1, "production": 4, "quality": 1}


def test_purchasing_and_the_stock_check_run_side_by_side_after_engineering():
    plan = schedule(REVIEW_NETWORK, LEADS)
    assert plan.start == {"engineering": 0, "purchasing": 2, "warehouse": 2, "production": 5, "quality": 9}
    assert plan.length == 10
    assert plan.critical == ("engineering", "purchasing", "production", "quality")


def test_when_two_branches_tie_both_are_critical():
    plan = schedule(REVIEW_NETWORK, {**LEADS, "warehouse": 3})
    assert plan.length == 10
    assert plan.critical == ("engineering", "purchasing", "warehouse", "production", "quality")


def test_the_longer_branch_alone_is_critical():
    plan = schedule(REVIEW_NETWORK, {**LEADS, "warehouse": 4})
    assert plan.length == 11
    assert plan.critical == ("engineering", "warehouse", "production", "quality")


def test_a_dependency_loop_is_refused_naming_it():
    with pytest.raises(AppError) as refusal:
        ordered({"engineering": ("quality",), "production": ("engineering",), "quality": ("production",)})
    assert refusal.value.text() == ("The dependency network has a loop: engineering → quality → production → "
                                    "engineering. Each step must wait only for steps before it.")


def test_an_unknown_step_or_a_missing_lead_time_is_refused():
    with pytest.raises(AppError) as refusal:
        ordered({"production": ("painting",)})
    assert refusal.value.text() == "production waits for painting, which is not in the network."
    with pytest.raises(AppError) as refusal:
        schedule(REVIEW_NETWORK, {"engineering": 1})
    assert refusal.value.text() == "No lead time for purchasing, warehouse, production, quality."
