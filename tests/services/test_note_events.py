"""A note changes no lead's version, so open apps learn of it from its own event."""

from __future__ import annotations

from core.services import events, review
from tests.builders import add_lead, seed_people


def test_a_note_publishes_an_event_naming_the_note_and_its_author(ctx):
    seed_people(ctx)
    lead = add_lead(ctx)
    before = events.latest_event_id(ctx)
    note = review.add_note(ctx, "admin", lead, "Gate code 1234")
    [event] = events.events_after(ctx, before)
    assert (event.kind, event.lead_id) == (events.LEAD_NOTED, lead)
    assert event.payload == {"note_id": note.note_id, "author": note.author}
    assert note.author == "Pat Okafor"
