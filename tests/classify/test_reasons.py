"""Every reason says only what its evidence lines say.

For each call of every labelled set (and the demo), each claim of the reason — the
service the caller needs, why it went unbooked, what rules it out — is looked for
again in the text of the evidence lines alone, with the catalog's, the cues' and the
profile's own patterns: a reason may not state what those lines do not say.
"""

from __future__ import annotations

import re

import pytest

from core.classify.base import LEAD_REASON_START
from core.classify.catalog import default_catalog
from core.classify.cues import CUES
from core.classify.embedded import LEFT_VOICEMAIL, EmbeddedClassifier
from core.classify.profile import Brand
from core.classify.reading import (
    CAPITALISED_PLACE,
    CUT_OFF_LINE,
    CUT_OFF_MARKER,
    HOLD_MARKER,
    OFFER,
    PLACE,
    TIME_WINDOW,
    ZIP,
    Reader,
    spoken_digits,
)
from core.classify.roles import Role
from tests.classify.sets import TRAINING_SETS, call

CATALOG = default_catalog()
SAYS = {cue.says: cue for cue in CUES}
SERVICES = {service.name.lower(): service for service in CATALOG.services}
NO_CLAIM = {
    "not booked on the call",
    "No service need found in the call",
    "No caller speech: only the phone system or silence",
    "a service visit",
    "The CSR's notes say it was a training or test call",  # notes, not lines
    "No transcript: nothing to judge the call by",  # no lines to bear anything out
    "Left a voicemail that was not transcribed: listen to it",
}


def claims(reason: str) -> list[str]:
    if reason.startswith(LEAD_REASON_START):
        return reason[len(LEAD_REASON_START) :].split("; ")
    if reason.startswith("Mentions "):
        return [reason[len("Mentions ") :].split(" but shows")[0]]
    if reason.startswith("Asks for ") and ", which " in reason:
        return [reason[len("Asks for ") :].split(", which ")[0]]
    return [reason]


NO_OFFER = next(cue.says for cue in CUES if cue.name == "no_slot")


def never_offered(reading) -> bool:  # type: ignore[no-untyped-def]
    """An absence is borne out by the whole call: no company line offers a time."""
    texts = reading.roles.texts
    return not any(
        TIME_WINDOW.search(texts[i]) or OFFER.search(texts[i])
        for i in reading.lines_of(Role.COMPANY)
    )


def said(claim: str, lines: list[tuple[str, str]], brand: Brand) -> bool:
    """Do these lines ((raw, folded) text) say what the claim says?"""
    folded = [f for _, f in lines]
    if claim in NO_CLAIM:
        return True
    service = SERVICES.get(claim.lower())
    if service is not None:
        return any(re.search(w, f) for w in service.words for f in folded)
    phrases = {
        p.lower(): pattern for p, pattern in zip(brand.also, brand.also_patterns, strict=True)
    }
    phrases |= {
        p.lower(): pattern for p, pattern in zip(brand.not_, brand.not_patterns, strict=True)
    }
    if claim.lower() in phrases:
        return any(phrases[claim.lower()].search(f) for f in folded)
    if claim.startswith("Outside ") and claim.endswith("service area"):
        cue = next(c for c in CUES if c.name == "out_of_area")
        return any(
            ZIP.search(spoken_digits(f))
            or PLACE.search(f)
            or CAPITALISED_PLACE.search(raw)
            or any(re.search(p, f) for p in cue.phrases)
            for raw, f in lines
        )
    cue = SAYS.get(claim)
    if cue is None:
        return False  # a claim no pattern stands behind
    if cue.name == "dropped" and any(
        CUT_OFF_LINE.search(raw.strip()) or HOLD_MARKER.search(f) or CUT_OFF_MARKER.search(f)
        for raw, f in lines
    ):
        return True
    return any(re.search(p, f) for p in cue.phrases for f in folded)


@pytest.mark.parametrize("labelled", TRAINING_SETS, ids=lambda s: s.writer)
def test_every_reason_is_borne_out_by_its_evidence_lines(labelled):
    profile = labelled.company()
    classifier = EmbeddedClassifier(profile)
    reader = Reader(profile)
    unsupported = []
    for row, _ in labelled.rows():
        whole = call(row)
        verdict = classifier.classify(whole)
        reading = reader.read(whole)
        brand = reading.brand
        lines = [
            (line.text, CATALOG.fold(line.text))
            for line in whole.transcript
            if line.index in verdict.evidence
        ]
        missing = [
            c
            for c in claims(verdict.reason)
            if not (c == LEFT_VOICEMAIL and reading.roles.voicemail)  # the whole call's
            and not (c == NO_OFFER and never_offered(reading))
            and not said(c, lines, brand)
        ]
        if missing:
            unsupported.append(f"{whole.external_id}: {verdict.reason!r} lacks {missing}")
    assert not unsupported, "\n".join(unsupported)


def test_the_demo_furnace_that_blows_cold_air_is_summarised_as_a_heating_problem():
    demo = next(s for s in TRAINING_SETS if s.writer == "demo")
    classifier = EmbeddedClassifier(demo.company())
    rows = [row for row, _ in demo.rows() if "just blows cold air" in json_text(row)]
    assert rows
    for row in rows:
        verdict = classifier.classify(call(row))
        assert verdict.reason.startswith("Caller needs furnace or heating repair"), verdict.reason
        assert "furnace or heating repair" in verdict.summary
        assert "AC repair" not in verdict.summary and "never came" not in verdict.summary


def json_text(row: dict) -> str:
    return " ".join(segment["text"] for segment in row["transcript"] or ())
