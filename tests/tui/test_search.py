"""Transcript search: ] and [ step through the matches once Enter has found them, the
box and its count stay in view at 80×24, the review scrolls after a search, and a filter
that matches nothing leaves no lead's review on screen."""

from __future__ import annotations

from textual.widgets import Input, Static

from scl_tui.widgets.review_pane import ReviewPane
from scl_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import SIZE, make_app, settle


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def count_shown(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#search-status", Static).render())


async def search_for(app, pilot, word: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("slash", *word, "enter")
    await settle(app, pilot)


async def test_after_enter_the_bracket_keys_step_through_the_matches(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await search_for(app, pilot, "the")
        assert count_shown(app).startswith("1 of ")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert count_shown(app).startswith("2 of ")
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        assert count_shown(app).startswith("1 of ")
        assert app.screen.query_one("#search", Input).value == "the"


async def test_at_80_by_24_the_search_box_and_its_count_stay_in_view(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("enter")  # the review, on a narrow screen
        await settle(app, pilot)
        await search_for(app, pilot, "the")
        for _ in range(6):  # later matches, further down the transcript
            await pilot.press("right_square_bracket")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "7 of " in shown and "matches for 'the'" in shown, shown
        box = app.screen.query_one("#search", Input)
        pane = app.screen.query_one(ReviewPane)
        assert pane.region.contains_region(box.region), (box.region, pane.region)


async def test_a_filter_that_matches_nothing_clears_the_review_pane(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.query_one(TranscriptView).segments
        await pilot.press("f", *"zzzz-nothing", "enter")
        await settle(app, pilot)
        assert app.screen.rows == ()
        pane = app.screen.query_one(ReviewPane)
        assert not pane.query_one(TranscriptView).segments
        assert str(pane.query_one("#summary", Static).render()) == ""
        assert "No lead selected." in screen_text(app)
