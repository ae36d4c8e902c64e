"""What every window shares: the backend that runs workflows and watches the store (`backend.Backend`),
running an action with its refusal shown in the window (`actions.act_or_show`), the message bar and
form dialog (`widgets`), words for states and roles (`texts`), and the staff sign-in (`login`).

Uses the workflows and Qt; no window package may be imported from here.
"""
