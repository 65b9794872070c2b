"""The Textual app: who is using it decides which screen opens."""

from __future__ import annotations

import threading
import time
from typing import Any

from textual import events as keys_and_mouse
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from core.config import AppConfig, load_config, save_config_value
from core.errors import SclError
from core.services import events, notifications
from core.services.context import ServiceContext
from core.services.permissions import can_view_scl, who_to_ask
from core.services.settings import get_settings
from core.workers.review_worker import ReviewWorker
from scl_tui.commands import (
    LeadCommands,
    PreferencesCommands,
    SettingsCommands,
    SupervisorCommands,
)
from scl_tui.key_pace import KeyPace
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.no_access import NoAccessScreen
from scl_tui.text import safe, use_zone

REPEAT_SECONDS = 5.0  # a toast repeated within this long is not shown again

POLL_SECONDS = 2.0


class SclApp(App[None]):
    TITLE = "Second Chance Leads"
    COMMANDS = App.COMMANDS | {
        LeadCommands,
        SettingsCommands,
        PreferencesCommands,
        SupervisorCommands,
    }
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave the app"),
        Binding(
            "o",
            "settings",
            "Settings",
            id="settings",
            show=False,  # in ? and the palette; the leads footer is full
            tooltip="Settings, access, roles, audit (administrators)",
        ),
        Binding("b", "book_job", "Book job", id="book_job", tooltip="The job booking screen"),
        Binding(
            "m",
            "metrics",
            "Metrics",
            id="metrics",
            show=False,  # in ? and the palette; the leads footer is full
            tooltip="Metrics and reports (supervisors)",
        ),
        Binding(
            "u",
            "preferences",
            "Preferences",
            id="preferences",
            show=False,  # in ? and the palette; the leads footer is full
            tooltip="My notification preferences: in-app, text, email",
        ),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        login: str,
        *,
        open_lead: str | None = None,
        reviewer: ReviewWorker | None = None,
        review_notice: str | None = None,
        config: AppConfig | None = None,
        poll_seconds: float | None = POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.login = login
        self.open_lead = open_lead
        self.reviewer = reviewer
        self.review_notice = review_notice  # why there is no reviewer, said once
        self.config = config or AppConfig()
        self.poll_seconds = poll_seconds
        self._stopping = threading.Event()
        self._last_event = 0
        self._theme_ready = False
        self._keys = KeyPace(self)
        self._clashes_told: set[tuple[str | None, str]] = set()
        self._said: dict[tuple[str, str], float] = {}  # toast -> when it was last shown

    def on_mount(self) -> None:
        if self.config.theme in self.available_themes:
            self.theme = self.config.theme
        self._theme_ready = True
        self.set_keymap(self.config.keymap)
        self.tell_keymap_clashes()
        self.check_access()
        if self.reviewer is not None:
            self.review_in_background()
        elif self.review_notice:
            self.notify(self.review_notice, title="Reviews", timeout=30)

    def watch_theme(self, theme: str) -> None:
        """A theme chosen in the app is remembered in the config file."""
        if self._theme_ready and theme != self.config.theme:
            self.config.theme = theme
            try:
                save_config_value("theme", theme)
            except SclError as error:
                self.show_error(error)

    async def on_event(self, event: keys_and_mouse.Event) -> None:
        if isinstance(event, keys_and_mouse.Key) and not event.is_forwarded:
            if self._stopping.is_set():
                self._keys.drop()
                return  # leaving: a key typed after q must open nothing (it would crash)
            if not self._keys.admit(event):
                return  # held until the key before it has been handled
        await super().on_event(event)

    def exit(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def, override]
        self._stopping.set()  # background loops end as soon as the app starts to leave
        super().exit(*args, **kwargs)

    def on_unmount(self) -> None:
        self._stopping.set()

    @work(thread=True, exit_on_error=False)
    def check_access(self) -> None:
        allowed = can_view_scl(self.ctx, self.login)
        self._last_event = events.latest_event_id(self.ctx)
        # Times are shown in the company's zone from the first screen on.
        use_zone(get_settings(self.ctx).timezone)
        screen: LeadsScreen | NoAccessScreen
        if allowed:
            screen = LeadsScreen(open_lead=self.open_lead)
        else:
            known, admins = who_to_ask(self.ctx, self.login)
            screen = NoAccessScreen(self.login, employee=known, admins=admins)
        self.call_from_thread(self.push_screen, screen)
        if not allowed:
            return
        # Leads announced while the app was closed (still recent) are told at once, not
        # with the next new lead.
        waiting = notifications.take_in_app(self.ctx, self.login)
        if waiting:
            screen.post_message(LeadsScreen.LeadsChanged([], waiting))
        if self.poll_seconds:
            self.call_from_thread(self.follow_changes)

    @work(thread=True, exclusive=True, group="changes", exit_on_error=False)
    def follow_changes(self) -> None:
        """Other processes and hosts change leads too: PostgreSQL's NOTIFY wakes us at
        once; elsewhere we look at the cheap change marker every few seconds."""
        assert self.poll_seconds is not None
        worker = get_current_worker()
        # A database that goes away (a restart) is waited for, told in a toast.
        events.follow_changes(
            self.ctx,
            self.check_for_changes,
            stopping=lambda: self._stopping.is_set() or worker.is_cancelled,
            poll_seconds=self.poll_seconds,
            on_status=lambda status: self.call_from_thread(
                self.notify, status.message, title="Database", severity="warning"
            ),
        )

    def check_for_changes(self) -> None:
        latest = events.latest_event_id(self.ctx)
        if latest == self._last_event:
            return
        news = events.events_after(self.ctx, self._last_event)
        self._last_event = latest
        flagged = [
            (e.lead_id, str(e.payload.get("phone", "")))
            for e in news
            if e.kind == events.LEAD_FLAGGED and e.lead_id is not None
        ]
        # The leads screen follows changes even under another screen (metrics, booking),
        # so it is up to date when the agent comes back, and its toasts still show.
        screen = next((s for s in self.screen_stack if isinstance(s, LeadsScreen)), None)
        if screen is not None:
            # In-app notices are taken (delivered) only where the toast will show them.
            notices = notifications.take_in_app(self.ctx, self.login) if flagged else []
            screen.post_message(LeadsScreen.LeadsChanged(flagged, notices))

    @work(thread=True, exit_on_error=False, group="review-worker")
    def review_in_background(self) -> None:
        """Due calls are reviewed while the app is open, never on the UI thread; the
        loop ends when the app does (Textual cancels its workers on the way out)."""
        assert self.reviewer is not None
        worker = get_current_worker()
        try:
            while not (self._stopping.is_set() or worker.is_cancelled):
                self.reviewer.run_once(self._stopping)
                self._stopping.wait(min(1.0, self.reviewer.options.poll_seconds))
        except Exception as error:  # the app goes on; the worker is reported, not fatal
            self.call_from_thread(self.show_error, error)

    def action_settings(self) -> None:
        from scl_tui.screens.access import NotAdminScreen
        from scl_tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen | NotAdminScreen):
            self.open_settings()

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def open_settings(self) -> None:
        """Administrators get the settings; anyone else is told who can help."""
        from core.services.permissions import require_admin
        from scl_tui.screens.access import NotAdminScreen
        from scl_tui.screens.settings import SettingsScreen

        try:
            require_admin(self.ctx, self.login)
            screen: Screen[None] = SettingsScreen()
        except SclError as error:
            screen = NotAdminScreen(self.login, error.message)
        except Exception as error:
            self.call_from_thread(self.show_error, error)
            return
        self.call_from_thread(self.push_screen, screen)

    def action_book_job(self) -> None:
        from scl_tui.screens.booking import BookingScreen

        if not isinstance(self.screen, BookingScreen):
            self.push_screen(BookingScreen())

    def action_metrics(self) -> None:
        from scl_tui.screens.metrics import MetricsScreen

        if not isinstance(self.screen, MetricsScreen):
            self.push_screen(MetricsScreen())

    def action_preferences(self) -> None:
        from scl_tui.screens.preferences import PreferencesScreen

        if not isinstance(self.screen, PreferencesScreen):
            self.push_screen(PreferencesScreen())

    def tell_keymap_clashes(self) -> None:
        """Textual drops a binding whose key the keymap gives another in silence (its
        clash hook misses a binding the keymap does not name): we look ourselves."""
        lost: set[Binding] = set()
        for bindings in (self.BINDINGS, LeadsScreen.BINDINGS):
            expanded = list(Binding.make_bindings(bindings))
            for binding in expanded:
                if binding.id is None or binding.id in self.config.keymap:
                    continue
                for other in expanded:
                    keys = self.config.keymap.get(other.id or "", "")
                    if binding.key in (k.strip() for k in keys.split(",") if k.strip()):
                        lost.add(binding)
        if lost:
            self.handle_bindings_clash(lost, self)

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        """A key the keymap gives one binding is taken from another: say which lost it
        (once; Textual asks again at every key)."""
        for lost in sorted(clashed_bindings, key=lambda b: (b.key, b.id or "")):
            if (lost.id, lost.key) in self._clashes_told:
                continue
            self._clashes_told.add((lost.id, lost.key))
            takers = [
                binding_id
                for binding_id, keys in self.config.keymap.items()
                if lost.key in (k.strip() for k in keys.split(","))
            ]
            key = lost.key_display or lost.key
            self.notify(
                f"Your keymap gives {key} to {', '.join(takers) or 'another binding'}: "
                f"{lost.description} ({lost.id}) lost it. Give {lost.id} a key of its "
                "own in [keymap].",
                title="Keymap clash",
                severity="warning",
                timeout=20,
            )

    def notify(self, message: str, *, title: str = "", **kwargs: Any) -> None:  # type: ignore[override]
        """Every toast, whatever its text came from (a caller's name, a reason), shows
        control characters as pictures: an escape sequence cannot reach the terminal.
        Markup only where a caller asks for it: a quoted path or name stays literal."""
        kwargs.setdefault("markup", False)
        # The same words within a few seconds (a key pressed twice, a refusal repeated)
        # show once: a second toast only buries the first.
        said, now = (title, message), time.monotonic()
        self._said = {k: t for k, t in self._said.items() if now - t < REPEAT_SECONDS}
        if said in self._said:
            return
        self._said[said] = now
        screen = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, LeadsScreen) and screen.is_mounted and screen.compact():
            timeout = kwargs.get("timeout") or self.NOTIFICATION_TIMEOUT
            severity = kwargs.get("severity", "information")
            screen.show_notice(safe(message), safe(title), severity, timeout)
            return
        super().notify(safe(message), title=safe(title), **kwargs)

    def show_error(self, error: BaseException) -> None:
        """Our refusals as a titled toast; anything else is a bug, shown plainly."""
        if isinstance(error, SclError):
            self.notify(error.message, title=error.title, severity="error", markup=False)
        else:
            self.log.error(repr(error))
            self.notify(f"Unexpected error: {error!r}", severity="error", markup=False)


def run_app(
    ctx: ServiceContext,
    login: str,
    *,
    open_lead: str | None = None,
    reviewer: ReviewWorker | None = None,
    review_notice: str | None = None,
) -> None:
    app = SclApp(
        ctx, login, open_lead=open_lead, reviewer=reviewer, review_notice=review_notice,
        config=load_config(),
    )  # fmt: skip
    app.run()
