"""The footer keeps ? and the triage keys; help lists this app's keys first, grouped,
with their binding ids, as the README's table does; a keymap clash names the loser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import Footer

from core.config import AppConfig
from scl_tui.screens.help import HelpScreen
from scl_tui.widgets.review_pane import ReviewPane
from tests.tui.conftest import SIZE, make_app, settle

README = Path(__file__).resolve().parents[2] / "README.md"


def footer_text(app) -> str:  # type: ignore[no-untyped-def]
    footer = app.screen.query_one(Footer)
    strips = app.screen._compositor.render_strips()
    return strips[footer.region.y].text


async def recording_loaded(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    for _ in range(600):  # 30 s at least: a loaded CI decodes slowly
        if app.screen.query_one(ReviewPane).player.can_play:
            break
        await pilot.pause(0.05)
    assert app.screen.query_one(ReviewPane).player.can_play
    await settle(app, pilot)


@pytest.mark.parametrize("size", [SIZE, (100, 30), (80, 24)])
async def test_the_footer_keeps_help_and_the_triage_keys_with_a_recording_loaded(demo_ctx, size):
    app = make_app(demo_ctx)
    async with app.run_test(size=size) as pilot:
        await recording_loaded(app, pilot)
        shown = footer_text(app)
        assert "? Keys" in shown, shown
        for key in ("d Dismiss", "c Call back"):
            assert key in shown, shown


async def test_help_lists_this_apps_keys_first_in_groups_with_their_binding_ids(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        titles = [title for title, _ in app.screen.groups]
        assert titles[:4] == ["Triage", "Navigation", "Player", "Screens"]
        triage = {row[2]: row[0] for row in app.screen.groups[0][1]}
        assert triage["dismiss"] == "d" and triage["call_back"] == "c"


def readme_ids() -> set[str]:
    """The binding ids in the README's key tables (the third column)."""
    ids: set[str] = set()
    in_key_table = False  # only tables headed "binding id": others have three columns too
    for line in README.read_text().splitlines():
        cells = line.split("|")
        if not line.startswith("|"):
            in_key_table = False
        elif "binding id" in line:
            in_key_table = True
        elif in_key_table and len(cells) == 5:
            ids.update(re.findall(r"`([a-z_]+)`", cells[3]))
    return ids


async def test_the_readme_key_tables_list_the_keys_help_groups(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        ours = {row[2] for title, rows in app.screen.groups[:4] for row in rows}
    assert ours == readme_ids(), ours ^ readme_ids()


async def test_a_keymap_that_takes_a_key_says_which_binding_lost_it(demo_ctx):
    app = make_app(demo_ctx, config=AppConfig(keymap={"dismiss": "r"}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        toasts = [n.message for n in app._notifications]
        told = [m for m in toasts if "lost it" in m]
        assert told == [
            "Your keymap gives r to dismiss: Refresh (refresh) lost it. Give refresh a key "
            "of its own in [keymap]."
        ], toasts
