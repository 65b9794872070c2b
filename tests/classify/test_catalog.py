"""The classifier's data files load, and say what the SPEC says they say."""

from __future__ import annotations

import re

import pytest

from core.classify.catalog import default_catalog
from core.classify.cues import CUES, Kind
from core.classify.roles import default_rules

SPEC_TRADES = [
    "hvac",
    "plumbing",
    "drains_sewer",
    "water_heaters",
    "water_treatment",
    "electrical",
    "generators",
    "garage_doors",
    "roofing",
    "gutters",
    "pest_control",
    "appliance_repair",
    "handyman",
    "landscaping",
    "pool_spa",
    "chimney",
    "solar",
    "septic",
    "restoration",
    "cleaning",
    "locksmith",
    "windows_doors",
    "painting",
    "flooring",
    "insulation",
]

CALLERS_SAY = {
    "hvac": [
        "my furnace won't light",
        "the heat pump is iced",
        "the air's blowing warm",
        "my a c is out",
        "the boiler packed in",
    ],
    "plumbing": ["the kitchen tap is dripping", "a pipe burst in the basement"],
    "drains_sewer": ["the shower drain is clogged", "sewage backing up"],
    "water_heaters": ["no hot water since monday", "the tankless unit"],
    "electrical": ["the breaker keeps tripping", "sparks from the outlet"],
    "garage_doors": ["the garage door spring snapped"],
    "roofing": ["shingles blew off", "a roof leak over the porch"],
    "pest_control": ["mice in the loft", "a wasps nest by the door", "roaches in the kitchen"],
    "appliance_repair": ["the dishwasher won't drain", "the dryer won't heat"],
    "handyman": ["put some shelves up", "the fence panel blew down", "regrout the bathroom tiles"],
    "locksmith": ["i'm locked out of the house", "rekey the locks"],
    "pool_spa": ["the pool is green", "the hot tub heater"],
}


def test_the_catalog_has_exactly_the_trades_of_the_spec():
    assert list(default_catalog().ids) == SPEC_TRADES


def test_every_trade_has_services_with_words_and_every_word_pattern_compiles():
    for trade in default_catalog().trades:
        assert trade.services, trade.id
        for service in trade.services:
            assert service.name and service.words, trade.id
            for word in service.words:
                re.compile(word)


def test_a_service_done_by_other_trades_names_only_trades_of_the_catalog():
    catalog = default_catalog()
    others = {t for service in catalog.services for t in service.also_done_by}
    assert others and others <= set(catalog.ids)


@pytest.mark.parametrize("trade", sorted(CALLERS_SAY))
def test_what_callers_say_is_found_under_its_trade(trade):
    catalog = default_catalog()
    services = [s for s in catalog.services if s.trade == trade]
    for said in CALLERS_SAY[trade]:
        line = catalog.fold(said)
        assert any(re.search(w, line) for s in services for w in s.words), said


def test_spoken_forms_are_folded_before_matching():
    assert default_catalog().fold("My A/C and the H-VAC  guy") == "my ac and the hvac guy"


def test_the_cues_are_named_once_and_their_rescues_undo_rule_outs():
    names = [cue.name for cue in CUES]
    assert len(names) == len(set(names))
    rule_outs = {cue.name for cue in CUES if cue.kind is Kind.RULE_OUT}
    for cue in CUES:
        assert cue.who in ("any", "customer", "agent") and cue.phrases and cue.says
        assert set(cue.cancels) <= rule_outs, cue.name
        assert (cue.weight > 0) == (cue.kind is not Kind.RULE_OUT), cue.name
        for phrase in cue.phrases:
            re.compile(phrase)


def test_no_cue_names_a_trade_the_catalog_owns():
    trade_words = {"roof", "roofing", "pest", "termite", "landscaping", "pool", "appliance"}
    for cue in CUES:
        for phrase in cue.phrases:
            assert not trade_words & set(re.findall(r"[a-z]+", phrase)), (cue.name, phrase)


def test_the_role_rules_load():
    rules = default_rules()
    assert rules.prompts.search("para español oprima dos")
    assert rules.voicemail.search("please leave a message after the tone")
    assert rules.markers.match("[silence]")
    assert rules.company.search("thanks for calling, how can i help")
