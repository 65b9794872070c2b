"""`?` in plain mode: every key on a line of its own, in the words of the app's help."""

from __future__ import annotations

import io

import pytest

from scl_tui.app import SclApp
from scl_tui.plain import dispatch
from scl_tui.plain.keys import KEYS, NOT_IN_PLAIN
from scl_tui.plain.session import PlainSession
from scl_tui.screens.leads import LeadsScreen

APP_WORDS = {
    binding.id: binding.tooltip or binding.description
    for binding in (*SclApp.BINDINGS, *LeadsScreen.BINDINGS)
    if getattr(binding, "id", None)
}


def said_for(typed: str) -> list[str]:
    out = io.StringIO()
    session = PlainSession(None, "agent", io.StringIO(), out)  # type: ignore[arg-type]
    dispatch(session, typed)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("typed", ["?", "h"])
def test_question_mark_lists_every_key_on_a_line_of_its_own(typed):
    lines = said_for(typed)
    for key in KEYS:
        assert sum(line.startswith(f"{key.typed}: ") for line in lines) == 1, key.typed
    assert len(lines) == len(KEYS) + 2  # a heading and the line on the commands


@pytest.mark.parametrize("key", [k for k in KEYS if k.app_id], ids=lambda k: k.app_id)
def test_a_key_the_app_has_too_is_said_in_the_words_of_the_apps_help(key):
    words = APP_WORDS[key.app_id]
    # The app's words, cut at most where they speak of the screen ("in a toast").
    assert words == key.words or words.startswith(key.words + " "), (words, key.words)
    assert any(line.startswith(f"{key.typed}: {key.words}") for line in said_for("?"))


def test_every_key_of_the_app_is_in_plain_modes_help_or_said_to_be_a_command():
    in_plain = {key.app_id for key in KEYS if key.app_id}
    assert set(APP_WORDS) - in_plain == set(NOT_IN_PLAIN)
