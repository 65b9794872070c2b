"""Which status changes are allowed, and why the others are refused."""

from __future__ import annotations

from dataclasses import dataclass

from core.domain.statuses import LeadStatus


@dataclass(frozen=True)
class Refusal:
    """Why a status change is not allowed; `message` is shown to the agent as is."""

    kind: str  # "final", "automatic" or "unchanged"
    message: str


def manual_change_refusal(current: LeadStatus, target: LeadStatus) -> Refusal | None:
    """None when a person may move a lead from `current` to `target` by hand."""
    if current.is_final:
        return Refusal(
            "final",
            f"The lead is {current.display_name!r}, a final status: it can no longer change.",
        )
    if not target.is_manual:
        return Refusal(
            "automatic",
            f"{target.display_name!r} is set only automatically, when a job is booked; "
            "it cannot be chosen by hand.",
        )
    if current is target:
        return Refusal("unchanged", f"The lead is already {current.display_name!r}.")
    return None


def automatic_change_refusal(current: LeadStatus) -> Refusal | None:
    """None when the system may still move the lead (to a booked status)."""
    if current.is_final:
        return Refusal(
            "final",
            f"The lead is {current.display_name!r}, a final status: it can no longer change.",
        )
    return None


def manual_targets(current: LeadStatus) -> tuple[LeadStatus, ...]:
    """The statuses a person may pick for a lead now (what a status menu offers)."""
    return tuple(s for s in LeadStatus if manual_change_refusal(current, s) is None)
