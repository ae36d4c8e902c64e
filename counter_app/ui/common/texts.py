"""Words for the states and roles the windows show, shared so that every window says them alike."""

from __future__ import annotations

from counter_app.i18n import N_, _

COUNTER_STATE_TEXT = {"closed": N_("Counter closed"), "open": N_("Open for service"),
                      "paused": N_("Service paused"), "serving": N_("Serving a customer"),
                      "silent": N_("Not answering")}
TICKET_STATE_TEXT = {"waiting": N_("Waiting"), "called": N_("Called, not yet at the counter"),
                     "serving": N_("Being served"), "parked": N_("Parked")}
ROLE_TEXT = {"clerk": N_("Clerk"), "trainee": N_("Trainee"), "senior": N_("Senior clerk"),
             "manager": N_("Duty manager"), "admin": N_("Administrator")}
RATING_TEXT = {1: N_("Very dissatisfied"), 2: N_("Dissatisfied"), 3: N_("Neutral"), 4: N_("Satisfied"),
               5: N_("Very satisfied")}


def state_text(state: str, table: dict[str, str]) -> str:
    return _(table[state]) if state in table else state
