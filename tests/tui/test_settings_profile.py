"""The company profile on the settings screen: shown brand by brand, edited as TOML by an
administrator, a refused file named by its line and nothing saved."""

from __future__ import annotations

from textual.widgets import DataTable, Static, TextArea

from core.services.audit import recent_entries
from core.services.company import get_profile
from scl_tui.screens.profile_editor import ProfileEditorModal
from scl_tui.screens.settings import SettingsScreen
from tests.tui.conftest import SIZE, make_app, settle

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


async def open_profile(app, pilot) -> SettingsScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("o")
    await settle(app, pilot)
    assert isinstance(app.screen, SettingsScreen)
    await pilot.press("5")
    await settle(app, pilot)
    return app.screen


async def edit(app, pilot, text: str) -> ProfileEditorModal:  # type: ignore[no-untyped-def]
    await pilot.press("e")
    await settle(app, pilot)
    assert isinstance(app.screen, ProfileEditorModal)
    app.screen.query_one(TextArea).text = text
    await pilot.press("f2")  # check and replay
    await settle(app, pilot)
    return app.screen


def brands(screen: SettingsScreen) -> list[list[str]]:
    table = screen.query_one("#brands", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_profile_section_shows_each_brand_with_what_it_sells_and_where(demo_ctx):
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot)
        (row,) = brands(screen)
        assert row[0] == "Lone Star Home Services"  # the demo's own profile
        assert row[1].startswith("heating and cooling, plumbing")
        assert "Austin" in row[3]


async def test_an_administrator_edits_the_profile_and_the_change_is_audited(demo_ctx):
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot)
        await edit(app, pilot, GROUP)
        await pilot.press("f2")  # save what was replayed
        await settle(app, pilot)
        assert app.screen is screen  # the editor closed
        assert [r[0] for r in brands(screen)] == ["Lone Star Comfort", "Top Notch Roofing"]
        assert brands(screen)[0][2] == "window units"
    assert [b.name for b in get_profile(demo_ctx).brands][1] == "Top Notch Roofing"
    assert recent_entries(demo_ctx, "admin", 1)[0].subject == "company profile"


async def test_a_bad_profile_names_its_line_keeps_the_editor_open_and_saves_nothing(demo_ctx):
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
        bad = GROUP.replace('"gutters"', '"gutter"')
        editor = await edit(app, pilot, bad)
        assert isinstance(app.screen, ProfileEditorModal)
        error = str(editor.query_one("#profile-error", Static).render())
        assert error.startswith("profile:8: unknown trade 'gutter'; known trades: hvac")
        assert editor.query_one(TextArea).cursor_location == (7, 0)
    assert get_profile(demo_ctx).brands[0].name == "Lone Star Home Services"


async def test_esc_leaves_the_editor_without_saving(demo_ctx):
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_profile(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one(TextArea).text = GROUP
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
    assert get_profile(demo_ctx).brands[0].name == "Lone Star Home Services"


async def test_a_changed_profile_shows_what_it_would_change_before_it_is_saved(demo_ctx):
    app = make_app(demo_ctx, login="admin")
    async with app.run_test(size=SIZE) as pilot:
        await open_profile(app, pilot)
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
