"""Plain mode's keys as `?` says them: one key a line, in the app's words.

Where a plain key does what an app key does, its words are the app binding's tooltip
(the app's `?` help), cut only where they speak of the screen ("in a toast", "path
copied"); tests/plain/test_help.py holds them to the app's. Kept here as data, not
read from the app's bindings: plain mode never loads the screen framework.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    typed: str  # what the agent types before Enter
    words: str  # the app's words for it (app_id's tooltip), or plain mode's own
    app_id: str | None = None  # the app binding doing the same, when there is one
    also: str = ""  # what plain mode adds: typing its argument at once, and such

    def line(self) -> str:
        return f"{self.typed}: {self.words}" + (f"; {self.also}." if self.also else ".")


KEYS = (
    Key("A number", "Read that lead of the list"),
    Key("Enter alone", "Read the lead you are on again"),
    Key("j", "Next lead", "next_lead"),
    Key("k", "Previous lead", "previous_lead"),
    Key("l", "The list again"),
    Key("more", "The next page of the list"),
    Key("open", "The Open tab", "tab_open"),
    Key("cold", "The Cold tab", "tab_cold"),
    Key("done", "The Done tab", "tab_done"),
    Key(
        "v",
        "Show one status of this tab, then the next, then all",
        "status_filter",
    ),
    Key("f TEXT", "Narrow the table by phone, CSR or text", "filter", "f alone shows all"),
    Key("d", "Dismiss with a reason", "dismiss", "d1 or d2 chooses it at once"),
    Key("c", "Call the customer back (status: Call Back Attempted)", "call_back"),
    Key("s", "Set the status by hand", "set_status", "s and its number chooses it at once"),
    Key("n", "Add a note to the lead", "add_note", "n TEXT adds it at once"),
    Key("t", "The transcript again"),
    Key("/WORD", "Search the transcript", "search", "its lines with WORD are said"),
    Key("space, or play", "Play or pause the call's recording", "player_play"),
    Key(",", "Back 5 seconds in the recording", "player_back"),
    Key(".", "Forward 5 seconds in the recording", "player_forward"),
    Key("x", "Playback speed 1×, 1.5×, 2×", "player_speed"),
    Key("stop", "Stop the recording", also="play starts again from 00:00"),
    Key("e", "Export the recording to a file", "player_export", "its path is said"),
    Key("r", "Read the leads again", "refresh", "and the counts"),
    Key("p", "Metrics over 7, 30, 60 or 90 days", "period", "the next period"),
    Key("g", "Open the newest lead announced", "goto_new_lead"),
    Key("h or ?", "Every key", "help"),
    Key("q", "Leave the app", "quit"),
)

# The app's keys plain mode has no key for, and why (tests/plain/test_help.py).
NOT_IN_PLAIN = {
    "settings": "a command: scl settings",
    "book_job": "a command: scl book",
    "metrics": "commands: scl metrics, scl report",
    "preferences": "a command: scl preferences",
    "player_jump": "t reads the transcript here; each line says its time",
    "next_match": "/WORD says every match at once",
    "previous_match": "/WORD says every match at once",
    "open_review": "a number or Enter reads the lead",
    "back": "nothing is open over the list",
}


def help_lines() -> list[str]:
    return [
        "Keys, each followed by Enter:",
        *(key.line() for key in KEYS),
        "Booking a job, metrics, reports and settings are commands: scl book, scl metrics, "
        "scl report, scl settings.",
    ]
