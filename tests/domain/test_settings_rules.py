"""Company settings: defaults and valid values."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.domain.settings import CompanySettings, parse_setting


def test_scl_is_off_by_default_with_spec_defaults():
    settings = CompanySettings()
    assert settings.enabled is False
    assert settings.after_call_work == timedelta(minutes=5)
    assert settings.cold_after == timedelta(hours=48)
    assert settings.banner_window == timedelta(days=14)


@pytest.mark.parametrize(("text", "value"), [("true", True), ("off", False), ("1", True)])
def test_enabled_reads_true_and_false_words(text, value):
    assert parse_setting("enabled", text) is value


@pytest.mark.parametrize("bad", ["-1", "abc", "100000"])
def test_absurd_after_call_work_times_are_refused(bad):
    with pytest.raises(ValueError, match="After Call Work Time"):  # the label people see
        parse_setting("after_call_work_minutes", bad)


def test_an_unknown_setting_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown setting 'colour'"):
        parse_setting("colour", "red")
