"""Company settings: keys, defaults and what a valid value is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta, tzinfo

from core.domain.booking import DEFAULT_BANNER_WINDOW
from core.domain.tabs import DEFAULT_COLD_AFTER
from core.domain.zones import zone_named


@dataclass(frozen=True)
class CompanySettings:
    enabled: bool = False
    after_call_work_minutes: int = 5
    cold_after_hours: int = int(DEFAULT_COLD_AFTER.total_seconds() // 3600)
    banner_days: int = DEFAULT_BANNER_WINDOW.days
    transcribe: bool = False
    timezone: str = ""  # the company's, an IANA name; empty: each host's own

    @property
    def after_call_work(self) -> timedelta:
        return timedelta(minutes=self.after_call_work_minutes)

    @property
    def cold_after(self) -> timedelta:
        return timedelta(hours=self.cold_after_hours)

    @property
    def banner_window(self) -> timedelta:
        return timedelta(days=self.banner_days)

    @property
    def zone(self) -> tzinfo | None:
        """The zone people are shown times in; None for the host's own."""
        return zone_named(self.timezone)


@dataclass(frozen=True)
class SettingSpec:
    key: str
    label: str
    kind: type
    minimum: int = 0
    maximum: int = 0
    help: str = ""

    @property
    def name(self) -> str:
        """The label as people say it, without its unit: "After Call Work Time"."""
        return self.label.split(" (")[0]

    @property
    def unit(self) -> str:
        """The unit in the label's brackets ("minutes"), or nothing."""
        return self.label.partition(" (")[2].rstrip(")")


SETTING_SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("enabled", "SCL enabled", bool, help="Nothing is classified while off."),
        SettingSpec(
            "after_call_work_minutes",
            "After Call Work Time (minutes)",
            int,
            0,
            24 * 60,
            "Over an hour and the customer has likely found another company; under 5 "
            "minutes and the agent may still be booking the job.",
        ),
        SettingSpec(
            "cold_after_hours",
            "Cold Leads after (hours)",
            int,
            1,
            90 * 24,
            "A New lead unreviewed longer than this moves to the Cold tab.",
        ),
        SettingSpec(
            "banner_days",
            "Banner window (days)",
            int,
            1,
            90,
            "How long a lead is announced on the job booking screen.",
        ),
        SettingSpec(
            "transcribe",
            "Transcribe recordings",
            bool,
            help="Calls with a recording and no transcript are transcribed before review. "
            "Recordings leave this host only while this is on: they go to the speech "
            "server in the config ([transcription] base_url; unset: OpenAI).",
        ),
        SettingSpec(
            "timezone",
            "Time zone",
            str,
            help="Times are shown in the company's zone, named as in the IANA database "
            "(America/Chicago); empty: each host's own.",
        ),
    )
}


def parse_setting(key: str, text: str | bool | int) -> bool | int | str:
    """Turn a value from the CLI or a form into a valid setting, or raise ValueError."""
    spec = SETTING_SPECS.get(key)
    if spec is None:
        raise ValueError(f"unknown setting {key!r}; known: {', '.join(SETTING_SPECS)}")
    if spec.kind is bool:
        if isinstance(text, bool):
            return text
        word = str(text).strip().lower()
        if word in ("true", "on", "yes", "1"):
            return True
        if word in ("false", "off", "no", "0"):
            return False
        raise ValueError(f"{spec.name} must be on or off (true or false), not {text!r}")
    if spec.kind is str:
        return parse_zone(str(text))
    # Messages name the setting as the screen labels it, not by its key.
    unit = f" {spec.unit}" if spec.unit else ""
    try:
        value = int(str(text).strip())
    except ValueError:
        of = f" of{unit}" if unit else ""
        raise ValueError(f"{spec.name} must be a whole number{of}, not {text!r}") from None
    if not spec.minimum <= value <= spec.maximum:
        raise ValueError(
            f"{spec.name} must be between {spec.minimum} and {spec.maximum}{unit}, not {value}"
        )
    return value


def parse_zone(text: str) -> str:
    """A time zone's IANA name as the zone database spells it, or ValueError."""
    from zoneinfo import ZoneInfo, available_timezones

    name = text.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        known = {zone.lower(): zone for zone in available_timezones()}
        if name.lower() in known:
            return known[name.lower()]
        raise ValueError(
            f"Time zone must be a zone name such as America/Chicago, not {text!r}"
        ) from None
    return name


def format_setting(value: bool | int | str) -> str:
    """A value as the CLI takes it back: true/false, or the number."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# The seed's advice on After Call Work Time, as thresholds.
ACW_TOO_LONG_MINUTES = 60
ACW_TOO_SHORT_MINUTES = 5


def after_call_work_warning(minutes: int) -> str | None:
    """What goes wrong with this After Call Work Time, if anything."""
    if minutes > ACW_TOO_LONG_MINUTES:
        return (
            "Over an hour: by the time a lead is flagged the customer has likely found "
            "another company."
        )
    if minutes < ACW_TOO_SHORT_MINUTES:
        return (
            "Under 5 minutes: agents may still be booking the job when the call is "
            "reviewed, making leads someone must close by hand."
        )
    return None


def setting_warning(key: str, value: bool | int | str) -> str | None:
    """What goes wrong with a valid value, if anything: the one rule the settings screen
    and `scl settings` both warn by."""
    if key == "after_call_work_minutes" and isinstance(value, int):
        return after_call_work_warning(value)
    return None
