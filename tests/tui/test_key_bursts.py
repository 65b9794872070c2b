"""Keys typed in one burst (tmux, SSH over a slow link) land where they would at human
speed, and no key after `q` can crash the app on its way out."""

from __future__ import annotations

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input

from core.domain.statuses import LeadStatus
from core.services.leads import get_review
from scl_tui.screens.employee_form import EmployeeFormModal
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.settings import SettingsScreen
from tests.tui.conftest import SIZE, make_app, settle


def burst(app, *keys: str) -> None:  # type: ignore[no-untyped-def]
    """Keys as a terminal delivers a fast burst: all queued before the app handles one
    (Pilot's press waits for the screen between keys; a terminal does not)."""
    for key in keys:
        if len(key) == 1:
            app.post_message(events.Key(_character_to_key(key), key))
        else:
            app.post_message(events.Key(key, "\r" if key == "enter" else None))


async def typed(app, pilot) -> None:  # type: ignore[no-untyped-def]
    """Until the app has handed on every key of the burst (generous: a loaded CI), then
    until the screen is still."""
    for _ in range(400):
        await pilot.pause(0.05)
        keys = getattr(app, "_keys", None)
        if keys is None or not (keys.busy or keys.held):
            break
    await settle(app, pilot)


@pytest.mark.parametrize("after", ["b", "m", "n"])
async def test_a_key_right_after_q_leaves_the_app_without_an_error(demo_ctx, after):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "q", after)
        for _ in range(600):  # until q is handled (30 s at least: a loaded CI)
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause(0.5)  # and the key after it on the way out
    assert app._exception is None, repr(app._exception)
    assert app.return_code == 0


async def test_d1_in_one_burst_dismisses_the_selected_lead_as_reason_1(demo_ctx):
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        chosen = screen.selected_id
        burst(app, "d", "1")
        await typed(app, pilot)
        assert app.screen is screen  # the dialog opened, took its answer and closed
        assert screen.tab.value == "open"
    assert get_review(demo_ctx, "agent", str(chosen)).row.status is LeadStatus.NOT_A_LEAD


async def test_a_burst_into_the_new_employee_form_fills_each_box_in_turn(demo_ctx):
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("2")
        await settle(app, pilot)
        burst(app, "n", *"hmoreno", "enter", *"Hana Moreno", "enter", "enter", *"5125550166")
        await typed(app, pilot)
        form = app.screen
        assert isinstance(form, EmployeeFormModal)
        values = {box.id: box.value for box in form.query(Input)}
        assert values == {
            "login": "hmoreno",
            "name": "Hana Moreno",
            "role": "",
            "phone": "5125550166",
            "email": "",
        }
