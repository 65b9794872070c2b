"""What the `scl` commands print, with text from calls and people shown literally.

The rule ("no markup or escape sequence in a transcript can change the screen") in
one place, for the command line as `scl_tui.text.safe` is for the app:

- lines for people (tables, messages, errors quoting a name or a lead) always go
  through `safe()`, to a terminal, a pipe or a file alike: ESC shows as ␛;
- data for scripts (CSV, JSON Lines) keeps its exact bytes in a pipe or a file, the
  contract; only when it lands on a terminal are its control characters made visible.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from collections.abc import Container, Iterable, Sequence
from typing import IO

import click

# json.dumps escapes C0 controls (ESC among them) but, with ensure_ascii=False, writes
# DEL and the C1 controls raw; U+009B alone is a CSI to some terminals.
_JSON_RAW_CONTROLS = re.compile(r"[\x7f-\x9f]")


def safe(text: str | None) -> str:
    """scl_tui.text.safe, imported when first needed (it loads Rich: not for --help)."""
    from scl_tui.text import safe as shown_literally

    return shown_literally(text)


def shown_phone(e164: str | None, missing: str = "none") -> str:
    """A phone number as every verb prints it, the app's way ('(512) 555-0134' at home,
    international abroad): core.domain.phones.display_phone, imported on first use."""
    if not e164:
        return missing
    from core.domain.phones import display_phone

    return display_phone(e164)


def table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], right: Container[int] = ()
) -> None:
    """Rows as plain columns under a header line, two spaces apart, each cell shown
    literally; the columns numbered in `right` are aligned right (numbers). The last
    column is not padded (unless aligned right). Scripts read --json; this is for people."""
    cells = [[safe(str(cell)) for cell in row] for row in rows]
    widths = [
        max([_width(header), *(_width(row[index]) for row in cells)])
        for index, header in enumerate(headers)
    ]
    for row in [list(headers), *cells]:
        padded = [
            _pad(cell, widths[index], index in right)
            if index < len(row) - 1 or index in right
            else cell
            for index, cell in enumerate(row)
        ]
        click.echo("  ".join(padded).rstrip())


def _pad(cell: str, width: int, right: bool) -> str:
    room = " " * (width - _width(cell))
    return room + cell if right else cell + room


def _width(text: str) -> int:
    """Terminal columns: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


def echo(message: object = "", err: bool = False) -> None:
    """A line for people: any control character in it is shown as a picture."""
    click.echo(safe(str(message)), err=err)


def echo_json(line: str) -> None:
    """One JSON Lines record on stdout: byte for byte as given, but on a terminal the
    controls JSON leaves raw are written as \\u escapes (the same JSON value)."""
    if is_terminal(sys.stdout):
        line = _JSON_RAW_CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", line)
    click.echo(line)


def for_people(stream: IO[str]) -> IO[str]:
    """`stream`, with every write shown literally (for tables written row by row)."""
    return _Literal(stream)


def for_terminal(stream: IO[str]) -> IO[str]:
    """`stream` as it is for a pipe or a file; shown literally when it is a terminal."""
    return _Literal(stream) if is_terminal(stream) else stream


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


class _Literal(io.TextIOBase):
    """A text stream writing through `safe()`: tabs and newlines pass, nothing else."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._stream.write(safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()
