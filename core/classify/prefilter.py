"""Skip a regular expression when none of the words it needs is in the text.

A cue's pattern can only match text that contains one of a few literal
strings ("sewage", "wrong number", …). Finding them with `in` costs far less
than running the pattern, and most cues are absent from most calls. The
literals are read from the pattern itself; when that cannot be done safely
the answer is None and the pattern always runs, so results never change.
"""

from __future__ import annotations

from re import _constants as sre
from re import _parser as sre_parse  # the stdlib's own parser (stable API since 3.11)

MIN_LITERAL = 3


Clauses = tuple[frozenset[str], ...]


def required_clauses(pattern: str) -> Clauses:
    """Sets of strings such that any text `pattern` matches holds at least one string of
    every set. No sets at all means nothing is known: the pattern always runs."""
    try:
        return tuple(_clauses(list(sre_parse.parse(pattern))))
    except Exception:  # an unfamiliar construct: no shortcut, never a wrong one
        return ()


def _clauses(items: list[tuple[object, object]]) -> list[frozenset[str]]:
    """Every literal run of the sequence, and every mandatory group's best literal set."""
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) >= MIN_LITERAL:
            clauses.append(frozenset({"".join(run)}))
        run.clear()

    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(arg))  # type: ignore[arg-type]
            continue
        flush()
        found = _item(op, arg)
        if found is not None:
            clauses.append(found)
    flush()
    return clauses


def most_selective(clauses: Clauses | list[frozenset[str]]) -> frozenset[str] | None:
    """The clause whose shortest string is longest: the rarest to find by chance."""
    if not clauses:
        return None
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


def _sequence(items: list[tuple[object, object]]) -> frozenset[str] | None:
    """For a group inside a pattern: the one literal set it surely needs, or None."""
    return most_selective(_clauses(items))


def _item(op: object, arg: object) -> frozenset[str] | None:
    if op is sre.SUBPATTERN:
        return _sequence(list(arg[-1]))  # type: ignore[index]
    if op is sre.BRANCH:
        alternatives = [_sequence(list(a)) for a in arg[1]]  # type: ignore[index]
        if any(a is None for a in alternatives):
            return None
        return frozenset().union(*alternatives)  # type: ignore[arg-type]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, body = arg  # type: ignore[misc]
        return _sequence(list(body)) if low >= 1 else None
    return None
