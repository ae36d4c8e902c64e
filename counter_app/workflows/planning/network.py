"""The review's dependency network as data, and the critical path through it (CPM, in working days).

A network maps each activity (a department) to the activities it waits for. Each activity's earliest start
is the latest finish among its predecessors; the network's length is the latest finish of all. Going back
from that length gives each activity's latest finish; an activity whose earliest and latest start are the
same has no slack (total float 0) and is on the critical path. When two branches tie — purchasing and the
stock check taking equally long — both have no slack and *both* are critical: shortening either alone
would not bring the date forward, and slipping either would push it back.

Offsets are working days from the start; `WorkingCalendar.add(start, offset)` turns them into dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from counter_app.errors import AppError
from counter_app.i18n import N_, join_list
from counter_app.models.planning import Department

Network = Mapping[str, tuple[str, ...]]

D = Department
# Engineering first (drawings and parameters); purchasing and the stock check then run side by side; production
# waits for both; quality inspects last. The stock check waits for engineering too: it needs the bill of
# materials the drawings give.
REVIEW_NETWORK: dict[str, tuple[str, ...]] = {
    D.ENGINEERING: (),
    D.PURCHASING: (D.ENGINEERING,),
    D.WAREHOUSE: (D.ENGINEERING,),
    D.PRODUCTION: (D.PURCHASING, D.WAREHOUSE),
    D.QUALITY: (D.PRODUCTION,),
}


@dataclass(frozen=True)
class Schedule:
    """Earliest start and finish of each activity, the network's length and its critical activities."""

    start: dict[str, int]
    finish: dict[str, int]
    length: int
    critical: tuple[str, ...]  # in the network's order


def ordered(network: Network) -> list[str]:
    """The activities, each after all it waits for; a loop or an unknown predecessor is refused."""
    for activity, before in network.items():
        for predecessor in before:
            if predecessor not in network:
                raise AppError(N_("{activity} waits for {predecessor}, which is not in the network."),
                               activity=activity, predecessor=predecessor)
    done: list[str] = []
    state: dict[str, str] = {}  # "open" while being visited, "done" once placed

    def visit(activity: str, path: list[str]) -> None:
        if state.get(activity) == "done":
            return
        if state.get(activity) == "open":
            loop = path[path.index(activity):] + [activity]
            raise AppError(N_("The dependency network has a loop: {loop}. Each step must wait only for steps "
                              "before it."), loop=" → ".join(loop))
        state[activity] = "open"
        for predecessor in network[activity]:
            visit(predecessor, [*path, activity])
        state[activity] = "done"
        done.append(activity)

    for activity in network:
        visit(activity, [])
    return done


def schedule(network: Network, durations: Mapping[str, int]) -> Schedule:
    """Forward pass for the earliest times, backward pass for the latest; no slack means critical."""
    order = ordered(network)
    missing = [activity for activity in order if activity not in durations]
    if missing:
        raise AppError(N_("No lead time for {activities}."), activities=join_list(missing))
    start: dict[str, int] = {}
    finish: dict[str, int] = {}
    for activity in order:
        start[activity] = max((finish[p] for p in network[activity]), default=0)
        finish[activity] = start[activity] + durations[activity]
    length = max(finish.values(), default=0)
    successors: dict[str, list[str]] = {activity: [] for activity in order}
    for activity in order:
        for predecessor in network[activity]:
            successors[predecessor].append(activity)
    latest_finish: dict[str, int] = {}
    for activity in reversed(order):
        latest_finish[activity] = min((latest_finish[s] - durations[s] for s in successors[activity]),
                                      default=length)
    critical = tuple(a for a in network if latest_finish[a] == finish[a])
    return Schedule(start, finish, length, critical)
