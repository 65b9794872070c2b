"""The company profile on the settings screen: shown brand by brand, edited as TOML by an
administrator, a refused file named by its line and nothing saved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from textual.widgets import DataTable, Static, TextArea

from core.services.audit import recent_entries
from core.services.company import get_profile
from core.services.context import ServiceContext
from scl_tui.screens.profile_editor import ProfileEditorModal
from scl_tui.screens.settings import SettingsScreen
from tests.tui.conftest import press, running_app, settle

GROUP = """\
[[brand]]
name = "Lone Star Comfort"
trades = ["hvac"]
not = ["window units"]

[[brand]]
name = "Top Notch Roofing"
trades = ["roofing", "gutters"]
area = ["Austin", "787"]
"""


@asynccontextmanager
async def profile_open(ctx: ServiceContext) -> AsyncIterator[tuple]:
    """(app, pilot, settings screen): an administrator's, on its profile section."""
    async with running_app(ctx, "admin") as (app, pilot):
        await press(app, pilot, "o")
        assert isinstance(app.screen, SettingsScreen)
        await press(app, pilot, "5")
        yield app, pilot, app.screen


async def edit(app, pilot, text: str) -> ProfileEditorModal:  # type: ignore[no-untyped-def]
    await press(app, pilot, "e")
    assert isinstance(app.screen, ProfileEditorModal)
    app.screen.query_one(TextArea).text = text
    await press(app, pilot, "f2")  # check and replay
    return app.screen


def brands(screen: SettingsScreen) -> list[list[str]]:
    table = screen.query_one("#brands", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_profile_section_shows_each_brand_with_what_it_sells_and_where(demo_ctx):
    async with profile_open(demo_ctx) as (_, _, screen):
        (row,) = brands(screen)
        assert row[0] == "Lone Star Home Services"  # the demo's own profile
        assert row[1].startswith("heating and cooling, plumbing")
        assert "Austin" in row[3]


async def test_an_administrator_edits_the_profile_and_the_change_is_audited(demo_ctx):
    async with profile_open(demo_ctx) as (app, pilot, screen):
        await edit(app, pilot, GROUP)
        await press(app, pilot, "f2")  # save what was replayed
        assert app.screen is screen  # the editor closed
        assert [r[0] for r in brands(screen)] == ["Lone Star Comfort", "Top Notch Roofing"]
        assert brands(screen)[0][2] == "window units"
    assert [b.name for b in get_profile(demo_ctx).brands][1] == "Top Notch Roofing"
    assert recent_entries(demo_ctx, "admin", 1)[0].subject == "company profile"


async def test_a_bad_profile_names_its_line_keeps_the_editor_open_and_saves_nothing(demo_ctx):
    async with profile_open(demo_ctx) as (app, pilot, _):
        bad = GROUP.replace('"gutters"', '"gutter"')
        editor = await edit(app, pilot, bad)
        assert isinstance(app.screen, ProfileEditorModal)
        error = str(editor.query_one("#profile-error", Static).render())
        assert error.startswith("profile:8: unknown trade 'gutter'; known trades: hvac")
        assert editor.query_one(TextArea).cursor_location == (7, 0)
    assert get_profile(demo_ctx).brands[0].name == "Lone Star Home Services"


async def test_esc_leaves_the_editor_without_saving(demo_ctx):
    async with profile_open(demo_ctx) as (app, pilot, screen):
        await press(app, pilot, "e")
        app.screen.query_one(TextArea).text = GROUP
        await press(app, pilot, "escape")
        assert app.screen is screen
    assert get_profile(demo_ctx).brands[0].name == "Lone Star Home Services"


async def test_a_changed_profile_shows_what_it_would_change_before_it_is_saved(demo_ctx):
    async with profile_open(demo_ctx) as (app, pilot, _):
        # The demo's company, turning drains away: its drain leads would go.
        narrower = (
            get_profile(demo_ctx)
            .to_toml()
            .replace("trades = [", 'not = ["drain", "sewer"]\ntrades = [')
        )
        editor = await edit(app, pilot, narrower)
        assert isinstance(app.screen, ProfileEditorModal)  # not saved yet
        summary = str(editor.query_one("#profile-replay", Static).render())
        assert "would stop being leads" in summary and "F2 again saves" in summary
        assert not get_profile(demo_ctx).brands[0].not_
        editor.query_one(TextArea).insert("# a comment\n", (0, 0))  # edited again
        await settle(app, pilot)
        assert str(editor.query_one("#profile-replay", Static).render()) == ""
