"""Phone numbers are normalised to E.164 by libphonenumber."""

from __future__ import annotations

import pytest

from core.domain.phones import InvalidPhone, display_phone, normalise_phone


@pytest.mark.parametrize(
    "written",
    [
        "(512) 555-0134",
        "512-555-0134",
        "512.555.0134",
        "5125550134",
        "+1 512 555 0134",
        "+15125550134",
        "1-512-555-0134",
    ],
)
def test_common_us_formats_normalise_to_e164(written):
    assert normalise_phone(written) == "+15125550134"


def test_a_foreign_number_keeps_its_country_code():
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("bad", ["", "   ", "call me", "12", "555-01"])
def test_something_that_is_not_a_phone_number_is_refused(bad):
    with pytest.raises(InvalidPhone):
        normalise_phone(bad)


@pytest.mark.parametrize("local", ["5550139", "555-0139"])
def test_a_number_without_its_area_code_is_refused_saying_so(local):
    with pytest.raises(InvalidPhone, match="has no area code"):
        normalise_phone(local)


def test_a_home_number_displays_in_national_format():
    assert display_phone("+15125550134") == "(512) 555-0134"


def test_a_foreign_number_displays_in_international_format():
    assert display_phone("+442079460958") == "+44 20 7946 0958"
