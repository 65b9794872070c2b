"""Headless Chromium (Debian's package) driven by Playwright, and what a tab's terminal
shows, read from xterm.js's own screen buffer (the page draws it on a canvas)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (CI runs as root), nothing fetched for itself (updates, sync, field trials).
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_SECONDS = 90  # a loaded 2-core CI: Chromium, `scl serve` and one app per tab
VIEWPORT = {"width": 1280, "height": 720}  # about 140×37 cells

# textual.js keeps its xterm.js Terminal to itself; the tests' copy of the script also
# hangs it on its element, so a test reads the screen as drawn.
ANCHOR = "this.terminal.open(e)"
HOOK = "this.terminal.open(e),e.sclTerminal=this.terminal"
SCREEN_JS = """() => {
    const terminal = document.querySelector("#terminal")?.sclTerminal;
    if (!terminal) return null;
    const buffer = terminal.buffer.active;
    const lines = [];
    for (let row = 0; row < terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\\n");
}"""


def need_chromium() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = "Chromium is not installed (scripts/system-deps.sh installs it)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "Playwright is not installed (the test extra has it)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)  # CI installs both: a skip there would hide a broken step
        pytest.skip(missing)


def chromium_context(playwright: Any, profile: Path) -> Any:
    """A fresh Chromium profile of its own, with bounded waits."""
    context = playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        args=ARGS,
        headless=True,
        viewport=VIEWPORT,
    )
    context.set_default_timeout(WAIT_SECONDS * 1000)
    return context


class Tab:
    """One browser tab on `scl serve`: its screen text, and keys typed into it."""

    def __init__(self, context: Any, url: str) -> None:
        self.page = context.new_page()
        self.hooked: bool | None = None
        self.requested: list[str] = []
        self.page.on("request", lambda request: self.requested.append(request.url))
        self.page.route("**/static/js/textual.js", self._expose_terminal)
        self.page.goto(url)

    def _expose_terminal(self, route: Any) -> None:
        script = route.fetch().text()
        self.hooked = ANCHOR in script
        route.fulfill(body=script.replace(ANCHOR, HOOK, 1), content_type="text/javascript")

    def screen(self) -> str:
        assert self.hooked is not False, (
            f"textual.js no longer calls {ANCHOR}: the tests' hook that reads the "
            "screen needs a new place"
        )
        return self.page.evaluate(SCREEN_JS) or ""

    def wait_for(self, *texts: str, seconds: float = WAIT_SECONDS) -> str:
        deadline = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in shown]
                raise AssertionError(f"{missing} never shown; the tab's screen:\n{shown}")
            time.sleep(0.2)

    def keys(self, *keys: str) -> None:
        """Typed as a person would, into the terminal (not a click: that picks a row)."""
        self.page.focus(".xterm-helper-textarea")
        for key in keys:
            self.page.keyboard.press(key)
            time.sleep(0.15)
