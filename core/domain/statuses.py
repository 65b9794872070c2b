"""Lead statuses, the tabs they fall in, and who may set them.

Every rule about statuses lives here once; services and the UI ask, they do
not re-decide.
"""

from __future__ import annotations

from enum import StrEnum


class LeadStatus(StrEnum):
    """The seven statuses of a Second Chance Lead; the value is the CLI slug."""

    NEW = "new"
    CALLBACK_ATTEMPTED = "callback-attempted"
    NOT_ABLE_TO_SAVE = "not-able-to-save"
    NOT_FOLLOWING_UP = "not-following-up"
    NOT_A_LEAD = "not-a-lead"
    BOOKED_BY_SCL = "booked-by-scl"
    BOOKED_ELSEWHERE = "booked-elsewhere"

    @property
    def display_name(self) -> str:
        return _DISPLAY_NAMES[self]

    @property
    def short_name(self) -> str:
        """The name where space is short (a table column): the tab already says whether
        it is a lead or was reviewed."""
        return _SHORT_NAMES[self]

    @property
    def is_manual(self) -> bool:
        """May a person set this status by hand?"""
        return self not in AUTOMATIC_STATUSES

    @property
    def is_final(self) -> bool:
        """Once reached, the lead's status never changes again."""
        return self in AUTOMATIC_STATUSES

    @property
    def home_tab(self) -> Tab:
        """The tab this status belongs to before the Cold rule is applied."""
        return Tab.OPEN if self in OPEN_STATUSES else Tab.DONE

    @classmethod
    def parse(cls, text: str) -> LeadStatus:
        """Accept a slug or a display name, case-insensitively."""
        key = text.strip().lower()
        for status in cls:
            if key in (status.value, status.display_name.lower()):
                return status
        slugs = ", ".join(s.value for s in cls)
        raise ValueError(f"unknown status {text!r}; expected one of: {slugs}")


class Tab(StrEnum):
    OPEN = "open"
    COLD = "cold"
    DONE = "done"

    @property
    def display_name(self) -> str:
        return self.value.capitalize()


class DismissReason(StrEnum):
    """The two answers of the Dismiss dialog; the value is the CLI slug."""

    NOT_A_LEAD = "not-a-lead"
    NOT_FOLLOWING_UP = "not-following-up"

    @property
    def display_name(self) -> str:
        return _DISMISS_LABELS[self]

    @property
    def status(self) -> LeadStatus:
        """Where a dismissal with this reason leads."""
        return LeadStatus(self.value)


_DISPLAY_NAMES: dict[LeadStatus, str] = {
    LeadStatus.NEW: "New",
    LeadStatus.CALLBACK_ATTEMPTED: "Lead - Call Back Attempted",
    LeadStatus.NOT_ABLE_TO_SAVE: "Lead - Not able to save",
    LeadStatus.NOT_FOLLOWING_UP: "Lead - Not following up",
    LeadStatus.NOT_A_LEAD: "Reviewed - Not a Lead",
    LeadStatus.BOOKED_BY_SCL: "Job booked by SCL",
    LeadStatus.BOOKED_ELSEWHERE: "Job booked elsewhere",
}

_DISMISS_LABELS: dict[DismissReason, str] = {
    DismissReason.NOT_A_LEAD: "It's not a lead",
    DismissReason.NOT_FOLLOWING_UP: "It's a lead, but I'm not going to follow up",
}

OPEN_STATUSES: frozenset[LeadStatus] = frozenset({LeadStatus.NEW, LeadStatus.CALLBACK_ATTEMPTED})
DONE_STATUSES: frozenset[LeadStatus] = frozenset(set(LeadStatus) - OPEN_STATUSES)
AUTOMATIC_STATUSES: frozenset[LeadStatus] = frozenset(
    {LeadStatus.BOOKED_BY_SCL, LeadStatus.BOOKED_ELSEWHERE}
)
MANUAL_STATUSES: tuple[LeadStatus, ...] = tuple(s for s in LeadStatus if s.is_manual)

# The filters each tab offers (SPEC: Open by New / Call Back Attempted; Done by each
# Done status). Cold holds only New leads, so it has no filter of its own.
TAB_FILTERS: dict[Tab, tuple[LeadStatus, ...]] = {
    Tab.OPEN: (LeadStatus.NEW, LeadStatus.CALLBACK_ATTEMPTED),
    Tab.COLD: (),
    Tab.DONE: tuple(s for s in LeadStatus if s in DONE_STATUSES),
}


def statuses_in(tab: Tab) -> tuple[LeadStatus, ...]:
    """The statuses a lead in this tab can have (Cold holds New leads only)."""
    if tab is Tab.COLD:
        return (LeadStatus.NEW,)
    return tuple(s for s in LeadStatus if s.home_tab is tab)


_SHORT_NAMES: dict[LeadStatus, str] = {
    LeadStatus.NEW: "New",
    LeadStatus.CALLBACK_ATTEMPTED: "Call back attempted",
    LeadStatus.NOT_ABLE_TO_SAVE: "Not able to save",
    LeadStatus.NOT_FOLLOWING_UP: "Not following up",
    LeadStatus.NOT_A_LEAD: "Not a lead",
    LeadStatus.BOOKED_BY_SCL: "Booked by SCL",
    LeadStatus.BOOKED_ELSEWHERE: "Booked elsewhere",
}
