"""Kinds of call the classifier must tell apart, one small call each: several topics in a
call, voicemails, and the ways a call full of service words is still not a lead."""

from __future__ import annotations

import pytest

from core.classify.base import CallForReview, Line
from core.classify.embedded import EmbeddedClassifier
from core.classify.profile import parse_profile
from tests.classify.calls import T0, call_saying

PROFILE = parse_profile(
    '[[brand]]\nname = "Ridgeline Heating and Air"\ntrades = ["hvac", "plumbing", '
    '"water_heaters", "electrical", "garage_doors"]\n'
)
CLASSIFIER = EmbeddedClassifier(PROFILE)


def call_of(said: list[tuple[str, str]], notes: str | None = None) -> CallForReview:
    return call_saying(*said, notes=notes)


def verdict(
    *lines: str, notes: str | None = None, speakers: tuple[str, ...] = ("agent", "customer")
):
    said = ("Ridgeline Heating and Air, this is Tina, how can I help?", *lines)
    return CLASSIFIER.classify(
        call_of([(speakers[i % len(speakers)], t) for i, t in enumerate(said)], notes)
    )


def test_a_new_problem_raised_after_a_billing_question_is_a_lead():
    result = verdict(
        "Hi, I got charged twice for last month's service, can you fix the invoice?",
        "I see it, I'll refund the second charge.",
        "Great. Oh, and while I have you, the upstairs unit isn't heating at all.",
        "We could send someone Thursday.",
        "Let me check with my wife and call you back.",
    )
    assert result.lead, result.reason
    assert result.reason.startswith("Caller needs furnace or heating repair")


def test_a_new_problem_after_a_bill_is_a_lead_when_the_answer_has_the_callers_label():
    # Speech recognition gave the agent's answer the caller's label, spk_0.
    call = call_of(
        [
            ("spk_0", "ridgeline heating and air this is amy"),
            ("spk_0", "hi yeah um i was calling to pay my bill from last week"),
            ("spk_1", "sure whats the address on the account"),
            (
                "spk_0",
                "forty two eleven tejon street oh and while i have you the "
                "furnace is blowing cold air again",
            ),
            ("spk_1", "ok i'll have dispatch call you to set that up"),
            ("spk_0", "ok thanks"),
        ]
    )
    result = CLASSIFIER.classify(call)
    assert result.lead, result.reason


def test_the_brands_own_name_is_no_need():
    profile = parse_profile('[[brand]]\nname = "Front Range Rooter"\ntrades = ["drains_sewer"]\n')
    call = call_of(
        [
            ("agent", "front range rooter this is amy"),
            ("customer", "hi what are your hours on saturday"),
        ]
    )
    reading = EmbeddedClassifier(profile).reader.read(call)
    assert reading.needs == []


def test_a_plumber_without_the_drain_trade_still_sells_clearing_a_clogged_sink():
    profile = parse_profile('[[brand]]\nname = "Harbor Plumbing"\ntrades = ["plumbing"]\n')
    call = call_of(
        [
            ("agent", "harbor plumbing this is joe"),
            ("customer", "yeah my kitchen sink is clogged and backing up"),
            ("agent", "we can get somebody out thursday the service fee is eighty nine"),
            ("customer", "eighty nine let me think about it and call you back"),
        ]
    )
    reading = EmbeddedClassifier(profile).reader.read(call)
    assert {need.service.name for need in reading.needs} == {"drain cleaning"}
    assert all(need.in_brand for need in reading.needs)


def read(*said: tuple[str, str]):
    return CLASSIFIER.reader.read(call_of(list(said)))


def test_a_free_return_visit_under_warranty_is_not_a_lead():
    result = verdict(
        "The AC you put in this June is dripping water inside from the coil.",
        "That's under your first year labor warranty, so no charge. Dispatch will call "
        "you this afternoon to set a time.",
        "Okay, thanks.",
    )
    assert not result.lead
    assert "warranty" in result.reason


def test_a_warranty_that_ran_out_is_a_sale_not_a_free_visit():
    reading = read(
        ("agent", "ridgeline heating and air this is tina"),
        ("customer", "you fixed my furnace last year and it's not heating again"),
        ("agent", "that was sixteen months ago so it's past our one year warranty"),
        ("customer", "seriously i need to think about it"),
    )
    assert "warranty_revisit" not in reading.cues


def test_a_place_the_agent_then_says_is_served_is_no_longer_out_of_area():
    reading = read(
        ("agent", "ridgeline heating and air this is tina"),
        ("customer", "i'm looking at a new furnace my mom's in athens"),
        ("agent", "oh we don't go to athens"),
        ("customer", "no it's for my house in roswell"),
        ("agent", "oh okay roswell we cover"),
    )
    assert "in_area_said" in reading.cues  # the rescue that cancels "we don't go to athens"


def test_a_rescue_with_nothing_to_undo_is_no_part_of_a_leads_reason():
    result = verdict(
        "Hi, my furnace is blowing cold air. Do you have anybody in Buda this week?",
        "We cover all of Buda, yes. We're out there every day.",
        "Okay, good to know. I'll call back when I know my schedule.",
    )
    assert result.lead
    assert "served" not in result.reason and "served" not in result.summary


def test_a_tradesman_from_another_company_at_the_customers_house_is_no_customer():
    reading = read(
        ("agent", "ridgeline heating and air this is tina"),
        ("customer", "hey i'm with sparks electric the homeowner hired us for some other stuff"),
        ("customer", "i need to know what breaker you used for the furnace"),
    )
    assert "other_company_tech" in reading.cues


def test_a_property_manager_who_would_pay_authorises_the_renter():
    reading = read(
        ("agent", "ridgeline heating and air this is tina"),
        ("customer", "the heat is out i rent"),
        ("customer", "i rent from bay property management they said they'd pay for it"),
    )
    assert "landlord_pays" in reading.cues


def test_a_house_number_said_in_words_with_a_time_is_a_visit_set():
    reading = read(
        ("agent", "ridgeline heating and air this is tina"),
        ("customer", "my ac quit"),
        ("agent", "i can do thursday ten to twelve"),
        ("customer", "thursday works"),
        ("agent", "and that's forty four ten west mariposa grande lane"),
        ("customer", "correct"),
    )
    assert reading.window_and_address == 4


def test_a_second_problem_raised_and_then_declined_after_a_booking_is_not_a_lead():
    result = verdict(
        "My AC is blowing warm air.",
        "I have you down for Tuesday eight to twelve at 14 Oak Street, you're all set.",
        "Perfect. What would a new thermostat cost?",
        "About two hundred installed.",
        "No thanks, I'll pass on that one.",
    )
    assert not result.lead, result.reason


def test_a_voicemail_asking_for_a_call_back_about_a_leak_is_a_lead():
    call = CallForReview(
        "K-2",
        "inbound",
        T0,
        T0,
        None,
        None,
        None,
        False,
        (
            Line(
                0,
                "agent",
                0,
                5,
                "You've reached Ridgeline. Our office is closed. Please leave a message.",
            ),
            Line(
                1,
                "agent",
                6,
                15,
                "Hi, water is coming through the ceiling from the upstairs bathroom, "
                "please call me back as soon as you can.",
            ),
        ),
    )
    result = CLASSIFIER.classify(call)
    assert result.lead, result.reason


NOT_LEADS = {
    "resolved: thermostat batteries": (
        "My furnace won't come on at all.",
        "Is the thermostat screen blank? Try new batteries.",
        "Hang on... oh, it came back on. That fixed it, thank you!",
    ),
    "resolved: a GFCI reset": (
        "None of the bathroom outlets work.",
        "Press the reset button on the outlet by the sink.",
        "Okay... it popped. They work now, thanks so much.",
    ),
    "a caller buying a part to fix it himself": (
        "My AC capacitor is bad, I just need the part, I'll replace it myself.",
        "We don't sell parts, only installed.",
        "Okay, I'll try the supply house then.",
    ),
    "a competitor collecting prices": (
        "I work for another company, we're just doing market research on your tune-up price.",
        "It's one twenty-nine.",
        "Thanks.",
    ),
    "a contractor asking for a referral": (
        "I'm a builder, we're looking for an HVAC sub to refer our clients to, do you subcontract?",
        "You'd want to talk to our owner.",
        "Okay, have him call me.",
    ),
    "an internal test call": (
        "This is just a test call, testing the phone lines after the switch.",
        "Got it, loud and clear.",
    ),
    "a complaint with no work wanted": (
        "Your tech left mud all over my carpet. I just wanted to let you know, "
        "I don't want anyone to come back.",
        "I'm so sorry, I'll pass that on.",
        "Thank you.",
    ),
    "an insurance letter for a repair already done": (
        "I'm the adjuster on a claim, you replaced the water heater there last month, "
        "I need a copy of the invoice.",
        "I can email it over.",
        "Thanks.",
    ),
}


@pytest.mark.parametrize("kind", sorted(NOT_LEADS))
def test_a_call_full_of_service_words_is_still_not_a_lead(kind):
    result = verdict(*NOT_LEADS[kind])
    assert not result.lead, f"{kind}: {result.reason}"


def test_a_supplier_voicemail_is_not_a_lead():
    call = CallForReview(
        "K-3",
        "inbound",
        T0,
        T0,
        None,
        None,
        None,
        False,
        (
            Line(
                0,
                "unknown",
                0,
                5,
                "Ridgeline Heating and Air. Please leave a message after the tone.",
            ),
            Line(
                1,
                "unknown",
                6,
                15,
                "Hey, it's Rudy at the supply house, your coil and line set "
                "order came in, it's ready for pickup at the will call counter.",
            ),
        ),
    )
    assert not CLASSIFIER.classify(call).lead


def test_a_training_role_play_noted_by_the_csr_is_not_a_lead():
    result = verdict(
        "Hi, my furnace stopped and it's freezing.",
        "Our earliest is tomorrow morning.",
        "Okay I'll think about it.",
        notes="training role-play with new hire, not a real customer",
    )
    assert not result.lead, result.reason
