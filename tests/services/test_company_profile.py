"""The stored company profile: administrators import it whole, the change is audited,
and the review worker judges calls against it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db.models import AuditEntry
from core.services.company import get_profile, import_profile, profile_is_stored
from core.services.errors import InvalidInput, PermissionDenied
from tests.builders import seed_people

PROFILE = '[[brand]]\nname = "Top Notch Roofing"\ntrades = ["roofing", "gutters"]\n'


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def test_with_no_profile_stored_the_company_does_every_trade(ctx, people):
    assert not profile_is_stored(ctx)
    assert get_profile(ctx).brands[0].name == "Our company"


def test_an_administrator_imports_a_profile_and_the_change_is_audited(ctx, people):
    import_profile(ctx, "admin", PROFILE, "roofing.toml")
    assert get_profile(ctx).brands[0].name == "Top Notch Roofing"
    with ctx.db.transaction() as session:
        entry = session.scalars(select(AuditEntry)).one()
        assert (entry.subject, entry.old_value, entry.new_value) == (
            "company profile",
            None,
            PROFILE,
        )


def test_only_an_administrator_imports_a_profile(ctx, people):
    with pytest.raises(PermissionDenied, match="administrator"):
        import_profile(ctx, "agent", PROFILE, "roofing.toml")
    assert not profile_is_stored(ctx)


def test_a_bad_profile_is_refused_with_its_line_and_the_stored_one_stays(ctx, people):
    import_profile(ctx, "admin", PROFILE, "roofing.toml")
    with pytest.raises(InvalidInput, match=r"^new\.toml:3: unknown trade 'roof'"):
        import_profile(ctx, "admin", '[[brand]]\nname = "X"\ntrades = ["roof"]\n', "new.toml")
    assert get_profile(ctx).brands[0].name == "Top Notch Roofing"


def _roof_call(ctx, brand: str | None = None) -> int:
    """A caller whose roof leaks, answered with a greeting that names no brand."""
    from core.db.models import Call, TranscriptSegment
    from tests.builders import add_call

    call_id = add_call(ctx)
    lines = [
        ("agent", "Thanks for calling, how can I help?"),
        ("customer", "Hi, my roof is leaking into the bedroom, I need someone out this week."),
        ("agent", "Our first opening is Monday."),
        ("customer", "Let me talk to my wife and I'll call you back."),
    ]
    with ctx.db.transaction() as session:
        session.get(Call, call_id).brand = brand
        for i, (speaker, text) in enumerate(lines):
            session.add(
                TranscriptSegment(
                    call_id=call_id,
                    idx=i,
                    speaker=speaker,
                    start=i * 5.0,
                    end=i * 5.0 + 4,
                    text=text,
                )
            )
    return call_id


def _review(ctx):
    from core.classify.embedded import EmbeddedClassifier
    from core.services.settings import set_setting
    from core.workers.review_worker import ReviewWorker

    set_setting(ctx, "admin", "enabled", "true")
    ReviewWorker(ctx, EmbeddedClassifier()).run_once()


def _verdict(ctx, call_id):
    from core.db.models import Call

    with ctx.db.transaction() as session:
        call = session.get(Call, call_id)
        return call.review_is_lead, call.review_reason, call.review_classifier


def test_the_worker_judges_a_call_against_the_stored_profile(ctx, people):
    import_profile(
        ctx,
        "admin",
        '[[brand]]\nname = "Lone Star Comfort"\ntrades = ["hvac"]\nnot = ["roof leaks"]\n\n'
        + PROFILE,
        "group.toml",
    )
    for_hvac = _roof_call(ctx)  # no brand named anywhere: the first brand, which does no roofs
    for_roofer = _roof_call(ctx, brand="Top Notch Roofing")
    _review(ctx)
    lead, reason, _ = _verdict(ctx, for_hvac)
    assert not lead and reason == "Asks for roof leaks, which Lone Star Comfort turns away"
    assert _verdict(ctx, for_roofer)[0] is True


def test_each_verdict_records_the_classifier_and_version_that_made_it(ctx, people):
    from core.classify.model import default_model

    call_id = _roof_call(ctx)
    _review(ctx)
    assert _verdict(ctx, call_id)[2] == f"embedded {default_model().version}"


def test_an_imported_call_keeps_the_brand_its_export_names(ctx, people, tmp_path):
    import json

    from core.db.models import Call
    from core.services.importer import import_files

    row = {
        "external_id": "BR-1",
        "direction": "inbound",
        "customer_phone": "(512) 555-0134",
        "started_at": "2026-11-20T14:03:11-06:00",
        "ended_at": "2026-11-20T14:07:52-06:00",
        "job_booked": False,
        "brand": " Top Notch Roofing ",
    }
    export = tmp_path / "calls.jsonl"
    export.write_text(
        json.dumps(row) + "\n" + json.dumps({**row, "external_id": "BR-2", "brand": None}) + "\n"
    )
    assert import_files(ctx, [export]).imported == 2
    with ctx.db.transaction() as session:
        brands = dict(session.execute(select(Call.external_id, Call.brand)).all())
    assert brands == {"BR-1": "Top Notch Roofing", "BR-2": None}
