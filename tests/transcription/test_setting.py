"""The transcribe setting: off until an administrator turns it on, and saying why."""

from __future__ import annotations

from core.domain.settings import SETTING_SPECS, CompanySettings, parse_setting


def test_transcription_is_off_by_default():
    assert CompanySettings().transcribe is False


def test_the_transcribe_setting_says_recordings_leave_the_host_only_while_it_is_on():
    spec = SETTING_SPECS["transcribe"]
    assert spec.kind is bool
    assert "leave this host only while this is on" in spec.help


def test_the_transcribe_setting_takes_on_and_off_words():
    assert parse_setting("transcribe", "on") is True
    assert parse_setting("transcribe", "false") is False
