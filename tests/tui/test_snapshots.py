"""Screenshots of the agent's screen on the demo data, at a fixed size, frozen clock."""

from __future__ import annotations

from tests.tui.conftest import make_app, settle

WIDE = (140, 40)
SMALL = (80, 24)


def settled(app):
    async def run_before(pilot) -> None:
        await settle(app, pilot)

    return run_before


class TestTabs:
    def test_open_tab(self, snap_compare, demo_ctx):
        """You should see the metrics bar, the Open tab with its count and the review pane."""
        app = make_app(demo_ctx)
        assert snap_compare(app, terminal_size=WIDE, run_before=settled(app))

    def test_cold_tab(self, snap_compare, demo_ctx):
        """You should see the Cold tab: New leads unreviewed for more than 48 hours."""
        app = make_app(demo_ctx)
        assert snap_compare(app, terminal_size=WIDE, press=["2"], run_before=settled(app))

    def test_done_tab(self, snap_compare, demo_ctx):
        """You should see the Done tab with every Done status."""
        app = make_app(demo_ctx)
        assert snap_compare(app, terminal_size=WIDE, press=["3"], run_before=settled(app))


class TestReview:
    def test_review_pane_at_80_by_24(self, snap_compare, demo_ctx):
        """You should see the first lead's review filling a small terminal."""
        app = make_app(demo_ctx)

        async def open_review(pilot) -> None:
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=SMALL, run_before=open_review)

    def test_table_at_80_by_24(self, snap_compare, demo_ctx):
        """You should see the lead table alone, usable in 80 columns."""
        app = make_app(demo_ctx)
        assert snap_compare(app, terminal_size=SMALL, run_before=settled(app))


class TestModals:
    def test_dismiss_modal(self, snap_compare, demo_ctx):
        """You should see the two dismiss reasons, numbered."""
        app = make_app(demo_ctx)

        async def open_modal(pilot) -> None:
            await settle(app, pilot)
            await pilot.press("d")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=WIDE, run_before=open_modal)

    def test_status_modal(self, snap_compare, demo_ctx):
        """You should see only the statuses a New lead may be set to by hand."""
        app = make_app(demo_ctx)

        async def open_modal(pilot) -> None:
            await settle(app, pilot)
            await pilot.press("s")
            await settle(app, pilot)

        assert snap_compare(app, terminal_size=WIDE, run_before=open_modal)


class TestAccess:
    def test_no_permission_screen(self, snap_compare, demo_ctx):
        """You should see who is signed in and what to ask an administrator for."""
        app = make_app(demo_ctx, "jmartinez")
        assert snap_compare(app, terminal_size=SMALL, run_before=settled(app))
