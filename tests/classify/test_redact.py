"""What leaves the machine: secrets masked, everything else word for word."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.classify.base import CallForReview, Line
from core.classify.openai_classifier import OpenAIClassifier
from core.classify.redact import (
    ACCOUNT,
    CARD,
    DOB,
    EXPIRY,
    ROUTING,
    SECURITY_CODE,
    SSN,
    luhn_valid,
    mask_secrets,
    mask_transcript,
)
from core.config import OpenAIConfig
from tests.classify.fake_openai import FakeOpenAI


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("My card is 4111 1111 1111 1111.", "My card is [card number removed]."),
        ("it's 4111-1111-1111-1111 ok", "it's [card number removed] ok"),
        ("4111111111111111", "[card number removed]"),
        ("amex 3782 822463 10005 please", "amex [card number removed] please"),
        ("a 13 digit 4222222222222 card", "a 13 digit [card number removed] card"),
        ("nineteen: 6011 0009 9013 9424 009", "nineteen: [card number removed]"),
        ("it's 4111 1111 1111 1111 123", "it's [card number removed] 123"),
        (
            "four one one one, one one one one, one one one one, one one one one. Thanks",
            "[card number removed]. Thanks",
        ),
    ],
)
def test_a_card_number_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


def test_a_card_like_number_failing_the_luhn_check_is_kept():
    assert mask_secrets("order 1234567890123456 shipped") == "order 1234567890123456 shipped"


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("the security code is 123", "the security code is [security code removed]"),
        ("CVV: 1234.", "CVV: [security code removed]."),
        ("cvc is, uh, 987", "cvc is, uh, [security code removed]"),
        ("the code on the back is 456", "the code on the back is [security code removed]"),
    ],
)
def test_a_security_code_after_its_name_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("expires 03/27", "expires [expiry date removed]"),
        ("exp. 3/2027", "exp. [expiry date removed]"),
        ("the expiration date is 11-28", "the expiration date is [expiry date removed]"),
        ("expiry March 2027, ok", "expiry [expiry date removed], ok"),
        ("valid thru 0128", "valid thru [expiry date removed]"),
    ],
)
def test_an_expiry_date_after_its_name_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("my social is 123-45-6789.", "my social is [SSN removed]."),
        ("123 45 6789", "[SSN removed]"),
        ("SSN 123456789", "SSN [SSN removed]"),
    ],
)
def test_a_social_security_number_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("routing number 111000025", "routing number [routing number removed]"),
        ("Routing no. 021000021, thanks", "Routing no. [routing number removed], thanks"),
        (
            "and the account number is 000123456789.",
            "and the account number is [account number removed].",
        ),
        ("bank account 9876-5432-10", "bank account [account number removed]"),
        ("acct 55501234", "acct [account number removed]"),
    ],
)
def test_bank_numbers_after_their_names_are_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


def test_every_secret_in_one_sentence_is_masked_and_the_rest_kept():
    said = "Card 4111 1111 1111 1111, exp 03/27, CVV 123; call me at 512-555-0134."

    assert mask_secrets(said) == (
        "Card [card number removed], exp [expiry date removed], CVV [security code removed]; "
        "call me at 512-555-0134."
    )


@pytest.mark.parametrize(
    "said",
    [
        "Call me back at 512-555-0134.",
        "my number is (512) 555-0134",
        "it's +1 512 555 0134 or 1-800-555-0199",
        "5125550134",
        "512.555.0134",
        "512 555 0134 512 555 0199",
        "The account number is my phone, 512-555-0134",
        "call me back at five one two, five five five, zero one three four",
        "five one two five five five zero one three four, or five one two five five five "
        "zero one nine nine",
        "512 555 0134 and 512 555 0199",
        "Do you take credit cards? My cell is 512 555 0134 and home 512 555 0199",
    ],
)
def test_a_phone_number_is_not_masked(said: str):
    assert mask_secrets(said) == said


@pytest.mark.parametrize(
    "said",
    [
        "The diagnostic fee is $89.",
        "A new unit is $4,250.00 installed, or $4 250 with the rebate",
        "It's a Carrier 24ACC636A003, serial 1234567890, and an XR-4000 thermostat",
        "I'm at 1234 Oak Street, Austin TX 78701-1234",
        "Email me at dana@example.com",
        "Can you come on 11/20 at 2:30?",
        "My account has been open since 2019",
        "The quote expires Friday",
        "I need three new vents and one return",
        "",
    ],
)
def test_what_is_not_a_secret_is_left_alone(said: str):
    assert mask_secrets(said) == said


def test_the_luhn_check_accepts_test_cards_and_refuses_a_typo():
    assert luhn_valid("4111111111111111")
    assert luhn_valid("378282246310005")
    assert not luhn_valid("4111111111111112")


# Spoken and split forms (issue 17): what a trial sent out unmasked.


def test_a_card_read_in_words_over_several_segments_is_masked_in_each():
    said = [
        "What's the card number?",
        "four one one one",
        "one one one one, one one one one",
        "one one one one. That's a Visa.",
    ]

    assert mask_transcript(said) == [
        "What's the card number?",
        CARD,
        CARD,
        f"{CARD}. That's a Visa.",
    ]


def test_a_card_written_in_groups_on_separate_lines_is_masked():
    said = ["ok it's 4111", "1111 1111", "1111 and the zip is 78701"]

    assert mask_transcript(said) == [f"ok it's {CARD}", CARD, f"{CARD} and the zip is 78701"]


@pytest.mark.parametrize(
    "said",
    [
        "it's for one one one, one one one one, one one one one, one one one one",
        "it's four one one one, one one one one, one one one one, one one won one",
        "it's four two four two, four two four two, four two four two, four to four two",
        "it's four two four two, four two four two, four two four two, four too four two",
        "it's five five five five, five five five five, five five five five, four ate nine nine",
    ],
)
def test_a_card_with_a_misheard_digit_word_is_masked(said: str):
    assert mask_secrets(said) == f"it's {CARD}"


def test_a_card_read_between_the_agents_okays_is_masked_in_every_caller_segment():
    said = ["It's 4111 1111", "Okay.", "1111", "Mm-hmm, go on.", "1111."]

    assert mask_transcript(said) == [f"It's {CARD}", "Okay.", CARD, "Mm-hmm, go on.", f"{CARD}."]


def test_a_card_with_a_misheard_digit_breaking_the_check_is_masked_after_card_words():
    # "five" heard as "nine": the Luhn check fails, but it was read as a card.
    said = "my visa card is four one one one, one one one one, one one one one, one one one nine"

    assert mask_secrets(said) == f"my visa card is {CARD}"


def test_a_card_with_double_digits_is_masked():
    said = "four double one one, double one double one, double one double one, one double one one"

    assert mask_secrets(said) == CARD


def test_a_card_with_triple_digits_is_masked():
    said = "card's three seven eight two, eight two two four, six three one, triple oh five"

    assert mask_secrets(said) == f"card's {CARD}"


@pytest.mark.parametrize(
    "said",
    [
        "it's 4111, uh, 1111 - um 1111 and 1111 ok",
        "it's four one one one dash one one one one dash one one one one dash one one one one ok",
    ],
)
def test_a_card_with_fillers_between_its_digits_is_masked(said: str):
    assert mask_secrets(said) == f"it's {CARD} ok"


def test_a_spoken_social_security_number_is_masked():
    said = "my social is five five five, one two, three four five six"

    assert mask_secrets(said) == f"my social is {SSN}"


def test_a_social_security_number_over_two_segments_is_masked():
    said = ["and your social security number?", "it's 555 12", "3456 ok"]

    assert mask_transcript(said) == ["and your social security number?", f"it's {SSN}", f"{SSN} ok"]


def test_the_date_of_birth_said_with_a_social_is_masked():
    said = (
        "SSN is 123-45-6789 and my date of birth is April twelfth nineteen eighty five, "
        "or 4/12/1985"
    )

    assert mask_secrets(said) == (f"SSN is {SSN} and my date of birth is {DOB}, or {DOB}")


def test_the_three_digits_on_the_back_are_masked():
    said = ["And the three digits on the back?", "the three digits on the back are 7 3 2"]

    assert mask_transcript(said) == [
        "And the three digits on the back?",
        f"the three digits on the back are {SECURITY_CODE}",
    ]


def test_a_spoken_security_code_is_masked_in_the_next_segment():
    said = ["Can I get the security code?", "Yeah, seven three two."]

    assert mask_transcript(said) == ["Can I get the security code?", f"Yeah, {SECURITY_CODE}."]


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("the CVC is, uh, seven three two", f"the CVC is, uh, {SECURITY_CODE}"),
        ("cvc: seven, three, two", f"cvc: {SECURITY_CODE}"),
    ],
)
def test_a_spoken_cvc_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


@pytest.mark.parametrize(
    ("said", "sent"),
    [
        ("it's good thru 03/27", f"it's good thru {EXPIRY}"),
        ("expires March twenty-seven", f"expires {EXPIRY}"),
        ("exp oh three twenty seven", f"exp {EXPIRY}"),
        ("expiration is oh three slash twenty seven", f"expiration is {EXPIRY}"),
    ],
)
def test_a_spoken_or_good_thru_expiry_is_masked(said: str, sent: str):
    assert mask_secrets(said) == sent


def test_a_spoken_routing_number_is_masked():
    said = "routing number is zero two one, zero zero zero, zero two one"

    assert mask_secrets(said) == f"routing number is {ROUTING}"


def test_an_account_number_read_over_two_segments_is_masked():
    said = ["the checking account number is", "one two three four, five six seven eight nine"]

    assert mask_transcript(said) == ["the checking account number is", ACCOUNT]


def test_the_request_sent_to_the_model_holds_no_digit_of_a_card_split_over_segments(
    fake_openai: FakeOpenAI,
):
    call = CallForReview(
        external_id="PBX-1",
        direction="inbound",
        started_at=datetime(2026, 11, 20, 14, 3, tzinfo=UTC),
        ended_at=datetime(2026, 11, 20, 14, 7, tzinfo=UTC),
        call_type="Service",
        csr_notes=None,
        customer_name="Dana",
        job_booked=False,
        transcript=tuple(
            Line(i, "customer", i * 4.0, i * 4.0 + 3, text)
            for i, text in enumerate(["my card is 4929", "3864", "7291", "1430 thanks"])
        ),
    )
    config = OpenAIConfig(model="gpt-test", base_url=fake_openai.base_url, timeout_seconds=5)

    OpenAIClassifier(config, "sk-test").classify(call)

    sent = fake_openai.requests[0].user_message
    transcript = sent.split("Transcript:\n", 1)[1]
    assert transcript.count(CARD) == 4
    for group in ("4929", "3864", "7291", "1430"):
        assert group not in sent
