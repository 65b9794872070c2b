"""The phrase matcher the slow way: every pattern tried on every line, with no prefilter.

What the fast matcher (core.classify.matcher) must find, found by plain `re` alone. To
be quick enough for every line of every labelled set it first screens the lines with a
few patterns joined as alternatives: a line is found by the alternation exactly when it
is found by one of them (re tries each alternative at each place), and most lines are
found by none, so most patterns never see most lines; the lines a group finds are then
tried pattern by pattern. The loops over lines run in C (map, compress).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress

GROUP = 8  # patterns screened in one pass (measured: 4 to 16 are alike, 60 is slower)


class EveryRegexOnEveryLine:
    def __init__(self, patterns: Sequence[str | re.Pattern[str]]) -> None:
        self.regexes = [re.compile(p) for p in patterns]
        self._groups: list[tuple[re.Pattern[str], range]] = []
        for start in range(0, len(self.regexes), GROUP):
            members = range(start, min(start + GROUP, len(self.regexes)))
            self._groups += self._screens(members)

    def _screens(self, members: range) -> list[tuple[re.Pattern[str], range]]:
        """One alternation for the group; each pattern alone where they cannot be joined
        (flags of their own, group names that clash)."""
        regexes = [self.regexes[i] for i in members]
        if all(r.flags == re.UNICODE for r in regexes):
            try:
                return [(re.compile("|".join(f"(?:{r.pattern})" for r in regexes)), members)]
            except re.error:
                pass
        return [(self.regexes[i], range(i, i + 1)) for i in members]

    def match(self, lines: Sequence[str]) -> dict[int, list[int]]:
        """phrase index → the indexes of the lines it matches, as PhraseMatcher.match."""
        numbers = range(len(lines))
        found: dict[int, list[int]] = {}
        for screen, members in self._groups:
            maybe = list(compress(numbers, map(screen.search, lines)))
            for phrase in members if maybe else ():
                search = self.regexes[phrase].search
                hits = [n for n in maybe if search(lines[n])]
                if hits:
                    found[phrase] = hits
        return found
