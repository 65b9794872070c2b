"""Command palette: jump to a lead by phone number, switch the metrics period."""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from core.domain.metrics import PERIOD_DAYS
from core.domain.phones import display_phone
from core.services.leads import list_leads
from scl_tui.text import literal, safe

if TYPE_CHECKING:
    from scl_tui.screens.leads import LeadsScreen


class LeadCommands(Provider):
    def _screen(self) -> LeadsScreen | None:
        from scl_tui.screens.leads import LeadsScreen

        # The screen the palette was opened over (the palette itself is on top now).
        return self.screen if isinstance(self.screen, LeadsScreen) else None

    async def discover(self) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        for days in PERIOD_DAYS:
            yield DiscoveryHit(
                f"Period: last {days} days",
                partial(screen.set_period, days),
                help="Metrics over this period",
            )

    async def search(self, query: str) -> Hits:
        screen = self._screen()
        if screen is None:
            return
        matcher = self.matcher(query)
        for days in PERIOD_DAYS:
            label = f"Period: last {days} days"
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), partial(screen.set_period, days))
        digits = "".join(ch for ch in query if ch.isdigit())
        if len(digits) < 3:
            return
        app = self.app
        rows = await asyncio.to_thread(
            lambda: list_leads(app.ctx, app.login, None, limit=10, search=digits).rows  # type: ignore[attr-defined]
        )
        for row in rows:
            label = literal(f"Lead {display_phone(row.customer_phone)}  {row.status.display_name}")
            # The palette reads a str prompt or help as markup: call text goes in as Content.
            reason = Content(safe(row.reason or ""))
            yield Hit(1.0, label, partial(screen.jump_to, row), help=reason)  # type: ignore[arg-type]


class SettingsCommands(Provider):
    """The administrator's screen, from anywhere (others are told who can help)."""

    LABEL = "Settings: SCL on/off, durations, who has access, roles, audit"

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.LABEL, self.app.action_settings, help="Key o; administrators")  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        if (score := matcher.match(self.LABEL)) > 0:
            yield Hit(score, matcher.highlight(self.LABEL), self.app.action_settings)  # type: ignore[attr-defined]


class PreferencesCommands(Provider):
    """My notification preferences, from anywhere."""

    LABEL = "Preferences: how I hear of new leads (in-app, text, email)"

    async def discover(self) -> Hits:
        yield DiscoveryHit(self.LABEL, self.app.action_preferences, help="Key u")  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        if (score := matcher.match(self.LABEL)) > 0:
            yield Hit(score, matcher.highlight(self.LABEL), self.app.action_preferences)  # type: ignore[attr-defined]


class SupervisorCommands(Provider):
    """The job booking screen and the metrics and reports, from anywhere; on the metrics
    screen also its periods and the export."""

    def _commands(self) -> list[tuple[str, Any, str]]:
        from scl_tui.screens.metrics import MetricsScreen

        app: Any = self.app
        found = [
            ("Book a job: the booking screen with the SCL banner", app.action_book_job, "Key b"),
            ("Metrics and reports: by CSR, calls, CSV export", app.action_metrics, "Key m"),
        ]
        screen = app.screen_stack[-1] if app.screen_stack else None
        if isinstance(screen, MetricsScreen):
            found += [
                (f"Reports period: last {days} days", partial(screen.set_period, days), "Key p")
                for days in PERIOD_DAYS
            ]
            found.append(("Export the shown report as CSV", screen.action_export, "Key e"))
        return found

    async def discover(self) -> Hits:
        for label, run, help_text in self._commands():
            yield DiscoveryHit(label, run, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, run, help_text in self._commands():
            if (score := matcher.match(label)) > 0:
                yield Hit(score, matcher.highlight(label), run, help=help_text)
