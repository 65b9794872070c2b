"""Build the scl-tui demo data set.

Writes two files next to this script:

* ``demo/calls.jsonl``: about two hundred calls of a fictional call center,
  "Lone Star Home Services" (HVAC, plumbing, electrical, garage doors), in the
  call-export JSON Lines format of ``SPEC.md`` plus one extra field, ``demo``,
  that the real importer ignores and the demo loader reads (see ``README.md``);
* ``demo/employees.json``: the roles and employees of that call center.

Run ``python data/build_demo.py``. Only the standard library is used and every
random choice comes from one ``random.Random(SEED)``, so two runs give
byte-identical files.

Transcripts are assembled from scenario templates kept as data below. A
template line is a string ``"CODE: text"``, the code saying who speaks:

* ``A``: the agent; ``A~``: the agent, and then the caller waits on hold;
* ``C``: the customer; ``C*``: the customer, in a line the recorded classifier
  verdict cites as evidence (it shows the need, or why nothing was booked);
* ``@: contact``: placeholder for the contact question of a booking (the name,
  or the email when the name was already taken).

Texts hold ``{slots}`` filled from the call: the customer, the agent, details
of the issue, appointment days. Every phone number is a fictional 555-01XX.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SEED = 20261120
TZ = timezone(timedelta(hours=-6))
NOW = datetime(2026, 11, 20, 17, 30, tzinfo=TZ)
"""The newest call ends exactly here; the loader shifts every time so it is "now"."""
WINDOW_DAYS = 90
AFTER_CALL_WORK = timedelta(minutes=5)
COMPANY = "Lone Star Home Services"
OUT_DIR = Path(__file__).resolve().parent / "demo"
# Where each recorded call's segments are spoken (written by build_recordings.py).
TIMINGS_FILE = OUT_DIR / "recordings" / "timings.json"
TIMINGS: dict[str, Any] = (
    json.loads(TIMINGS_FILE.read_text(encoding="utf-8")) if TIMINGS_FILE.is_file() else {}
)
PERMISSION = "View Second Chance Leads"

Line = str  # "CODE: text", see the module docstring
Exchange = list[Line]

# --------------------------------------------------------------------------- employees

ROLES: list[dict[str, Any]] = [
    {"name": "Administrator", "permissions": []},
    {"name": "CSR Supervisor", "permissions": [PERMISSION]},
    {"name": "Call Center Agent", "permissions": [PERMISSION]},
    {"name": "CSR", "permissions": []},
]

# login, name, role, is_admin, phone, permission_override, (in_app, sms, email)
EMPLOYEES: list[tuple[str, str, str, bool, str | None, bool | None, tuple[bool, bool, bool]]] = [
    ("admin", "Pat Okafor", "Administrator", True, "(512) 555-0190", None, (True, False, True)),
    ("agent", "Alex Rivera", "Call Center Agent", False, "512-555-0191", None, (True, True, False)),
    (
        "lthompson",
        "Linda Thompson",
        "CSR Supervisor",
        False,
        "(737) 555-0192",
        None,
        (True, True, True),
    ),
    (
        "rwilson",
        "Ryan Wilson",
        "Call Center Agent",
        False,
        "512.555.0193",
        False,
        (True, False, False),
    ),
    ("mgarcia", "Maria Garcia", "CSR", False, "(512) 555-0194", None, (True, False, False)),
    ("jmartinez", "Jordan Martinez", "CSR", False, "+15125550195", None, (True, False, False)),
    ("tnguyen", "Tuan Nguyen", "CSR", False, "(737) 555-0196", None, (True, False, False)),
    ("kbrooks", "Kayla Brooks", "CSR", False, None, True, (True, False, True)),
    ("dreyes", "Diego Reyes", "CSR", False, "830-555-0197", None, (True, False, False)),
    ("bcole", "Brianna Cole", "CSR", False, "(512) 555-0198", None, (True, False, False)),
]
EMPLOYEE_FIRST = {login: name.split()[0] for login, name, *_ in EMPLOYEES}
RESERVED_NUMBERS = {
    (digits[-10:-7], digits[-4:])
    for digits in ("".join(ch for ch in e[4] if ch.isdigit()) for e in EMPLOYEES if e[4])
}
"""Employee phone numbers, kept out of the customers' pool."""

# Who answers inbound calls, and how often.
CSR_WEIGHTS: dict[str, int] = {
    "mgarcia": 5,
    "jmartinez": 5,
    "tnguyen": 4,
    "kbrooks": 4,
    "dreyes": 4,
    "bcole": 3,
    "rwilson": 2,
    "lthompson": 1,
}
# Who places outbound calls.
OUTBOUND_WEIGHTS: dict[str, int] = {
    "mgarcia": 3,
    "jmartinez": 3,
    "bcole": 2,
    "dreyes": 2,
    "agent": 2,
}
# Who works the Second Chance Leads (everyone here has the permission).
ACTOR_WEIGHTS: dict[str, int] = {"agent": 6, "lthompson": 3, "kbrooks": 2, "admin": 1}

FIELD_TECHS = ["Marcus", "Ray", "Luis", "Devin", "Tony", "Cody", "Andre"]

# --------------------------------------------------------------------------- customers

# fmt: off
MEN_NAMES = [
    "Kevin", "Marcus", "Luis", "Greg", "Brian", "Tyler", "Hector", "Derek", "Chris", "Sam", "Omar",
    "Jason", "Paul", "Raj", "Carlos", "Wes", "Andrew", "Trent", "Victor", "Dale", "Ben", "Ethan",
    "Frank", "Mike", "Scott"
]
WOMEN_NAMES = [
    "Dana", "Priya", "Jennifer", "Amanda", "Tasha", "Rosa", "Megan", "Lauren", "Vanessa", "Karen",
    "Erin", "Beth", "Monica", "Tiffany", "Heather", "Stephanie", "Nicole", "Gloria", "Kim",
    "Ashley", "Yolanda", "Courtney", "Linh", "Rachel", "Alicia"
]
FIRST_NAMES = [(name, "F") for name in WOMEN_NAMES] + [(name, "M") for name in MEN_NAMES]
LAST_NAMES = [
    "Whitfield", "Nguyen", "Patel", "Hernandez", "Kowalski", "Brooks", "Delgado", "Sutton",
    "Ramirez", "O'Neal", "Fischer", "Castillo", "Pham", "Henderson", "Villarreal", "Moore",
    "Jablonski", "Tran", "Gutierrez", "Lindqvist", "Okonkwo", "Salazar", "Becker", "Ortiz",
    "Franklin", "Medina", "Schwartz", "Le", "Dawson", "Reyna", "Holloway", "Chavez", "McAllister",
    "Ibarra", "Sorensen", "Washington", "Guerrero", "Kaplan", "Trevino", "Yates"
]
# fmt: on
STREETS = [
    ("Maple Ridge Dr", "Maple Ridge Drive"),
    ("Cedar Bend Ln", "Cedar Bend Lane"),
    ("Pecan Hollow Trl", "Pecan Hollow Trail"),
    ("Live Oak St", "Live Oak Street"),
    ("Bluebonnet Ct", "Bluebonnet Court"),
    ("Mesquite Bend Dr", "Mesquite Bend Drive"),
    ("Canyon View Rd", "Canyon View Road"),
    ("Willow Creek Dr", "Willow Creek Drive"),
    ("Limestone Ln", "Limestone Lane"),
    ("Hackberry Ct", "Hackberry Court"),
    ("Agarita Way", "Agarita Way"),
    ("Post Oak Cv", "Post Oak Cove"),
    ("Red Bud Trl", "Red Bud Trail"),
    ("Sotol Dr", "Sotol Drive"),
    ("Blue Heron Ln", "Blue Heron Lane"),
    ("Prairie Clover Pass", "Prairie Clover Pass"),
    ("Cypress Point Dr", "Cypress Point Drive"),
    ("Quarry Hill Rd", "Quarry Hill Road"),
    ("Sage Meadow Ln", "Sage Meadow Lane"),
    ("Windmill Ranch Rd", "Windmill Ranch Road"),
]
# area code -> (city, ZIP codes)
CITIES: dict[str, list[tuple[str, list[str]]]] = {
    "512": [
        ("Austin", ["78745", "78748", "78704", "78758", "78749"]),
        ("Round Rock", ["78664", "78681"]),
        ("Pflugerville", ["78660"]),
        ("Cedar Park", ["78613"]),
        ("Georgetown", ["78626", "78628"]),
        ("Kyle", ["78640"]),
        ("Buda", ["78610"]),
    ],
    "737": [
        ("Austin", ["78745", "78759", "78723"]),
        ("Leander", ["78641"]),
        ("Hutto", ["78634"]),
        ("San Marcos", ["78666"]),
    ],
    "830": [
        ("New Braunfels", ["78130", "78132"]),
        ("Seguin", ["78155"]),
        ("Canyon Lake", ["78133"]),
    ],
}
PHONE_STYLES = ["paren", "dash", "e164", "dot", "bare"]


@dataclass
class Caller:
    """Someone who calls or is called: a customer, or a vendor, a robocall..."""

    first: str
    last: str
    area: str
    number: str  # the four digits after 555, "0100".."0199"
    spouse: str = "wife"
    house: int = 0
    street: tuple[str, str] = ("", "")
    city: str = ""
    zip: str = ""
    is_customer: bool = True
    shown_name: str | None = None  # caller ID name for non-customers

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def record_name(self) -> str | None:
        return self.name if self.is_customer else self.shown_name

    @property
    def address(self) -> str | None:
        if not self.is_customer:
            return None
        return f"{self.house} {self.street[0]}, {self.city}, TX {self.zip}"

    def phone(self, style: str) -> str:
        """The number formatted the way one phone system or another writes it."""
        a, n = self.area, self.number
        return {
            "paren": f"({a}) 555-{n}",
            "dash": f"{a}-555-{n}",
            "e164": f"+1{a}555{n}",
            "dot": f"{a}.555.{n}",
            "bare": f"{a}555{n}",
        }[style]


def make_callers(rng: random.Random) -> list[Caller]:
    """Every free 555-01XX number, shuffled, each given a person and a home."""
    numbers = [(area, f"01{i:02d}") for area in CITIES for i in range(100)]
    numbers = [n for n in numbers if n not in RESERVED_NUMBERS]
    rng.shuffle(numbers)
    callers = []
    seen: set[str] = set()
    for area, number in numbers:
        while True:
            first, sex = rng.choice(FIRST_NAMES)
            last = rng.choice(LAST_NAMES)
            if f"{first} {last}" not in seen:
                seen.add(f"{first} {last}")
                break
        city, zips = rng.choice(CITIES[area])
        callers.append(
            Caller(
                first=first,
                last=last,
                area=area,
                number=number,
                spouse="wife" if sex == "M" else rng.choice(["husband", "husband", "wife"]),
                house=rng.randrange(100, 19999),
                street=rng.choice(STREETS),
                city=city,
                zip=rng.choice(zips),
            )
        )
    return callers


# --------------------------------------------------------------------------- issues

TRADE_FEES = {"HVAC": "$89", "Plumbing": "$79", "Electrical": "$89", "Garage Doors": "$69"}
EMERGENCY_FEE = "$189"
PLAN_PRICE = "$179"

AC_SEASON = (date(2026, 8, 1), date(2026, 10, 20))
HEAT_SEASON = (date(2026, 10, 18), date(2026, 12, 31))

ISSUES: list[dict[str, Any]] = [
    {
        "key": "ac_not_cooling",
        "job": "the AC repair",
        "trade": "HVAC",
        "call_type": "Service",
        "season": AC_SEASON,
        "urgent": True,
        "visit": "a technician",
        "need": "AC repair",
        "thing": "the AC",
        "problem": "an AC that runs but blows warm air ({brand}, about {age} years old)",
        "slots": {
            "brand": ["Trane", "Carrier", "Lennox", "Goodman", "Rheem", "American Standard"],
            "age": ["eight", "ten", "twelve", "fifteen"],
            "temp": ["eighty-two", "eighty-four", "eighty-six", "eighty-eight"],
        },
        "openings": [
            [
                "C*: Hi, yeah, my AC is running but it's just blowing warm air. "
                "It's {temp} in the house right now."
            ],
            [
                "C*: Hey, um, our air conditioner stopped cooling sometime last night. "
                "The fan's going but the air coming out is warm."
            ],
            [
                "C*: Hi there. So our AC is running, the thermostat's set to seventy-two, "
                "but it's {temp} in here and climbing."
            ],
        ],
        "details": [
            [
                "A: Oh no, not in this heat. Is the unit outside running? Can you hear the fan?",
                "C: I think so? It's humming, but I don't think the fan on top is spinning.",
            ],
            [
                "A: Do you know what kind of system it is and about how old?",
                "C: It's a {brand}, about {age} years old. "
                "We've never really had problems with it.",
            ],
            [
                "A: Have you checked the air filter recently?",
                "C: Yeah, I changed it last month. "
                "That was the first thing my {spouse} told me to check.",
            ],
            [
                "A: Is there any ice on the copper line going into the house?",
                "C: Uh, let me look... no, no ice, but it's kind of sweating.",
            ],
        ],
    },
    {
        "key": "furnace_no_ignite",
        "job": "the furnace repair",
        "trade": "HVAC",
        "call_type": "Service",
        "season": HEAT_SEASON,
        "urgent": True,
        "visit": "a technician",
        "need": "furnace repair",
        "thing": "the furnace",
        "problem": "a gas furnace that clicks but won't light ({brand}, about {age} years old)",
        "slots": {
            "brand": ["Trane", "Carrier", "Lennox", "Goodman", "Rheem"],
            "age": ["twelve", "fifteen", "eighteen", "twenty"],
            "indoor": ["sixty-one", "fifty-nine", "sixty-two"],
        },
        "openings": [
            [
                "C*: Hi, our furnace isn't working. It clicks like it's trying to light "
                "and then nothing, it just blows cold air."
            ],
            [
                "C*: Yeah, hi, first cold night of the year and of course the heater "
                "won't come on. It's {indoor} degrees in the house."
            ],
        ],
        "details": [
            [
                "A: Is it a gas furnace or a heat pump?",
                "C: Gas, I'm pretty sure. It's up in the attic, it's a {brand}.",
            ],
            [
                "A: About how old is it?",
                "C: Honestly, probably {age} years? It came with the house.",
            ],
            [
                "A: When it tries to start, do you hear a click or a whoosh?",
                "C: It clicks a few times, the fan kicks on, and then it just gives up.",
            ],
            [
                "A: Have you checked the batteries in the thermostat?",
                "C: Yep, put new ones in this morning. The screen's on and it says heat.",
            ],
        ],
    },
    {
        "key": "tune_up",
        "job": "the tune-up",
        "trade": "HVAC",
        "call_type": "Maintenance",
        "season": None,
        "urgent": False,
        "visit": "a technician",
        "need": "HVAC tune-up",
        "thing": "a tune-up",
        "problem": "a seasonal tune-up for their {brand} system",
        "slots": {"brand": ["Trane", "Carrier", "Lennox", "Goodman", "Rheem", "Daikin"]},
        "openings": [
            [
                "C*: Hi, I'd like to get someone out to do a tune-up on our heater "
                "before it gets cold."
            ],
            [
                "C*: Hey, I'm calling to schedule maintenance on our AC and furnace. "
                "It's been a couple years, honestly."
            ],
        ],
        "details": [
            [
                "A: Sure. Is it just the one system, or do you have two?",
                "C: Just one, it's a {brand}. Upstairs and downstairs on the same unit.",
            ],
            [
                "A: Are you a Comfort Club member with us?",
                "C: No, I don't think so. What's that?",
                "A: It's our maintenance plan, " + PLAN_PRICE + " a year. "
                "Two tune-ups and fifteen percent off repairs.",
            ],
            [
                "A: Any problems with it right now, or just routine?",
                "C: Just routine. Well, it makes a little rattle when it kicks on, "
                "but nothing major.",
            ],
        ],
        "price_q": "How much is a tune-up, by itself?",
        "price_a": "A single tune-up is $119, or it's included in the Comfort Club at "
        + PLAN_PRICE
        + " a year.",
    },
    {
        "key": "system_replacement",
        "job": "the estimate for a new system",
        "trade": "HVAC",
        "call_type": "Estimate",
        "season": None,
        "urgent": False,
        "visit": "a comfort advisor",
        "need": "HVAC replacement estimate",
        "thing": "replacing our system",
        "estimate": True,
        "problem": "a quote to replace their {old_age}-year-old {brand} system",
        "slots": {
            "brand": ["Trane", "Carrier", "Goodman", "Rheem", "Ruud"],
            "old_age": ["eighteen", "twenty", "twenty-two"],
            "sqft": ["eighteen hundred", "twenty-two hundred", "twenty-six hundred"],
        },
        "openings": [
            [
                "C*: Hi, we've been putting money into our old AC for years and I think "
                "it's time to replace the whole system. Do you do free estimates?"
            ],
            [
                "C*: Hi, yeah, another company told us our unit is on its last legs, "
                "so I'm looking to get a quote on a new one."
            ],
        ],
        "details": [
            [
                "A: How old is the system you have now?",
                "C: It's a {brand}, {old_age} years old. Still uses the old freon, I think.",
            ],
            [
                "A: And how big is the house, roughly?",
                "C: About {sqft} square feet, two stories.",
            ],
            [
                "A: Are you looking at just the AC or the furnace too?",
                "C: Probably both? I don't really know, "
                "that's kind of why I want someone to come look.",
            ],
        ],
        "price_q": "Can you give me a ballpark? Like are we talking five thousand, ten thousand?",
        "price_a": "It depends on the size and the efficiency, but most full systems we "
        "install run between nine and fourteen thousand, and there's financing.",
    },
    {
        "key": "water_heater_leak",
        "job": "the water heater",
        "trade": "Plumbing",
        "call_type": "Service",
        "season": None,
        "urgent": True,
        "visit": "a plumber",
        "need": "water heater repair or replacement",
        "thing": "the water heater",
        "problem": "a water heater leaking in the garage (gas tank from {wh_year})",
        "slots": {
            "wh": [
                {"wh_year": "2013", "wh_age": "thirteen"},
                {"wh_year": "2011", "wh_age": "fifteen"},
                {"wh_year": "2014", "wh_age": "twelve"},
            ]
        },
        "openings": [
            ["C*: Hi, our water heater is leaking. There's water all over the garage floor."],
            [
                "C*: Yeah, hi, um, I just went out to the garage and there's a puddle under "
                "the water heater, and it's dripping from the bottom."
            ],
        ],
        "details": [
            [
                "A: Okay. First thing, do you see a shutoff valve on the cold line "
                "going into the top of it?",
                "C: I think so, there's a valve on top. I turned it, "
                "and it mostly stopped dripping.",
            ],
            [
                "A: Is it gas or electric, and do you know how old it is?",
                "C: Gas. The sticker says {wh_year}, so, what, {wh_age} years old?",
            ],
            [
                "A: Is the water coming from the tank itself or from a pipe on top?",
                "C: From the bottom, I think. It's all rusty looking around the base.",
            ],
        ],
    },
    {
        "key": "no_hot_water",
        "job": "the water heater repair",
        "trade": "Plumbing",
        "call_type": "Service",
        "season": None,
        "urgent": False,
        "visit": "a plumber",
        "need": "water heater repair",
        "thing": "the water heater",
        "problem": "no hot water; the pilot on their gas water heater won't stay lit",
        "slots": {"wh_brand": ["Rheem", "A.O. Smith", "Bradford White", "State"]},
        "openings": [
            [
                "C*: Hi, we've had no hot water since yesterday. I tried relighting the pilot "
                "and it won't stay lit."
            ],
            [
                "C*: Hey, so I've got three kids and no hot water, which is, you know, "
                "a nightmare. The water heater just isn't heating."
            ],
        ],
        "details": [
            [
                "A: Is it a gas or an electric water heater?",
                "C: Gas. It's a {wh_brand}, a fifty gallon, in the garage.",
            ],
            [
                "A: When you try to light it, does the pilot come on at all?",
                "C: It lights, I hold the button down for like a minute, "
                "and as soon as I let go it goes out.",
            ],
            [
                "A: Any water around the base of it?",
                "C: No, it's dry. It's just not making hot water.",
            ],
        ],
    },
    {
        "key": "kitchen_drain",
        "job": "the drain cleaning",
        "trade": "Plumbing",
        "call_type": "Service",
        "season": None,
        "urgent": False,
        "visit": "a plumber",
        "need": "drain cleaning",
        "thing": "the kitchen drain",
        "problem": "a clogged kitchen sink that backs up",
        "slots": {},
        "openings": [
            [
                "C*: Hi, my kitchen sink is clogged. Both sides are full of water "
                "and it's not going down at all."
            ],
            [
                "C*: Hi, yeah, I need somebody to clear a drain. The kitchen sink backs up "
                "into the other side every time the dishwasher runs."
            ],
        ],
        "details": [
            [
                "A: Have you tried anything on it yet, a plunger or drain cleaner?",
                "C: I did the Drano thing twice, and I plunged it. Nothing. It just gurgles.",
            ],
            [
                "A: Are any other drains slow, like the tubs or the toilets?",
                "C: No, just the kitchen. Everything else seems fine.",
            ],
            [
                "A: Is the garbage disposal working?",
                "C: It hums but it doesn't spin. I don't know if that's related.",
            ],
        ],
    },
    {
        "key": "sewer_backup",
        "job": "the sewer line cleaning",
        "trade": "Plumbing",
        "call_type": "Emergency",
        "season": None,
        "urgent": True,
        "visit": "a plumber",
        "need": "sewer line clearing",
        "thing": "the sewer backup",
        "problem": "sewage backing up into the tub and toilets",
        "slots": {},
        "openings": [
            [
                "C*: Hi, I need a plumber, like now. The toilet and the tub are backing up "
                "and it smells like sewage."
            ],
            [
                "C*: Hi, um, every time we flush, water comes up in the bathtub downstairs. "
                "It's... it's gross, it's sewage."
            ],
        ],
        "details": [
            [
                "A: Okay, I'm sorry, that's no fun. Is it coming up in more than one bathroom?",
                "C: Yeah, the hall bath and the master. The kitchen's fine I think.",
            ],
            [
                "A: Do you know if you have a cleanout outside? Usually a white pipe with a cap, "
                "near the house.",
                "C: There's a white pipe in the flower bed out front, yeah. Should I open it?",
            ],
            [
                "A: Have you had the line cleared before?",
                "C: Once, maybe three years ago. They said there were roots, "
                "from the big oak out front.",
            ],
        ],
    },
    {
        "key": "sump_pump",
        "job": "the sump pump",
        "trade": "Plumbing",
        "call_type": "Service",
        "season": None,
        "urgent": False,
        "visit": "a plumber",
        "need": "sump pump repair",
        "thing": "the sump pump",
        "problem": "a crawlspace sump pump that won't kick on",
        "slots": {},
        "openings": [
            [
                "C*: Hi, the sump pump in our crawlspace isn't kicking on, "
                "and they're calling for a lot of rain this week."
            ],
            [
                "C*: Yeah, hi, I think our sump pump died. There's standing water in the pit "
                "and it's just sitting there."
            ],
        ],
        "details": [
            [
                "A: Is the pump getting power? Sometimes it's on a GFCI outlet that trips.",
                "C: I pushed the reset on the outlet, the light's green, "
                "but the pump still does nothing.",
            ],
            [
                "A: Do you know how old the pump is?",
                "C: The previous owner put it in, so at least eight years, maybe more.",
            ],
            [
                "A: Is any water getting into the house itself?",
                "C: Not yet, it's just the crawlspace. "
                "But the last time it rained hard it got close.",
            ],
        ],
    },
    {
        "key": "panel_upgrade",
        "job": "the panel upgrade estimate",
        "trade": "Electrical",
        "call_type": "Estimate",
        "season": None,
        "urgent": False,
        "visit": "an electrician",
        "need": "electrical panel upgrade",
        "thing": "a panel upgrade",
        "estimate": True,
        "problem": "replacing their 100-amp {panel_brand} panel",
        "slots": {"panel_brand": ["Federal Pacific", "Zinsco", "Challenger"]},
        "openings": [
            [
                "C*: Hi, we're looking at upgrading our electrical panel. The inspector "
                "flagged it when we bought the house."
            ],
            [
                "C*: Hi, I need a quote on a new breaker panel. Ours is the old "
                "{panel_brand} one, and everybody keeps telling me it's a fire hazard."
            ],
        ],
        "details": [
            [
                "A: Do you know what size the current panel is?",
                "C: A hundred amp, I think. It's a {panel_brand}, "
                "the inspector put it in red on the report.",
            ],
            [
                "A: Are you planning to add anything big, like an EV charger or a pool?",
                "C: Maybe an EV charger next year. We also want a mini split in the garage.",
            ],
            [
                "A: Is the panel inside or outside the house?",
                "C: Outside, on the side of the garage, next to the meter.",
            ],
        ],
        "price_q": "Roughly what does something like that cost?",
        "price_a": "Most panel upgrades run between twenty-five hundred and four thousand, "
        "depending on the size and the permit.",
    },
    {
        "key": "breaker_tripping",
        "job": "the electrical repair",
        "trade": "Electrical",
        "call_type": "Service",
        "season": None,
        "urgent": False,
        "visit": "an electrician",
        "need": "electrical repair (tripping breaker)",
        "thing": "the breaker",
        "problem": "a kitchen breaker that keeps tripping",
        "slots": {},
        "openings": [
            [
                "C*: Hi, the breaker for my kitchen keeps tripping. Every time I run "
                "the microwave and the toaster, boom, it's off."
            ],
            [
                "C*: Hey, so we've got a breaker that trips like five times a day now. "
                "I keep resetting it and it keeps going."
            ],
        ],
        "details": [
            [
                "A: Is it always the same breaker?",
                "C: Yep, the one labeled kitchen. Well, kitchen slash dining.",
            ],
            [
                "A: Any burning smell, or outlets that feel warm?",
                "C: Now that you mention it, the outlet by the coffee maker is kind of "
                "discolored. Like a little brown.",
                "A: Okay, I'd stop using that outlet until someone looks at it.",
            ],
            [
                "A: How old is the house?",
                "C: Built in eighty-four. I don't think the wiring's ever been touched.",
            ],
        ],
    },
    {
        "key": "ev_charger",
        "job": "the EV charger estimate",
        "trade": "Electrical",
        "call_type": "Estimate",
        "season": None,
        "urgent": False,
        "visit": "an electrician",
        "need": "EV charger installation",
        "thing": "the EV charger",
        "estimate": True,
        "problem": "installing a Level 2 charger for a new {ev}",
        "slots": {"ev": ["Tesla Model Y", "Rivian R1S", "Ford Lightning", "Chevy Equinox EV"]},
        "openings": [
            ["C*: Hi, we just got a {ev} and I want to get a Level 2 charger put in the garage."],
            ["C*: Hey there, do you guys install EV chargers? We're picking up a {ev} next week."],
        ],
        "details": [
            [
                "A: Do you already have the charger, or do you need us to supply one?",
                "C: We bought the wall connector already, it's still in the box.",
            ],
            [
                "A: How far is the garage from your electrical panel?",
                "C: The panel's right in the garage, on the same wall actually.",
            ],
            [
                "A: Do you know how big your panel is?",
                "C: No idea. The house is from twenty-ten, if that helps.",
            ],
        ],
        "price_q": "What does an install usually run?",
        "price_a": "If the panel has room and it's a short run, most installs are between "
        "eight hundred and fifteen hundred.",
    },
    {
        "key": "garage_spring",
        "job": "the garage door spring",
        "trade": "Garage Doors",
        "call_type": "Service",
        "season": None,
        "urgent": True,
        "visit": "a garage door tech",
        "need": "garage door spring replacement",
        "thing": "the garage door spring",
        "problem": "a broken garage door spring; the door won't open and the car is stuck inside",
        "slots": {},
        "openings": [
            [
                "C*: Hi, I think the spring on my garage door broke. I heard a loud bang, "
                "and now the door won't open and my car's stuck inside."
            ],
            [
                "C*: Hey, yeah, the garage door won't go up. The opener just strains, "
                "and there's a big gap in the spring above the door."
            ],
        ],
        "details": [
            [
                "A: Okay, please don't try to lift it by hand, those doors are really heavy "
                "without the spring. Is it a single or a double door?",
                "C: Double. Sixteen foot, I think. The standard one that came with the house.",
            ],
            [
                "A: Is it one spring above the door, or two?",
                "C: Just one, the long one across the top. It's in two pieces now.",
            ],
            [
                "A: Do you need to get the car out today?",
                "C: I have to be at work by... yeah, ideally today. I'm taking an Uber for now.",
            ],
        ],
    },
    {
        "key": "garage_opener",
        "job": "the garage door opener",
        "trade": "Garage Doors",
        "call_type": "Service",
        "season": None,
        "urgent": False,
        "visit": "a garage door tech",
        "need": "garage door opener repair or replacement",
        "thing": "the garage door opener",
        "problem": "a {opener_brand} garage door opener that hums but won't move the door",
        "slots": {"opener_brand": ["LiftMaster", "Chamberlain", "Genie", "Craftsman"]},
        "openings": [
            ["C*: Hi, my garage door opener isn't working. It hums but the door doesn't move."],
            [
                "C*: Hi, our garage opener finally died, I think. The light comes on, "
                "it makes a noise, and nothing happens."
            ],
        ],
        "details": [
            [
                "A: Do you know what brand the opener is?",
                "C: It's a {opener_brand}. Probably as old as the house, so twenty years?",
            ],
            [
                "A: Can you open the door by hand with the red release cord?",
                "C: Yeah, it goes up fine by hand. It's just the motor, I think.",
            ],
            [
                "A: Would you be open to a new opener, or just the repair?",
                "C: Depends on the price, honestly. If it's close I'd rather just replace it.",
            ],
        ],
    },
]
ISSUE_BY_KEY = {issue["key"]: issue for issue in ISSUES}

GREETINGS = [
    "Thanks for calling {company}, this is {agent}, how can I help you?",
    "{company}, this is {agent} speaking. How can I help you today?",
    "Good {part_of_day}, thank you for calling {company}, my name is {agent}. "
    "What can I do for you?",
]
INTAKE: Exchange = [
    "A: Sure, we can help with that. Can I get your name and a good number, "
    "in case we get disconnected?",
    "C: Sure, it's {name}, and this number's fine, {phone_spoken}.",
]
ASK_NAME: Exchange = ["A: And the name for the appointment?", "C: {name}."]
ASK_EMAIL: Exchange = [
    "A: And what's a good email for the confirmation?",
    "C: It's {email_spoken}.",
]
ACCEPTS = [
    "Yes, that works.",
    "Yeah, perfect.",
    "That's great, the sooner the better.",
    "Um, yeah, I can make that work.",
    "Okay, that's fine.",
]

# --------------------------------------------------------------------------- outcomes

BOOKED_FLOWS: list[Exchange] = [
    [
        "A~: Let me take a look at the schedule. One moment.",
        "A: Okay, I can get {visit} out {day} between {window}. Does that work for you?",
        "C: {accept}",
        "A: Great. And what's the address there?",
        "C: It's {street_spoken}, in {city}.",
        "A~: Okay, let me get that entered.",
        "@: contact",
        "A: You're all set, {first}. You'll get a confirmation text in a minute, and a text "
        "when the tech is on the way.",
        "C: Awesome. Thank you so much.",
        "A: You're welcome. Thanks for calling {company}!",
    ],
    [
        "C: How much is it for you guys to come out?",
        "A: {fee_sentence}",
        "C: Okay, that works. Let's do it.",
        "A~: Let me find you a time.",
        "A: I have {day} between {window}.",
        "C: {accept}",
        "A: Can I get the address?",
        "C: {street_spoken}, {city}, {zip}.",
        "A~: Thank you. Bear with me, the system's a little slow today.",
        "@: contact",
        "A: Perfect. You're booked for {day} between {window}. Anything else I can do?",
        "C: No, that's it. Thanks!",
    ],
]

# A lead outcome: the lines after the problem was described, and what the recorded
# verdict says about it. Confidence is drawn from the range.
LEAD_OUTCOMES: dict[str, dict[str, Any]] = {
    "price_shopper": {
        "variants": [
            [
                "C*: {price_q}",
                "A: {price_a}",
                "C*: Okay. I'm getting a few quotes right now, so let me call around "
                "and I'll call you back.",
                "A: Sure, I understand. Just so you know, I do have an opening {day} "
                "if you want me to hold it.",
                "C: No, that's okay. I'll call back. Thanks.",
                "A: Alright, thanks for calling {company}.",
            ],
            [
                "C*: {price_q}",
                "A: {price_a}",
                "C*: Hmm. Okay, that's more than I was hoping. "
                "Let me think about it and I'll call you back.",
                "A: No problem. Is there anything else I can answer for you?",
                "C: No, I think that's it. Thanks.",
            ],
        ],
        "reason": "Caller needs {need}; price shopping, asked the cost and said they'd call back",
        "whys": [
            "Asked about price and said they were getting other quotes; "
            "turned down the slot the agent offered.",
            "Asked about price, said it was more than hoped and wanted to think about it; "
            "no appointment was offered.",
        ],
        "pitch": "remind them {pitch_value} and offer the first open slot",
        "confidence": (0.74, 0.88),
        "notes": [
            "quoted {fee_word}, cx shopping around",
            "gave price, said will call back",
            "price shopper",
            None,
        ],
    },
    "check_spouse": {
        "variants": [
            [
                "A~: Let me see what I've got.",
                "A: I can get {visit} out {day} between {window}.",
                "C*: Okay, um, I need to check with my {spouse} first, {spouse_pron} handles "
                "our calendar. Can I call you back?",
                "A: Of course. Anything else I can help with in the meantime?",
                "C: No, that's it. I'll call back tonight or tomorrow.",
            ],
            [
                "A: Would you like me to get that scheduled for you?",
                "C*: I think so, but let me talk to my {spouse} first. "
                "{spouse_pron_cap}'s going to ask me a hundred questions.",
                "A: Totally understand. The earliest I have is {day} between {window}.",
                "C: Okay, I'll write that down and call you back.",
            ],
        ],
        "reason": "Caller needs {need}; wanted to check with their {spouse} before booking",
        "why": "Was offered {day_written} but wanted to check with their {spouse} first.",
        "pitch": "ask if they had a chance to talk it over and offer the next open slot",
        "confidence": (0.80, 0.91),
        "notes": ["cx checking w/ {spouse}", "will call back after talking to {spouse}", None],
    },
    "check_landlord": {
        "variants": [
            [
                "A: Are you the homeowner?",
                "C*: No, we rent. I'd have to run it by my landlord first, "
                "he's usually pretty quick about it.",
                "A: No problem. Once you have the okay, just call us back, "
                "or have him call us directly.",
                "C*: Okay, I'll text him right now and call you back.",
            ],
        ],
        "reason": "Renter needs {need}; getting the landlord's approval before booking",
        "why": "Tenant is getting the landlord's OK and said they would call back.",
        "pitch": "ask whether the landlord approved, and offer to call the landlord to "
        "authorize the visit",
        "confidence": (0.70, 0.82),
        "notes": ["renter, getting LL ok", "needs landlord approval"],
    },
    "dropped": {
        "variants": [
            [
                "A: Okay, let me get you on the schedule. Can I get the address?",
                "C*: Sure, it's {house}... hello? Hello? Can you hear me? You're breaking up...",
            ],
            [
                "A~: Let me see what we have open, one second.",
                "A: Okay, I have {day} between {window}, does that...",
                "C*: Sorry, you cut out, what did you say? I'm in the car, I'm about to lose...",
            ],
        ],
        "drop_points": ["the agent was taking the address", "the agent was offering {day_written}"],
        "reason": "Caller needs {need}; call dropped before it was booked",
        "why": "The line dropped while {drop_point}; nothing was booked.",
        "pitch": "call back now, apologize for the dropped call and finish booking",
        "confidence": (0.86, 0.95),
        "notes": ["call dropped", "line cut out, no answer on cb", None],
    },
    "no_slot_offered": {
        "variants": [
            [
                "C*: So is that something you guys can come look at?",
                "A: Yes, absolutely, we work on that all the time.",
                "C: Okay. And how does that work, do you just send somebody?",
                "A: Yep, {visit} comes out, takes a look and gives you options before doing "
                "any work.",
                "C*: Okay, cool. Well, thanks for the info, I guess I'll... yeah. Thanks.",
                "A: You're welcome, have a good one.",
            ],
            [
                "C*: Do you guys have anybody in my area this week?",
                "A: We cover all of {city}, yes. We're out there every day.",
                "C*: Okay, good to know. Alright, well, thank you.",
                "A: Thanks for calling!",
            ],
        ],
        "reason": "Caller needs {need}; agent answered questions but never offered an appointment",
        "why": "The agent explained the service but never offered a time; the caller hung up "
        "without booking.",
        "pitch": "offer the next available appointment",
        "confidence": (0.86, 0.96),
        "notes": ["answered questions", "info only", None],
    },
    "no_availability": {
        "variants": [
            [
                "A~: Let me check what we have.",
                "A: Okay, the earliest I have is {later_day} between {window}.",
                "C*: {later_day}? Oh, I was really hoping for today. Nothing sooner?",
                "A: I'm sorry, we're fully booked today and tomorrow. "
                "I can put you on the cancellation list.",
                "C*: Hmm. Let me see if anybody else can come sooner. If not, I'll call you back.",
                "A: Okay, I'm sorry about that.",
            ],
        ],
        "reason": "Caller needs {need} soon; no near-term availability, caller went to look "
        "elsewhere",
        "why": "The earliest slot offered was {later_day}; the caller wanted someone sooner and "
        "said they would try other companies.",
        "pitch": "check for a cancellation or an earlier opening and offer it",
        "confidence": (0.80, 0.92),
        "notes": ["no avail today, cx wanted same day", "offered {later_day_short}, cx declined"],
    },
    "emergency_same_day": {
        "variants": [
            [
                "C*: I need somebody out here tonight, like now. Can you do that?",
                "A: We do have emergency service. After hours it's a "
                + EMERGENCY_FEE
                + " dispatch fee, plus the repair.",
                "C*: " + EMERGENCY_FEE + " just to show up? Wow. Let me... let me think about it. "
                "Maybe I can live with it until the morning.",
                "A: Understood. If you change your mind, we have someone on call all night.",
                "C: Okay. Thanks.",
            ],
        ],
        "reason": "Caller needs emergency {need}; hesitated at the after-hours fee",
        "why": "Wanted someone right away but balked at the "
        + EMERGENCY_FEE
        + " after-hours fee and said they might wait until morning.",
        "pitch": "call first thing and offer the earliest regular-hours slot (no after-hours fee)",
        "confidence": (0.84, 0.95),
        "notes": ["after hrs, cx declined emergency fee", "quoted emergency dispatch"],
    },
    "out_of_area": {
        "variants": [
            [
                "A: And where is the house located?",
                "C: We're out in {far_town}, off {far_road}.",
                "A: Oh, {far_town}... that's a bit outside our normal area. I'd have to check "
                "with dispatch whether we can get someone out there.",
                "C*: Okay, can you find out and let me know? We really need somebody.",
                "A: Yes, I'll ask and get back to you today.",
            ],
        ],
        "reason": "Caller needs {need}; the address may be outside the service area",
        "why": "Lives in {far_town}; the agent was not sure it is in the service area and "
        "promised to check with dispatch.",
        "pitch": "give dispatch's answer, and book if a tech can travel there",
        "confidence": (0.70, 0.82),
        "notes": ["{far_town} - out of area? asking dispatch"],
    },
}
FAR_TOWNS = [
    ("Llano", "78643", "Highway 29"),
    ("Lampasas", "76550", "281"),
    ("Giddings", "78942", "290"),
    ("Johnson City", "78636", "Ranch Road 1"),
    ("Blanco", "78606", "Highway 165"),
]
"""Towns past the service area: (town, ZIP, the road people give as a landmark)."""

# A whole call, not built on an issue: a lead nobody should chase.
MAYBE_LATER: Exchange = [
    "C*: Hi, I'm kind of just asking for down the road. We're thinking about {project} "
    "maybe next spring.",
    "A: Sure, happy to help. Would you like to set up a free estimate?",
    "C*: Not yet, we're not really there. I just wanted to know if you guys do that.",
    "A: We do, all the time. Do you want me to put you down for a call next year?",
    "C: No, that's okay. I'll call when we're ready.",
    "A: Sounds good. Thanks for calling {company}!",
]
PROJECTS = [
    "replacing the whole AC system",
    "redoing the plumbing when we remodel the master bath",
    "adding a sub panel for a workshop",
    "a new garage door",
]

# Not leads: (call type, lines, reason, summary, csr notes, confidence range).
NOT_LEADS: dict[str, dict[str, Any]] = {
    "wrong_number": {
        "call_type": "Not a Customer",
        "lines": [
            "C*: Oh, sorry, is this {wrong_place}?",
            "A: No ma'am, this is {company}. We do heating, air, plumbing and electrical.",
            "C*: Oh my gosh, I must have dialed wrong. I was trying to reach "
            "{wrong_place}. The numbers are so close.",
            "A: No worries at all. Have a good day.",
            "C: You too, sorry about that.",
        ],
        "reason": "Wrong number: caller was trying to reach {wrong_place}",
        "summary": "Caller dialed the wrong number looking for {wrong_place}. "
        "Not a service request; no follow-up needed.",
        "notes": ["wrong #", None, "wrong number"],
        "confidence": (0.93, 0.99),
    },
    "vendor_seo": {
        "call_type": "Not a Customer",
        "lines": [
            "C*: Hi {agent}, this is {vendor_rep} with {vendor_co}. Is the owner available? "
            "It's about your Google Business listing.",
            "A: He's not available. What's this regarding?",
            "C*: So we help home service companies rank in the top three on Google Maps, "
            "and I noticed you're not showing up for AC repair near me in {city}.",
            "A: We're not interested, thank you.",
            "C: Totally understand. Could I just send over a quick free audit to an email?",
            "A: You can send it to the info address on our website.",
            "C: Perfect. I appreciate your time, {agent}. Have a great one.",
        ],
        "reason": "Vendor sales call (online marketing / SEO)",
        "summary": "{vendor_rep} from {vendor_co} pitching marketing services. "
        "Not a customer; no follow-up needed.",
        "notes": ["solicitor", "SEO sales call", None],
        "confidence": (0.92, 0.98),
    },
    "vendor_parts": {
        "call_type": "Not a Customer",
        "lines": [
            "C*: Hey, good morning, this is {vendor_rep} with {supply_co}. We're a parts "
            "distributor here in town, capacitors, contactors, motors.",
            "A: Okay. How can I help you?",
            "C*: I just wanted to see who handles your purchasing. We've got same-day "
            "delivery to job sites and I think we could beat your current pricing.",
            "A: That would be our warehouse manager. He's out in the field right now.",
            "C: No problem. Can I leave my number for him?",
            "A: Sure, go ahead.",
            "C: It's this number, ask for {vendor_rep}. Thanks so much.",
        ],
        "reason": "Supplier sales call for parts; not a customer",
        "summary": "{vendor_rep} from {supply_co} wants to sell parts and asked for the "
        "purchasing contact. Not a customer; no follow-up needed.",
        "notes": ["parts vendor, msg for warehouse", None],
        "confidence": (0.90, 0.97),
    },
    "schedule_question": {
        "call_type": "Existing Job",
        "lines": [
            "C*: Hi, I have an appointment today between {window}, and I just wanted to "
            "check the tech is still coming? Nobody's shown up yet.",
            "A: Let me look. Can I get the address?",
            "C: {street_spoken}.",
            "A~: Okay, I see it, give me one second.",
            "A: Yes, {tech} is finishing up a call right now and you're next. He should be "
            "there in about forty-five minutes.",
            "C*: Oh, okay, good. I just wanted to make sure I wasn't forgotten.",
            "A: Not at all. He'll text you when he's on the way.",
            "C: Great, thanks.",
        ],
        "reason": "Existing customer asking about an already scheduled appointment",
        "summary": "{name} asked when the technician would arrive for today's appointment; "
        "told {tech} was about 45 minutes out. The job is already booked; "
        "nothing to sell.",
        "notes": ["cx asking ETA, told 45 min", "ETA call", None],
        "confidence": (0.88, 0.97),
    },
    "renter_no_authority": {
        "call_type": "Service",
        "lines": [
            "A: Sorry to hear that. Are you the owner of the property?",
            "C*: No, I rent. But I'm the one living with it, so.",
            "A: I understand. We'd need the owner or the property manager to authorize the "
            "work. Can I get their name and number?",
            "C*: Uh, I'd rather not give you that. He gets weird about stuff. "
            "I just wanted to know how much it would cost.",
            "A: {fee_sentence} But we can't send anyone without the owner's okay. "
            "I'd call him or your property manager first.",
            "C: Yeah, okay. Whatever. Thanks.",
        ],
        "reason": "Renter without authority to book; would not share the landlord's contact",
        "summary": "Tenant reported {problem} but isn't the owner and would not give the "
        "landlord's number. Cannot be booked without the owner; no follow-up.",
        "notes": ["renter, no LL info", "tenant, wouldn't give owner #"],
        "confidence": (0.62, 0.76),
    },
    "robocall": {
        "call_type": "Not a Customer",
        "lines": [
            "C*: Hello! This is an important message regarding your business listing. "
            "Our records show your listing may be marked as unverified.",
            "A: Hello?",
            "C: Unverified listings can be removed from search results without notice. "
            "To keep your business visible to customers, act now.",
            "A: Is anyone there?",
            "C*: Press one to speak with a listing specialist, or press nine to be removed "
            "from our list.",
            "A: Nope.",
        ],
        "reason": "Robocall / spam recording",
        "summary": "Automated recording about a business listing; no person on the line. "
        "No follow-up.",
        "notes": [None, "robocall", "spam"],
        "confidence": (0.95, 0.99),
    },
    "billing": {
        "call_type": "Billing",
        "lines": [
            "C*: Hi, I got a receipt from you guys for {thing_done} last week, and I think "
            "I was charged twice?",
            "A: Let me pull that up. What's the name on the account?",
            "C: {name}.",
            "A~: One moment.",
            "A: Okay, I see the charge, and yes, there's a second authorization. That one "
            "was never captured, so it should drop off your card in a few days.",
            "C*: Okay, so I don't need to do anything?",
            "A: Nope, you're all set. If it's still there in a week, call me and I'll get "
            "billing involved.",
            "C: Okay, great. Thank you.",
        ],
        "reason": "Billing question from an existing customer; no new service requested",
        "summary": "{name} asked about a duplicate charge for a recent job; it was a pending "
        "authorization that will drop off. No new service requested.",
        "notes": ["dup charge q, explained auth drops off", "billing q"],
        "confidence": (0.88, 0.96),
    },
    "warranty": {
        "call_type": "Warranty",
        "lines": [
            "C*: Hi, you guys did {thing_done} for us a few weeks ago, and I lost the "
            "paperwork. How long is the warranty on that?",
            "A: Sure, let me look it up. What's the address?",
            "C: {street_spoken}.",
            "A~: One second.",
            "A: Okay, you have one year on labor, and the parts carry the manufacturer's "
            "warranty. I can email you a copy of the invoice.",
            "C*: Oh, that'd be great. Everything's working fine, I just wanted to have it.",
            "A: Sending it now. Anything else?",
            "C: No, that's it, thanks.",
        ],
        "reason": "Warranty question about completed work; no new service requested",
        "summary": "{name} asked about the warranty on recent work and wanted a copy of the "
        "invoice; everything is working. No new service requested.",
        "notes": ["warranty q, emailed invoice", "told 1yr labor"],
        "confidence": (0.86, 0.95),
    },
    "job_seeker": {
        "call_type": "Not a Customer",
        "lines": [
            "C*: Hi, yeah, I saw you guys are hiring techs? "
            "I wanted to see who I talk to about applying.",
            "A: Sure! What kind of experience do you have?",
            "C: About four years residential HVAC, I've got my EPA universal, and I'm "
            "registered with TDLR.",
            "A: Great. The best thing is to apply on our website under careers, and I'll "
            "let the service manager know you called.",
            "C*: Okay, awesome. My name's {name}, if he wants to call me back at this number.",
            "A: Got it, I'll pass that along.",
            "C: Thanks, appreciate it.",
        ],
        "reason": "Job seeker asking about a technician opening",
        "summary": "{name} is a technician asking how to apply for a job. Not a customer; "
        "passed to the service manager.",
        "notes": ["job applicant, sent to careers page", "applicant - told svc mgr"],
        "confidence": (0.92, 0.98),
    },
}
WRONG_PLACES = [
    "Hill Country Dental",
    "the pharmacy on Slaughter Lane",
    "Austin Pet Clinic",
    "the Tire Depot on Parmer",
    "Dr. Alvarez's office",
    "Blue Agave Catering",
]
VENDOR_COS = ["BrightRank Local", "TopPin Marketing", "LeadSpark SEO"]
SUPPLY_COS = ["Capitol HVAC Supply", "Central Texas Parts"]

# Outbound calls to booked customers: (call type, lines, csr notes).
OUTBOUND: dict[str, dict[str, Any]] = {
    "confirmation": {
        "call_type": "Confirmation",
        "lines": [
            "C: Hello?",
            "A: Hi, is this {first}?",
            "C: Yes, speaking.",
            "A: Hi {first}, this is {agent} with {company}, just calling to confirm your "
            "appointment {appt_day} between {window} for {job}.",
            "C: Yes, that's still good.",
            "A: Great. Will someone eighteen or older be home?",
            "C: Yeah, I work from home, so I'll be here.",
            "A: Perfect. {tech} will text you when he's on the way. Anything else?",
            "C: Nope, thank you.",
        ],
        "notes": ["confirmed", "appt confirmed", None],
    },
    "tech_late": {
        "call_type": "Existing Job",
        "lines": [
            "C: Hello?",
            "A: Hi, {first}? This is {agent} from {company}, about your appointment today. "
            "{tech} got held up on his last job and is running about an hour behind.",
            "C: Oh. Okay. So, like, what time?",
            "A: He should be there around {eta}. I'm really sorry about that.",
            "C: Ugh, okay. I'll be here, just have him text me when he's close.",
            "A: Understood, I'll let him know. If anything changes I'll call you right away.",
            "C: Okay, thanks for letting me know.",
        ],
        "notes": ["told cx tech running ~1hr late", "late notice"],
    },
    "follow_up": {
        "call_type": "Follow-up",
        "lines": [
            "C: Hello, this is {first}.",
            "A: Hi {first}, this is {agent} with {company}. I'm just following up on the "
            "visit {tech} made {past_day}. How's everything working?",
            "C: Oh, it's great. He was really nice, he explained everything.",
            "A: So glad to hear that. Did he mention our Comfort Club maintenance plan?",
            "C: He did, I've got the brochure, I just haven't looked at it yet.",
            "A: No pressure. It's two tune-ups a year and fifteen percent off repairs. "
            "I can email you the details.",
            "C: Sure, email's fine.",
            "A: Will do. Thanks again for choosing us!",
        ],
        "notes": ["post-job f/u, emailed CC info", "f/u call, happy cx"],
    },
    "estimate_follow_up": {
        "call_type": "Follow-up",
        "lines": [
            "C: Hello?",
            "A: Hi, may I speak with {first}? This is {agent} from {company}, following up "
            "on {job}.",
            "C: Oh, hi, yes. We got it, we've been looking it over.",
            "A: Great. Did you have any questions on the options?",
        ],
        "booked": [
            "C: Actually, yeah, we want to go with the middle option. Can we get that scheduled?",
            "A~: Absolutely. Let me look at the install calendar.",
            "A: I can do {day}, starting at eight.",
            "C: {accept}",
            "A: You're all set, {first}. I'll email the paperwork over this afternoon.",
            "C: Sounds good, thanks {agent}.",
        ],
        "not_booked": [
            "C: Not really, we just need to decide. Probably after the holidays.",
            "A: That's totally fine. The pricing is good for thirty days, and I'm happy to "
            "answer anything that comes up.",
            "C: Okay, thanks for checking in.",
        ],
        "notes": ["est f/u", "followed up on estimate"],
    },
}

REBOOK_OPENINGS: list[Exchange] = [
    [
        "C: Hi, I called {ago} about {thing}. I'd like to go ahead and get somebody out.",
        "A: Sure, let me pull that up. Is this {first}?",
        "C: Yes, that's me.",
        "A: I see the notes from your call. Glad you called back.",
    ],
    [
        "C: Hey, yeah, I talked to somebody {ago} about {thing}. We decided to go ahead with it.",
        "A: Great! Can I get your name so I can pull up the notes?",
        "C: {name}.",
        "A: Got it, I see it here.",
    ],
]

CARD_CALL: Exchange = [
    "C: Hi, I got a postcard about your Comfort Club? I'd like to sign up and get the "
    "fall tune-up scheduled.",
    "A: Happy to help with that. The Comfort Club is " + PLAN_PRICE + " a year, that covers "
    "two tune-ups and fifteen percent off any repairs.",
    "C: Yeah, let's do it.",
    "A: Great. What's the address?",
    "C: {street_spoken}, {city}.",
    "A~: Okay, I have you in the system. For the membership I'll need a card, "
    "whenever you're ready.",
    "C: Okay, it's a Visa, it's 4111 1111 1111 1111, exp 09/28.",
    "A: And the billing zip code?",
    "C: {zip}.",
    "A: Thank you. You're a member now, and I have your tune-up {day} between {window}.",
    "C: Perfect.",
    "A: You'll get a confirmation email. Thanks, {first}!",
]

# --------------------------------------------------------------------------- lead scripts

# What agents do with a flagged lead: steps of (action, minutes after the previous step
# as lo..hi, note texts). Steps landing after hours move to the next morning; a note whose
# text is drawn as None is skipped.
Step = tuple[str, int, int, list[str | None] | None]
CALLBACK_NOTES: list[str | None] = [
    None,
    "Spoke with {first}, wants the first morning slot.",
    "{first} was glad we called back. Booking now.",
]
LOST_NOTES: list[str | None] = [
    "{first} already had another company out last night.",
    "Went with a cheaper quote from another company.",
    "{first} says they fixed it themselves, not needed.",
]
ASIDE_NOTES: list[str | None] = [
    "Customer's {spouse} makes the decisions, ask for them.",
    "{first} prefers texts; calls go to voicemail during work hours.",
]
SCRIPTS: dict[str, list[Step]] = {
    "booked_by_scl": [
        ("callback", 10, 180, None),
        ("note", 3, 8, CALLBACK_NOTES),
        ("book", 40, 240, None),
    ],
    "callback_only": [("callback", 10, 180, None)],
    "callback_twice": [
        ("callback", 10, 180, None),
        ("note", 1, 3, ["No answer, left a voicemail. Will try again tomorrow."]),
        ("callback", 15 * 60, 17 * 60, None),
    ],
    "not_able_to_save": [
        ("callback", 10, 180, None),
        ("note", 2, 5, LOST_NOTES),
        ("status:not-able-to-save", 1, 2, None),
    ],
    "not_a_lead": [("dismiss:not-a-lead", 10, 180, None)],
    "not_a_lead_competitor": [
        ("note", 10, 180, ["This number belongs to another contractor, fishing for prices."]),
        ("dismiss:not-a-lead", 1, 2, None),
    ],
    "not_following_up": [
        ("note", 10, 180, ["Dispatch confirmed {far_town} is outside our service area."]),
        ("dismiss:not-following-up", 1, 3, None),
    ],
    "not_following_up_credit": [
        ("note", 10, 180, ["Account is on credit hold per the office (unpaid invoice)."]),
        ("dismiss:not-following-up", 1, 3, None),
    ],
    "note_only": [("note", 10, 180, ASIDE_NOTES)],
    # booked some other way (a web form, the tech on site): whoever enters it books it
    "book_elsewhere": [("book", 20 * 60, 72 * 60, None)],
    # the customer calls again and books on that call: the import does the rest
    "repeat_call": [],
}
SCRIPT_ACTORS = {"book_elsewhere": {"mgarcia": 2, "dreyes": 1, "lthompson": 1}}
"""Who acts, when not the usual SCL workers of ACTOR_WEIGHTS."""

# --------------------------------------------------------------------------- the plan

# Each lead: (outcome, scripted follow-up, when). "fresh" is today or yesterday, "recent"
# the last three days, "older" 3 to 89 days ago, "old" 8 to 80 days (room for a later call).
LEAD_PLAN: list[tuple[str, str | None, str]] = [
    # the agent's open queue: the last three days, mostly untouched
    ("price_shopper", None, "fresh"),
    ("check_spouse", None, "fresh"),
    ("dropped", None, "fresh"),
    ("no_slot_offered", None, "fresh"),
    ("no_availability", None, "fresh"),
    ("emergency_same_day", None, "fresh"),
    ("price_shopper", None, "recent"),
    ("check_landlord", None, "recent"),
    ("price_shopper", "callback_only", "recent"),
    ("no_slot_offered", "booked_by_scl", "recent"),
    ("check_spouse", "note_only", "recent"),
    # saved from a call-back
    ("price_shopper", "booked_by_scl", "older"),
    ("price_shopper", "booked_by_scl", "older"),
    ("check_spouse", "booked_by_scl", "older"),
    ("check_spouse", "booked_by_scl", "older"),
    ("dropped", "booked_by_scl", "older"),
    ("no_availability", "booked_by_scl", "older"),
    ("emergency_same_day", "booked_by_scl", "older"),
    # called back, still open
    ("dropped", "callback_only", "older"),
    ("check_landlord", "callback_only", "older"),
    ("price_shopper", "callback_twice", "older"),
    # called back, lost
    ("emergency_same_day", "not_able_to_save", "older"),
    ("price_shopper", "not_able_to_save", "older"),
    ("no_availability", "not_able_to_save", "older"),
    # dismissed
    ("maybe_later", "not_a_lead", "older"),
    ("maybe_later", "not_a_lead", "older"),
    ("maybe_later", "not_a_lead", "older"),
    ("price_shopper", "not_a_lead_competitor", "older"),
    ("out_of_area", "not_following_up", "older"),
    ("out_of_area", "not_following_up", "older"),
    ("price_shopper", "not_following_up_credit", "older"),
    # the customer calls again days later and books on that call; importing the booked
    # call makes the lead "Job booked elsewhere", so these leads need no action
    ("check_spouse", "repeat_call", "old"),
    ("check_landlord", "repeat_call", "old"),
    ("price_shopper", "repeat_call", "old"),
    # a job gets booked some other way (web form, the tech on site), no call-back
    ("dropped", "book_elsewhere", "older"),
    ("no_slot_offered", "book_elsewhere", "older"),
    ("price_shopper", "book_elsewhere", "older"),
    # a note, nothing else
    ("no_slot_offered", "note_only", "older"),
    # never touched: these show as Cold
    ("price_shopper", None, "older"),
    ("price_shopper", None, "older"),
    ("dropped", None, "older"),
    ("dropped", None, "older"),
    ("no_slot_offered", None, "older"),
    ("no_slot_offered", None, "older"),
    ("check_spouse", None, "older"),
    ("no_availability", None, "older"),
    ("emergency_same_day", None, "older"),
    ("check_landlord", None, "older"),
]
BOOKED_PRIMARY = 66
"""Booked inbound calls besides the card call, the newest call and the repeat callers."""
MIN_ESTIMATES = 7
NOT_LEAD_PRIMARY = {
    "wrong_number": 9,
    "vendor_seo": 7,
    "vendor_parts": 4,
    "renter_no_authority": 4,
    "robocall": 7,
    "job_seeker": 4,
}
NOT_LEAD_DEPENDENT = {"schedule_question": 12, "billing": 4, "warranty": 4}
OUTBOUND_COUNTS = {"confirmation": 12, "tech_late": 5, "follow_up": 8, "estimate_follow_up": 5}
ESTIMATE_FOLLOW_UPS_BOOKED = 2

MAX_SEGMENTS = 18
WINDOWS = [
    ("eight and ten", 8, "8-10"),
    ("ten and twelve", 10, "10-12"),
    ("twelve and two", 12, "12-2"),
    ("two and four", 14, "2-4"),
]
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
HOURS = [
    "twelve",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
]


@dataclass
class Segment:
    """A rendered transcript line, before it gets its times."""

    speaker: str
    text: str
    evidence: bool
    hold_after: bool


@dataclass
class Call:
    """One call being planned: who, when, what was said, what happened after."""

    kind: str  # "booked", "lead", "not_lead", "outbound"
    scenario: str
    caller: Caller
    csr: str
    issue: dict[str, Any] | None = None
    script: str | None = None
    when: str = "any"
    parent: Call | None = None
    start: datetime = NOW
    end: datetime = NOW
    segments: list[dict[str, Any]] = field(default_factory=list)
    call_type: str = "Service"
    notes: str | None = None
    booked: bool = False
    verdict: dict[str, Any] | None = None
    slots: dict[str, str] = field(default_factory=dict)
    appointment: tuple[date, int] | None = None  # day and window index, for booked calls
    tech: str = ""
    external_id: str = ""
    actions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def inbound(self) -> bool:
        return self.kind != "outbound"


# --------------------------------------------------------------------------- time helpers


def weekday_name(day: date) -> str:
    return day.strftime("%A")


def day_phrase(call_day: date, day: date) -> str:
    """How an agent says an appointment day during a call on call_day."""
    delta = (day - call_day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta < 7:
        return weekday_name(day)
    return f"{weekday_name(day)} the {ordinal(day.day)}"


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ago_phrase(earlier: date, later: date) -> str:
    days = (later - earlier).days
    if days <= 1:
        return "yesterday"
    if days <= 3:
        return "a couple days ago"
    if days <= 6:
        return "earlier this week" if later.weekday() > earlier.weekday() else "last week"
    return "last week" if days <= 12 else "a few weeks ago"


def spoken_time(hour: int, minute: int) -> str:
    base = HOURS[hour % 12]
    return {0: base, 15: f"{base}-fifteen", 30: f"{base}-thirty", 45: f"{base}-forty-five"}[minute]


def next_business_day(day: date, saturday_ok: bool = False) -> date:
    day += timedelta(days=1)
    while day.weekday() == 6 or (day.weekday() == 5 and not saturday_ok):
        day += timedelta(days=1)
    return day


def at(day: date, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=TZ)


def day_weight(offset: int, when: str) -> float:
    """How busy a day is: weekdays, fewer Saturdays, Sundays only for after-hours calls."""
    day = NOW.date() - timedelta(days=offset)
    weight = {5: 0.35, 6: 0.5 if when == "evening" else 0.0}.get(day.weekday(), 1.0)
    if offset <= 2:
        weight *= 4.0
    elif offset <= 13:
        weight *= 1.8
    return weight


def sample_start(rng: random.Random, lo: int, hi: int, when: str) -> datetime:
    """A call start between lo and hi days ago: business hours mostly, some evenings."""
    offsets = list(range(lo, hi + 1))
    offset = rng.choices(offsets, [day_weight(o, when) for o in offsets])[0]
    day = NOW.date() - timedelta(days=offset)
    if when == "evening" or day.weekday() == 6:
        minutes = rng.randrange(18 * 60 + 15, 21 * 60 + 30)
    elif day.weekday() == 5:
        minutes = rng.randrange(8 * 60, 13 * 60 + 30)
    elif rng.random() < 0.08:
        minutes = rng.randrange(17 * 60 + 45, 19 * 60 + 30)
    else:
        minutes = rng.randrange(7 * 60 + 30, 17 * 60 + 40)
    return at(day, minutes // 60, minutes % 60, rng.randrange(60))


def business_time_after(rng: random.Random, t: datetime, lo_min: int, hi_min: int) -> datetime:
    """A moment lo..hi minutes after t, moved to the next morning if that is after hours."""
    result = t + timedelta(minutes=rng.randint(lo_min, hi_min))
    if result.hour >= 18 or result.hour < 8 or result.weekday() == 6:
        day = result.date() if result.hour < 8 else result.date() + timedelta(days=1)
        if day.weekday() == 6:
            day += timedelta(days=1)
        result = at(day, 8, rng.randrange(2, 55), rng.randrange(60))
    return result


BUCKETS = {
    "fresh": (0, 1),
    "recent": (0, 2),
    "older": (3, WINDOW_DAYS - 1),
    "old": (8, 80),
    "any": (0, WINDOW_DAYS - 1),
}

# --------------------------------------------------------------------------- transcripts


def fill(text: str, slots: dict[str, str]) -> str:
    return text.format_map(slots)


def spoken_phone(caller: Caller) -> str:
    def words(digits: str) -> str:
        return " ".join(DIGITS[int(d)] for d in digits)

    return f"{words(caller.area)}, {words('555')}, {words(caller.number)}"


def part_of_day(t: datetime) -> str:
    return "morning" if t.hour < 12 else "afternoon" if t.hour < 17 else "evening"


def base_slots(rng: random.Random, call: Call) -> dict[str, str]:
    """Slots every template may use: the caller, the agent, the company, the time of day."""
    c = call.caller
    agent_first = EMPLOYEE_FIRST[call.csr]
    pron = "he" if c.spouse == "husband" else "she"
    surname = c.last.lower().replace("'", "")
    slots = {
        "company": COMPANY,
        "agent": agent_first,
        "part_of_day": part_of_day(call.start),
        "name": c.name,
        "first": c.first,
        "city": c.city,
        "zip": c.zip,
        "house": str(c.house),
        "street_spoken": f"{c.house} {c.street[1]}",
        "phone_spoken": spoken_phone(c),
        "spouse": c.spouse,
        "spouse_pron": pron,
        "spouse_pron_cap": pron.capitalize(),
        "accept": rng.choice(ACCEPTS),
        "email_spoken": f"{c.first.lower()} dot {surname} at gmail dot com",
    }
    return slots


def issue_slots(rng: random.Random, issue: dict[str, Any]) -> dict[str, str]:
    """The issue's own details (brand, age...) and the prices that go with it."""
    slots: dict[str, str] = {}
    for name, values in issue["slots"].items():
        value = rng.choice(values)
        if isinstance(value, dict):
            slots.update(value)
        else:
            slots[name] = value
    fee = TRADE_FEES[issue["trade"]]
    if issue.get("estimate"):
        fee_sentence = "The estimate is completely free, no obligation."
        pitch_value = "the estimate is free with no obligation"
        fee_word = "ballpark price"
        default_q = "Is the estimate free?"
    else:
        label = "service call" if issue["trade"] == "Garage Doors" else "diagnostic fee"
        fee_sentence = f"Our {label} is {fee}, and it's waived if you go ahead with the repair."
        pitch_value = f"the {fee} {label} is waived with the repair"
        fee_word = f"{fee} diag"
        default_q = rng.choice(
            [
                "What's your diagnostic fee?",
                "How much is it just to come out?",
                "Before we go any further, what do you charge to come out?",
            ]
        )
    slots.update(
        {
            "visit": issue["visit"],
            "visit_cap": issue["visit"][0].upper() + issue["visit"][1:],
            "need": issue["need"],
            "thing": issue["thing"],
            "fee": fee,
            "fee_sentence": fee_sentence,
            "pitch_value": pitch_value,
            "fee_word": fee_word,
            "price_q": issue.get("price_q", default_q),
            "price_a": issue.get("price_a", fee_sentence),
        }
    )
    slots["problem"] = fill(issue["problem"], slots)
    return slots


def pick_details(rng: random.Random, issue: dict[str, Any], want: int, room: int) -> list[Line]:
    """Up to want of the issue's question-and-answer exchanges, no more than room lines,
    kept in their order."""
    order = rng.sample(range(len(issue["details"])), len(issue["details"]))
    chosen: list[int] = []
    used = 0
    for i in order:
        size = len(issue["details"][i])
        if len(chosen) < want and used + size <= room:
            chosen.append(i)
            used += size
    return [line for i in sorted(chosen) for line in issue["details"][i]]


def expand(lines: list[Line], intake_done: bool) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        if line == "@: contact":
            out.extend(ASK_EMAIL if intake_done else ASK_NAME)
        else:
            out.append(line)
    return out


def render(lines: list[Line], slots: dict[str, str]) -> list[Segment]:
    """Template lines to segments: who speaks, the text with its slots filled, the flags."""
    segments = []
    for line in lines:
        code, _, text = line.partition(": ")
        if code not in ("A", "A~", "C", "C*"):
            raise ValueError(f"bad template line: {line!r}")
        segments.append(
            Segment(
                speaker="agent" if code.startswith("A") else "customer",
                text=fill(text, slots),
                evidence=code == "C*",
                hold_after=code == "A~",
            )
        )
    return segments


def timed(
    rng: random.Random, segments: list[Segment], outbound: bool, dropped: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """Give segments start and end seconds (about 2.5 words a second) and the call length."""
    t = rng.uniform(2.0, 9.0) if outbound else rng.uniform(0.4, 2.5)
    pace = rng.uniform(2.2, 2.8)  # words a second; some people talk faster
    out = []
    previous = None
    for seg in segments:
        if previous is not None:
            if previous.hold_after:
                t += rng.uniform(90.0, 170.0) if rng.random() < 0.2 else rng.uniform(20.0, 90.0)
            elif previous.speaker == seg.speaker:
                t += rng.uniform(0.2, 0.6)
            else:
                t += rng.uniform(0.3, 1.6)
        length = len(seg.text.split()) / (pace * rng.uniform(0.92, 1.08)) + 0.4
        start, end = round(t, 1), round(t + length, 1)
        out.append({"speaker": seg.speaker, "start": start, "end": end, "text": seg.text})
        t = end
        previous = seg
    last_end = out[-1]["end"]
    tail = rng.uniform(0.3, 1.0) if dropped else rng.uniform(1.5, 6.0)
    duration = int(last_end + tail) + 1
    if duration < 60:  # the caller waited in the queue before someone picked up
        shift = 60 - duration + rng.randint(2, 25)
        for seg in out:
            seg["start"] = round(seg["start"] + shift, 1)
            seg["end"] = round(seg["end"] + shift, 1)
        duration += shift
    return out, duration


def evidence_of(segments: list[Segment]) -> list[int]:
    return [i for i, seg in enumerate(segments) if seg.evidence]


def short_day(day: date, window: int) -> str:
    return f"{day.strftime('%a')} {WINDOWS[window][2]}"


# --------------------------------------------------------------------------- scenarios


def appointment_for(rng: random.Random, start: datetime, urgent: bool) -> tuple[date, int]:
    """The visit an agent offers: same afternoon for urgent morning calls, else next day."""
    if urgent and start.hour < 11 and start.weekday() < 6:
        return start.date(), rng.choice([2, 3])
    return next_business_day(start.date(), saturday_ok=urgent), rng.randrange(4)


def appointment_slots(call: Call, appt: tuple[date, int]) -> dict[str, str]:
    day = day_phrase(call.start.date(), appt[0])
    window = WINDOWS[appt[1]][0]
    return {"day": day, "window": window, "day_written": f"{day} {WINDOWS[appt[1]][2]}"}


def issue_call(
    rng: random.Random, issue: dict[str, Any], ending: list[Line], intake: bool, want: int
) -> list[Line]:
    """Greeting, the caller's problem, maybe the name-and-number question, some questions
    about the problem, then the ending; never more than MAX_SEGMENTS lines."""
    head = greeting(rng) + list(rng.choice(issue["openings"])) + (INTAKE if intake else [])
    room = MAX_SEGMENTS - len(head) - len(ending)
    return head + pick_details(rng, issue, want, room) + ending


def greeting(rng: random.Random) -> list[Line]:
    return ["A: " + rng.choice(GREETINGS)]


def build_booked(rng: random.Random, call: Call) -> None:
    issue = call.issue
    assert issue is not None
    slots = base_slots(rng, call) | issue_slots(rng, issue)
    call.appointment = appointment_for(rng, call.start, issue["urgent"])
    slots |= appointment_slots(call, call.appointment)
    if call.scenario == "card":
        lines = greeting(rng) + CARD_CALL
    elif call.scenario == "rebook":
        assert call.parent is not None
        slots["ago"] = ago_phrase(call.parent.start.date(), call.start.date())
        flow = expand(rng.choice(BOOKED_FLOWS), intake_done=True)
        lines = greeting(rng) + list(rng.choice(REBOOK_OPENINGS)) + flow
    else:
        intake = rng.random() < 0.4
        flow = expand(rng.choice(BOOKED_FLOWS), intake_done=intake)
        lines = issue_call(rng, issue, flow, intake, want=rng.choice([2, 2, 3]))
    segments = render(lines, slots)
    call.segments, duration = timed(rng, segments, outbound=False)
    call.end = call.start + timedelta(seconds=duration)
    call.call_type = issue["call_type"] if call.scenario != "card" else "Maintenance"
    call.booked = True
    call.tech = rng.choice(FIELD_TECHS)
    call.slots = slots
    appt_note = short_day(*call.appointment)
    call.notes = rng.choice(
        [f"booked {issue['need']} {appt_note}", f"bkd {appt_note}", f"booked, {appt_note}", None]
    )
    if call.scenario == "card":
        call.notes = f"Comfort Club signup, card taken; tune-up {appt_note}"
    elif call.scenario == "rebook":
        call.notes = f"cx called back, booked {appt_note}"


def build_lead(rng: random.Random, call: Call) -> None:
    """An unbooked call the classifier flagged; the outcome explains why it wasn't booked."""
    c = call.caller
    if call.scenario == "out_of_area":  # the caller lives past the service area
        c.city, c.zip, far_road = rng.choice(FAR_TOWNS)
    slots = base_slots(rng, call)
    if call.scenario == "maybe_later":
        slots["project"] = rng.choice(PROJECTS)
        segments = render(greeting(rng) + MAYBE_LATER, slots)
        call.call_type = "Estimate"
        verdict = {
            "reason": fill("Asked about {project} for the future; not ready to schedule", slots),
            "summary": fill(
                "{name} ({city}) asked about {project}, planned for next spring, and "
                "declined an estimate for now. Call-back (optional): offer a free estimate "
                "when they are ready.",
                slots,
            ),
            "confidence": (0.52, 0.63),
        }
        call.notes = rng.choice(["future project, just info", "info call", None])
        call.segments, duration = timed(rng, segments, outbound=False)
        call.end = call.start + timedelta(seconds=duration)
        call.verdict = make_verdict(rng, True, verdict, segments)
        call.slots = slots
        return

    issue = call.issue
    assert issue is not None
    outcome = LEAD_OUTCOMES[call.scenario]
    slots |= issue_slots(rng, issue)
    appt = appointment_for(rng, call.start, issue["urgent"])
    slots |= appointment_slots(call, appt)
    later = next_business_day(next_business_day(call.start.date()))
    slots["later_day"] = weekday_name(later)
    slots["later_day_short"] = later.strftime("%a")
    if call.scenario == "out_of_area":
        slots |= {"far_town": c.city, "far_road": far_road}
    variant_index = rng.randrange(len(outcome["variants"]))
    lines = issue_call(
        rng, issue, outcome["variants"][variant_index], intake=rng.random() < 0.5, want=2
    )
    if "drop_points" in outcome:
        slots["drop_point"] = fill(outcome["drop_points"][variant_index], slots)
    segments = render(lines, slots)
    call.segments, duration = timed(
        rng, segments, outbound=False, dropped=call.scenario == "dropped"
    )
    call.end = call.start + timedelta(seconds=duration)
    call.call_type = "Emergency" if call.scenario == "emergency_same_day" else issue["call_type"]
    note = rng.choice(outcome["notes"])
    call.notes = fill(note, slots) if note else None
    who = f"{c.name} ({c.city})"
    why = outcome["whys"][variant_index] if "whys" in outcome else outcome["why"]
    summary = (
        f"{who} called about {slots['problem']}. {fill(why, slots)} "
        f"Call-back: {fill(outcome['pitch'], slots)}."
    )
    verdict = {
        "reason": fill(outcome["reason"], slots),
        "summary": summary,
        "confidence": outcome["confidence"],
    }
    call.verdict = make_verdict(rng, True, verdict, segments)
    call.slots = slots


def make_verdict(
    rng: random.Random, lead: bool, spec: dict[str, Any], segments: list[Segment]
) -> dict[str, Any]:
    reason = spec["reason"]
    lo, hi = spec["confidence"]
    return {
        "lead": lead,
        "confidence": round(rng.uniform(lo, hi), 2),
        "reason": reason[0].upper() + reason[1:],
        "evidence": evidence_of(segments),
        "summary": spec["summary"],
    }


def build_not_lead(rng: random.Random, call: Call) -> None:
    template = NOT_LEADS[call.scenario]
    slots = base_slots(rng, call)
    slots |= {
        "wrong_place": rng.choice(WRONG_PLACES),
        "vendor_co": rng.choice(VENDOR_COS),
        "supply_co": rng.choice(SUPPLY_COS),
        "vendor_rep": call.caller.first,
    }
    if call.parent is not None:  # a booked customer calling about that job
        parent = call.parent
        assert parent.appointment is not None and parent.issue is not None
        slots |= {
            "window": WINDOWS[parent.appointment[1]][0],
            "tech": parent.tech,
            "thing_done": parent.issue["job"],
        }
    if call.scenario == "renter_no_authority":
        issue = call.issue
        assert issue is not None
        slots |= issue_slots(rng, issue)
        lines = issue_call(rng, issue, template["lines"], intake=False, want=1)
    else:
        lines = greeting(rng) + template["lines"]
    segments = render(lines, slots)
    call.segments, duration = timed(rng, segments, outbound=False)
    call.end = call.start + timedelta(seconds=duration)
    call.call_type = template["call_type"]
    note = rng.choice(template["notes"])
    call.notes = fill(note, slots) if note else None
    spec = {
        "reason": fill(template["reason"], slots),
        "summary": fill(template["summary"], slots),
        "confidence": template["confidence"],
    }
    call.verdict = make_verdict(rng, False, spec, segments)
    call.slots = slots


def build_outbound(rng: random.Random, call: Call) -> None:
    template = OUTBOUND[call.scenario]
    parent = call.parent
    assert parent is not None and parent.appointment is not None and parent.issue is not None
    slots = base_slots(rng, call)
    appt_day, window = parent.appointment
    slots |= {
        "appt_day": day_phrase(call.start.date(), appt_day),
        "window": WINDOWS[window][0],
        "job": parent.issue["job"],
        "tech": parent.tech,
    }
    if call.scenario == "tech_late":
        eta = at(appt_day, WINDOWS[window][1], 0) + timedelta(minutes=rng.choice([90, 105, 120]))
        slots["eta"] = spoken_time(eta.hour, eta.minute)
    if call.scenario == "follow_up":
        days = (call.start.date() - appt_day).days
        slots["past_day"] = "yesterday" if days == 1 else f"on {weekday_name(appt_day)}"
    lines = list(template["lines"])
    if call.scenario == "estimate_follow_up":
        if call.booked:
            install = next_business_day(next_business_day(call.start.date()))
            slots["day"] = day_phrase(call.start.date(), install)
            lines += template["booked"]
        else:
            lines += template["not_booked"]
    segments = render(lines, slots)
    call.segments, duration = timed(rng, segments, outbound=True)
    call.end = call.start + timedelta(seconds=duration)
    call.call_type = template["call_type"]
    note = rng.choice(template["notes"])
    call.notes = "est f/u, cx approved, install booked" if call.booked else note
    call.slots = slots


BUILDERS = {
    "booked": build_booked,
    "lead": build_lead,
    "not_lead": build_not_lead,
    "outbound": build_outbound,
}


def issues_for(
    day: date, estimates_only: bool = False, services_only: bool = False
) -> list[dict[str, Any]]:
    """The issues people call about on that day (no AC calls in November)."""
    fits = []
    for issue in ISSUES:
        season = issue["season"]
        if season and not season[0] <= day <= season[1]:
            continue
        if estimates_only and not issue.get("estimate"):
            continue
        if services_only and (issue.get("estimate") or issue["call_type"] == "Maintenance"):
            continue
        fits.append(issue)
    return fits


def issue_for_outcome(rng: random.Random, call: Call) -> dict[str, Any]:
    day = call.start.date()
    if call.scenario in ("emergency_same_day", "no_availability"):
        urgent = [i for i in issues_for(day) if i["urgent"]]
        return rng.choice(urgent)
    if call.scenario == "renter_no_authority":
        return rng.choice(issues_for(day, services_only=True))
    if call.kind == "booked" and call.scenario == "estimate":
        return rng.choice(issues_for(day, estimates_only=True))
    if call.scenario == "card":
        return ISSUE_BY_KEY["tune_up"]
    return rng.choice(issues_for(day))


def needs_issue(call: Call) -> bool:
    if call.kind in ("booked", "lead"):
        return call.scenario != "maybe_later"
    return call.scenario == "renter_no_authority"


def place(rng: random.Random, call: Call, lo: int, hi: int, latest_end: datetime) -> None:
    """Pick a start time, build the call, retry until it ends before latest_end."""
    for _ in range(200):
        call.start = sample_start(rng, lo, hi, call.when)
        if needs_issue(call):
            call.issue = issue_for_outcome(rng, call)
        BUILDERS[call.kind](rng, call)
        if call.end <= latest_end:
            return
    raise RuntimeError(f"could not place {call.kind}/{call.scenario}")


def build_at(rng: random.Random, call: Call, start: datetime) -> None:
    call.start = start
    BUILDERS[call.kind](rng, call)


# --------------------------------------------------------------------------- plan the calls


def choose(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), list(weights.values()))[0]


def plan_calls(rng: random.Random) -> list[Call]:
    callers = make_callers(rng)
    latest = NOW - timedelta(minutes=10)
    calls: list[Call] = []

    def new_caller(is_customer: bool = True) -> Caller:
        caller = callers.pop()
        caller.is_customer = is_customer
        return caller

    # Booked calls; the first few are estimates so estimate follow-ups have parents.
    booked: list[Call] = []
    for i in range(BOOKED_PRIMARY):
        scenario = "estimate" if i < MIN_ESTIMATES else "service"
        call = Call("booked", scenario, new_caller(), choose(rng, CSR_WEIGHTS))
        place(rng, call, *BUCKETS["any"], latest)
        booked.append(call)
    card = Call("booked", "card", new_caller(), "mgarcia")
    place(rng, card, 10, 40, latest)
    booked.append(card)
    calls += booked

    # Leads, each with its scripted follow-up.
    leads: list[Call] = []
    for outcome, script, bucket in LEAD_PLAN:
        call = Call("lead", outcome, new_caller(), choose(rng, CSR_WEIGHTS), script=script)
        if outcome == "emergency_same_day":
            call.when = "evening"
        limit = NOW - timedelta(hours=3) if script and bucket == "recent" else latest
        place(rng, call, *BUCKETS[bucket], limit)
        leads.append(call)
    calls += leads

    # Repeat callers: a lead's customer calls again days later and books.
    for lead in leads:
        if lead.script != "repeat_call":
            continue
        rebook = Call(
            "booked", "rebook", lead.caller, choose(rng, CSR_WEIGHTS), issue=lead.issue, parent=lead
        )
        day = lead.start.date() + timedelta(days=rng.randint(1, 6))
        if day.weekday() == 6:
            day += timedelta(days=1)
        build_at(rng, rebook, at(day, rng.randint(8, 16), rng.randrange(60), rng.randrange(60)))
        calls.append(rebook)

    # Calls that are not leads.
    for scenario, count in NOT_LEAD_PRIMARY.items():
        for _ in range(count):
            is_customer = scenario == "renter_no_authority"
            caller = new_caller(is_customer)
            if scenario in ("vendor_seo", "vendor_parts"):
                caller.shown_name = rng.choice([None, caller.name])
            elif scenario in ("wrong_number", "job_seeker"):
                caller.shown_name = rng.choice([None, caller.name, caller.name])
            call = Call("not_lead", scenario, caller, choose(rng, CSR_WEIGHTS))
            place(rng, call, *BUCKETS["any"], latest)
            calls.append(call)

    calls += plan_dependents(rng, booked, latest)

    # The newest call ends exactly at NOW: a booked furnace call at the end of the day.
    final = Call(
        "booked", "service", new_caller(), "tnguyen", issue=ISSUE_BY_KEY["furnace_no_ignite"]
    )
    build_at(rng, final, NOW - timedelta(minutes=6))
    length = final.end - final.start
    final.start, final.end = NOW - length, NOW
    calls.append(final)
    return calls


def appointment_start(call: Call) -> datetime:
    assert call.appointment is not None
    day, window = call.appointment
    return at(day, WINDOWS[window][1], 0)


def plan_dependents(rng: random.Random, booked: list[Call], latest: datetime) -> list[Call]:
    """Calls tied to a booked job: ETA questions, billing, confirmations, follow-ups."""
    out: list[Call] = []
    usage: dict[int, int] = {}

    def moment(call: Call) -> datetime | None:
        """When a dependent call happens, or None if that parent doesn't suit it."""
        parent = call.parent
        assert parent is not None and parent.appointment is not None
        appt = appointment_start(parent)
        kind = call.scenario
        if kind == "schedule_question":
            t = appt + timedelta(minutes=rng.randint(70, 110))
        elif kind == "tech_late":
            t = appt + timedelta(minutes=rng.randint(10, 45))
        elif kind == "confirmation":
            if parent.appointment[0] - parent.start.date() >= timedelta(days=2):
                day_before = appt.date() - timedelta(days=1)
                t = at(day_before, 15, rng.randrange(20, 59), rng.randrange(60))
            elif parent.appointment[1] >= 1 and appt.date() != parent.start.date():
                t = at(appt.date(), 7, rng.randrange(35, 58), rng.randrange(60))
            else:
                return None
        else:
            lo, hi = {
                "follow_up": (2, 6),
                "estimate_follow_up": (2, 7),
                "billing": (4, 25),
                "warranty": (10, 40),
            }[kind]
            day = appt.date() + timedelta(days=rng.randint(lo, hi))
            while day.weekday() >= 5:
                day += timedelta(days=1)
            t = at(day, rng.randint(9, 16), rng.randrange(60), rng.randrange(60))
        if t <= parent.end + timedelta(minutes=30) or t.weekday() == 6:
            return None
        return t

    plan = [(s, n, "not_lead") for s, n in NOT_LEAD_DEPENDENT.items()]
    plan += [(s, n, "outbound") for s, n in OUTBOUND_COUNTS.items()]
    booked_follow_ups = 0
    for scenario, count, kind in plan:
        pool = [b for b in booked if b.scenario != "card" or kind == "outbound"]
        if scenario == "estimate_follow_up":
            pool = [b for b in pool if b.issue and b.issue.get("estimate")]
        elif scenario in ("billing", "warranty", "follow_up"):  # work was done, not quoted
            pool = [b for b in pool if b.issue and not b.issue.get("estimate")]
        rng.shuffle(pool)
        made = 0
        for parent in pool:
            if made == count:
                break
            if usage.get(id(parent), 0) >= 2:
                continue
            csr = choose(rng, OUTBOUND_WEIGHTS if kind == "outbound" else CSR_WEIGHTS)
            call = Call(kind, scenario, parent.caller, csr, parent=parent)
            if scenario == "estimate_follow_up" and booked_follow_ups < ESTIMATE_FOLLOW_UPS_BOOKED:
                call.booked = True
            start = moment(call)
            if start is None:
                continue
            build_at(rng, call, start)
            if call.end > latest:
                continue
            booked_follow_ups += call.booked
            usage[id(parent)] = usage.get(id(parent), 0) + 1
            out.append(call)
            made += 1
    return out


# --------------------------------------------------------------------------- lead actions


def script_actions(rng: random.Random, lead: Call) -> list[tuple[datetime, str, str, str | None]]:
    """The agent actions a lead's script calls for: (when, actor, action, text)."""
    assert lead.script is not None
    actor = choose(rng, SCRIPT_ACTORS.get(lead.script, ACTOR_WEIGHTS))
    recent = lead.end > NOW - timedelta(days=1)  # act within the hour, before "now"
    t = lead.end
    steps: list[tuple[datetime, str, str, str | None]] = []
    for action, lo, hi, texts in SCRIPTS[lead.script]:
        text = rng.choice(texts) if texts else None
        if action == "note" and text is None:
            continue
        text = fill(text, lead.slots) if text else None
        if recent:
            lo, hi = min(lo, 10), min(hi, 60)
        t = business_time_after(rng, t, lo, hi)
        steps.append((t, actor, action, text))
    return steps


def actions_for(rng: random.Random, lead: Call) -> list[dict[str, Any]]:
    """Turn a script into the demo field's actions, in whole minutes after the call ended."""
    if not lead.script:
        return []
    out: list[dict[str, Any]] = []
    last = int(AFTER_CALL_WORK.total_seconds() // 60)
    ceiling = int((NOW - lead.end).total_seconds() // 60) - 1
    for when, actor, action, text in script_actions(rng, lead):
        minutes = int((when - lead.end).total_seconds() // 60)
        minutes = min(max(minutes, last + 1), ceiling)
        if minutes <= last:
            raise RuntimeError(f"no room for {action} on {lead.external_id}")
        last = minutes
        item: dict[str, Any] = {"after_minutes": minutes, "actor": actor, "action": action}
        if text is not None:
            item["text"] = text
        out.append(item)
    return out


# --------------------------------------------------------------------------- output


def iso(t: datetime) -> str:
    return t.isoformat()


def recording_of(call: Call) -> tuple[str | None, list[dict[str, Any]]]:
    """The call's recording (built by build_recordings.py) and its segments with the times
    at which they are spoken in it; calls without one keep their generated times."""
    spoken = TIMINGS.get(call.external_id)
    if spoken is None:
        return None, call.segments
    if len(spoken["segments"]) != len(call.segments):
        raise RuntimeError(f"{call.external_id}: recording timings do not fit the transcript")
    segments = [
        {**segment, "start": start, "end": end}
        for segment, (start, end) in zip(call.segments, spoken["segments"], strict=True)
    ]
    return spoken["recording"], segments


def to_record(rng: random.Random, call: Call) -> dict[str, Any]:
    recording, segments = recording_of(call)
    return {
        "external_id": call.external_id,
        "direction": "inbound" if call.inbound else "outbound",
        "customer_phone": call.caller.phone(rng.choice(PHONE_STYLES)),
        "customer_name": call.caller.record_name,
        "started_at": iso(call.start),
        "ended_at": iso(call.end),
        "call_type": call.call_type,
        "csr": call.csr,
        "csr_notes": call.notes,
        "job_booked": call.booked,
        "recording": recording,
        "transcript": segments,
        "demo": {
            "customer_address": call.caller.address,
            "verdict": call.verdict if call.inbound and not call.booked else None,
            "actions": call.actions,
        },
    }


def employees_document() -> dict[str, Any]:
    people = []
    for login, name, role, is_admin, phone, override, (in_app, sms, email) in EMPLOYEES:
        people.append(
            {
                "login": login,
                "name": name,
                "role": role,
                "is_admin": is_admin,
                "phone": phone,
                "email": name.lower().replace(" ", ".") + "@example.com",
                "permission_override": override,
                "notify": {"in_app": in_app, "sms": sms, "email": email},
            }
        )
    return {"roles": ROLES, "employees": people}


def build() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rng = random.Random(SEED)
    calls = plan_calls(rng)
    calls.sort(key=lambda c: (c.start, c.end))
    for n, call in enumerate(calls, start=1):
        call.external_id = f"PBX-2026-{n:06d}"
    for call in calls:
        if call.kind == "lead":
            call.actions = actions_for(rng, call)
    records = [to_record(rng, call) for call in calls]
    return records, employees_document()


def main() -> None:
    records, employees = build()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    with open(OUT_DIR / "calls.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    with open(OUT_DIR / "employees.json", "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(employees, ensure_ascii=False, indent=2) + "\n")
    print(f"wrote {len(records)} calls to {OUT_DIR / 'calls.jsonl'}")
    print(f"wrote {len(employees['employees'])} employees to {OUT_DIR / 'employees.json'}")


if __name__ == "__main__":
    main()
