"""Which of many phrase patterns match which transcript lines — fast.

Running some two hundred regular expressions over every call is too slow for
thousands of calls a second. Each pattern needs certain literal strings
(core.classify.prefilter), so an Aho-Corasick scan of each line finds every
literal present, and a pattern runs only on the lines that hold one of the
literals it needs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import ahocorasick

from core.classify.prefilter import Clauses, most_selective, required_clauses

# Literals in nearly every line ("the", " you"): looking for them filters nothing and
# costs a hit each time, so a clause holding one is taken as present without a look.
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "but",
        "can",
        "do",
        "for",
        "get",
        "got",
        "had",
        "has",
        "have",
        "he",
        "his",
        "i",
        "in",
        "is",
        "it",
        "its",
        "let",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "out",
        "she",
        "so",
        "that",
        "the",
        "them",
        "they",
        "this",
        "to",
        "up",
        "was",
        "we",
        "what",
        "with",
        "you",
        "your",
    ]
)


def _weak(literal: str) -> bool:
    word = literal.strip()
    return word in COMMON_WORDS or len(word) < 3


def _useful(clauses: Clauses) -> Clauses:
    """The clauses worth looking for: any with a common literal is as good as present
    (unless that would leave none, and the pattern would run on every line)."""
    useful = tuple(c for c in clauses if not any(_weak(literal) for literal in c))
    return useful or clauses


class PhraseMatcher:
    def __init__(self, phrases: Sequence[str]) -> None:
        self.regexes = [re.compile(p) for p in phrases]
        self.clauses: list[Clauses] = [_useful(required_clauses(p)) for p in phrases]
        # The clause used to pick lines: its literals' lines are the only candidates.
        self.anchors = [most_selective(c) for c in self.clauses]
        literals = {lit for clauses in self.clauses for clause in clauses for lit in clause}
        # Aho-Corasick finds every literal, overlapping ones too, in one pass.
        self._scan = ahocorasick.Automaton()
        for literal in literals:
            self._scan.add_word(literal, literal)
        self._scan.make_automaton()
        self._always = [i for i, c in enumerate(self.clauses) if not c]
        self._others = [
            [clause for clause in clauses if clause is not anchor]
            for clauses, anchor in zip(self.clauses, self.anchors, strict=True)
        ]
        self._by_anchor: dict[str, list[int]] = defaultdict(list)
        for phrase, anchor in enumerate(self.anchors):
            for literal in anchor or ():
                self._by_anchor[literal].append(phrase)

    def match(self, lines: Sequence[str]) -> dict[int, list[int]]:
        """phrase index → the indexes of the lines it matches (lines already lower-cased)."""
        where: dict[str, set[int]] = defaultdict(set)
        if self._scan.kind != ahocorasick.EMPTY:
            scan = self._scan.iter
            for number, line in enumerate(lines):
                for _, literal in scan(line):
                    where[literal].add(number)
        result: dict[int, list[int]] = {}
        regexes = self.regexes
        for phrase, line_set in self._candidates(where, len(lines)):
            search = regexes[phrase].search
            if len(line_set) == 1:  # the common case, without a sort and a list to build
                (only,) = line_set
                if search(lines[only]):
                    result[phrase] = [only]
                continue
            hits = [i for i in sorted(line_set) if search(lines[i])]
            if hits:
                result[phrase] = hits
        return result

    def _candidates(
        self, where: dict[str, set[int]], line_count: int
    ) -> list[tuple[int, set[int]]]:
        """Phrases whose every clause is present, each with the lines worth trying."""
        picked = [(phrase, set(range(line_count))) for phrase in self._always]
        lines_of: dict[int, set[int]] = defaultdict(set)
        for literal, lines in where.items():
            for phrase in self._by_anchor.get(literal, ()):
                lines_of[phrase] |= lines
        present = where.keys()
        others = self._others
        for phrase, lines in lines_of.items():
            # The anchor clause is present by construction; check the others.
            for clause in others[phrase]:
                if clause.isdisjoint(present):
                    break
            else:
                picked.append((phrase, lines))
        return picked
