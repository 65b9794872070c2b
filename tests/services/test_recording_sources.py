"""The recordings allow-lists: administrators change them, the audit log says so, and
the player's lookup follows them."""

from __future__ import annotations

import pytest

from core.domain.recording_sources import AllowedHost
from core.services import recording_sources
from core.services.audit import recent_entries
from core.services.errors import InvalidInput, PermissionDenied
from core.services.recordings import RecordingUnavailable, find_recording
from tests.builders import seed_people


@pytest.fixture
def people(ctx):
    return seed_people(ctx)


def test_an_allowed_folder_is_stored_resolved_and_audited(ctx, people, tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    sources, changed = recording_sources.allow_folder(ctx, "admin", str(tmp_path / "link"))
    assert changed and sources.folders == (str((tmp_path / "real").resolve()),)
    (entry,) = recent_entries(ctx, "admin")
    assert (entry.actor_login, entry.subject, entry.old_value, entry.new_value) == (
        "admin",
        "setting recordings.folders",
        "none",
        str((tmp_path / "real").resolve()),
    )


def test_an_allowed_host_is_audited_with_its_flags(ctx, people):
    recording_sources.allow_host(ctx, "admin", "PBX.example.com:8443", http=True)
    recording_sources.allow_host(ctx, "admin", "pbx.example.com:8443", http=True, private=True)
    sources = recording_sources.list_sources(ctx, "agent")
    assert sources.hosts == (AllowedHost("pbx.example.com", 8443, http=True, private=True),)
    newest, oldest = recent_entries(ctx, "admin")
    assert (oldest.subject, oldest.old_value, oldest.new_value) == (
        "setting recordings.hosts",
        "none",
        "pbx.example.com:8443 (http)",
    )
    assert newest.new_value == "pbx.example.com:8443 (http, private)"


def test_removing_a_host_or_folder_is_audited_and_an_unknown_one_changes_nothing(
    ctx, people, tmp_path
):
    recording_sources.allow_host(ctx, "admin", "pbx.example.com")
    recording_sources.allow_folder(ctx, "admin", str(tmp_path))
    assert recording_sources.remove_host(ctx, "admin", "pbx.example.com")[1]
    assert not recording_sources.remove_host(ctx, "admin", "other.example.com")[1]
    assert recording_sources.remove_folder(ctx, "admin", str(tmp_path))[1]
    sources = recording_sources.get_sources(ctx)
    assert (sources.folders, sources.hosts) == ((), ())
    assert [e.new_value for e in recent_entries(ctx, "admin")][:2] == ["none", "none"]


def test_only_an_administrator_changes_the_recordings_sources(ctx, people, tmp_path):
    for change in (
        lambda: recording_sources.allow_folder(ctx, "agent", str(tmp_path)),
        lambda: recording_sources.remove_folder(ctx, "agent", str(tmp_path)),
        lambda: recording_sources.allow_host(ctx, "agent", "pbx.example.com"),
        lambda: recording_sources.remove_host(ctx, "agent", "pbx.example.com"),
    ):
        with pytest.raises(PermissionDenied, match="change where recordings may come from"):
            change()
    assert recent_entries(ctx, "admin") == []


@pytest.mark.parametrize("folder", ["/", "/proc", "/proc/self", "/dev", "/sys/kernel", "rel/dir"])
def test_the_whole_disk_system_trees_and_relative_folders_cannot_be_allowed(ctx, people, folder):
    with pytest.raises(InvalidInput):
        recording_sources.allow_folder(ctx, "admin", folder)


@pytest.mark.parametrize(
    "host", ["https://pbx.example.com", "pbx.example.com/calls", "user@pbx", "pbx:0", "a b", ""]
)
def test_a_host_entry_is_a_host_and_an_optional_port_only(ctx, people, host):
    with pytest.raises(InvalidInput):
        recording_sources.allow_host(ctx, "admin", host)


def test_the_players_lookup_follows_the_folders_in_the_database(ctx, people, tmp_path):
    (tmp_path / "calls").mkdir()
    (tmp_path / "calls" / "PBX-1.wav").write_bytes(b"RIFF")
    reference = str(tmp_path / "calls" / "PBX-1.wav")
    with pytest.raises(RecordingUnavailable, match="recording outside the recordings folders"):
        find_recording(ctx, reference)
    recording_sources.allow_folder(ctx, "admin", str(tmp_path / "calls"))
    assert find_recording(ctx, reference) == (tmp_path / "calls" / "PBX-1.wav").resolve()
