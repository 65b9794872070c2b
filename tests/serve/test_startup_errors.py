"""A tab whose app cannot start shows why, and `scl serve` carries on serving."""

from __future__ import annotations

import asyncio

import aiohttp

from scl_tui.serve_session import failure_screen, startup_failure
from tests.serve.conftest import START_SECONDS, Served, still_serving

BROKEN_TOML = 'theme = "textual-dark"\n\n[secrets\n'


async def _tab_sees(port: int, *wanted: str, then_type: str = "") -> str:
    """What one tab's websocket draws, until every wanted text has been drawn; then
    each character of `then_type` is typed at it, as a key."""
    seen = ""
    timeout = aiohttp.ClientTimeout(total=START_SECONDS)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(f"http://127.0.0.1:{port}/ws?width=120&height=30") as ws,
    ):
        await ws.send_json(["resize", {"width": 120, "height": 30}])
        async for message in ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", "replace")
            elif message.type != aiohttp.WSMsgType.TEXT:
                break
            if all(text in seen for text in wanted):
                break
        for key in then_type:
            await ws.send_json(["stdin", key])
    return seen


def tab_sees(port: int, *wanted: str, then_type: str = "") -> str:
    tab = _tab_sees(port, *wanted, then_type=then_type)
    return asyncio.run(asyncio.wait_for(tab, START_SECONDS))


def test_a_tab_whose_app_cannot_read_the_config_is_told_why(served: Served):
    served.config.parent.mkdir(parents=True, exist_ok=True)
    served.config.write_text(BROKEN_TOML)
    seen = tab_sees(served.port, "could not start", "reload this page")
    assert f"{served.config}: not valid TOML" in seen and "line 3" in seen, seen[-2000:]
    assert still_serving(served)


def test_once_the_config_is_fixed_the_next_tab_gets_the_app(served: Served):
    served.config.parent.mkdir(parents=True, exist_ok=True)
    served.config.write_text(BROKEN_TOML)
    tab_sees(served.port, "could not start")
    served.config.write_text('theme = "textual-dark"\n')
    seen = tab_sees(served.port, "Second Chance Leads", "Open (")
    assert "could not start" not in seen


def test_keys_typed_at_a_tab_whose_app_is_gone_are_dropped_quietly(served: Served):
    served.config.parent.mkdir(parents=True, exist_ok=True)
    served.config.write_text(BROKEN_TOML)
    tab_sees(served.port, "could not start", then_type="jjjjjdq")
    tab_sees(served.port, "could not start")  # the server has dealt with those keys
    assert "pipe closed" not in served.output.read_text()  # once per key, before
    assert still_serving(served)


def test_the_reason_is_scl_s_own_line_among_the_log_events():
    stderr = (
        'time=2026-12-03T20:00:00Z level=info logger=core.db event="opened"\n'
        "scl: cannot open the database /srv/scl/scl.db: directory /srv/scl does not exist\n"
        'time=2026-12-03T20:00:01Z level=info logger=scl event="exit"\n'
    )
    assert startup_failure(stderr, 1) == (
        "cannot open the database /srv/scl/scl.db: directory /srv/scl does not exist"
    )


def test_a_process_that_said_nothing_is_named_by_its_exit_status():
    assert "exited with status 9 before it drew its first screen" in startup_failure("", 9)


def test_an_escape_in_the_reason_is_drawn_as_a_picture():
    drawn = failure_screen("/etc/scl/\x1b[2Jconfig.toml: cannot read", 80).decode()
    assert "/etc/scl/␛[2Jconfig.toml: cannot read" in drawn
    assert drawn.count("\x1b[2J") == 1  # ours, which clears the splash's terminal


def test_a_long_reason_is_wrapped_to_the_tab_s_width():
    lines = failure_screen("word " * 60, 40).decode().split("\r\n")
    reason = [line for line in lines if "word" in line]
    assert len(reason) > 1 and all(len(line) <= 40 for line in reason)
