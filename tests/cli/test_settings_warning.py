"""`scl settings` warns for the values the settings screen warns for (one shared rule)."""

from __future__ import annotations

import pytest


@pytest.fixture
def url(seeded):  # type: ignore[no-untyped-def]
    return seeded[0]


def test_an_after_call_work_time_over_an_hour_is_saved_with_the_screens_warning(scl, url):
    done = scl("--db", url, "--as", "admin", "settings", "after_call_work_minutes", "90")
    assert done.code == 0 and "90" in done.out
    assert "warning: Over an hour" in done.err


def test_a_usual_after_call_work_time_is_saved_without_a_warning(scl, url):
    done = scl("--db", url, "--as", "admin", "settings", "after_call_work_minutes", "10")
    assert done.code == 0 and done.err == ""
