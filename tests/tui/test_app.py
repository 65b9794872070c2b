"""The app as an agent meets it (Pilot). The full agent's screen is issue 5's."""

from __future__ import annotations

import time

import pytest
from textual.widgets import DataTable, Static, TabbedContent

from core.services.review import add_note
from scl_tui.app import SclApp
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.no_access import NoAccessScreen
from tests.builders import add_lead, seed_people

SIZE = (120, 36)


@pytest.fixture
def seeded(sqlite_ctx):
    seed_people(sqlite_ctx)
    return sqlite_ctx


async def settle(app, pilot):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_someone_without_the_permission_sees_what_to_ask_for_not_the_leads(seeded):
    app = SclApp(seeded, "csr")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoAccessScreen)
        text = str(app.screen.query_one("#message", Static).render())
        assert "View Second Chance Leads" in text and "administrator" in text


async def test_an_unknown_login_gets_the_same_clear_screen(seeded):
    app = SclApp(seeded, "stranger")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, NoAccessScreen)


async def test_an_agent_sees_the_open_tab_with_its_count_and_the_lead_review(seeded):
    add_lead(seeded)
    app = SclApp(seeded, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LeadsScreen)
        tabs = app.screen.query_one(TabbedContent)
        assert str(tabs.get_tab("tab-open").label) == "Open (1)"
        assert app.screen.query_one("#table-open", DataTable).row_count == 1
        review = str(app.screen.query_one("#review-body", Static).render())
        assert "AI-generated, not reviewed by a person" in review


async def test_text_from_a_call_is_shown_literally_never_as_markup(seeded):
    lead = add_lead(seeded)
    add_note(seeded, "agent", lead, "[bold red]x[/] [link=https://evil.example]y[/link] \x1b[2J")
    app = SclApp(seeded, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        review = app.screen.query_one("#review-body", Static).render()
        assert "[bold red]x[/]" in str(review)
        assert "[link=https://evil.example]" in str(review)


async def test_the_number_keys_switch_tabs(seeded):
    add_lead(seeded)
    app = SclApp(seeded, "agent")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        assert app.screen.query_one(TabbedContent).active == "tab-done"
        await pilot.press("2")
        assert app.screen.query_one(TabbedContent).active == "tab-cold"


async def test_due_calls_are_reviewed_in_the_background_while_the_app_is_open(seeded):
    from core.services.settings import set_setting
    from core.workers.review_worker import ReviewWorker, WorkerOptions
    from tests.builders import add_call
    from tests.fakes import ScriptedClassifier

    set_setting(seeded, "admin", "enabled", "true")
    add_call(seeded)
    classifier = ScriptedClassifier()
    reviewer = ReviewWorker(seeded, classifier, options=WorkerOptions(poll_seconds=0.05))
    app = SclApp(seeded, "agent", reviewer=reviewer)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 30  # generous: the suite may be busy
        while not classifier.seen and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert sum(classifier.seen.values()) == 1
    assert app._stop_reviewing.is_set()
