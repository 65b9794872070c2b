"""Skip a regular expression when none of the strings it needs is in the text.

A cue's pattern can only match text that contains one of a few literal
strings ("sewage", "wrong number", …). Finding them with Aho-Corasick costs far
less than running the pattern, and most cues are absent from most calls. The
strings are read from the pattern itself: runs of literals, and small groups of
alternatives multiplied out across their neighbours (`ice[ds]? (up|over)` needs
one of "ice up", "iced up", … "ices over"), so the strings are long and rare.
When that cannot be done safely the answer is None and the pattern always runs,
so results never change.
"""

from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse  # the stdlib's own parser (stable API since 3.11)

MIN_LITERAL = 3
MAX_STRINGS = 24  # how many alternatives a clause may list before it is cut short

Clauses = tuple[frozenset[str], ...]
Strings = frozenset[str]

ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)  # \b, ^, look-arounds: consume no text
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
EMPTY: Strings = frozenset({""})


def required_clauses(pattern: str) -> Clauses:
    """Sets of strings such that any text `pattern` matches holds at least one string of
    every set. No sets at all means nothing is known: the pattern always runs."""
    try:
        parsed = sre_parse.parse(pattern)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
            return ()  # the literals would not be the text's own
        return tuple(_clauses(list(parsed)))
    except Exception:  # an unfamiliar construct: no shortcut, never a wrong one
        return ()


def most_selective(clauses: Clauses | list[frozenset[str]]) -> frozenset[str] | None:
    """The clause whose shortest string is longest: the rarest to find by chance."""
    if not clauses:
        return None
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


def _clauses(items: list[tuple[object, object]]) -> list[frozenset[str]]:
    """For a sequence: each stretch of items with a known, small set of texts (multiplied
    out into whole strings), and the best clause of every mandatory item in between."""
    clauses: list[frozenset[str]] = []
    stretch: Strings = EMPTY  # the texts the items since the last break can match

    def close() -> None:
        if min(map(len, stretch)) >= MIN_LITERAL:
            clauses.append(stretch)

    for op, arg in items:
        texts = _texts(op, arg)
        if texts is None:
            close()
            stretch = EMPTY
            inside = _inside(op, arg)
            if inside is not None:
                clauses.append(inside)
        elif len(stretch) * len(texts) > MAX_STRINGS:
            close()
            stretch = texts
        else:
            stretch = _product(stretch, texts)
    close()
    return clauses


def _product(left: Strings, right: Strings) -> Strings:
    return frozenset(a + b for a in left for b in right)


def _sequence_texts(items: list[tuple[object, object]]) -> Strings | None:
    """Every text a sequence can match, when there are few enough to list."""
    texts = EMPTY
    for op, arg in items:
        more = _texts(op, arg)
        if more is None or len(texts) * len(more) > MAX_STRINGS:
            return None
        texts = _product(texts, more)
    return texts


def _texts(op: object, arg: object) -> Strings | None:
    """Every text one item can match, or None when they are too many or unknown."""
    if op is sre.LITERAL:
        return frozenset({chr(arg)})  # type: ignore[arg-type]
    if op in ZERO_WIDTH:
        return EMPTY
    if op is sre.IN:
        members = list(arg)  # type: ignore[call-overload]
        if all(kind is sre.LITERAL for kind, _ in members) and len(members) <= MAX_STRINGS:
            return frozenset(chr(code) for _, code in members)
        return None
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, body = arg  # type: ignore[misc]
        return None if add_flags or del_flags else _sequence_texts(list(body))
    if op is sre.BRANCH:
        options = [_sequence_texts(list(a)) for a in arg[1]]  # type: ignore[index]
        if any(o is None for o in options):
            return None
        union = frozenset().union(*options)  # type: ignore[arg-type]
        return union if len(union) <= MAX_STRINGS else None
    if op in REPEATS:
        low, high, body = arg  # type: ignore[misc]
        once = _sequence_texts(list(body))
        if once is None or high > 1:
            return None
        return once if low == 1 else once | EMPTY
    return None


def _inside(op: object, arg: object) -> frozenset[str] | None:
    """For an item whose texts cannot be listed: the one clause it surely needs, or None."""
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, body = arg  # type: ignore[misc]
        return None if add_flags or del_flags else most_selective(_clauses(list(body)))
    if op is sre.BRANCH:
        options = [most_selective(_clauses(list(a))) for a in arg[1]]  # type: ignore[index]
        if any(o is None for o in options):
            return None
        return frozenset().union(*options)  # type: ignore[arg-type]
    if op in REPEATS:
        low, _high, body = arg  # type: ignore[misc]
        return most_selective(_clauses(list(body))) if low >= 1 else None
    return None
