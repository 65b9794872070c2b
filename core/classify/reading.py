"""What a call says, read for the brand it came in on.

Roles first (core.classify.roles): only the caller's own words can state a need.
Then the needs the caller names (trade catalog), whether the brand sells them
(profile: trades, `also`, `not`), where the caller is (profile `area`), and which
cues (core.classify.cues) hold on which lines, in call order, so a new need raised
after a billing question is seen as the later topic it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.classify.base import CallForReview
from core.classify.catalog import Catalog, Service
from core.classify.cues import CUES, Cue
from core.classify.matcher import PhraseMatcher
from core.classify.profile import Brand, CompanyProfile
from core.classify.roles import Role, Roles, assign_roles, typed_voicemail

QUESTION = re.compile(r"[^.!?]*\?")
ZIP = re.compile(r"(?<![\d-])(\d{5})(?![\d-])(?! dollars| bucks)")
PLACE = re.compile(
    r"\b(?:live in|living in|located in|out in|over in|up in|down in|here in|from|house in|"
    r"home in|property in|we.?re in|i.?m in|based in|out by|near)\s+"
    r"([a-z][a-z'.-]+(?: [a-z][a-z'.-]+)?)"
)
# A call that ended while the caller was still talking, or on hold: markers of the phone
# system, or a caller's last line cut off mid-word.
CUT_OFF_MARKER = re.compile(
    r"drop|disconnect|hung up|hang ?up|line (went )?dead|call (ended|lost)|click"
)
HOLD_MARKER = re.compile(r"music|hold|silence|ringing")
CUT_OFF_LINE = re.compile(r"(\w\s?(—|--|-|–)|\[inaudible\]|\w\.\.\.)\s*$")
CAPITALISED_PLACE = re.compile(
    r"\b(?:in|from|near|out by|up in|down in)\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)"
)
_DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|today|tonight)"
_HOUR = r"(\d{1,2}(:\d\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon)"
# A visit's time: a day with an hour or a window ("thursday eight to twelve", "monday at ten").
TIME_WINDOW = re.compile(
    rf"\b{_DAY}\b.{{0,25}}\b(at |between |from )?{_HOUR}( ?(am|pm|o.?clock))?"
    rf"( ?(to|-|and|till|until) ?{_HOUR})?\b|\b{_HOUR} ?(to|-) ?{_HOUR}\b.{{0,25}}\b{_DAY}\b"
)
# A house number in digits, or as speech recognition writes it ("forty four ten").
_NUMBER_WORD = (
    r"(zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
    r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|"
    r"seventy|eighty|ninety|hundred)"
)
_HOUSE_NUMBER = rf"(\d{{1,6}}|({_NUMBER_WORD}[ -]){{0,3}}{_NUMBER_WORD})"
STREET = re.compile(
    rf"\b{_HOUSE_NUMBER},? [a-z]+( [a-z]+){{0,2}},? (street|st|road|rd|avenue|ave|drive|dr|lane|"
    r"ln|way|court|"
    r"ct|boulevard|blvd|circle|cir|place|pl|trail|trl|parkway|pkwy|terrace|close|crescent|cove|"
    r"cv|run|pike|highway|hwy)\b"
)
# What a company says when it offers a visit; a call with a need and none of this never
# had a time put to the caller.
OFFER = re.compile(
    r"\b(opening|openings|availability|available|slot|slots|schedule|book (you|it|that)|"
    r"come out|send (someone|somebody|a tech\w*|out)|get (someone|somebody|a tech\w*) out|"
    r"put you (in|down)|first thing|this afternoon|this morning)\b"
)
TRAINING_NOTE = re.compile(r"\b(training|role ?-?play|mock call|practice call|test call|qa test)\b")


@dataclass(frozen=True)
class Need:
    line: int  # position in the transcript
    service: Service
    in_brand: bool  # one of the brand's trades or `also`, and not in its `not`
    by_caller: bool


@dataclass
class Reading:
    call: CallForReview
    brand: Brand
    roles: Roles
    needs: list[Need] = field(default_factory=list)
    also: list[tuple[int, str]] = field(default_factory=list)  # (line, the `also` phrase)
    turned_away: list[tuple[int, str]] = field(default_factory=list)  # (line, `not` phrase)
    out_of_area: list[int] = field(default_factory=list)
    in_area: list[int] = field(default_factory=list)
    cues: dict[str, list[int]] = field(default_factory=dict)
    training_note: bool = False
    never_offered: int | None = None  # the company's last line, when it offered no time
    window_and_address: int | None = None  # the line where a visit's time and an address met

    @property
    def caller_needs(self) -> list[Need]:
        return [n for n in self.needs if n.by_caller and n.in_brand]

    def lines_of(self, role: Role) -> list[int]:
        return [i for i, r in enumerate(self.roles.roles) if r is role]

    def text(self, role: Role) -> str:
        return "\n".join(self.roles.texts[i] for i in self.lines_of(role))


class Reader:
    """Reads calls for one company profile; build once, use for many calls."""

    def __init__(self, profile: CompanyProfile, cues: tuple[Cue, ...] = CUES) -> None:
        self.profile = profile
        self.catalog: Catalog = profile.catalog
        self.cues = {cue.name: cue for cue in cues}
        owners: list[tuple[str, object]] = []
        phrases: list[str] = []
        for service in self.catalog.services:
            owners += [("service", service)] * len(service.words)
            phrases += service.words
        for cue in cues:
            owners += [("cue", cue.name)] * len(cue.phrases)
            phrases += cue.phrases
        self._owners = owners
        self._matcher = PhraseMatcher(phrases)
        self._known_towns = frozenset(t for b in profile.brands for t in b.towns)
        # The built-in profile's "Our company" names nobody's brand.
        self._names = tuple(b.name_words for b in profile.brands) if profile.source else ()
        # A brand's own name says no need ("Front Range Rooter" sells no stoves, "Blue Fern
        # Plumbing" asked for by name is no plumbing job): it is blanked before matching.
        names = sorted({self.catalog.fold(b.name) for b in profile.brands}, key=len, reverse=True)
        self._brand_names = (
            re.compile(
                r"\b(" + "|".join(r"\s+".join(map(_name_word, n.split())) for n in names) + r")\b"
            )
            if profile.source and names
            else None
        )

    def brand_of(self, call: CallForReview, texts: tuple[str, ...], roles: Roles) -> Brand:
        """The export's brand; else the brand the company answers with; else the first."""
        named = self.profile.brand_named(call.brand)
        if named is not None or len(self.profile.brands) == 1:
            return named or self.profile.brands[0]
        opening = [t for t, r in zip(texts, roles.roles, strict=True) if r is not Role.CALLER][:3]
        opening = opening or list(texts[:2])
        words = set(re.findall(r"[a-z0-9]+", " ".join(opening).replace("'", "")))
        best, best_share = self.profile.brands[0], 0.0
        for brand in self.profile.brands:
            share = sum(w in words for w in brand.name_words) / len(brand.name_words)
            if share > best_share or (
                share == best_share and share and len(brand.name_words) > len(best.name_words)
            ):
                best, best_share = brand, share
        return best if best_share >= 0.5 else self.profile.brands[0]

    def read(self, call: CallForReview) -> Reading:
        lines = call.transcript
        folded = [self.catalog.fold(line.text) for line in lines]
        roles = assign_roles(
            [line.speaker for line in lines],
            folded,
            brands=self._names,
            left_message=typed_voicemail(call.call_type),
        )
        texts = roles.texts
        brand = self.brand_of(call, tuple(folded), roles)
        reading = Reading(call, brand, roles)
        reading.training_note = bool(TRAINING_NOTE.search((call.csr_notes or "").lower()))
        is_caller = [r is Role.CALLER for r in roles.roles]
        is_company = [r is Role.COMPANY for r in roles.roles]
        # A robocall's "press 1" is the caller's side, not the company's menu: cues that
        # anyone may say also read the lines taken for the phone system.
        spoken = [
            t or (f if not roles.markers[i] else "")
            for i, (t, f) in enumerate(zip(texts, folded, strict=True))
        ]
        if self._brand_names is not None:
            spoken = [self._brand_names.sub(" ", line) for line in spoken]
        for phrase, numbers in sorted(self._matcher.match(spoken).items()):
            kind, owner = self._owners[phrase]
            for n in sorted(numbers):
                if kind == "service":
                    if not texts[n]:
                        continue  # a service named by the phone system is nobody's need
                    service: Service = owner  # type: ignore[assignment]
                    reading.needs.append(
                        Need(n, service, service.sold_by(brand.trades), is_caller[n])
                    )
                    continue
                cue = self.cues[owner]  # type: ignore[index]
                if not texts[n] and cue.who != "any":
                    continue
                if cue.who == "customer" and not is_caller[n]:
                    continue
                if cue.who == "agent" and not is_company[n]:
                    continue
                if cue.statements_only and not _in_statements(cue, spoken[n]):
                    continue
                hits = reading.cues.setdefault(cue.name, [])  # type: ignore[arg-type]
                if n not in hits:
                    hits.append(n)
        for n, text in enumerate(texts):
            if not text or roles.roles[n] is Role.SYSTEM:
                continue
            for phrase, pattern in zip(brand.not_, brand.not_patterns, strict=True):
                if pattern.search(text):
                    reading.turned_away.append((n, phrase))
            if is_caller[n]:
                for phrase, pattern in zip(brand.also, brand.also_patterns, strict=True):
                    if pattern.search(text):
                        reading.also.append((n, phrase))
                self._place(reading, n, lines[n].text, text)
        self._cut_off(reading)
        self._visit_set(reading)
        self._never_offered(reading)
        if reading.turned_away:
            away = {n for n, _ in reading.turned_away}
            reading.needs = [
                Need(x.line, x.service, False, x.by_caller) if x.line in away else x
                for x in reading.needs
            ]
        reading.needs.sort(key=lambda need: need.line)
        for hits in reading.cues.values():
            hits.sort()
        return reading

    def _never_offered(self, reading: Reading) -> None:
        """A need heard, and the company never put a time or a visit to the caller: its
        last line is where the call ended without one."""
        if "no_slot" in reading.cues or reading.roles.voicemail:
            return
        company = reading.lines_of(Role.COMPANY)
        if len(company) < 2 or not reading.caller_needs:
            return
        texts = reading.roles.texts
        if not any(TIME_WINDOW.search(texts[i]) or OFFER.search(texts[i]) for i in company):
            reading.never_offered = company[-1]

    def _visit_set(self, reading: Reading) -> None:
        """A time for the visit and a street address both said, the later one after the
        other: how a booking on the call sounds, whatever the job_booked flag says."""
        texts = reading.roles.texts
        windows = [i for i, t in enumerate(texts) if t and TIME_WINDOW.search(t)]
        streets = [i for i, t in enumerate(texts) if t and STREET.search(t)]
        if windows and streets:
            reading.window_and_address = max(windows[0], streets[0])

    def _cut_off(self, reading: Reading) -> None:
        """The line dropped or the caller was left on hold: the `dropped` cue."""
        if "dropped" not in self.cues or "dropped" in reading.cues:
            return
        callers = reading.lines_of(Role.CALLER)
        if not callers or reading.roles.voicemail:
            return
        last = callers[-1]
        markers = reading.roles.markers
        after = [i for i in range(last + 1, len(markers)) if markers[i]]
        cut = [i for i in after if CUT_OFF_MARKER.search(markers[i])]
        if cut:  # the marker is the evidence: "[call dropped]"
            reading.cues["dropped"] = [cut[0]]
        elif CUT_OFF_LINE.search(reading.call.transcript[last].text.strip()):
            reading.cues["dropped"] = [last]
        elif after and HOLD_MARKER.search(markers[after[-1]]):
            reading.cues["dropped"] = [after[-1]]

    def _place(self, reading: Reading, n: int, raw: str, text: str) -> None:
        """Where the caller is: a ZIP code, or a town after "in", "from", "out by"…,
        checked against the brand's area."""
        brand = reading.brand
        if not brand.area:
            return
        for match in ZIP.finditer(spoken_digits(text)):
            if brand.zip_prefixes:
                served = brand.serves_zip(match.group(1))
                (reading.in_area if served else reading.out_of_area).append(n)
        places = [m.group(1) for m in PLACE.finditer(text)]
        # Clean transcripts capitalise places, so a town nobody listed is still seen.
        capitalised = [m.group(1).lower() for m in CAPITALISED_PLACE.finditer(raw)]
        for place in places + capitalised:
            words = place.split()
            candidates = [place, words[0]] if len(words) > 1 else [place]
            if any(" ".join(c.split()) in brand.towns for c in candidates):
                reading.in_area.append(n)
            elif any(c in self._known_towns for c in candidates) or (
                place in capitalised and words[0] not in _NOT_PLACES
            ):
                reading.out_of_area.append(n)


_NOT_PLACES = frozenset(
    [
        "the",
        "a",
        "an",
        "my",
        "our",
        "your",
        "this",
        "that",
        "there",
        "here",
        "town",
        "city",
        "it",
        "them",
        "him",
        "her",
        "about",
        "time",
        "and",
        "or",
        "but",
        "so",
        "now",
        "today",
        "tomorrow",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "kitchen",
        "spanish",
        "english",
        "google",
        "facebook",
        "christmas",
        "thanksgiving",
        "basement",
        "attic",
        "garage",
        "bathroom",
        "bedroom",
    ]
)


_DIGITS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
SPOKEN_DIGITS = re.compile(
    r"\b(?:(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)[\s,-]+){4,}"
    r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b"
)


def spoken_digits(text: str) -> str:
    """Digits said one by one ("four three one four seven") as digits: how speech
    recognition writes a ZIP code."""
    return SPOKEN_DIGITS.sub(
        lambda m: "".join(_DIGITS[w] for w in re.findall(r"[a-z]+", m.group())), text
    )


def _in_statements(cue: Cue, text: str) -> bool:
    statements = QUESTION.sub(" ", text)
    return any(re.search(phrase, statements) for phrase in cue.phrases)


def _name_word(word: str) -> str:
    """A word of a brand's name as a pattern: speech recognition says "&" as "and"."""
    return r"(?:&|and)" if word in ("&", "and") else re.escape(word)
