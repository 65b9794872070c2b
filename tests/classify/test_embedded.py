"""The embedded classifier, cue by cue, on small calls written for each."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.classify.base import CallForReview, Line
from core.classify.catalog import default_catalog
from core.classify.cues import CUES
from core.classify.embedded import EmbeddedClassifier
from core.classify.matcher import PhraseMatcher
from tests.classify.every_regex import EveryRegexOnEveryLine
from tests.classify.sets import TRAINING_SETS

CLASSIFIER = EmbeddedClassifier()
T0 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def call(*lines: str, name: str | None = "Dana") -> CallForReview:
    """Lines alternate agent / customer, starting with the agent's greeting."""
    said = ("Thanks for calling Lone Star Home Services, how can I help?", *lines)
    return CallForReview(
        external_id="T-1",
        direction="inbound",
        started_at=T0,
        ended_at=T0,
        call_type=None,
        csr_notes=None,
        customer_name=name,
        job_booked=False,
        transcript=tuple(
            Line(i, "agent" if i % 2 == 0 else "customer", i * 5.0, i * 5.0 + 4, text)
            for i, text in enumerate(said)
        ),
    )


def verdict(*lines: str):
    return CLASSIFIER.classify(call(*lines))


LEADS = {
    "price": (
        "My AC stopped cooling last night.",
        "What's your diagnostic fee?",
        "How much is that? Okay, I'll think about it.",
    ),
    "shopping": (
        "Our water heater is leaking in the garage.",
        "Sure.",
        "I'm getting a few quotes first, then I'll decide.",
    ),
    "call_back_later": (
        "The kitchen drain is clogged again.",
        "We can come Thursday.",
        "Let me talk to my husband and I'll call you back.",
    ),
    "dropped": (
        "The garage door spring snapped this morning.",
        "Okay, and your address?",
        "It's 14 Oak... hello? Are you still there?",
    ),
    "urgent": (
        "We have no heat and a newborn at home, can someone come today?",
        "Let me check the board.",
        "Please, it's an emergency.",
    ),
    "no_slot": (
        "The breaker keeps tripping in the kitchen.",
        "The earliest is next Friday, we're booked solid.",
        "Oh. Okay, never mind.",
    ),
    "no_show": (
        "Your technician never showed up yesterday for my furnace.",
        "I'm so sorry about that.",
        "I still need someone to fix it.",
    ),
    "landlord_pays": (
        "I rent, but my landlord said he will pay for the water heater.",
        "Great.",
        "Can you send someone this week?",
    ),
    "asking_landlord": (
        "We rent. The toilet is leaking at the base.",
        "We need the owner's OK.",
        "I'll text my landlord and call you back.",
    ),
    "actually_a_customer": (
        "Sorry, I think I dialed the wrong number.",
        "This is Lone Star.",
        "Oh wait, you do plumbing? My sink is backing up.",
    ),
}

NOT_LEADS = {
    "wrong_number": (
        "Is this Dr. Alvarez's office?",
        "No, this is Lone Star Home Services.",
        "Oh, sorry, wrong number.",
    ),
    "vendor": (
        "Hi, I'm calling from Bright Media about your Google listing.",
        "We're not interested.",
        "Can I speak to the business owner about marketing?",
    ),
    "spam": ("This is an automated message about your car warranty. Press 1 now.",),
    "existing_job": (
        "What time is the technician coming today for my appointment?",
        "Between 1 and 3.",
        "Great, thanks.",
    ),
    "billing": (
        "I got an invoice and I think I was charged twice.",
        "Let me look.",
        "Okay, please fix the bill.",
    ),
    "job_seeker": (
        "Are you hiring? I'd like to apply for the technician position.",
        "Send your resume.",
        "Thanks.",
    ),
    "renter_no_authority": (
        "The breaker in my apartment trips.",
        "Are you the owner?",
        "No, I rent. I'd rather not give you the landlord's number.",
    ),
    "not_offered": (
        "Do you do roofing? We have a leak in the roof.",
        "Sorry, we don't do roofing.",
        "Okay, bye.",
    ),
    "booked_on_call": (
        "My AC is blowing warm air.",
        "I have you down for tomorrow 8 to 10, you're all set.",
        "Thanks!",
    ),
}


@pytest.mark.parametrize("cue", sorted(LEADS))
def test_a_caller_with_a_need_and_this_cue_is_a_lead(cue):
    result = verdict(*LEADS[cue])
    assert result.lead, result.reason
    assert result.reason.startswith("Caller needs ")
    assert 0.5 < result.confidence <= 1.0


@pytest.mark.parametrize("cue", sorted(NOT_LEADS))
def test_this_cue_rules_the_call_out(cue):
    result = verdict(*NOT_LEADS[cue])
    assert not result.lead, result.reason
    rule = next(c for c in CUES if c.name == cue)
    assert result.reason == rule.says


def test_a_call_with_no_service_need_is_not_a_lead():
    result = verdict("Hi, just checking your hours.", "We're open 7 to 7.", "Thanks, bye.")
    assert not result.lead
    assert result.reason == "No service need found in the call"


def test_the_evidence_points_at_the_lines_that_decided():
    result = verdict(*LEADS["shopping"])
    assert set(result.evidence) == {1, 3}


def test_the_summary_says_who_what_why_and_what_to_say():
    result = verdict(*LEADS["shopping"])
    assert result.summary.startswith("Dana called about water heater")
    assert "Not booked: asked about price; is comparing companies" in result.summary
    assert "On the call-back: call before they choose another company" in result.summary


def test_partial_spanish_is_understood():
    result = verdict(
        "Hola, el aire no enfría desde ayer.",
        "¿Qué marca es?",
        "No sé. ¿Cuánto cuesta la visita? Tengo que hablar con mi esposo.",
    )
    assert result.lead and result.reason.startswith("Caller needs AC repair")


def test_a_question_about_booking_is_not_mistaken_for_a_booking():
    result = verdict(
        "We're thinking about a new garage door next spring.",
        "Do you want me to put you down for an estimate?",
        "No, I'll call when we're ready.",
    )
    assert result.lead


def test_with_a_single_speaker_label_every_line_may_be_the_callers():
    lines = ("My furnace won't start.", "I'll call you back after I check my budget.")
    single = CallForReview(
        "T-2",
        "inbound",
        T0,
        T0,
        None,
        None,
        None,
        False,
        tuple(Line(i, "customer", i, i + 1, text) for i, text in enumerate(lines)),
    )
    assert CLASSIFIER.classify(single).lead


def test_markup_and_escape_sequences_in_a_transcript_are_only_text():
    result = verdict("[bold red]My AC[/] \x1b[2J is not cooling", "ok", "I'll call you back")
    assert result.lead


ALL_PHRASES = [p for service in default_catalog().services for p in service.words] + [
    p for cue in CUES for p in cue.phrases
]


def _labelled_lines() -> list[str]:
    """Every line of the cue examples and of the three labelled sets, as the matcher sees
    them (lower-cased, on one line)."""
    lines = [text for group in (*LEADS.values(), *NOT_LEADS.values()) for text in group]
    for labelled in TRAINING_SETS:
        for row in labelled.calls.read_text(encoding="utf-8").splitlines():
            lines += [segment["text"] for segment in json.loads(row)["transcript"] or ()]
    return [default_catalog().fold(line) for line in lines]


def test_the_fast_matcher_finds_exactly_what_every_regex_finds():
    lines = sorted(set(_labelled_lines()))  # a line said twice can be missed only once
    matcher = PhraseMatcher(ALL_PHRASES)
    assert matcher.match(lines) == EveryRegexOnEveryLine(ALL_PHRASES).match(lines)
