"""The company profile file: what it says, and every way a file is refused (FILE:LINE)."""

from __future__ import annotations

import pytest

from core.classify.catalog import default_catalog
from core.classify.profile import ProfileError, default_profile, parse_profile, phrase_pattern

GOOD = """\
[[brand]]
name = "Lone Star Comfort"          # as agents say it when they answer
trades = ["hvac"]
also = ["smart thermostat installation"]
not = ["window units"]
area = ["Austin", "Kyle", "787"]

[[brand]]
name = "Top Notch Roofing"
trades = ["roofing", "gutters"]
"""


def refusal(text: str) -> str:
    with pytest.raises(ProfileError) as raised:
        parse_profile(text, "company.toml")
    return str(raised.value)


def test_a_profile_lists_its_brands_with_what_each_sells_and_where():
    profile = parse_profile(GOOD, "company.toml")
    first, second = profile.brands
    assert (first.name, first.trades, first.also, first.not_) == (
        "Lone Star Comfort",
        ("hvac",),
        ("smart thermostat installation",),
        ("window units",),
    )
    assert first.towns == {"austin", "kyle"} and first.zip_prefixes == ("787",)
    assert second.trades == ("roofing", "gutters") and second.area == ()


def test_without_a_profile_the_company_does_every_trade_anywhere():
    (brand,) = default_profile().brands
    assert brand.trades == default_catalog().ids and brand.area == ()


def test_a_brand_is_found_by_its_name_whatever_the_case_and_punctuation():
    profile = parse_profile(GOOD)
    assert profile.brand_named("top notch roofing").name == "Top Notch Roofing"
    assert profile.brand_named("Someone Else") is None


def test_an_area_serves_its_towns_and_zip_prefixes_only():
    brand = parse_profile(GOOD).brands[0]
    assert brand.serves_town("Kyle") and not brand.serves_town("Waco")
    assert brand.serves_zip("78701") and not brand.serves_zip("76701")


def test_a_service_in_words_also_finds_its_plural_and_words_between():
    pattern = phrase_pattern("window units")
    assert pattern.search("the window unit in the bedroom")
    assert pattern.search("our window ac units")
    assert not pattern.search("the window is stuck")


def test_an_unknown_trade_is_refused_with_its_line_and_the_known_trades():
    message = refusal('[[brand]]\nname = "A"\ntrades = ["hvac", "roof"]\n')
    assert message.startswith("company.toml:3: unknown trade 'roof'; known trades: hvac, plumbing")
    assert "roofing" in message


def test_a_toml_syntax_error_is_refused_with_its_line():
    assert refusal('[[brand]]\nname = "A"\ntrades = ["hvac"\n\n').startswith("company.toml:3:")
    assert refusal('[[brand]]\nname = "A\ntrades = ["hvac"]\n').startswith("company.toml:2:")


def test_a_brand_without_a_name_or_trades_is_refused():
    assert refusal('[[brand]]\ntrades = ["hvac"]\n') == (
        'company.toml:1: a brand needs a name (name = "…")'
    )
    assert refusal('[[brand]]\nname = "A"\n').startswith("company.toml:1: brand 'A' has no trades")


def test_a_misspelt_key_is_refused_rather_than_ignored():
    assert refusal('[[brand]]\nname = "A"\ntradez = ["hvac"]\n').startswith(
        "company.toml:3: unknown key 'tradez' in [[brand]]"
    )


def test_a_profile_with_no_brand_is_refused():
    assert refusal("# nothing here\n").startswith("company.toml:1: no brand")


def test_the_same_brand_twice_is_refused():
    text = '[[brand]]\nname = "A"\ntrades = ["hvac"]\n\n[[brand]]\nname = "a"\ntrades = ["hvac"]\n'
    assert refusal(text) == "company.toml:6: brand 'a' is listed twice"


def test_an_area_that_is_neither_a_town_nor_a_zip_prefix_is_refused():
    assert refusal('[[brand]]\nname = "A"\ntrades = ["hvac"]\narea = ["787-01"]\n').startswith(
        "company.toml:4: area '787-01' is neither a town nor a ZIP prefix"
    )


def test_a_value_of_the_wrong_kind_is_refused():
    assert refusal('[[brand]]\nname = "A"\ntrades = "hvac"\n').startswith(
        "company.toml:3: trades must be a list"
    )


def test_a_stored_profile_gives_back_the_toml_it_was_read_from():
    assert parse_profile(GOOD).to_toml() == GOOD
    assert parse_profile(default_profile().to_toml()).brands == default_profile().brands
