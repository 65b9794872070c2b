"""The trade catalog: which trades exist and the words callers use for each job.

The knowledge lives in data/trades.toml and data/spoken.toml; this module loads it,
folds spoken forms ("a c" -> "ac") and says which services a line of a call names.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class Service:
    trade: str  # the trade id it belongs to
    name: str  # how a summary names it: "furnace or heating repair"
    words: tuple[str, ...]
    # Other trades whose firms do this job too (a plumber clears a clogged sink): a brand
    # with any of them sells it as much as one with `trade`.
    also_done_by: tuple[str, ...] = ()

    def sold_by(self, trades: tuple[str, ...] | list[str]) -> bool:
        return self.trade in trades or any(t in trades for t in self.also_done_by)


@dataclass(frozen=True)
class Trade:
    id: str
    name: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Catalog:
    trades: tuple[Trade, ...]
    folds: tuple[tuple[re.Pattern[str], str], ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(trade.id for trade in self.trades)

    @property
    def services(self) -> tuple[Service, ...]:
        return tuple(service for trade in self.trades for service in trade.services)

    def fold(self, text: str) -> str:
        """A line as the patterns read it: lower case, spoken forms folded."""
        return self._folding.sub(self._becomes, text.lower()).strip()

    @cached_property
    def _folding(self) -> re.Pattern[str]:
        # Every fold in one pass: the first fold that matches at a place wins.
        return re.compile("|".join(f"(?P<f{i}>{p.pattern})" for i, (p, _) in enumerate(self.folds)))

    def _becomes(self, match: re.Match[str]) -> str:
        return self.folds[int(match.lastgroup[1:])][1]  # type: ignore[index]


def load_catalog(
    trades: Path = DATA / "trades.toml", spoken: Path = DATA / "spoken.toml"
) -> Catalog:
    data = tomllib.loads(trades.read_text(encoding="utf-8"))
    built = []
    for trade in data["trade"]:
        services = tuple(
            Service(
                trade["id"],
                service["name"],
                tuple(service["words"]),
                tuple(service.get("also_done_by", ())),
            )
            for service in trade["service"]
        )
        built.append(Trade(trade["id"], trade["name"], services))
    folds = tuple(
        (re.compile(fold["pattern"]), fold["becomes"])
        for fold in tomllib.loads(spoken.read_text(encoding="utf-8"))["fold"]
    )
    return Catalog(tuple(built), folds)


@cache
def default_catalog() -> Catalog:
    return load_catalog()
