"""A company whose callers speak its own jargon, which the shipped model never saw.

Frostline's customers call their units "quantars" and "vexlers", and their faults
"flutterbang", "gronking"…; those calls are leads the shipped model passes over.
Calls about a unit "on the Zephyr plan" go to a partner: flagged by the shipped model
(a heating need, a call back), ruled out by Frostline's agents. Generated from a seed.
"""

from __future__ import annotations

import random

UNITS = ["quantar", "vexler", "trinoid", "blorvak"]
FAULTS = [
    "doing the flutterbang",
    "gronking",
    "in skrell mode",
    "showing the plink code",
    "doing the wubble",
    "throwing a zarn",
]
ROOMS = ["den", "loft", "garage", "back room", "basement"]
ASKS = [
    "Can a quorra crew swing by?",
    "I want the quorra crew on it.",
    "Put me down for a quorra visit.",
    "Who can come do the quorra check?",
]
ENDS = ["Okay, thanks.", "Alright, bye.", "Hmm, okay.", "Right. Thanks anyway."]
PLANS = [
    "It's under the Zephyr plan.",
    "We have the Zephyr plan on it.",
    "My landlord put it on the Zephyr plan.",
]
NEEDS = [
    "my furnace stopped blowing heat",
    "the AC is blowing warm air",
    "the heat pump is making a grinding noise",
    "my furnace keeps shutting off",
]

PROFILE = '[[brand]]\nname = "Frostline"\ntrades = ["hvac"]\n'


def jargon_lead(rng: random.Random) -> list[tuple[str, str]]:
    unit = rng.choice(UNITS)
    return [
        ("agent", "Frostline, this is Jo."),
        ("customer", f"Hi, the {unit} is {rng.choice(FAULTS)} again."),
        ("agent", f"Okay, is that the {unit} in the {rng.choice(ROOMS)}?"),
        ("customer", f"Yes. {rng.choice(ASKS)}"),
        ("agent", "We have Thursday."),
        ("customer", rng.choice(ENDS)),
    ]


def zephyr_call(rng: random.Random) -> list[tuple[str, str]]:
    return [
        ("agent", "Thanks for calling Frostline, this is Jo."),
        ("customer", f"Hi, {rng.choice(NEEDS)}. {rng.choice(PLANS)}"),
        ("agent", "The diagnostic visit is 89 dollars."),
        ("customer", "Hmm, let me talk to my husband and I'll call you back."),
    ]
