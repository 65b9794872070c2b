"""The HTTP intake's use case: calls POSTed in the export format, validated and stored
exactly as `scl import` does (same rows, same limits, idempotent on the external id).

A body is one call (a JSON object), a batch (a JSON array, or JSON Lines), or CSV. As in
an import, the good calls of a batch are stored and each bad one is named by its place
and field (`[3].transcript[2].text: …`); sending the batch again after a fix is safe.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from core.errors import SclError
from core.services.context import ServiceContext
from core.services.importer import ImportReport, RawRow, import_rows
from core.services.ingest import RowError, decode_json, read_stream

JSON_LINES_TYPES = frozenset(
    {"application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines"}
)
CSV_TYPES = frozenset({"text/csv", "application/csv"})
# A request holds at most what one line of `scl import` may (ingest.MAX_LINE_CHARS): a
# batch bigger than this is split by the sender.
MAX_BODY_BYTES = 64 * 1024 * 1024


class BadBody(SclError):
    """The body is no call at all (not JSON, empty, not UTF-8): HTTP 400."""

    title = "Bad request"


@dataclass(frozen=True)
class Refusal:
    """One refused call: where in the body (`[3]`, `line 3`, or "" for a lone call)."""

    at: str
    field: str | None
    message: str

    @property
    def path(self) -> str | None:
        """The field's path in the body: `[3].transcript[2].text`, `transcript[2].text`."""
        if self.at.startswith("["):
            return f"{self.at}.{self.field}" if self.field else self.at
        return self.field

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (self.at if not self.at.startswith("[") else "", self.path) if p
        )
        return f"{where}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Taken:
    received: int
    new: int
    already_known: int
    refused: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "received": self.received,
            "new": self.new,
            "already_known": self.already_known,
        }
        if self.warnings:
            answer["warnings"] = self.warnings
        if self.refused:
            answer["error"] = str(self.refused[0])
            answer["refused"] = [
                {"at": r.at, "field": r.path, "message": r.message, "error": str(r)}
                for r in self.refused
            ]
        return answer


@dataclass(frozen=True)
class Body:
    rows: list[RawRow]
    kind: str  # "one", "array", "lines" (JSON Lines or CSV): how places are named


def read_body(raw: bytes, content_type: str) -> Body:
    """The calls in a request body, or BadBody saying in one line what is wrong."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadBody(f"the body is not UTF-8 text (byte {error.start:,})") from None
    if not text.strip():
        raise BadBody("the body is empty: send one call, a JSON array of calls, or JSON Lines")
    kind = content_type.split(";")[0].strip().lower()
    if kind in CSV_TYPES:
        return Body(list(read_stream(io.StringIO(text, newline=""), "csv")), "lines")
    if kind in JSON_LINES_TYPES:
        return Body(list(read_stream(io.StringIO(text), "jsonl")), "lines")
    try:
        whole = decode_json(text)
    except json.JSONDecodeError as error:
        if error.msg == "Extra data":  # one object a line, sent as application/json
            return Body(list(read_stream(io.StringIO(text), "jsonl")), "lines")
        raise BadBody(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise BadBody("not valid JSON: nested too deeply to be calls") from None
    if isinstance(whole, dict):
        return Body([(0, whole)], "one")
    if isinstance(whole, list):
        return Body(list(_elements(whole)), "array")
    raise BadBody("the body must be a call (a JSON object) or a JSON array of calls")


def _elements(items: list[Any]) -> Iterator[RawRow]:
    for index, item in enumerate(items):
        if isinstance(item, dict):
            yield index, item
        else:
            yield index, RowError(None, "must be one call (a JSON object)")


def take_calls(ctx: ServiceContext, body: Body) -> Taken:
    """Store the body's good calls (known external ids change nothing)."""
    return take_many(ctx, [body])[0]


def take_many(ctx: ServiceContext, bodies: list[Body]) -> list[Taken]:
    """Several requests' calls stored together (one transaction a batch, as an import
    stores a file), each request told what became of its own calls."""
    owners: list[tuple[int, int]] = []  # each row's (request, place in the request)
    rows: list[RawRow] = []
    for which, body in enumerate(bodies):
        for line, raw in body.rows:
            rows.append((len(owners), raw))
            owners.append((which, line))
    report = import_rows(ctx, "request", rows, ImportReport(new_lines=set()))
    received, new = [0] * len(bodies), [0] * len(bodies)
    refused: list[list[Refusal]] = [[] for _ in bodies]
    warnings: list[list[str]] = [[] for _ in bodies]
    for which, _ in owners:
        received[which] += 1
    for row in report.new_lines or ():
        new[owners[row][0]] += 1
    for problem in report.problems:
        which, line = owners[problem.line]
        if problem.severity == "error":
            place = _place(bodies[which].kind, line)
            refused[which].append(Refusal(place, problem.field, problem.message))
        else:
            warnings[which].append(problem.message)
    return [
        Taken(
            received=received[i],
            new=new[i],
            already_known=received[i] - new[i] - len(refused[i]),
            refused=refused[i],
            warnings=warnings[i],
        )
        for i in range(len(bodies))
    ]


def _place(kind: str, line: int) -> str:
    if kind == "array":
        return f"[{line}]"
    if kind == "lines":
        return f"line {line}"
    return ""
