"""The branch's choices for its screens: the queue display's layout and voice, and the windows' language where
a PC chose none (BranchSettings, revision 0015)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from counter_app.clock import Clock
from counter_app.models import BranchSettings
from counter_app.models.limits import BRANCH_LIMITS
from counter_app.workflows.queue.hours import branch_settings

LANGUAGES = ("zh", "en")  # as the setup file names them (admin/setup_file.py)


@dataclass(frozen=True)
class DisplaySettings:
    columns: int = 8  # counters per row
    font_percent: int = 100  # the display's type, as a share of its usual size
    announce_languages: tuple[str, ...] = ("zh", "en")  # a call is said in each, in order; none: a chime only


def _within(name: str, value: int) -> int:
    low, high = BRANCH_LIMITS[name]
    return int(min(max(value, low), high))


def display_settings(session: Session, _clock: Clock | None = None) -> DisplaySettings:
    """The queue display's settings as the branch set them; the display reads them on every refresh (one row by
    its key), so a change reaches an open screen without a restart. `_clock`: the windows' readers take one."""
    branch = branch_settings(session)
    said = []
    for language in (branch.announce_languages or "").split(","):
        if language.strip() in LANGUAGES and language.strip() not in said:
            said.append(language.strip())
    return DisplaySettings(_within("display_columns", branch.display_columns),
                           _within("display_font_percent", branch.display_font_percent), tuple(said))


def default_language(session: Session, _clock: Clock | None = None) -> str | None:
    """The windows' language on a PC whose own setting is empty: "zh" or "en"; None before the branch is set up
    (the PC's system locale decides)."""
    branch = session.get(BranchSettings, 1)
    if branch is None:
        return None
    return branch.default_language if branch.default_language in LANGUAGES else LANGUAGES[0]
