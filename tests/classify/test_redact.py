"""What leaves the machine: secrets masked, everything else word for word."""

from __future__ import annotations

import pytest

from core.classify.redact import luhn_valid, mask_secrets


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
