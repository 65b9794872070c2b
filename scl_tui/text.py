"""Turning call text and times into what the screen shows — literally, never as markup."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from rich.text import Text

from core.classify.base import LEAD_REASON_START
from core.domain import zones

if TYPE_CHECKING:
    from core.services.transcription import TranscriptOrigin

# C0 controls (but tab and newline), DEL and C1 controls: shown as visible characters
# (ESC → ␛, the Unicode "control pictures") so no escape sequence from a call reaches
# the terminal.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    return "\ufffd"  # one character for one, so search offsets still line up


def safe(text: str | None) -> str:
    return _CONTROLS.sub(_picture, text or "")


def literal(text: str | None, style: str = "") -> Text:
    """Text from a call as a Rich Text: brackets stay brackets, escapes become pictures."""
    return Text(safe(text), style=style)


def brief_reason(reason: str | None) -> str:
    """A reason as the lead list shows it: without the "Caller needs" that every lead's
    reason starts with, so the column shows what differs ("Drain cleaning; no slot…")."""
    text = reason or ""
    if text.startswith(LEAD_REASON_START):
        text = text[len(LEAD_REASON_START) :]
        return text[:1].upper() + text[1:]
    return text


def span(delta: timedelta) -> str:
    """A short age: 45s, 12m, 5h 10m, 3d 4h."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h {minutes:02d}m" if hours < 10 else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h"


# The company's time zone (settings: timezone), set when the app reads the settings;
# None: the host's own. Every time shown goes through local().
_zone: tzinfo | None = None


def use_zone(name: str) -> None:
    """Show times in this IANA zone from now on; empty: the host's own."""
    global _zone
    _zone = zones.zone_named(name)


def zone_name() -> str:
    """The zone in use, as the timezone setting names it ("": the host's)."""
    return str(_zone) if _zone is not None else ""


def local(moment: datetime, pattern: str = "%b %d %H:%M") -> str:
    return zones.shown_at(moment, _zone, pattern)


def zone_label(moment: datetime) -> str:
    """Which zone shown times are in: "America/Chicago (CST)", or the host's "CST"."""
    return zones.zone_label(moment, _zone)


def clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes:02d}:{secs:02d}"


def origin_line(origin: TranscriptOrigin) -> str:
    """A machine-made transcript said as such: by which model and engine, of what."""
    minutes, seconds = divmod(round(origin.recording_seconds), 60)
    length = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
    channels = "2-channel " if origin.channels == 2 else ""
    model = origin.model or "an unnamed model"
    engine = f" on {origin.engine}" if origin.engine else ""
    return (
        f"Machine-made transcript: speech recognition ({model}{engine}) of a {channels}"
        f"recording of {length}, {local(origin.done_at)}. Words may be misheard."
    )
