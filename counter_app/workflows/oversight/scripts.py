"""What a clerk can say to the customer when things take longer: one sentence per situation."""

from __future__ import annotations

from counter_app.i18n import N_, normalise, translate
from counter_app.models import Service

# Said at a service's warning mark; {minutes} is the clerk's honest estimate of what is left.
SERVICE_SCRIPTS = {
    "BB": N_("I'm sorry this is taking a little longer: I am checking your broadband account and will "
             "have your renewal done in about {minutes} minutes. If I need a colleague's help I will tell you."),
    "PLAN": N_("I'm sorry for the wait: I am checking which plans your number can change to. It should take "
               "about {minutes} more minutes."),
    "BILL": N_("I'm sorry, the payment needs a check on your account. It should take about {minutes} more "
               "minutes."),
    "NEW": N_("Setting up a new line takes a few steps; we are about {minutes} minutes from done. I will tell "
              "you if anything is missing."),
}
DEFAULT_SCRIPT = N_("I'm sorry this is taking longer than usual. I am working on it and will tell you what is "
                    "happening; it should take about {minutes} more minutes.")
ESCALATED_SCRIPT = N_("I have asked {helper} to help so that this is solved properly. Thank you for your "
                      "patience; I will explain what we find.")


def own_script(service: Service, language: str) -> str:
    """The sentence the branch wrote for this service in the customer's language; "" when it wrote none.

    No fallback to the other language: a Chinese sentence is not read to an English-speaking customer,
    the built-in one in their language is.
    """
    text = service.script_zh if normalise(language) == "zh_CN" else service.script_en
    return (text or "").strip()


def explanation_script(service: Service, *, minutes: int, language: str) -> str:
    """The suggested sentence in the customer's language: the service's own, else the built-in one."""
    minutes = max(1, minutes)
    own = own_script(service, language)
    if own:
        try:  # the setup file allows {minutes} and nothing else in braces (admin/setup_file.py)
            return own.format(minutes=minutes)
        except (KeyError, IndexError, ValueError):
            pass  # a sentence that slipped past the check: the built-in one rather than stray braces
    msgid = SERVICE_SCRIPTS.get(service.code, DEFAULT_SCRIPT)
    return translate(msgid, language).format(minutes=minutes)


def escalated_script(helper: str, *, language: str) -> str:
    return translate(ESCALATED_SCRIPT, language).format(helper=helper)
