"""A month at the planning desk replayed (resources/scenarios/pmc-month.json): the dates worked out by hand on
October 2026's calendar — National Day closed 1-7 October, Saturday 10 October worked — the slips of the rush
order, the overdue review's alert, the refusals, and October's on-time delivery rate.

Working days after Wednesday 30 September: 8 Oct (1), 9 (2), 10 (3, the worked Saturday), 12 (4), 13 (5), 14 (6),
15 (7), 16 (8), 19 (9), 20 (10), 21 (11), 22 (12), 23 (13), 26 (14), 27 (15), 28 (16), 29 (17), 30 (18), 2 Nov (19).
"""

from __future__ import annotations

import pytest

from counter_app import i18n, paths
from counter_app.workflows.replay.runner import run_scenario
from counter_app.workflows.replay.scenario import load_scenario

MONTH = paths.scenarios_dir() / "pmc-month.json"


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    i18n.set_language("en")
    out = tmp_path_factory.mktemp("replay") / "october"
    summary = run_scenario(MONTH, out)
    return out, summary


def orders_of(summary) -> dict[str, dict]:
    return {o["number"]: o for o in summary["sales_orders"]}


def committed_history(order) -> list[str]:
    return [d["day"] for d in order["dates"] if d["kind"] == "committed"]


def test_the_month_runs_over_five_weeks_with_each_event_dated(month):
    _, summary = month
    assert (summary["date"], summary["end_date"]) == ("2026-09-28", "2026-10-30")
    days = {e["day"] for e in summary["events"]}
    assert {"2026-09-28", "2026-10-08", "2026-10-13", "2026-10-30"} <= days
    assert summary["events_applied"] == len(load_scenario(MONTH).steps)


def test_a_stocked_order_ships_once_paid_and_a_planned_order_is_dated_from_its_deposit(month):
    _, summary = month
    stocked, planned = orders_of(summary)["SO-2609-01"], orders_of(summary)["SO-2609-02"]
    assert (stocked["state"], stocked["committed"]) == ("ready_to_ship", None)
    assert stocked["lines"][0]["deliveries"] == [{"quantity": 20, "shipped_on": "2026-09-30"}]
    # Deposit on Tue 29 Sep + 8 working days (STD-200's lead time): 30 Sep, 8, 9, 10, 12, 13, 14, 15 Oct.
    assert committed_history(planned)[0] == "2026-10-15"


def test_a_custom_order_reviewed_in_parallel_gets_the_date_of_its_critical_path(month):
    _, summary = month
    order = orders_of(summary)["SO-2609-03"]
    # Engineering 3, then purchasing 4 beside the stock check 2, production 5, quality 1: 13 working days from
    # the last answer on 30 September → 23 October, the requested date itself.
    assert order["computed"] == "2026-10-23"
    assert order["critical_path"] == ["engineering", "purchasing", "production", "quality"]
    assert committed_history(order) == ["2026-10-23", "2026-10-26"]  # confirmed, then slipped by the rush


def test_a_no_goes_back_to_sales_and_the_customers_later_date_is_reviewed_again(month):
    _, summary = month
    order = orders_of(summary)["SO-2609-04"]
    assert [(d["kind"], d["day"]) for d in order["dates"]] == [
        ("requested", "2026-10-16"), ("revised", "2026-11-06"), ("committed", "2026-11-05")]
    # Round 1 (last answer 8 Oct): 6 + 5 + 6 + 1 = 18 working days → 2 November, returned (engineering said no).
    returned = next(e for e in summary["events"] if e["do"] == "answer_review" and e["day"] == "2026-10-08")
    assert returned["result"] == "SO-2609-04 returned_to_sales computed 2026-11-02"
    # Round 2 (engineering again, 5 days, on 12 Oct): 5 + 5 + 6 + 1 = 17 → 4 November; PMC commits the 5th.
    assert (order["review_round"], order["computed"], order["committed"]) == (2, "2026-11-04", "2026-11-05")
    assert "见证出厂试验" in order["dates"][-1]["why"]


def test_the_overdue_review_raised_an_alert_to_pmc_until_quality_answered(month):
    _, summary = month
    [alert] = summary["alerts"]
    assert alert["kind"] == "review_overdue"
    assert alert["data"]["order"] == "SO-2609-04" and alert["data"]["department"] == "quality"
    # Due 2 working days after entry on 29 September: 8 October 09:00 (the holiday does not count).
    assert alert["data"]["deadline"] == "2026-10-08 09:00"
    assert alert["raised_at"] == "2026-10-08T09:01:00"
    assert alert["acknowledged"] == {"by": "F001", "at": "2026-10-08T10:00:00"}
    assert alert["resolved_at"] == "2026-10-08T14:00:00"


def test_a_change_is_reviewed_by_the_departments_it_touches_and_committed_again(month):
    _, summary = month
    sample = orders_of(summary)["SO-2609-05"]
    assert sample["lines"][0]["quantity"] == 3
    # Engineering's 4 and quality's 2 stand; purchasing 3, warehouse 1, production 4 on 13 Oct: 13 → 30 October.
    assert committed_history(sample) == ["2026-10-22", "2026-10-30"]
    acknowledged = [e["result"] for e in summary["events"] if e["do"] == "acknowledge_change" and
                    not e["result"].startswith("refused")]
    assert acknowledged == ["change 1 acknowledging", "change 1 acknowledging", "change 1 closed"]


def test_the_rush_order_shows_and_makes_the_exact_slips(month):
    _, summary = month
    [rush] = summary["rush_orders"]
    # 80 load units at 40 a day, first: done on the 2nd working day after 13 October (the 15th); committed to its
    # review date, 21 October. SO-2609-02 (60 units, due 15 Oct) now ends on the 4th working day, 19 Oct: 2 days;
    # SO-2609-03 (200 units after 75) on the 9th, 26 Oct, one past its 23rd. SO-2609-05 and -04 still make it.
    assert (rush["order"], rush["load"], rush["finish"], rush["committed"]) == ("SO-2610-06", 80, "2026-10-15",
                                                                                 "2026-10-21")
    assert [(s["order"], s["committed"], s["new_date"], s["working_days"]) for s in rush["slips"]] == [
        ("SO-2609-02", "2026-10-15", "2026-10-19", 2), ("SO-2609-03", "2026-10-23", "2026-10-26", 1)]
    slipped = orders_of(summary)["SO-2609-02"]["slips"]
    assert slipped == [{"rush_order": "SO-2610-06", "previous": "2026-10-15", "new": "2026-10-19",
                        "working_days": 2, "owner": "F002"}]


def test_the_desk_refused_what_it_must(month):
    _, summary = month
    refusals = {(e["do"], e["result"].split(": ", 1)[1][:40]) for e in summary["events"]
                if str(e["result"]).startswith("refused")}
    assert refusals == {
        ("enter_order", "Only 40 of STD-100 are in stock: enter t"),
        ("answer_review", "engineering already answered this review"),
        ("request_change", "A change needs the customer's written co"),
        ("rush", "Sales order SO-2609-03 is committed: onl"),
        ("acknowledge_change", "The change to sales order SO-2609-05 doe"),
        ("ship", "Only 10 of 50 on this line are left to s"),
    }


def test_octobers_on_time_delivery_is_93_of_103_pieces(month):
    _, summary = month
    october = next(k for k in summary["planning_kpi"] if k["month"] == "2026-10")
    # Committed in October: SO-2609-02 30 (on its new date), SO-2609-03 50 (40 by the 26th, 10 on the 28th),
    # SO-2609-05 3, SO-2610-06 20 (a day early). SO-2609-04 is November's; the stocked order has no commitment.
    assert october["on_time_delivery"] == {"part": 93, "whole": 103, "percent": 90.3}
    assert october["plan_achievement"] == {"part": 3, "whole": 4, "percent": 75.0}
    # Entry to first commitment: -03 3 days, -05 1, -04 5, -06 3.
    assert october["review_cycle"] == {"orders": 4, "mean_days": 3.0, "max_days": 5}
    assert (october["returns_to_sales"], october["orders_returned"]) == (1, 1)
    # -03 two days late against its computed date, -05 on it, -06 a day early: 2 of 3 within, 0.67 days late.
    assert october["review_accuracy"]["engineering"] == {"judged": 3, "within": 2, "percent": 66.7,
                                                         "mean_late_days": 0.67}
