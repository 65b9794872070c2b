"""One browser tab's app process under `scl serve`, which tells the tab why it did not start.

textual-serve starts `scl` per tab and waits for the Textual prelude. A process that ends
before it (a broken config, a database it cannot open, an employee it may not act as)
used to leave the tab on textual-serve's splash for ever, its one-line reason only in
the server's output. Here that line is drawn in the tab's terminal instead, the
websocket stays open (reloading the page tries again), and the server carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import textwrap
from typing import Any

from textual_serve.app_service import AppService

from scl_tui.text import safe

log = logging.getLogger(__name__)

KEEP_STDERR = 64 * 1024  # what a start-up failure says fits; a runaway log does not
EXIT_SECONDS = 10  # its output has ended: the process is on its way out
RETRY = "Fix it, then reload this page to try again."


class _KeptStream:
    """The app's stderr, read by textual-serve as before, with a copy of its start kept."""

    def __init__(self, stream: asyncio.StreamReader, kept: bytearray) -> None:
        self._stream = stream
        self._kept = kept

    async def read(self, n: int = -1) -> bytes:
        data = await self._stream.read(n)
        room = KEEP_STDERR - len(self._kept)
        if room > 0:
            self._kept.extend(data[:room])
        return data


class SessionService(AppService):  # type: ignore[misc]
    """textual-serve's AppService, plus: a process that ends without drawing anything
    shows the browser the reason it gave on stderr."""

    def __init__(self, command: str, *, login: str, width: int, **options: Any) -> None:
        super().__init__(command, **options)
        self.login = login
        self.width = width
        self.started = False
        self._stopping = False
        self._stderr = bytearray()

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Any:
        process = await super()._open_app_process(width, height)
        process.stderr = _KeptStream(process.stderr, self._stderr)
        return process

    async def on_data(self, payload: bytes) -> None:
        self.started = True
        await super().on_data(payload)

    async def on_meta(self, data: bytes) -> None:
        self.started = True
        await super().on_meta(data)

    async def on_packed(self, payload: bytes) -> None:
        self.started = True
        await super().on_packed(payload)

    def _gone(self) -> bool:
        return self._process is not None and self._process.returncode is not None

    async def send_bytes(self, data: bytes) -> bool:
        # Keys typed at a tab whose app is gone would each log a broken-pipe warning.
        return False if self._gone() else await super().send_bytes(data)

    async def send_meta(self, data: dict[str, Any]) -> bool:
        return False if self._gone() else await super().send_meta(data)

    async def stop(self) -> None:
        self._stopping = True  # the tab went away: a process told to quit is no failure
        await super().stop()

    async def run(self) -> None:
        await super().run()  # until the app's output ends
        if self.started or self._stopping or self._process is None:
            return
        try:
            code: int | None = await asyncio.wait_for(self._process.wait(), EXIT_SECONDS)
        except TimeoutError:
            code = None
        reason = startup_failure(self._stderr.decode("utf-8", "replace"), code)
        log.warning("the app of %s did not start: %s", self.login, reason)
        with contextlib.suppress(ConnectionError, RuntimeError):  # the tab has gone
            await self.remote_write_bytes(failure_screen(reason, self.width))


def startup_failure(stderr: str, code: int | None) -> str:
    """The one line that says why: `scl`'s own error line ("scl: …", the last one), else
    the last line the process wrote (a log event, Python's last word), else its status."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    ours = [line for line in lines if line.startswith("scl: ")]
    if ours:
        return ours[-1].removeprefix("scl: ")
    if lines:
        return lines[-1]
    status = "was stopped" if code is None else f"exited with status {code}"
    return f"the app {status} before it drew its first screen; see the server's log"


def failure_screen(reason: str, width: int) -> bytes:
    """The terminal bytes that clear the tab's screen and say why, wrapped to its width.
    The reason is shown literally: a control character in it becomes a picture."""
    inner = max(20, min(width, 200) - 4)
    lines = [
        "\x1b[1mSecond Chance Leads could not start\x1b[0m",
        "",
        *textwrap.wrap(safe(reason), inner, break_on_hyphens=False),
        "",
        *textwrap.wrap(RETRY, inner),
    ]
    # Hide the cursor, clear, home; then each line two columns in.
    text = "\x1b[?25l\x1b[2J\x1b[H\r\n" + "".join(f"  {line}\r\n" for line in lines)
    return text.encode("utf-8")
