"""Who said each line, worked out from what was said: phone systems label speakers badly."""

from __future__ import annotations

from core.classify.catalog import default_catalog
from core.classify.roles import Role, assign_roles

C, K, S = Role.COMPANY, Role.CALLER, Role.SYSTEM


def roles(*lines: tuple[str, str]):
    fold = default_catalog().fold
    return assign_roles([speaker for speaker, _ in lines], [fold(text) for _, text in lines])


def test_the_side_that_answers_with_a_greeting_is_the_company_even_when_labelled_customer():
    found = roles(
        ("customer", "Thanks for calling Top Notch Roofing, this is Sam, how can I help?"),
        ("agent", "Hi, my roof is leaking over the kitchen."),
        ("customer", "Okay, can I get your address?"),
        ("agent", "It's 14 Oak Street."),
    )
    assert found.roles == (C, K, C, K)


def test_labels_spk_0_and_spk_1_are_told_apart_by_what_each_says():
    found = roles(
        ("spk_1", "lone star comfort how can i help"),
        ("spk_0", "yeah my ac is blowing warm air"),
        ("spk_1", "let me check the schedule"),
        ("spk_0", "ok"),
    )
    assert found.roles == (C, K, C, K)


def test_with_every_line_labelled_customer_turns_alternate_from_the_greeting():
    found = roles(
        ("customer", "acme plumbing this is bob how can i help"),
        ("customer", "yeah my toilet is leaking bad"),
        ("customer", "ok can i get your address"),
        ("customer", "123 main street"),
    )
    assert found.roles == (C, K, C, K)


def test_ivr_prompts_hold_music_and_markers_are_the_phone_system():
    found = roles(
        ("agent", "Thank you for calling. Press one for billing, press two for service."),
        ("agent", "Para español, oprima dos."),
        ("unknown", "[music]"),
        ("customer", "[silence]"),
        ("customer", "hi my furnace is out"),
    )
    assert found.roles[:4] == (S, S, S, S) and found.roles[4] is K
    assert found.markers[2:4] == ("[music]", "[silence]")


def test_a_voicemail_greeting_is_the_system_and_every_live_line_is_the_caller():
    found = roles(
        ("agent", "You've reached Acme Heating. Our office is closed. Please leave a message."),
        ("agent", "Hi this is John, my furnace quit, please call me back."),
    )
    assert found.voicemail and found.roles == (S, K)


def test_a_caller_message_in_the_same_segment_as_the_greeting_is_kept_as_the_callers():
    found = roles(
        (
            "spk_0",
            "you have reached acme heating our office is closed please leave a message "
            "after the tone hi this is john my furnace is out call me back",
        ),
    )
    assert found.roles == (K,)
    assert found.texts[0] == "hi this is john my furnace is out call me back"


def test_the_side_that_says_the_brand_name_is_the_company_with_labels_swapped():
    fold = default_catalog().fold
    lines = [
        ("customer", "brightline electric"),
        ("agent", "hey lights flicker all over the house when the ac kicks on"),
        ("customer", "that could be a loose neutral where are you"),
        ("agent", "kennesaw call me after work"),
    ]
    found = assign_roles(
        [s for s, _ in lines], [fold(t) for _, t in lines], brands=[("brightline", "electric")]
    )
    assert found.roles == (C, K, C, K)


def test_an_answer_with_the_brand_name_shortened_marks_the_company_with_labels_swapped():
    fold = default_catalog().fold
    lines = [
        ("customer", "summit air after hours this is pam"),
        ("agent", "hi our furnace stopped it's blowing cold air"),
        ("customer", "okay i'll take your info for the on call tech"),
        ("agent", "it's seven eighteen morning street worthington"),
    ]
    found = assign_roles(
        [s for s, _ in lines],
        [fold(t) for _, t in lines],
        brands=[("summit", "air", "heating", "cooling")],
    )
    assert found.roles == (C, K, C, K)


def test_a_line_that_shares_the_previous_lines_label_but_speaks_for_the_caller_is_the_callers():
    found = roles(
        ("agent", "lift right garage doors this is ana how can i help"),
        ("agent", "hi my garage door won't open the opener's beeping"),
        ("customer", "okay we can get somebody out what's the address"),
        ("customer", "it's in westerville"),
    )
    assert found.roles[:2] == (C, K)
