"""Which hosts and folders may hold recordings: pure rules."""

from __future__ import annotations

import pytest

from core.domain.recording_sources import AllowedHost, folder_problem, parse_host


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("PBX.Example.com", ("pbx.example.com", None)),
        ("pbx.example.com:8443", ("pbx.example.com", 8443)),
        ("10.0.0.7", ("10.0.0.7", None)),
        ("[fd00::7]:8080", ("fd00::7", 8080)),
        ("fd00::7", ("fd00::7", None)),
    ],
)
def test_a_host_entry_is_a_name_or_address_and_an_optional_port(text, parsed):
    assert parse_host(text) == parsed


@pytest.mark.parametrize("text", ["pbx:99999", "pbx:", "-pbx", "pb x", "https://pbx", "a@pbx"])
def test_anything_else_is_refused_as_a_host_entry(text):
    with pytest.raises(ValueError):
        parse_host(text)


def test_a_host_without_a_port_allows_the_schemes_own_port_only():
    entry = AllowedHost("pbx.example.com", http=True)
    assert entry.allows("https", "pbx.example.com", 443)
    assert entry.allows("http", "pbx.example.com", 80)
    assert not entry.allows("https", "pbx.example.com", 8443)
    assert not entry.allows("http", "pbx.example.com", 443)


def test_plain_http_needs_the_http_flag_and_other_hosts_never_match():
    entry = AllowedHost("pbx.example.com", 8443)
    assert entry.allows("https", "pbx.example.com", 8443)
    assert not entry.allows("http", "pbx.example.com", 8443)
    assert not entry.allows("https", "evil.pbx.example.com", 8443)
    assert not entry.allows("ftp", "pbx.example.com", 8443)


@pytest.mark.parametrize("folder", ["/", "/proc", "/proc/1", "/sys", "/dev/shm", "relative"])
def test_the_disk_the_kernel_trees_and_relative_paths_are_no_recordings_folder(folder):
    assert folder_problem(folder) is not None


def test_an_ordinary_absolute_folder_is_fine():
    assert folder_problem("/srv/pbx/recordings") is None
    assert folder_problem("/devices") is None  # only /dev itself and what is under it
