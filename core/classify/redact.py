"""Mask payment and identity secrets in call text before it leaves the machine.

A caller may read a card number, its security code or an SSN to the agent; the
transcript then carries them. The OpenAI-compatible classifier sends text to a
third party, so everything it sends goes through `mask_transcript` (the
transcript, as a whole) or `mask_secrets` (one field) first.

Callers read numbers the way people talk and speech recognition writes them
down: in words ("four one one one"), with "double one" and "triple seven", with
a digit misheard as a word ("for", "to", "ate", "won"), with "uh" and "and"
between groups, and split over several transcript segments. So the transcript
is joined in order and read as one text, numbers said in words are turned into
digits (keeping a map back to the words), and what looks like a secret is
masked in each segment it touches.

Each secret becomes a fixed token (e.g. "[card number removed]") and the rest of
the sentence stays, so the model still understands what happened ("the caller
gave a card number"). What is *not* a secret stays too: phone numbers (the
call-back needs them), prices, model and serial numbers, addresses, emails.

The patterns lean towards masking: a wrongly masked date costs nothing, a
leaked card number costs a lot. Card numbers are the exception: without card
words before them they must pass the Luhn check, so that order numbers and
phone numbers read back to back keep their digits.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from stdnum import luhn

from core.classify.base import CallForReview

CARD = "[card number removed]"
SECURITY_CODE = "[security code removed]"
EXPIRY = "[expiry date removed]"
SSN = "[SSN removed]"
ROUTING = "[routing number removed]"
ACCOUNT = "[account number removed]"
DOB = "[date of birth removed]"

_FLAGS = re.IGNORECASE

# --- Numbers said in words -------------------------------------------------------

_UNITS = {
    "zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
# What speech recognition writes for a digit it half heard. Taken as a digit only
# next to real digit words: "talk to you" stays words.
_MISHEARD = {"for": "4", "fore": "4", "to": "2", "too": "2", "ate": "8", "won": "1"}
_TEENS = {
    "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14",
    "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19",
}  # fmt: skip
_TENS = {
    "twenty": "2", "thirty": "3", "forty": "4", "fifty": "5",
    "sixty": "6", "seventy": "7", "eighty": "8", "ninety": "9",
}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3}


def _words(*names: object) -> str:
    return "|".join(sorted((str(n) for group in names for n in group), key=len, reverse=True))


_W = r"(?<![\w'])(?:{})(?![\w'])"
_UNIT_RE = _W.format(_words(_UNITS, _MISHEARD))
_ONES_RE = _W.format(_words(set(_UNITS) - {"zero", "oh"}))  # "twenty seven", not "twenty oh"
_ATOM = (
    rf"(?P<repeat>{_W.format(_words(_REPEAT))})[ \t]+(?P<repeated>{_UNIT_RE})"
    rf"|(?P<tens>{_W.format(_words(_TENS))})(?:[ \t]+|-)(?P<ones>{_ONES_RE})"
    rf"|(?P<tens_only>{_W.format(_words(_TENS))})"
    rf"|(?P<teen>{_W.format(_words(_TEENS))})"
    rf"|(?P<unit>{_UNIT_RE})"
)
_ATOM_RE = re.compile(_ATOM, _FLAGS)
# Words said without a pause (spaces or one hyphen) make one group of digits.
_ANY_ATOM = re.sub(r"\(\?P<\w+>", "(?:", _ATOM)
_SPOKEN_GROUP = re.compile(rf"(?:{_ANY_ATOM})(?:(?:[ \t]+|-)(?:{_ANY_ATOM}))*", _FLAGS)
_NUMBERS_SAID = re.compile(rf"\d+|{_SPOKEN_GROUP.pattern}", _FLAGS)


@dataclass(frozen=True)
class _Normal:
    """The joined transcript with numbers in words turned into digits.

    `origin[i]` is the span of the original text that character i came from;
    `cuts` are positions inside a digit string where one spoken word ends and
    the next begins (a card may start or end there)."""

    text: str
    origin: list[tuple[int, int]]
    cuts: list[int]  # sorted

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start][0], self.origin[end - 1][1]


def _atom_digits(atom: re.Match[str]) -> tuple[str, bool]:
    """The digits a spoken word (or two) stands for, and whether it is surely a number."""
    if atom["repeat"]:
        unit = atom["repeated"].lower()
        return _UNITS.get(unit, _MISHEARD.get(unit, "")) * _REPEAT[atom["repeat"].lower()], True
    if atom["tens"]:
        return _TENS[atom["tens"].lower()] + _UNITS[atom["ones"].lower()], True
    if atom["tens_only"]:
        return _TENS[atom["tens_only"].lower()] + "0", True
    if atom["teen"]:
        return _TEENS[atom["teen"].lower()], True
    word = atom["unit"].lower()
    if word in _UNITS:
        return _UNITS[word], word != "oh"
    return _MISHEARD[word], False


def _normalize(text: str) -> _Normal:
    out: list[str] = []
    origin: list[tuple[int, int]] = []
    cuts: list[int] = []
    done = 0
    for group in _SPOKEN_GROUP.finditer(text):
        atoms = [
            (atom.start() + group.start(), atom.end() + group.start(), *_atom_digits(atom))
            for atom in _ATOM_RE.finditer(group[0])
        ]
        # "Oh, right" and "talk to me" stay words; a group with a real number is digits.
        if not any(sure for *_, sure in atoms):
            continue
        for position in range(done, group.start()):
            out.append(text[position])
            origin.append((position, position + 1))
        for index, (start, end, digits, _sure) in enumerate(atoms):
            if index:
                cuts.append(len(out))
            out.extend(digits)
            origin.extend([(start, end)] * len(digits))
        done = group.end()
    for position in range(done, len(text)):
        out.append(text[position])
        origin.append((position, position + 1))
    return _Normal("".join(out), origin, cuts)


# --- Runs of digits: cards and SSNs ---------------------------------------------

# What may stand between two groups of one number: spaces, a line (segment) break,
# a comma or dash (written or said), a full stop before a space, fillers and "and",
# and the other side's "okay" or "mm-hmm" in its own segment between two groups.
_FILLERS = (
    r"and|dash|uh+|um+|uhm|erm?|ah|hmm|mhm|mm-?hmm|uh-huh|okay|ok|yes|yeah|yep|right|sure"
    r"|got it|go on|go ahead|all ?right"
)
_BETWEEN = re.compile(rf"(?:\s|[,;\-]|[.?!](?=\s)|\b(?:{_FILLERS})\b)+", _FLAGS)
_MAX_BETWEEN = 40
_NUMBER = re.compile(r"\d+")
_CARD_CUE = re.compile(
    r"\b(?:card|cards|visa|master ?card|amex|american express|discover|credit|debit)\b", _FLAGS
)
_SSN_CUE = re.compile(r"\b(?:ssn|s\.? ?s\.? ?n|social(?: security)?)\b", _FLAGS)
_CUE_REACH = 120  # characters before a run where a cue word counts


@dataclass(frozen=True)
class _Atom:
    start: int
    end: int
    digits: str
    group: int  # the pause group (a written number, or words said without a pause)


def _standalone(text: str, start: int, end: int) -> bool:
    """A number on its own: not a price, a decimal, a time, a date, or part of a model name."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before.isalpha() or before in "_$/:" or after.isalpha() or after in "_$/:%":
        return False
    if before in ".," and start >= 2 and text[start - 2].isdigit():
        return False
    return not (after in ".," and end + 1 < len(text) and text[end + 1].isdigit())


def _runs(normal: _Normal) -> list[list[_Atom]]:
    """Numbers standing together (separated only by pauses), split at spoken word ends."""
    text = normal.text
    runs: list[list[_Atom]] = []
    current: list[_Atom] = []
    last_end = -1
    for group_index, number in enumerate(_NUMBER.finditer(text)):
        start, end = number.span()
        if not _standalone(text, start, end):
            if current:
                runs.append(current)
            current, last_end = [], -1
            continue
        gap = text[last_end:start] if current else ""
        if current and not (len(gap) <= _MAX_BETWEEN and _BETWEEN.fullmatch(gap)):
            runs.append(current)
            current = []
        inside = normal.cuts[bisect_right(normal.cuts, start) : bisect_left(normal.cuts, end)]
        edges = [start, *inside, end]
        current.extend(_Atom(a, b, text[a:b], group_index) for a, b in pairwise(edges))
        last_end = end
    if current:
        runs.append(current)
    return runs


def _groups(atoms: Sequence[_Atom]) -> list[list[int]]:
    """Atom indexes by pause group, in order."""
    groups: list[list[int]] = []
    for index, atom in enumerate(atoms):
        if groups and atoms[groups[-1][0]].group == atom.group:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _digit_count(atoms: Sequence[_Atom]) -> int:
    return sum(len(atom.digits) for atom in atoms)


def _phone_atoms(atoms: Sequence[_Atom]) -> set[int]:
    """Atoms of what is shaped like a US phone number: 3-3-4 (after an optional 1),
    or ten digits said in one breath."""
    groups = _groups(atoms)
    lengths = [_digit_count([atoms[i] for i in group]) for group in groups]
    phones: set[int] = set()
    for index in range(len(groups)):
        for shape in ([3, 3, 4], [1, 3, 3, 4], [10], [11]):
            if lengths[index : index + len(shape)] == shape and (
                len(shape) > 1 or "".join(atoms[i].digits for i in groups[index])[0] != "0"
            ):
                for group in groups[index : index + len(shape)]:
                    phones.update(group)
    return phones


def _card_windows(atoms: Sequence[_Atom], cued: bool) -> list[tuple[int, int]]:
    """(first, last) atom indexes of every card number in a run of atoms.

    Read left to right: at each atom, the longest Luhn-valid number of 13–19 digits
    starting there is a card. Without card words it must also start like one (2–6:
    Mastercard, Amex, Visa, Discover…), so that a ZIP code said just before a card
    does not pull the window off the card's own digits."""
    total = _digit_count(atoms)
    if cued and 13 <= total <= 19:
        return [(0, len(atoms) - 1)]  # read as a card: masked even with a misheard digit
    found: list[tuple[int, int]] = []
    first = 0
    while first < len(atoms):
        best = None
        number = ""
        for last in range(first, len(atoms)):
            number += atoms[last].digits
            if len(number) > 19:
                break
            if len(number) >= 13 and (cued or number[0] in "23456") and luhn.is_valid(number):
                best = last
        if best is None:
            first += 1
        else:
            found.append((first, best))
            first = best + 1
    if not found and cued and total >= 13:
        return [(0, len(atoms) - 1)]
    return found


def _stretches(indexes: Sequence[int]) -> list[list[int]]:
    """Consecutive indexes, grouped."""
    out: list[list[int]] = []
    for index in indexes:
        if out and out[-1][-1] == index - 1:
            out[-1].append(index)
        else:
            out.append([index])
    return out


def _cue_before(cue: re.Pattern[str], text: str, start: int) -> bool:
    return bool(cue.search(text, max(0, start - _CUE_REACH), start))


def _run_secrets(normal: _Normal, run: list[_Atom]) -> list[tuple[int, int, str]]:
    """Card numbers and SSNs in one run, as (start, end, token) in the normal text."""
    found: list[tuple[int, int, str]] = []
    taken: set[int] = set()

    def take(indexes: Sequence[int], token: str) -> None:
        found.append((run[indexes[0]].start, run[indexes[-1]].end, token))
        taken.update(indexes)

    card_cued = _cue_before(_CARD_CUE, normal.text, run[0].start)
    phones = _phone_atoms(run)  # cards are read in fours (Amex 4-6-5), never 3-3-4
    for stretch in _stretches([i for i in range(len(run)) if i not in phones]):
        atoms = [run[i] for i in stretch]
        for first, last in _card_windows(atoms, card_cued):
            take(stretch[first : last + 1], CARD)
    # An SSN: 3-2-4 digits in pauses, or nine digits after "social" or "SSN".
    groups = [g for g in _groups(run) if not taken.intersection(g)]
    for index in range(len(groups) - 2):
        trio = groups[index : index + 3]
        shaped = [_digit_count([run[i] for i in g]) for g in trio] == [3, 2, 4]
        if shaped and all(trio[k][-1] + 1 == trio[k + 1][0] for k in range(2)):
            take(trio[0] + trio[1] + trio[2], SSN)
    if _cue_before(_SSN_CUE, normal.text, run[0].start):
        for stretch in _stretches([i for i in range(len(run)) if i not in taken]):
            count = 0
            for position, index in enumerate(stretch):
                count += len(run[index].digits)
                if count == 9:
                    take(stretch[: position + 1], SSN)
                    break
                if count > 9:
                    break
    return found


# --- Secrets after their names ---------------------------------------------------

# Between a secret's name and the secret: a few words, no digits; it may cross into
# the next segment ("What's the CVV?" / "It's 732"), but not a sentence's end inside
# one, so that "…account number. Call me at 512…" keeps the phone.
_GAP = r"(?P<gap>(?:[^\d.!]|[.!](?=[ \t]*\n)){0,40}?)"
_SEP = r"(?:[ \t]*[,;\-][ \t]*|[ \t]*\n[ \t]*|[ \t]+)"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = (
    r"(?:\d{1,2}(?:st|nd|rd|th)?|(?:\d0-?)?(?:first|second|third|fourth|fifth|sixth|seventh"
    r"|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth"
    r"|seventeenth|eighteenth|nineteenth|twentieth|thirtieth))"
)
# A full date: 4/12/1985, 04-12-85, April 12th, 1985, the 12th of April 1985.
_DATE = (
    r"(?<![\d/.-])(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-])"
    rf"|\b{_MONTH}\.? (?:the )?{_ORDINAL},? (?:of )?(?:\d{{4}}|'?\d{{2}})(?!\d)"
    rf"|\b(?:the )?{_ORDINAL} (?:of )?{_MONTH}\.?,? (?:of )?(?:\d{{4}}|'?\d{{2}})(?!\d))"
)
_DATE_RE = re.compile(_DATE, _FLAGS)
_BIRTH_YEAR = re.compile(r"(?:19|20)\d\d|'?\d\d$")

_SECURITY_CODE = re.compile(
    rf"(?P<kw>\b(?:cvv2?|cvc2?|cid|csc|security (?:code|number)|card verification (?:code|value)"
    rf"|verification code|(?:code|number|digits) on the back|back of the card"
    rf"|[34] digits? (?:on|from) the back|[34][ -]digit (?:code|number)|pin(?: number)?)\b)"
    rf"{_GAP}(?P<secret>(?<![\d$])\d(?:,? ?\d){{2,3}}(?!,? ?\d))",
    _FLAGS,
)
_EXPIRY = re.compile(
    r"(?P<kw>\b(?:exp|expires?|expiring|expir(?:y|ation)(?: date)?"
    r"|(?:valid|good) (?:thru|through|until|till))\b\.?)"
    rf"{_GAP}(?P<secret>"
    r"(?<!\d)(?:0?[1-9]|1[0-2])(?: ?[/.-] ?| slash |,? )(?:\d{4}|\d{2})(?!\d)"  # 03/27, 03 slash 27
    r"|(?<!\d)(?:0[1-9]|1[0-2])\d{2}(?!\d)"  # 0327, "oh three twenty seven"
    rf"|\b{_MONTH}\.?,? (?:of )?(?:'?\d{{2}}|\d{{4}})(?!\d)"  # March 2027, March twenty-seven
    r")",
    _FLAGS,
)
_ROUTING = re.compile(
    rf"(?P<kw>\b(?:routing|aba|transit)\b(?: number| no\.?| #)?){_GAP}"
    rf"(?P<secret>(?<![\d$-])\d(?:{_SEP}?\d){{8}}(?!{_SEP}?\d))",
    _FLAGS,
)
_ACCOUNT = re.compile(
    r"(?P<kw>\b(?:(?:bank|checking|savings) account\b|account(?: number| no\.| #|#)"
    rf"|acct\b\.?(?: number| no\.?| #)?)){_GAP}"
    rf"(?P<secret>(?<![\d$-])\d(?:{_SEP}?\d){{3,16}}(?!{_SEP}?\d))",
    _FLAGS,
)
_BIRTH = re.compile(
    r"(?P<kw>\b(?:date of birth|birth ?date|birthday|born(?: on)?|d\.? ?o\.? ?b\b\.?))"
    rf"{_GAP}(?P<secret>{_DATE}|(?<!\d)(?:\d{{6}}|\d{{8}})(?!\d))",
    _FLAGS,
)
# A phone number written the usual way; never masked, even after "account number".
_PHONE_SHAPED = re.compile(r"^(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}$")


def _phone_like(secret: str) -> bool:
    lengths = [len(group) for group in re.findall(r"\d+", secret)]
    return bool(_PHONE_SHAPED.match(secret)) or lengths in ([3, 3, 4], [1, 3, 3, 4])


def _keyword_secrets(normal: _Normal) -> list[tuple[int, int, str]]:
    text = normal.text
    found: list[tuple[int, int, str]] = []
    for pattern, token in (
        (_EXPIRY, EXPIRY),
        (_SECURITY_CODE, SECURITY_CODE),
        (_BIRTH, DOB),
        (_ROUTING, ROUTING),
        (_ACCOUNT, ACCOUNT),
    ):
        for match in pattern.finditer(text):
            if token == ACCOUNT and _phone_like(match["secret"]):
                continue
            found.append((*match.span("secret"), token))
    return found


def _birth_dates(normal: _Normal, seen: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Where a caller gave an SSN or a date of birth, every full date with a birth
    year is taken to be their date of birth ("…or 4/12/1985")."""
    if not any(token in (SSN, DOB) for *_, token in seen):
        return []
    return [
        (*match.span(), DOB)
        for match in _DATE_RE.finditer(normal.text)
        if _BIRTH_YEAR.search(match[0].rstrip())
        and int(re.findall(r"\d+", match[0])[-1][-4:]) < 2020
    ]


# --- Putting it together ------------------------------------------------------------


def mask_transcript(texts: Sequence[str]) -> list[str]:
    """Each segment of a transcript with the secrets masked, reading all of them in
    order as one text: a card read over four segments is masked in all four."""
    joined = "\n".join(texts)
    normal = _normalize(joined)
    found: list[tuple[int, int, str]] = []
    for run in _runs(normal):
        found.extend(_run_secrets(normal, run))
    found.extend(_keyword_secrets(normal))
    found.extend(_birth_dates(normal, found))
    spans: list[tuple[int, int, str]] = []
    masked = bytearray(len(normal.text))
    for start, end, token in found:  # the first found wins where two overlap
        if not any(masked[start:end]):
            spans.append((start, end, token))
            masked[start:end] = b"\x01" * (end - start)
    original = sorted((*normal.original_span(s, e), token) for s, e, token in spans)
    out: list[str] = []
    offset = 0
    for text in texts:
        out.append(_mask_segment(text, offset, original))
        offset += len(text) + 1
    return out


def mask_secrets(text: str) -> str:
    """Return `text` with card numbers, security codes, expiry dates, SSNs, dates of
    birth and bank numbers replaced by fixed tokens; everything else is left as it was."""
    return mask_transcript([text])[0]


def mask_call(call: CallForReview) -> CallForReview:
    """The call with its transcript masked as a whole (see `mask_transcript`)."""
    texts = mask_transcript([line.text for line in call.transcript])
    return dataclasses.replace(
        call,
        transcript=tuple(
            dataclasses.replace(line, text=text)
            for line, text in zip(call.transcript, texts, strict=True)
        ),
    )


def luhn_valid(digits: str) -> bool:
    """The check digit every payment card number carries (ISO/IEC 7812)."""
    return luhn.is_valid(digits)


def _mask_segment(text: str, offset: int, spans: list[tuple[int, int, str]]) -> str:
    """`text` (which starts at `offset` in the joined transcript) with the part of each
    span inside it replaced by the span's token.

    Where a span runs over several segments, only the digits (or numbers in words)
    of each segment are masked: the pauses around them and a segment in between
    with none ("Okay.") stay as they were."""
    pieces: list[str] = []
    done = 0
    for start, end, token in spans:
        whole = offset <= start and end <= offset + len(text)
        start, end = max(start - offset, 0), min(end - offset, len(text))
        if start >= end:
            continue
        if not whole:
            numbers = list(_NUMBERS_SAID.finditer(text, start, end))
            if not numbers:
                continue
            start, end = numbers[0].start(), numbers[-1].end()
        pieces += [text[done:start], token]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)
