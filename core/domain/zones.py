"""The company's time zone (setting `timezone`): every time a person is shown is in it.

Empty names the host's own zone, for a company whose hosts all sit where it works.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo


def zone_named(name: str) -> tzinfo | None:
    """The zone of an IANA name as the setting stores it; None for the host's own."""
    return ZoneInfo(name) if name else None


def shown_at(moment: datetime, zone: tzinfo | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """MOMENT on the company's clock, in PATTERN."""
    return moment.astimezone(zone).strftime(pattern)


def abbreviation(moment: datetime, zone: tzinfo | None) -> str:
    """The zone's short name at MOMENT (CST in winter, CDT in summer; +03 where none)."""
    return moment.astimezone(zone).tzname() or ""


def zone_label(moment: datetime, zone: tzinfo | None) -> str:
    """Which zone times are in: "America/Chicago (CST)", or the host's "CST"."""
    short = abbreviation(moment, zone)
    name = str(zone) if zone is not None else ""
    return f"{name} ({short})" if name and short and short != name else name or short
