"""Reading calls in the export contract (SPEC "Contracts") and storing them once each.

Parsing is pure and reports problems by field; storing is idempotent on the
call's external id, so a file can be imported again safely.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from core.db.models import (
    Call,
    Customer,
    CustomerPhone,
    Employee,
    Job,
    Lead,
    Location,
    TranscriptSegment,
)
from core.domain.phones import InvalidPhone, normalise_phone
from core.domain.settings import CompanySettings
from core.domain.statuses import AUTOMATIC_STATUSES
from core.services.booking import apply_booking

DIRECTIONS = ("inbound", "outbound")
REQUIRED = ("external_id", "direction", "customer_phone", "started_at", "ended_at", "job_booked")
# The longest real call is a few hours of speech: a call (ended_at - started_at) and
# every segment's end time stay within 4 hours.
MAX_CALL_SECONDS = 4 * 60 * 60
# 4 hours of speech at 150 words a minute is 36,000 words; at about 6 characters a word
# (with its space) that is ~216,000 characters: 250,000 leaves room for fast talkers.
MAX_TRANSCRIPT_CHARS = 250_000
MAX_SEGMENTS = 5_000  # a turn every 3 seconds for 4 hours
MAX_SEGMENT_CHARS = 20_000  # 20 minutes of one speaker without a break
# A line within every limit above is a megabyte or two. One of up to 64 MB is read, to
# say which field is too long; past that it is skipped unread (memory stays bounded).
MAX_LINE_CHARS = 64 * 1024 * 1024
# Calls happen in this era; outside it a date is a typo (and year 1 or 9999 with an
# offset is not even a time Python or the database can hold in UTC).
YEARS = (1970, 2999)
# Past 4,300 digits Python refuses to read an integer: such a line is read again with
# the integers past this many digits kept as HugeNumber, to say which field held one.
MAX_INT_DIGITS = 30
MAX_FIELD_CHARS = {
    "external_id": 200,
    "direction": 20,
    "customer_phone": 64,
    "customer_name": 200,
    "started_at": 64,
    "ended_at": 64,
    "call_type": 100,
    "brand": 200,
    "csr": 100,
    "csr_notes": 10_000,
    "recording": 2_000,
}
# Everything from here on is one process: let a CSV cell be as large as a JSON line.
csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_CHARS))


class RowError(ValueError):
    """One bad field of one row."""

    def __init__(self, field_name: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Problem:
    """A rejected row (error) or a note about an accepted one (warning), with its place."""

    file: str
    line: int
    field: str | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f": field {self.field!r}" if self.field else "")
        return f"{where}: {self.severity}: {self.message}"


@dataclass(frozen=True)
class SegmentRecord:
    speaker: str
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class CallRecord:
    external_id: str
    direction: str
    customer_phone: str  # E.164
    customer_name: str | None
    started_at: datetime
    ended_at: datetime
    call_type: str | None
    csr: str | None
    csr_notes: str | None
    job_booked: bool
    recording: str | None
    transcript: tuple[SegmentRecord, ...]
    extra: Mapping[str, Any] = field(default_factory=dict)
    brand: str | None = None  # the brand the call came in on, as the phone system names it


class HugeNumber:
    """A JSON integer too long to be anything but a typo (kept out of `int`, which
    refuses past 4,300 digits)."""

    def __init__(self, digits: str) -> None:
        self.digits = len(digits.lstrip("-"))

    def __repr__(self) -> str:
        return f"<a {self.digits}-digit number>"


def _json_int(digits: str) -> int | HugeNumber:
    return int(digits) if len(digits) <= MAX_INT_DIGITS else HugeNumber(digits)


def decode_json(text: str) -> Any:
    """json.loads, fast; a number Python refuses to read becomes a HugeNumber."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise
    except ValueError:  # an integer of more than 4,300 digits
        return json.loads(text, parse_int=_json_int)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(line number, raw object or why it could not be read) for a .jsonl or .csv file;
    another name is CSV when its first line is a CSV header, JSON Lines otherwise."""
    suffix = path.suffix.lower()
    kind = (
        "csv" if suffix == ".csv" else "jsonl" if suffix in (".jsonl", ".ndjson", ".json") else None
    )
    refused = not_utf8(path)
    if refused is not None:
        yield refused
        return
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield from read_stream(handle, kind)


UTF8_HINT = (
    'save it as "CSV UTF-8" (Excel: File > Save As > CSV UTF-8) or as UTF-8 text, '
    "then import it again; nothing was imported from this file"
)


def not_utf8(path: Path) -> tuple[int, RowError] | None:
    """(line, why) when the file is not UTF-8 text: a spreadsheet saved as plain "CSV"
    (Windows-1252) or "Unicode Text" (UTF-16). Checked before any row is read, so such
    a file is refused whole rather than imported with its accents turned to '?'."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    number = 1
    with path.open("rb") as handle:
        head = handle.read(2)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return 1, RowError(None, f"the file is UTF-16 text, not UTF-8: {UTF8_HINT}")
        handle.seek(0)
        for piece in iter(lambda: handle.readline(1 << 20), b""):
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as error:
                byte = error.object[error.start]
                guess = bytes([byte]).decode("cp1252", errors="replace")
                said = f" ({guess!r} in Windows-1252)" if guess != "\ufffd" else ""
                return number, RowError(
                    None, f"not UTF-8 text: byte 0x{byte:02X}{said} on this line; {UTF8_HINT}"
                )
            number += piece.endswith(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return number, RowError(
                None, f"not UTF-8 text: the file ends mid-character; {UTF8_HINT}"
            )
    return None


def read_stream(
    handle: TextIO, kind: str | None = None
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """Rows of an open text stream (a pipe too: it is read once, in order); `kind`
    "csv" or "jsonl", or None to tell by the first line."""
    first = handle.readline(MAX_LINE_CHARS + 1)
    if kind is None:
        kind = "csv" if _looks_like_csv_header(first) else "jsonl"
    if kind == "csv":
        yield from _read_csv(chain([first], handle))
    else:
        yield from _read_jsonl(first, handle)


def _looks_like_csv_header(line: str) -> bool:
    if line.lstrip().startswith(("{", "[")):
        return False
    cells = {cell.strip().strip('"').strip() for cell in line.split(",")}
    return "external_id" in cells


def _lines(first: str, handle: TextIO) -> Iterator[str | None]:
    """Each line, or None for one too long to hold (the rest of it is skipped)."""
    line = first
    while line:
        if len(line) > MAX_LINE_CHARS:
            while line and not line.endswith("\n"):
                line = handle.readline(1 << 20)
            yield None
        else:
            yield line
        line = handle.readline(MAX_LINE_CHARS + 1)


def _read_jsonl(first: str, handle: TextIO) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    for number, line in enumerate(_lines(first, handle), start=1):
        if line is None:
            yield number, RowError(None, f"line is longer than {MAX_LINE_CHARS:,} characters")
            continue
        if not line.strip():
            continue
        try:
            obj = decode_json(line)
        except json.JSONDecodeError as error:
            yield number, RowError(None, f"not valid JSON: {error.msg} at column {error.colno}")
            continue
        except RecursionError:
            yield number, RowError(_too_deep(line), "is nested too deeply to be a call's field")
            continue
        except ValueError as error:  # what else the decoder refuses; say it briefly
            yield number, RowError(None, f"not valid JSON: {_short(str(error))}")
            continue
        if not isinstance(obj, dict):
            yield number, RowError(None, "a line must be one JSON object")
            continue
        yield number, obj


def _too_deep(line: str, depth_limit: int = 100) -> str | None:
    """The top-level key whose value nests past `depth_limit` brackets, if any."""
    depth, key, last, in_string, escaped, start = 0, None, "", False, False, 0
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                last = line[start : index + 1]
        elif char == '"':
            in_string, start = True, index
        elif char in "[{":
            depth += 1
            if depth > depth_limit:
                break
        elif char in "]}":
            depth -= 1
        elif char == ":" and depth == 1:
            key = last
    try:
        return json.loads(key) if key else None
    except ValueError:
        return None


def _read_csv(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    reader = csv.DictReader(lines)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, RowError(None, f"not valid CSV: {_short(str(error))}")
            continue
        number = reader.line_num
        obj: dict[str, Any] = {k: (v if v != "" else None) for k, v in row.items() if k}
        if obj.get("transcript") is not None:
            try:
                obj["transcript"] = decode_json(obj["transcript"])
            except json.JSONDecodeError as error:
                yield number, RowError("transcript", f"not a JSON list: {error.msg}")
                continue
            except RecursionError:
                yield number, RowError("transcript", "is nested too deeply to be a transcript")
                continue
            except ValueError as error:
                yield number, RowError("transcript", f"not a JSON list: {_short(str(error))}")
                continue
        yield number, obj


def parse_call(obj: Mapping[str, Any]) -> CallRecord:
    """Validate one exported call; RowError names the first bad field.

    Whatever the database would refuse (a NUL character, a lone surrogate, a time it
    cannot hold) is refused here, so one bad row never fails a batch of good ones."""
    for name in REQUIRED:
        if obj.get(name) is None or obj.get(name) == "":
            raise RowError(name, "required field is missing")
    for name, limit in MAX_FIELD_CHARS.items():
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, str):
            raise RowError(name, f"must be text, not {_kind(value)}")
        if len(value) > limit:
            raise RowError(name, f"is {len(value):,} characters; the most is {limit:,}")
        _storable(name, value)
    direction = obj["direction"].strip().lower()
    if direction not in DIRECTIONS:
        raise RowError("direction", f"must be inbound or outbound, not {_short(obj['direction'])}")
    try:
        phone = normalise_phone(obj["customer_phone"])
    except InvalidPhone as error:
        raise RowError("customer_phone", str(error)) from None
    started = _timestamp(obj, "started_at")
    ended = _timestamp(obj, "ended_at")
    if ended < started:
        raise RowError("ended_at", "is before started_at")
    if (ended - started).total_seconds() > MAX_CALL_SECONDS:
        raise RowError(
            "ended_at",
            f"is {ended - started} after started_at; a call lasts at most "
            f"{MAX_CALL_SECONDS // 3600} hours",
        )
    return CallRecord(
        external_id=obj["external_id"].strip(),
        direction=direction,
        customer_phone=phone,
        customer_name=_text(obj, "customer_name"),
        started_at=started,
        ended_at=ended,
        call_type=_text(obj, "call_type"),
        csr=_text(obj, "csr"),
        csr_notes=_text(obj, "csr_notes"),
        job_booked=_boolean(obj["job_booked"]),
        recording=_text(obj, "recording"),
        transcript=_transcript(obj.get("transcript")),
        brand=_text(obj, "brand"),
        extra={k: v for k, v in obj.items() if k not in CallRecord.__dataclass_fields__},
    )


def _storable(name: str, value: str) -> None:
    """Text the database takes: PostgreSQL refuses NUL, and no driver encodes a lone
    surrogate (which a JSON "\\ud800" escape makes)."""
    if "\x00" in value:
        raise RowError(name, "contains a NUL character (\\u0000), which cannot be stored")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RowError(name, "contains a lone surrogate (e.g. \\ud800), not text") from None


def _kind(value: Any) -> str:
    """What a JSON value is, in words: "a number", "a list"…"""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, HugeNumber):
        return f"a {value.digits:,}-digit number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _short(value: Any, most: int = 60) -> str:
    """A value quoted in a message, cut short: a 10 MB field makes a one-line report."""
    text = repr(value)
    return text if len(text) <= most else f"{text[:most]}… ({len(text):,} characters)"


def _text(obj: Mapping[str, Any], name: str) -> str | None:
    value = obj.get(name)
    return value.strip() or None if isinstance(value, str) else None


def _timestamp(obj: Mapping[str, Any], name: str) -> datetime:
    raw = obj[name]
    earliest, latest = YEARS
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError as error:
        # Python says which part is out of range ("month must be in 1..12"), except
        # for a year past four digits, which it cannot read at all.
        if long_year := re.match(r"\s*(\d{5,})-", raw):
            why = f"year {long_year[1]} is not between {earliest} and {latest}"
        else:
            why = "" if str(error).startswith("Invalid isoformat") else str(error)
        said = f"{_short(raw)} is not an ISO 8601 time"
        raise RowError(name, f"{said}: {why}" if why else said) from None
    if value.tzinfo is None:
        raise RowError(name, f"{_short(raw)} has no UTC offset (e.g. 2026-11-20T14:03:11-06:00)")
    if not earliest <= value.year <= latest:
        raise RowError(name, f"{_short(raw)} is not between the years {earliest} and {latest}")
    return value


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str | int) and (word := str(raw).strip().lower()) in BOOLEAN_WORDS:
        return BOOLEAN_WORDS[word]
    said = _short(raw) if isinstance(raw, str | int) else _kind(raw)
    raise RowError("job_booked", f"must be true or false, not {said}")


BOOLEAN_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


def _transcript(raw: Any) -> tuple[SegmentRecord, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RowError("transcript", "must be a list of segments")
    if len(raw) > MAX_SEGMENTS:
        raise RowError("transcript", f"has {len(raw):,} segments; the most is {MAX_SEGMENTS:,}")
    segments = []
    total = 0
    for index, item in enumerate(raw):
        where = f"transcript[{index}]"
        if not isinstance(item, dict):
            raise RowError(where, "must be an object with speaker, start, end and text")
        text = item.get("text")
        if not isinstance(text, str):
            raise RowError(f"{where}.text", f"must be text, not {_kind(text)}")
        if len(text) > MAX_SEGMENT_CHARS:
            raise RowError(
                f"{where}.text",
                f"is {len(text):,} characters; the most is {MAX_SEGMENT_CHARS:,}",
            )
        total += len(text)
        if total > MAX_TRANSCRIPT_CHARS:
            raise RowError(
                "transcript",
                f"has more than {MAX_TRANSCRIPT_CHARS:,} characters of text by segment "
                f"{index} (about 4 hours of speech is the most)",
            )
        start, end = _seconds(item, "start", where), _seconds(item, "end", where)
        if start < 0 or end < start:
            raise RowError(where, f"times {start}–{end} are out of order")
        if end > MAX_CALL_SECONDS:
            raise RowError(
                f"{where}.end",
                f"is {end:,.1f} seconds; a call lasts at most {MAX_CALL_SECONDS:,} seconds",
            )
        speaker = item.get("speaker")
        if speaker is not None and not isinstance(speaker, str):
            raise RowError(f"{where}.speaker", f"must be text, not {_kind(speaker)}")
        speaker = (speaker or "unknown").strip().lower()[:50]
        segments.append(SegmentRecord(speaker or "unknown", start, end, text))
    _storable_segments(segments)
    return tuple(segments)


def _storable_segments(segments: Sequence[SegmentRecord]) -> None:
    """`_storable` for every text and speaker, checked all at once (the usual case)."""
    try:
        fine = b"\x00" not in "".join(s.text + s.speaker for s in segments).encode("utf-8")
    except UnicodeEncodeError:
        fine = False
    if not fine:
        for index, segment in enumerate(segments):
            _storable(f"transcript[{index}].text", segment.text)
            _storable(f"transcript[{index}].speaker", segment.speaker)


def _seconds(item: Mapping[str, Any], key: str, where: str) -> float:
    """A segment's start or end: a finite number of seconds (NaN and Infinity are
    JSON's too, and a 400-digit integer is no float)."""
    raw = item.get(key)
    kind = type(raw)  # exactly: a bool is no number of seconds, nor a HugeNumber
    if kind is not float and kind is not int and kind is not str:
        raise RowError(where, "start and end must be numbers of seconds")
    try:
        value = float(raw)
    except (ValueError, OverflowError):
        raise RowError(where, "start and end must be numbers of seconds") from None
    if not math.isfinite(value):
        raise RowError(f"{where}.{key}", f"must be a finite number of seconds, not {_short(raw)}")
    return value


@dataclass(frozen=True)
class Stored:
    """What storing one record did: inserted, or left alone because it was known."""

    external_id: str
    created: bool
    warnings: tuple[str, ...] = ()


def store_call(
    session: Session,
    record: CallRecord,
    now: datetime,
    settings: CompanySettings,
    *,
    address: str | None = None,
) -> Stored:
    """Insert one call unless its external id is known (then change nothing)."""
    addresses = {record.external_id: address} if address else None
    return store_calls(session, [record], now, settings, addresses=addresses)[0]


def store_calls(
    session: Session,
    records: Sequence[CallRecord],
    now: datetime,
    settings: CompanySettings,
    *,
    addresses: Mapping[str, str] | None = None,
) -> list[Stored]:
    """Insert a batch of calls in a few statements; known external ids change nothing.

    Unknown CSRs become employees without permissions (a warning); callers are
    linked to customers by phone; a booked call records its job and gives the
    customer's leads their automatic status.
    """
    ids = [r.external_id for r in records]
    known = set(session.scalars(select(Call.external_id).where(Call.external_id.in_(ids))))
    results: dict[int, Stored] = {}
    fresh: list[tuple[int, CallRecord]] = []
    for position, record in enumerate(records):
        if record.external_id in known:
            results[position] = Stored(record.external_id, created=False)
        else:
            known.add(record.external_id)  # a repeat later in the same batch is known too
            fresh.append((position, record))
    if fresh:
        warnings: dict[str, list[str]] = {}
        csr_ids = _csr_ids(session, [r for _, r in fresh], now, warnings)
        customer_ids = _customer_ids(session, [r for _, r in fresh], now)
        rows = [
            {
                "external_id": r.external_id,
                "direction": r.direction,
                "customer_phone": r.customer_phone,
                "customer_id": customer_ids[r.customer_phone],
                "location_id": _location_id(
                    session,
                    customer_ids[r.customer_phone],
                    (addresses or {}).get(r.external_id),
                    now,
                ),
                "started_at": r.started_at,
                "ended_at": r.ended_at,
                "call_type": r.call_type,
                "brand": r.brand,
                "csr_id": csr_ids.get(r.csr) if r.csr else None,
                "csr_notes": r.csr_notes,
                "recording": r.recording,
                "job_booked": r.job_booked,
                "imported_at": now,
                "review_attempts": 0,
            }
            for _, r in fresh
        ]
        # Core statements, not the ORM's unit of work: one round trip per batch.
        calls = Call.__table__
        inserted = (
            session.connection()
            .execute(insert(calls).returning(calls.c.id, sort_by_parameter_order=True), rows)
            .scalars()
            .all()
        )
        segments = [
            {
                "call_id": call_id,
                "idx": i,
                "speaker": s.speaker,
                "start": s.start,
                "end": s.end,
                "text": s.text,
            }
            for call_id, (_, record) in zip(inserted, fresh, strict=True)
            for i, s in enumerate(record.transcript)
        ]
        if segments:
            session.connection().execute(insert(TranscriptSegment.__table__), segments)
        booked = [
            (call_id, record)
            for call_id, (_, record) in zip(inserted, fresh, strict=True)
            if record.job_booked
        ]
        if booked:
            _record_jobs(session, booked, csr_ids, now, settings)
        for _position, record in fresh:
            results[_position] = Stored(
                record.external_id,
                created=True,
                warnings=tuple(warnings.get(record.csr or "", ())),
            )
            warnings.pop(record.csr or "", None)  # warn once, on the first call that needed it
    return [results[p] for p in range(len(records))]


def _csr_ids(
    session: Session,
    records: Sequence[CallRecord],
    now: datetime,
    warnings: dict[str, list[str]],
) -> dict[str, int]:
    logins = {r.csr for r in records if r.csr}
    found = dict(
        session.execute(select(Employee.login, Employee.id).where(Employee.login.in_(logins))).all()
    )
    for login in sorted(logins - found.keys()):
        person = Employee(login=login, name=login, created_at=now)
        session.add(person)
        session.flush()
        found[login] = person.id
        warnings[login] = [f"unknown CSR {login!r} added as an employee without permissions"]
    return found


def _customer_ids(session: Session, records: Sequence[CallRecord], now: datetime) -> dict[str, int]:
    """The customer of each phone: found by the phone, or created in one statement."""
    names: dict[str, str | None] = {}
    for r in records:
        names[r.customer_phone] = names.get(r.customer_phone) or r.customer_name
    known = session.execute(
        select(CustomerPhone.phone, CustomerPhone.customer_id, Customer.name)
        .join(Customer, Customer.id == CustomerPhone.customer_id)
        .where(CustomerPhone.phone.in_(names))
    ).all()
    ids = {phone: customer_id for phone, customer_id, _ in known}
    for phone, customer_id, name in known:
        if name is None and names[phone]:
            session.execute(
                update(Customer).where(Customer.id == customer_id).values(name=names[phone])
            )
    new_phones = [phone for phone in names if phone not in ids]
    if new_phones:
        created = (
            session.connection()
            .execute(
                insert(Customer.__table__).returning(
                    Customer.__table__.c.id, sort_by_parameter_order=True
                ),
                [{"name": names[phone], "created_at": now} for phone in new_phones],
            )
            .scalars()
            .all()
        )
        session.connection().execute(
            insert(CustomerPhone.__table__),
            [{"phone": p, "customer_id": i} for p, i in zip(new_phones, created, strict=True)],
        )
        ids.update(zip(new_phones, created, strict=True))
    return ids


def _location_id(
    session: Session, customer_id: int, address: str | None, now: datetime
) -> int | None:
    if not address:
        return None
    found = session.scalars(
        select(Location).where(Location.customer_id == customer_id, Location.address == address)
    ).one_or_none()
    if found is None:
        found = Location(customer_id=customer_id, address=address, created_at=now)
        session.add(found)
        session.flush()
    return found.id


def _record_jobs(
    session: Session,
    booked: Sequence[tuple[int, CallRecord]],
    csr_ids: Mapping[str, int],
    now: datetime,
    settings: CompanySettings,
) -> None:
    """A booked call is a job; only customers with leads need the booking rule."""
    jobs = Job.__table__
    job_ids = (
        session.connection()
        .execute(
            insert(jobs).returning(jobs.c.id, sort_by_parameter_order=True),
            [
                {
                    "customer_phone": r.customer_phone,
                    "booked_at": r.ended_at,
                    "booked_by_id": csr_ids.get(r.csr) if r.csr else None,
                    "call_id": call_id,
                    "created_at": now,
                }
                for call_id, r in booked
            ],
        )
        .scalars()
        .all()
    )
    phones = {r.customer_phone for _, r in booked}
    with_leads = set(
        session.scalars(
            select(Lead.customer_phone).where(
                Lead.customer_phone.in_(phones),
                Lead.status.not_in([s.value for s in AUTOMATIC_STATUSES]),
            )
        )
    )
    for job_id, (_, record) in zip(job_ids, booked, strict=True):
        if record.customer_phone in with_leads:
            job = session.get_one(Job, job_id)
            apply_booking(session, job, settings, job.booked_by)
