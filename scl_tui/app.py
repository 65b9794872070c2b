"""The Textual app: who is using it decides which screen opens."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App
from textual.binding import Binding

from core.errors import SclError
from core.services.context import ServiceContext
from core.services.permissions import can_view_scl
from core.workers.review_worker import ReviewWorker
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.no_access import NoAccessScreen


class SclApp(App[None]):
    TITLE = "Second Chance Leads"
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit", tooltip="Leave the app"),
    ]

    def __init__(
        self,
        ctx: ServiceContext,
        login: str,
        *,
        open_lead: str | None = None,
        reviewer: ReviewWorker | None = None,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.login = login
        self.open_lead = open_lead
        self.reviewer = reviewer
        self._stop_reviewing = threading.Event()

    def on_mount(self) -> None:
        self.check_access()
        if self.reviewer is not None:
            self.review_in_background()

    def on_unmount(self) -> None:
        self._stop_reviewing.set()

    @work(thread=True, exit_on_error=False, group="review-worker")
    def review_in_background(self) -> None:
        """Due calls are reviewed while the app is open, never on the UI thread."""
        assert self.reviewer is not None
        try:
            self.reviewer.run(self._stop_reviewing)
        except Exception as error:  # the app goes on; the worker is reported, not fatal
            self.call_from_thread(self.show_error, error)

    @work(thread=True, exit_on_error=False)
    def check_access(self) -> None:
        allowed = can_view_scl(self.ctx, self.login)
        screen = LeadsScreen(open_lead=self.open_lead) if allowed else NoAccessScreen(self.login)
        self.call_from_thread(self.push_screen, screen)

    def show_error(self, error: BaseException) -> None:
        """Our refusals as a titled toast; anything else is a bug, shown plainly."""
        if isinstance(error, SclError):
            self.notify(error.message, title=error.title, severity="error")
        else:
            self.log.error(repr(error))
            self.notify(f"Unexpected error: {error}", severity="error")


def run_app(
    ctx: ServiceContext,
    login: str,
    *,
    open_lead: str | None = None,
    reviewer: ReviewWorker | None = None,
) -> None:
    SclApp(ctx, login, open_lead=open_lead, reviewer=reviewer).run()
