"""Optional parts of scl-tui, installed as extras (`pip install 'scl-tui[audio]'`).

A server running `scl worker` needs neither playback nor, on SQLite, a PostgreSQL
driver. Where a missing extra is needed, the person is told in one line which
extra and how to install it; the modules that need one import it only there.
"""

from __future__ import annotations

AUDIO = "audio"
"""PyAudio (PortAudio) to play recordings, pedalboard to play them faster."""
POSTGRES = "postgres"
"""psycopg, the PostgreSQL driver."""


def needs_extra(doing: str, extra: str) -> str:
    """One line: what needs which extra, and the command that installs it."""
    return f"{doing} needs the {extra} extra: pip install 'scl-tui[{extra}]'"
