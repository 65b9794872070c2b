"""What plain mode says: leads, reviews and results as lines of plain words.

For a screen reader: one item per line, in the order the app's pane shows them; no box
drawing, arrows or symbols a reader spells out ("2h" is "2 hours"); call text shown
literally, its control characters as pictures (scl_tui.text.safe).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.domain.phones import display_phone
from scl_tui.text import brief_reason, local, origin_line, safe

if TYPE_CHECKING:
    from core.services.transcription import TranscriptOrigin
    from core.services.views import LeadReview, LeadRow, Metrics, Segment, TabCounts


def one_line_literal(text: str | None) -> str:
    """Call or note text on a line of its own: every control character a picture, the
    line breaks and tabs too (a note's second line must not pass for plain mode's own)."""
    return safe(text).replace("\n", "\u240a").replace("\t", "\u2409")


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def duration(delta: timedelta) -> str:
    """An age in words, to the two largest units: "2 hours 10 minutes", "3 days 4 hours"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return plural(seconds, "second")
    minutes = seconds // 60
    if minutes < 60:
        return plural(minutes, "minute")
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        rest = f" {plural(minutes, 'minute')}" if minutes and hours < 10 else ""
        return plural(hours, "hour") + rest
    days, hours = divmod(hours, 24)
    return plural(days, "day") + (f" {plural(hours, 'hour')}" if hours else "")


def clock(seconds: float) -> str:
    """A place in the call, as said: "1:05"."""
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}:{rest:02d}"


def who(row: LeadRow) -> str:
    """The phone, then the customer's name when known."""
    phone = display_phone(row.customer_phone)
    return f"{phone}, {safe(row.customer_name)}" if row.customer_name else phone


def list_line(number: int, row: LeadRow, now: datetime) -> str:
    """One lead of a list, on one line: what to triage by first."""
    parts = [f"{number}. {who(row)}", row.status.display_name]
    parts.append(f"flagged {duration(now - row.flagged_at)} ago")
    if row.cold_at is not None and row.cold_at > now:
        parts.append(f"cold in {duration(row.cold_at - now)}")
    if row.uncertain:
        parts.append("uncertain")
    line = ", ".join(parts) + "."
    reason = brief_reason(row.reason)
    return f"{line} {safe(reason)}" if reason else line


def counts_line(counts: TabCounts, numbers: Metrics | None, enabled: bool) -> str:
    line = f"Open {counts.open}, Cold {counts.cold}, Done {counts.done}."
    if numbers is not None:
        line += (
            f" Last {numbers.days} days: {plural(numbers.scls_booked, 'SCL')} booked, "
            f"{numbers.pct_increase:.2f} percent increase."
        )
    if not enabled:
        line += " SCL is off: no call is reviewed until an administrator turns it on."
    return line


def review_lines(review: LeadReview, origin: TranscriptOrigin | None, now: datetime) -> list[str]:
    """A lead's review in the pane's order, the long transcript last."""
    row = review.row
    lines = [f"Lead {row.lead_id}: {who(row)}."]
    called = local(row.call_started_at, "%a %b %d %Y at %H:%M")
    lines.append(
        f"Called {called}, {safe(row.call_type or 'call')}, CSR {safe(row.csr_name or 'unknown')}."
    )
    status = f"Status: {row.status.display_name}. Flagged {duration(now - row.flagged_at)} ago"
    if row.cold_at is not None and row.cold_at > now:
        status += f", goes cold in {duration(row.cold_at - now)}"
    lines.append(status + ".")
    if review.location_address:
        lines.append(f"Location: {safe(review.location_address)}.")
    lines.append(f"CSR notes: {safe(review.csr_notes) or 'none'}.")
    judged = "AI summary, AI-generated, not reviewed by a person"
    if row.confidence is not None:
        judged += f"; flagged at {row.confidence:.0%} confidence".replace("%", " percent")
        if row.uncertain:
            judged += ", uncertain: read the transcript before you call"
    lines.append(f"{judged}: {safe(review.summary) or 'none'}")
    if row.reason:
        lines.append(f"Reason: {safe(row.reason)}")
    lines.append("Recording: " + ("yes." if review.recording else "none."))
    lines.extend(notes_lines(review))
    lines.extend(transcript_lines(review, origin))
    return lines


def notes_lines(review: LeadReview) -> list[str]:
    lines = [f"Notes: {len(review.notes)}." if review.notes else "Notes: none yet."]
    for note in review.notes:
        copied = f" (copied to the {note.copied_to} notes)" if note.copied_to else ""
        author, text = one_line_literal(note.author), one_line_literal(note.text)
        lines.append(f"{local(note.created_at)}, {author}{copied}: {text}")  # one item a line
    lines.append("History:")
    for entry in review.history:
        was = f"from {entry.from_status.display_name} " if entry.from_status else ""
        why = f", {safe(entry.why)}" if entry.why else ""
        lines.append(
            f"{local(entry.at)}, {was}to {entry.to_status.display_name}, "
            f"by {safe(entry.actor)}{why}."
        )
    for attempt in review.callbacks:
        lines.append(f"{local(attempt.at)}, called back by {safe(attempt.employee)}.")
    return lines


def transcript_lines(review: LeadReview, origin: TranscriptOrigin | None) -> list[str]:
    count = len(review.transcript)
    if not count:
        return ["Transcript: none."]
    head = f"Transcript, {plural(count, 'line')}"
    if review.evidence:
        head += f"; the {plural(len(review.evidence), 'line')} behind the verdict say evidence"
    lines = [head + ":"]
    if origin is not None:
        lines.append(origin_line(origin))
    lines.extend(segment_line(s, s.index in review.evidence) for s in review.transcript)
    lines.append("End of transcript.")
    return lines


def segment_line(segment: Segment, evidence: bool = False) -> str:
    mark = ", evidence" if evidence else ""
    speaker = safe(segment.speaker).capitalize() or "Unknown"
    return f"{speaker} at {clock(segment.start)}{mark}: {safe(segment.text)}"
