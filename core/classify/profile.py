"""The company profile: the brands a call center answers for, what each sells, and where.

A profile is TOML (see SPEC "The company profile"). Parsing checks everything and
refuses a bad file as a whole with `FILE:LINE: what is wrong`; nothing is half-read.
Without a profile the company is one brand that does every trade, anywhere.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property

from core.classify.catalog import Catalog, default_catalog

BRAND_KEYS = ("name", "trades", "also", "not", "area")
ZIP_PREFIX = re.compile(r"^\d{1,5}$")
# Words of a brand's name that say nothing about which brand it is.
GENERIC_NAME_WORDS = frozenset(
    [
        "and",
        "the",
        "of",
        "inc",
        "llc",
        "ltd",
        "co",
        "company",
        "services",
        "service",
        "home",
        "homes",
        "pro",
        "pros",
        "group",
        "&",
        "solutions",
    ]
)


class ProfileError(ValueError):
    """A profile that cannot be used; the message is `FILE:LINE: what is wrong`."""


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A service said in words ("window units") as a pattern that also finds "window
    unit" and "windows units": each word as a stem, up to two words between them."""
    stems = [re.escape(word.rstrip("s") if len(word) > 3 else word) for word in _words(phrase)]
    return re.compile(r"\b" + r"\w*\W+(?:\w+\W+){0,2}?".join(stems) + r"\w*")


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


@dataclass(frozen=True)
class Brand:
    name: str
    trades: tuple[str, ...]
    also: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    area: tuple[str, ...] = ()

    @cached_property
    def also_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(phrase_pattern(p) for p in self.also)

    @cached_property
    def not_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(phrase_pattern(p) for p in self.not_)

    @cached_property
    def towns(self) -> frozenset[str]:
        return frozenset(" ".join(_words(a)) for a in self.area if not ZIP_PREFIX.match(a))

    @cached_property
    def zip_prefixes(self) -> tuple[str, ...]:
        return tuple(a for a in self.area if ZIP_PREFIX.match(a))

    @cached_property
    def name_words(self) -> tuple[str, ...]:
        """The words of the name that tell this brand apart, as speech recognition
        writes them (lower case, no punctuation)."""
        words = [w.replace("'", "") for w in _words(self.name)]
        telling = [w for w in words if w not in GENERIC_NAME_WORDS]
        return tuple(telling or words)

    def serves_zip(self, zip_code: str) -> bool:
        return not self.zip_prefixes or zip_code.startswith(self.zip_prefixes)

    def serves_town(self, town: str) -> bool:
        return not self.area or " ".join(_words(town)) in self.towns


@dataclass(frozen=True)
class CompanyProfile:
    brands: tuple[Brand, ...]
    source: str = ""  # the TOML it was read from ("" for the built-in default)
    catalog: Catalog = field(default_factory=default_catalog, compare=False, repr=False)

    def brand_named(self, name: str | None) -> Brand | None:
        if not name:
            return None
        wanted = " ".join(_words(name))
        return next((b for b in self.brands if " ".join(_words(b.name)) == wanted), None)

    def to_toml(self) -> str:
        if self.source:
            return self.source
        return "".join(_brand_toml(brand) for brand in self.brands)


def _brand_toml(brand: Brand) -> str:
    def items(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(_quote(v) for v in values) + "]"

    text = f"[[brand]]\nname = {_quote(brand.name)}\ntrades = {items(brand.trades)}\n"
    for key, values in (("also", brand.also), ("not", brand.not_), ("area", brand.area)):
        if values:
            text += f"{key} = {items(values)}\n"
    return text + "\n"


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_profile(catalog: Catalog | None = None) -> CompanyProfile:
    """No profile stored: one brand that does every trade in the catalog, anywhere."""
    catalog = catalog or default_catalog()
    return CompanyProfile((Brand("Our company", catalog.ids),), "", catalog)


def parse_profile(
    text: str, filename: str = "profile.toml", catalog: Catalog | None = None
) -> CompanyProfile:
    """Read a profile; raise ProfileError naming the file and line of the first problem."""
    catalog = catalog or default_catalog()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = found.group(1) if found else str(max(1, len(text.rstrip().splitlines())))
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ProfileError(f"{filename}:{line}: not valid TOML: {message}") from None
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if line.strip().startswith("[[brand]]")]

    def fail(line: int, message: str) -> ProfileError:
        return ProfileError(f"{filename}:{line}: {message}")

    for key in data:
        if key != "brand":
            raise fail(
                _line_of(lines, key, 1),
                f"unknown table or key {key!r}; a profile lists [[brand]] tables",
            )
    raw_brands = data.get("brand")
    if not isinstance(raw_brands, list) or not raw_brands:
        raise fail(1, "no brand: add a [[brand]] table with a name and trades")
    brands: list[Brand] = []
    for number, raw in enumerate(raw_brands):
        start = headers[number] if number < len(headers) else 1
        end = headers[number + 1] if number + 1 < len(headers) else len(lines) + 1
        brands.append(_brand(raw, lines, start, end, catalog, fail))
    seen: dict[str, int] = {}
    for number, brand in enumerate(brands):
        key = " ".join(_words(brand.name))
        if key in seen:
            start = headers[number] if number < len(headers) else 1
            raise fail(_line_of(lines, "name", start), f"brand {brand.name!r} is listed twice")
        seen[key] = number
    return CompanyProfile(tuple(brands), text, catalog)


def _brand(raw, lines, start, end, catalog, fail) -> Brand:  # type: ignore[no-untyped-def]
    def where(key: str, needle: str | None = None) -> int:
        return _line_of(lines, needle or key, start, end)

    for key in raw:
        if key not in BRAND_KEYS:
            raise fail(
                where(key), f"unknown key {key!r} in [[brand]]; known keys: {', '.join(BRAND_KEYS)}"
            )
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail(where("name") if "name" in raw else start, 'a brand needs a name (name = "…")')
    if "trades" not in raw:
        raise fail(start, f"brand {name!r} has no trades; known trades: {', '.join(catalog.ids)}")
    values: dict[str, tuple[str, ...]] = {}
    for key in ("trades", "also", "not", "area"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(where(key), f'{key} must be a list of words in quotes, like {key} = ["…"]')
        values[key] = tuple(v.strip() for v in value)
    if not values["trades"] and not values["also"]:
        raise fail(where("trades"), f"brand {name!r} sells nothing: list its trades")
    for trade in values["trades"]:
        if trade not in catalog.ids:
            raise fail(
                where("trades", f'"{trade}"'),
                f"unknown trade {trade!r}; known trades: {', '.join(catalog.ids)}",
            )
    for place in values["area"]:
        if any(ch.isdigit() for ch in place) and not ZIP_PREFIX.match(place):
            raise fail(
                where("area", place),
                f"area {place!r} is neither a town nor a ZIP prefix (1 to 5 digits)",
            )
    return Brand(name.strip(), values["trades"], values["also"], values["not"], values["area"])


def _line_of(lines: list[str], needle: str, start: int, end: int | None = None) -> int:
    """The first line from `start` (1-based, before `end`) that holds `needle`."""
    stop = end if end is not None else len(lines) + 1
    for number in range(start, stop):
        if needle in lines[number - 1]:
            return number
    return start
