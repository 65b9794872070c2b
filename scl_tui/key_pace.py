"""Keys typed in one burst (tmux, SSH over a slow link, a paste of keys) are handed to
the app one at a time, each after the screen has finished with the one before: `d1`
opens the dismiss dialog and then picks reason 1, as it would at human speed, and a
key after `q` reaches nothing (the app is leaving)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.app import App

ROUNDS = 3  # a key's handling posts messages that post more (bubbling, mounting, focus)
ROUND_SECONDS = 2.0  # a stuck widget must not hold the keyboard for long


async def drained(app: App[object]) -> None:
    """Until the app and every widget of the screen on top have handled what was posted
    to them (as Textual's Pilot waits between keys), a few rounds over."""
    for _ in range(ROUNDS):
        try:
            pumps = [app, *app.screen.walk_children(with_self=True)]
        except Exception:  # no screen (leaving): nothing to wait for
            return
        futures = []
        for pump in pumps:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            if pump.call_later(_finish, future):
                futures.append(future)
        if futures:
            try:
                await asyncio.wait_for(asyncio.gather(*futures), ROUND_SECONDS)
            except TimeoutError:
                return


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class KeyPace:
    """Holds keys that arrive while the one before is still being handled."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self.held: list[events.Key] = []
        self.busy = False
        self.released: events.Key | None = None
        self._task: asyncio.Task[None] | None = None

    def admit(self, key: events.Key) -> bool:
        """True: hand this key on now (and wait for it before the next); False: held."""
        if key is self.released:
            self.released = None  # its turn: the pace stays busy until it is handled
        elif self.busy or self.held:
            self.held.append(key)
            return False
        self.busy = True
        self._task = asyncio.create_task(self._after())
        return True

    def drop(self) -> None:
        self.held.clear()

    async def _after(self) -> None:
        await drained(self.app)
        if not self.held:
            self.busy = False
            return
        # Back through the app's queue, so it is handled as the app handles any key.
        self.released = self.held.pop(0)
        if not self.app.post_message(self.released):
            self.drop()  # the app is closing
