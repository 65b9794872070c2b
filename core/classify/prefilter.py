"""Skip a regular expression when none of the strings it needs is in the text.

A cue's pattern can only match text that contains one of a few literal
strings ("sewage", "wrong number", …). Finding them with Aho-Corasick costs far
less than running the pattern, and most cues are absent from most calls. The
strings are read from the pattern itself: runs of literals, and small groups of
alternatives multiplied out across their neighbours (`ice[ds]? (up|over)` needs
one of "ice up", "iced up", … "ices over"), so the strings are long and rare.

The pattern is read by the small parser below, from the documented syntax of `re`
(not from CPython's private parser, which changes between versions). It knows the
part of that syntax the lexicon uses; anything else (a back-reference, an inline
flag, a range) gives no strings, and a pattern with no strings always runs, so
results never change — only the time taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_LITERAL = 3
MAX_STRINGS = 24  # how many alternatives a clause may list before it is cut short

Clauses = tuple[frozenset[str], ...]
Strings = frozenset[str]

EMPTY: Strings = frozenset({""})


class _Unknown(Exception):
    """Syntax the parser does not read: the pattern gets no shortcut."""


# The parsed pattern: a sequence is a list of items.
@dataclass(frozen=True)
class _Literal:
    char: str


@dataclass(frozen=True)
class _ZeroWidth:  # \b, ^, look-arounds: they consume no text
    pass


@dataclass(frozen=True)
class _Set:  # [abc]; `chars` None when it is not a short list of plain characters
    chars: frozenset[str] | None


@dataclass(frozen=True)
class _Group:
    body: list[object]


@dataclass(frozen=True)
class _Branch:
    options: list[list[object]]


@dataclass(frozen=True)
class _Repeat:
    low: int
    high: int | None  # None: no upper bound
    body: list[object]


_ANY = _Set(None)  # `.`, \w, \d, \s and their opposites
_CLASS_ESCAPES = frozenset("wWdDsS")
_ZERO_ESCAPES = frozenset("bBAZ")
_CHAR_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a"}
_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")


def required_clauses(pattern: str) -> Clauses:
    """Sets of strings such that any text `pattern` matches holds at least one string of
    every set. No sets at all means nothing is known: the pattern always runs."""
    try:
        re.compile(pattern)  # what `re` refuses is no pattern at all
        items = _Parser(pattern).parse()
    except (re.error, _Unknown, RecursionError):
        return ()
    return tuple(_clauses(items))


def most_selective(clauses: Clauses | list[frozenset[str]]) -> frozenset[str] | None:
    """The clause whose shortest string is longest: the rarest to find by chance."""
    if not clauses:
        return None
    return max(clauses, key=lambda c: (min(map(len, c)), -len(c)))


class _Parser:
    """Recursive descent over the syntax of `re` without flags: a pattern that `re`
    compiled is read the same way `re` reads it, or refused with _Unknown."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.at = 0

    def parse(self) -> list[object]:
        items = self._alternation()
        if self.at != len(self.text):  # an unmatched ")" cannot get here after re.compile
            raise _Unknown(self.text[self.at :])
        return items

    def _peek(self) -> str:
        return self.text[self.at] if self.at < len(self.text) else ""

    def _alternation(self) -> list[object]:
        options = [self._sequence()]
        while self._peek() == "|":
            self.at += 1
            options.append(self._sequence())
        return options[0] if len(options) == 1 else [_Branch(options)]

    def _sequence(self) -> list[object]:
        items: list[object] = []
        while self._peek() not in ("", "|", ")"):
            item = self._atom()
            items.append(self._quantified(item))
        return items

    def _quantified(self, item: object) -> object:
        char = self._peek()
        if char in ("?", "*", "+"):
            self.at += 1
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[char]
        elif char == "{":
            found = _QUANTIFIER.match(self.text, self.at)
            if not found or not (found.group(1) or found.group(3)):
                raise _Unknown("{")  # `re` reads some of these as literal braces
            self.at = found.end()
            low = int(found.group(1) or 0)
            high = int(found.group(3)) if found.group(3) else None
            if not found.group(2):
                high = low
        else:
            return item
        if self._peek() in ("?", "+"):  # lazy or possessive: the same texts
            self.at += 1
        if isinstance(item, _ZeroWidth):
            raise _Unknown("a repeated assertion")
        return _Repeat(low, high, [item])

    def _atom(self) -> object:
        char = self._peek()
        self.at += 1
        if char == "(":
            return self._group()
        if char == "[":
            return self._set()
        if char == "\\":
            return self._escape()
        if char == ".":
            return _ANY
        if char in ("^", "$"):
            return _ZeroWidth()
        if char in ("*", "+", "?", "{"):
            raise _Unknown(char)  # a quantifier with nothing before it
        return _Literal(char)

    def _group(self) -> object:
        zero_width = False
        if self.text.startswith("?", self.at):
            ahead = self.text[self.at : self.at + 4]
            if ahead.startswith("?:"):
                self.at += 2
            elif ahead.startswith(("?=", "?!")):
                self.at += 2
                zero_width = True
            elif ahead.startswith(("?<=", "?<!")):
                self.at += 3
                zero_width = True
            elif ahead.startswith("?P<"):
                end = self.text.find(">", self.at)
                if end < 0:
                    raise _Unknown("(?P<")
                self.at = end + 1
            else:  # flags, comments, conditionals, (?P=name)
                raise _Unknown(ahead)
        body = self._alternation()
        if self._peek() != ")":
            raise _Unknown("(")
        self.at += 1
        return _ZeroWidth() if zero_width else _Group(body)

    def _set(self) -> _Set:
        chars: set[str] = set()
        plain = True
        if self._peek() == "^":
            self.at += 1
            plain = False
        first = True
        while True:
            char = self._peek()
            if not char:
                raise _Unknown("[")
            self.at += 1
            if char == "]" and not first:
                break
            first = False
            if char == "\\":
                escaped = self._peek()
                self.at += 1
                if escaped.isalnum() or not escaped:
                    plain = False  # \w, \d, \b (a backspace here), \x41 …
                    continue
                char = escaped
            elif char == "[" and self._peek() in (":", "=", "."):
                raise _Unknown("[[")  # set syntax Python may read one day
            if self._peek() == "-" and self.text[self.at + 1 : self.at + 2] not in ("]", ""):
                plain = False  # a range
                self.at += 2
                if self.text[self.at - 1] == "\\":
                    self.at += 1
                continue
            chars.add(char)
        if not plain or not chars or len(chars) > MAX_STRINGS:
            return _Set(None)
        return _Set(frozenset(chars))

    def _escape(self) -> object:
        char = self._peek()
        self.at += 1
        if char in _ZERO_ESCAPES:
            return _ZeroWidth()
        if char in _CLASS_ESCAPES:
            return _ANY
        if char in _CHAR_ESCAPES:
            return _Literal(_CHAR_ESCAPES[char])
        if not char or char.isalnum():
            raise _Unknown("\\" + char)  # back-references, \x41, \N{…}
        return _Literal(char)


def _clauses(items: list[object]) -> list[frozenset[str]]:
    """For a sequence: each stretch of items with a known, small set of texts (multiplied
    out into whole strings), and the best clause of every mandatory item in between."""
    clauses: list[frozenset[str]] = []
    stretch: Strings = EMPTY  # the texts the items since the last break can match

    def close() -> None:
        if min(map(len, stretch)) >= MIN_LITERAL:
            clauses.append(stretch)

    for item in items:
        texts = _texts(item)
        if texts is None:
            close()
            stretch = EMPTY
            inside = _inside(item)
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


def _sequence_texts(items: list[object]) -> Strings | None:
    """Every text a sequence can match, when there are few enough to list."""
    texts = EMPTY
    for item in items:
        more = _texts(item)
        if more is None or len(texts) * len(more) > MAX_STRINGS:
            return None
        texts = _product(texts, more)
    return texts


def _texts(item: object) -> Strings | None:
    """Every text one item can match, or None when they are too many or unknown."""
    if isinstance(item, _Literal):
        return frozenset({item.char})
    if isinstance(item, _ZeroWidth):
        return EMPTY
    if isinstance(item, _Set):
        return item.chars
    if isinstance(item, _Group):
        return _sequence_texts(item.body)
    if isinstance(item, _Branch):
        options = [_sequence_texts(option) for option in item.options]
        if any(o is None for o in options):
            return None
        union = frozenset().union(*options)  # type: ignore[arg-type]
        return union if len(union) <= MAX_STRINGS else None
    if isinstance(item, _Repeat):
        once = _sequence_texts(item.body)
        if once is None or item.high is None or item.high > 1:
            return None
        if item.high == 0:
            return EMPTY
        return once if item.low == 1 else once | EMPTY
    return None


def _inside(item: object) -> frozenset[str] | None:
    """For an item whose texts cannot be listed: the one clause it surely needs, or None."""
    if isinstance(item, _Group):
        return most_selective(_clauses(item.body))
    if isinstance(item, _Branch):
        options = [most_selective(_clauses(option)) for option in item.options]
        if any(o is None for o in options):
            return None
        return frozenset().union(*options)  # type: ignore[arg-type]
    if isinstance(item, _Repeat):
        return most_selective(_clauses(item.body)) if item.low >= 1 else None
    return None
