"""Who said each line: the company, the caller, or the phone system.

Labels from phone systems are often wrong (swapped, spk_0, unknown, every line
"customer"), so the roles come from what is said, with the labels as a hint: IVR
prompts, voicemail greetings and markers are the system; the side that greets and
books is the company; the rest is the caller. Patterns: data/roles.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import pairwise
from pathlib import Path

ROLES_FILE = Path(__file__).with_name("data") / "roles.toml"


class Role(StrEnum):
    COMPANY = "company"
    CALLER = "caller"
    SYSTEM = "system"


@dataclass(frozen=True)
class RoleRules:
    markers: re.Pattern[str]
    prompts: re.Pattern[str]
    voicemail: re.Pattern[str]
    company: re.Pattern[str]
    caller: re.Pattern[str]
    voicemail_call_type: re.Pattern[str]

    @classmethod
    def from_file(cls, path: Path = ROLES_FILE) -> RoleRules:
        data = tomllib.loads(path.read_text(encoding="utf-8"))

        def either(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(f"(?:{p})" for p in patterns))

        return cls(
            re.compile(data["system"]["markers"]),
            either(data["system"]["prompts"]),
            either(data["system"]["voicemail"]),
            either(data["company"]["phrases"]),
            either(data["caller"]["phrases"]),
            re.compile(data["system"]["voicemail_call_types"]),
        )


@cache
def default_rules() -> RoleRules:
    return RoleRules.from_file()


def typed_voicemail(call_type: str | None, rules: RoleRules | None = None) -> bool:
    """The phone system's call type says the caller left a message."""
    pattern = (rules or default_rules()).voicemail_call_type
    return bool(call_type) and pattern.search(call_type.strip().lower()) is not None


@dataclass(frozen=True)
class Roles:
    """A role per line, the words each line leaves once system prompts are cut away (a
    voicemail greeting and the message after it often come as one segment), and what
    kind of call it was."""

    roles: tuple[Role, ...]
    texts: tuple[str, ...]
    voicemail: bool
    markers: tuple[str, ...] = ()  # what each marker line said ("[call dropped]"), else ""

    @property
    def caller_lines(self) -> list[int]:
        return [i for i, role in enumerate(self.roles) if role is Role.CALLER]


def assign_roles(
    speakers: Sequence[str],
    folded: Sequence[str],
    rules: RoleRules | None = None,
    brands: Sequence[Sequence[str]] = (),
    *,
    left_message: bool = False,
) -> Roles:
    """Roles for lines already folded to lower case (core.classify.catalog.fold);
    `brands`: the telling words of each brand's name (the side that says one is the
    company); `left_message`: the phone system says the call went to voicemail, so no
    person answered and a line the words do not place is the caller's."""
    rules = rules or default_rules()
    texts = list(folded)
    system = [False] * len(texts)
    markers = [""] * len(texts)
    voicemail = False
    for i, text in enumerate(texts):
        if not text or rules.markers.match(text):
            system[i] = True
            markers[i] = text
            texts[i] = ""
            continue
        prompts = list(rules.prompts.finditer(text))
        if not prompts:
            continue
        voicemail = voicemail or rules.voicemail.search(text) is not None
        # What follows the last prompt may be the caller's message in the same segment.
        rest = text[prompts[-1].end() :].strip(" .,!?")
        rest = _after_greeting_tail(rest)
        if len(rest.split()) >= 4:
            texts[i] = rest
        else:
            system[i] = True
            texts[i] = ""
    live = [i for i in range(len(texts)) if not system[i]]
    company = [False] * len(texts)
    if not voicemail and live:
        company = _company_lines(speakers, texts, live, rules, brands, answered=not left_message)
    roles = tuple(
        Role.SYSTEM if system[i] else Role.COMPANY if company[i] else Role.CALLER
        for i in range(len(texts))
    )
    return Roles(roles, tuple(texts), voicemail or left_message, tuple(markers))


_TAIL = re.compile(
    r"^(and |or |at |to |the |tone |beep |we.?ll |we will |get back to you |"
    r"as soon as (possible|we can) |thank you |thanks |goodbye |bye )+"
)


def _after_greeting_tail(rest: str) -> str:
    return _TAIL.sub("", rest)


def _leaning(text: str, rules: RoleRules, brands: Sequence[Sequence[str]] = ()) -> int:
    """+ for what the company says (a greeting, a brand's name, booking talk), - for what
    a caller says."""
    lean = len(rules.company.findall(text)) - len(rules.caller.findall(text))
    if brands and _names_a_brand(text, brands):
        lean += 2
    return lean


def _names_a_brand(text: str, brands: Sequence[Sequence[str]]) -> bool:
    """The line's first words name a brand (most of its telling words), as an answer does."""
    first = re.findall(r"[a-z0-9]+", " ".join(text.replace("'", "").split()[:8]))
    words = set(first)
    for name in brands:
        if not name:
            continue
        if sum(w in words for w in name) >= max(1, (2 * len(name) + 2) // 3):
            return True
        # Agents shorten the name ("summit air, this is pam" for Summit Air Heating and
        # Cooling; "keystone, niamh"): its first word opens the line, with the second
        # word after it or in a short answer.
        if (
            len(name[0]) >= 4
            and name[0] in first[:3]
            and ((len(name) > 1 and name[1] in words) or len(first) <= 6)
        ):
            return True
    return False


def _company_lines(
    speakers: Sequence[str],
    texts: list[str],
    live: list[int],
    rules: RoleRules,
    brands: Sequence[Sequence[str]] = (),
    *,
    answered: bool = True,
) -> list[bool]:
    by_label: dict[str, list[int]] = defaultdict(list)
    for i in live:
        by_label[speakers[i].strip().lower()].append(i)
    company = [False] * len(texts)
    if len(by_label) >= 2:
        # The answer given the caller's label ("acme plumbing this is amy" then "hi i was
        # calling to pay my bill", both spk_0) is the company's whatever its label, and
        # says nothing about who the rest of that label's lines are.
        first, second = live[0], live[1] if len(live) > 1 else None
        answer_mislabelled = (
            second is not None
            and speakers[first].strip().lower() == speakers[second].strip().lower()
            and _leaning(texts[first], rules, brands) > 0
            and _leaning(texts[second], rules, brands) < 0
        )
        score = {
            label: sum(
                _leaning(texts[i], rules, brands)
                for i in lines
                if not (answer_mislabelled and i == first)
            )
            for label, lines in by_label.items()
        }
        # Without a word to go on, trust the labels the phone system gave.
        for label in by_label:
            hint = 0.5 if label in ("agent", "csr", "rep", "company", "operator") else 0.0
            hint -= 0.5 if label in ("customer", "caller", "client") else 0.0
            score[label] += hint
        if not answer_mislabelled and answered:
            score[speakers[first].strip().lower()] += 0.25  # the company answers inbound calls
        best = max(score, key=lambda label: score[label])
        if score[best] > 0:
            for i in by_label[best]:
                company[i] = True
            return _split_runs(speakers, texts, live, company, rules, brands)
    # One label (or none that tells): decide line by line, turns alternating where the
    # words say nothing, starting with the company, which answers (unless no one did).
    side = answered
    for i in live:
        lean = _leaning(texts[i], rules, brands)
        if lean > 0:
            side = True
        elif lean < 0:
            side = False
        company[i] = side
        side = not side
    return company


def _split_runs(
    speakers: Sequence[str],
    texts: list[str],
    live: list[int],
    company: list[bool],
    rules: RoleRules,
    brands: Sequence[Sequence[str]],
) -> list[bool]:
    """Speech recognition often gives two people's turns one label: of two lines in a row
    with one label, where one speaks for the company and the other for a caller, each
    is given to its side."""
    for before, i in pairwise(live):
        if speakers[before].strip().lower() != speakers[i].strip().lower():
            continue
        first, then = _leaning(texts[before], rules, brands), _leaning(texts[i], rules, brands)
        if first * then < 0:
            company[before], company[i] = first > 0, then > 0
    return company
