"""Customer phone numbers, normalised to E.164 with Google's libphonenumber."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


class InvalidPhone(ValueError):
    """A phone number that cannot be read as one."""


def normalise_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """'(512) 555-0134', '512.555.0134', '+1 512 555 0134' → '+15125550134'."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidPhone("phone number is empty")
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"{raw!r} is not a phone number") from exc
    # is_possible (length and shape) rather than is_valid: fictional 555-01XX
    # numbers and fresh area codes must still go through.
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        # The same seven digits are a different customer in each area code.
        raise InvalidPhone(f"{raw!r} has no area code: type the whole number")
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise InvalidPhone(f"{raw!r} is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str, region: str = DEFAULT_REGION) -> str:
    """'+15125550134' → '(512) 555-0134' at home, international format abroad."""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
