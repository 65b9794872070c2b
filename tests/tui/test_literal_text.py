"""Text from calls, people and the classifier reaches the screen literally: the escapes a
terminal answers (with keystrokes!) show as control pictures, Rich markup as brackets."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from textual.command import CommandList
from textual.containers import Vertical
from textual.widgets._toast import Toast

from core.classify.base import Verdict
from core.db.models import Call
from core.domain.statuses import LeadStatus
from core.services import review
from core.services.context import ServiceContext
from core.services.flagging import record_verdict
from core.services.importer import import_files
from core.services.leads import get_review
from core.services.permissions import set_employee_override
from scl_tui.screens.access import EmployeeAccessModal
from scl_tui.screens.leads import LeadsScreen
from scl_tui.screens.settings import SettingsScreen
from tests.tui.conftest import make_app, palette_offers, settle

# Device attributes, cursor position, window title, clipboard (OSC 52) queries, a C1 CSI
# — each makes a terminal type its answer — and markup that would style or click.
ANSWERED = "\x1b[c \x1b[6n \x1b[21t \x1b]52;c;?\x07 \x9b6n"
MARKUP = "[bold red]x[/] [@click=app.quit]q[/]"
EVIL = f"{ANSWERED} {MARKUP}"
PICTURES = ("␛[c", "␛[6n", "␛[21t", "␛]52;c;?␇", "\ufffd6n")
TALL = (160, 120)  # the whole review pane on one screen


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Every character on the screen, as the terminal would be sent it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def region_text(app, widget) -> str:  # type: ignore[no-untyped-def]
    """The characters on the screen inside one widget (not the screen behind a modal)."""
    region = widget.region
    strips = app.screen._compositor.render_strips()[region.y : region.bottom]
    return "\n".join(strip.crop(region.x, region.right).text for strip in strips)


def assert_literal(text: str, *, markup: tuple[str, ...] = ("[bold red]x[/]",)) -> None:
    raw = sorted(
        {f"{ord(ch):#x}" for ch in text if (ch < " " and ch != "\n") or "\x7f" <= ch <= "\x9f"}
    )
    assert not raw, f"control characters reached the screen: {raw}"
    for picture in PICTURES:
        assert picture in text, f"{picture!r} is not shown"
    for brackets in markup:
        assert brackets in text, f"{brackets!r} is not shown literally"


def seed_evil_call(ctx: ServiceContext, tmp_path: Path) -> tuple[int, str]:
    """A call whose every text field carries the escapes, flagged with an evil reason and
    summary, with a note by an employee whose name (their CSR login) carries them too."""
    ended = ctx.clock.now() - timedelta(minutes=10)
    login = f"csr {EVIL}"
    call = {
        "external_id": f"PBX {EVIL}",
        "direction": "inbound",
        "customer_phone": "+15125550199",
        "customer_name": f"Dana {EVIL}",
        "started_at": (ended - timedelta(minutes=4)).isoformat(),
        "ended_at": ended.isoformat(),
        "call_type": f"Service {EVIL}",
        "csr": login,
        "csr_notes": f"notes {EVIL}",
        "job_booked": False,
        "recording": f"recordings/{EVIL}.wav",
        "transcript": [
            {"speaker": f"customer{EVIL}", "start": 0.0, "end": 2.0, "text": f"hi {EVIL}"},
            {"speaker": "agent", "start": 2.0, "end": 4.0, "text": "How can I help?"},
        ],
    }
    export = tmp_path / "evil.jsonl"
    export.write_text(json.dumps(call) + "\n")
    report = import_files(ctx, [export])
    assert report.imported == 1, report.problems
    with ctx.db.transaction() as session:
        stored = session.scalars(select(Call).where(Call.external_id == call["external_id"])).one()
        verdict = Verdict(True, 0.9, f"Caller needs AC {EVIL}", (0,), f"Summary {EVIL}")
        lead = record_verdict(session, stored, verdict, ctx.clock.now())
        assert lead is not None
        session.flush()
        lead_id = lead.id
    set_employee_override(ctx, "admin", login, True)
    review.add_note(ctx, login, lead_id, f"note {EVIL}")
    return lead_id, login


async def test_escapes_and_markup_in_every_field_of_a_call_show_literally_on_the_leads_screen(
    demo_ctx, tmp_path
):
    lead_id, _ = seed_evil_call(demo_ctx, tmp_path)
    app = make_app(demo_ctx)
    async with app.run_test(size=TALL) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LeadsScreen)
        assert screen.review is not None and screen.review.row.lead_id == lead_id
        text = screen_text(app)
        assert "customer␛[c" in text  # the speaker label
        assert_literal(text, markup=("[bold red]x[/]", "[@click=app.quit]q[/]"))
    assert get_review(demo_ctx, "admin", lead_id).row.status is LeadStatus.NEW


async def test_a_palette_hit_shows_a_reason_with_markup_literally(demo_ctx, tmp_path):
    seed_evil_call(demo_ctx, tmp_path)
    app = make_app(demo_ctx)
    async with app.run_test(size=TALL) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"5125550199")
        await palette_offers(app, pilot, "Caller needs AC")
        text = region_text(app, app.screen.query_one(CommandList))
        assert "Caller needs AC" in text
        assert_literal(text, markup=("[bold red]x[/]", "[@click=app.quit]q[/]"))


async def test_the_access_editor_shows_an_employees_login_and_name_literally(demo_ctx, tmp_path):
    _, login = seed_evil_call(demo_ctx, tmp_path)
    app = make_app(demo_ctx, "admin")
    async with app.run_test(size=TALL) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await pilot.press("2")
        await settle(app, pilot)
        assert_literal(screen_text(app))
        person = next(p for p in screen.page.people if p.login == login)
        await app.push_screen(EmployeeAccessModal(person))
        await settle(app, pilot)
        assert_literal(region_text(app, app.screen.query_one(Vertical)))


async def test_a_toast_shows_markup_from_a_call_literally_unless_asked_for_markup(demo_ctx):
    """A recording path from a call quoted in a warning must not become a clickable quit."""
    app = make_app(demo_ctx)
    async with app.run_test(size=TALL, notifications=True) as pilot:
        await settle(app, pilot)
        app.notify(f"Recording not found: {MARKUP}.wav", severity="warning")
        await settle(app, pilot)
        toast = app.screen.query_one(Toast)
        text = region_text(app, toast)
        assert "[bold red]x[/]" in text and "[@click=app.quit]q[/]" in text
