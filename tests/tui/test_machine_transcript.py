"""A transcript made by speech recognition is marked as such in the review pane."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from core.db.transcription_models import DONE, Transcription
from core.domain.statuses import Tab
from core.services.leads import get_review, list_leads
from scl_tui.widgets.review_pane import ReviewPane
from tests.conftest import NOW
from tests.tui.conftest import SIZE, make_app, settle


def transcribed_by_a_machine(ctx, lead_id: int) -> None:
    """The call's transcript came from the worker's speech-recognition step."""
    call_id = get_review(ctx, "admin", lead_id).call_id
    with ctx.db.transaction() as session:
        session.add(
            Transcription(
                call_id=call_id,
                state=DONE,
                engine="openai-compatible 127.0.0.1:8000",
                model="Systran/faster-whisper-small",
                channels=2,
                recording_seconds=192.4,
                billed_seconds=384.8,
                attempts=1,
                updated_at=NOW - timedelta(hours=1),
                done_at=NOW - timedelta(hours=1),
            )
        )


def origin_shown(app) -> str | None:
    pane = app.screen.query_one(ReviewPane)
    line = pane.query_one("#transcript-origin", Static)
    return str(line.render()) if line.display and pane.has_class("-machine-transcript") else None


async def test_a_machine_made_transcript_names_its_model_and_engine_in_the_review(demo_ctx):
    first, second = list_leads(demo_ctx, "agent", Tab.OPEN, limit=2).rows
    transcribed_by_a_machine(demo_ctx, first.lead_id)
    app = make_app(demo_ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.selected_id == first.lead_id
        line = origin_shown(app)
        assert line is not None
        assert line.startswith("Machine-made transcript")
        assert "Systran/faster-whisper-small on openai-compatible 127.0.0.1:8000" in line
        assert "2-channel recording of 3 min 12 s" in line
        await pilot.press("j")
        await settle(app, pilot)
        assert app.screen.selected_id == second.lead_id
        assert origin_shown(app) is None  # the phone system's transcript: no mark
