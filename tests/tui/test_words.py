"""Words: the review names a status as the table does; one wording per refusal; a toast
never repeats itself; counts take the singular for one; and at 80×24 nothing important
is cut (the settings line, the audit's change, metrics by CSR, the note's choices)."""

from __future__ import annotations

from textual.widgets import Static

from core.domain.transitions import manual_change_refusal
from core.services import permissions
from core.services.settings import set_setting
from scl_tui.screens.note import NoteModal
from scl_tui.widgets.transcript import TranscriptView
from tests.tui.conftest import SIZE, make_app, settle

SMALL = (80, 24)


def toasts(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def test_the_review_names_the_status_as_the_table_does(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")  # Done: statuses whose full names differ from the column's
        await settle(app, pilot)
        screen = app.screen
        row = next(r for r in screen.rows if r.status.short_name != r.status.display_name)
        screen.jump_to(row)
        await settle(app, pilot)
        call = str(screen.query_one("#call", Static).render())
        assert f"Status: {row.status.short_name} ({row.status.display_name})" in call


async def test_a_final_status_is_refused_in_the_words_the_cli_uses(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        screen = app.screen
        row = next(r for r in screen.rows if r.status.is_final)
        screen.jump_to(row)
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        refusal = manual_change_refusal(row.status, row.status)
        assert refusal is not None and refusal.message in toasts(app)


async def test_a_toast_repeated_within_seconds_is_shown_once(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("t", "t")  # no transcript line chosen: the same advice twice
        await settle(app, pilot)
        said = [t for t in toasts(app) if t.startswith("Select a transcript line first")]
        assert len(said) == 1


async def test_a_single_search_match_is_counted_in_the_singular(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        view = app.screen.query_one(TranscriptView)
        text = " ".join(s.text.lower() for s in view.segments)
        word = next(w for w in text.split() if w.isalpha() and len(w) > 4 and text.count(w) == 1)
        await pilot.press("slash", *word, "enter")
        await settle(app, pilot)
        assert view.status == f"1 of 1 match for {word!r}"


# --- 80×24: wrapped or stacked, never cut -------------------------------------------------


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_at_80_by_24_the_settings_line_is_whole(demo_ctx):
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        flat = " ".join(screen_text(app).split())
        assert "New leads go Cold after 48 h." in flat


async def test_at_80_by_24_the_audit_shows_what_each_change_went_to(demo_ctx):
    set_setting(demo_ctx, "admin", "after_call_work_minutes", "90")
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("o", "4")
        await settle(app, pilot)
        assert "5 minutes → 90 minutes" in screen_text(app)


async def test_at_80_by_24_metrics_by_csr_shows_every_column(demo_ctx):
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("m", "2")
        await settle(app, pilot)
        shown = screen_text(app)
        assert "Second" in shown and "call-back" in shown


async def test_at_80_by_24_the_note_dialog_shows_each_choice_whole(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteModal)
        shown = screen_text(app)
        for choice in ("Only on the lead", "Also Customer notes", "Also Location notes"):
            assert choice in shown


class TestAt80By24:
    """80×24 snapshots of the screens whose words were cut at that size."""

    def test_settings_form(self, snap_compare, demo_ctx):
        """You should see the ON line wrapped whole over two lines and the first setting."""
        app = make_app(demo_ctx, "admin")

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(app, pilot)
            await pilot.press("o")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)

    def test_audit(self, snap_compare, demo_ctx):
        """You should see each change on two lines: what, then from → to."""
        permissions.set_role_permission(demo_ctx, "admin", "CSR", True)
        set_setting(demo_ctx, "admin", "after_call_work_minutes", "90")
        app = make_app(demo_ctx, "admin")

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(app, pilot)
            await pilot.press("o", "4")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)

    def test_metrics_by_csr(self, snap_compare, demo_ctx):
        """You should see all seven columns, their headers stacked word by word."""
        app = make_app(demo_ctx, "admin")

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(app, pilot)
            await pilot.press("m", "2")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)

    def test_note_dialog(self, snap_compare, demo_ctx):
        """You should see the note box and the three copy choices, one a line, whole."""
        app = make_app(demo_ctx)

        async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
            await settle(app, pilot)
            await pilot.press("n")
            await settle(app, pilot)
            app.screen.query_one("#text").cursor_blink = False

        assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
