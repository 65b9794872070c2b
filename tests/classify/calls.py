"""A call as a classifier reads it, built from (speaker, text) lines: for tests that need
one small call and no export file."""

from __future__ import annotations

from datetime import UTC, datetime

from core.classify.base import CallForReview, Line

T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def call_saying(
    *said: tuple[str, str],
    call_type: str | None = None,
    notes: str | None = None,
    name: str | None = "Dana",
    recording: bool = False,
) -> CallForReview:
    """Lines five seconds apart; inbound, not booked."""
    lines = tuple(Line(i, who, i * 5.0, i * 5.0 + 4, text) for i, (who, text) in enumerate(said))
    return CallForReview(
        "K-1", "inbound", T0, T0, call_type, notes, name, False, lines, recording=recording
    )
