"""What every full screen of the app shares: the services, who is signed in, and a safe
way to call a service from a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from textual.screen import Screen

from core.services.context import ServiceContext

T = TypeVar("T")


class AppScreen(Screen[None]):
    @property
    def ctx(self) -> ServiceContext:
        return self.app.ctx  # type: ignore[attr-defined, no-any-return]

    @property
    def login(self) -> str:
        return self.app.login  # type: ignore[attr-defined, no-any-return]

    def _service(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Call a service from a worker thread; a failure (a refusal or a bug) is shown
        on the screen, never raised into the UI, and the caller gets None."""
        try:
            return call(*args, **kwargs)
        except Exception as error:
            self.app.call_from_thread(self.service_failed, error)
            return None

    def service_failed(self, error: Exception) -> None:
        """On the UI thread: what a failed service call shows (a screen may do more)."""
        self.app.show_error(error)  # type: ignore[attr-defined]
