"""Finding a call's recording by path or URL, only from the allowed folders and hosts,
and exporting a private copy for the agent."""

from __future__ import annotations

import json
import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.domain.recording_sources import AllowedHost, RecordingSources
from core.services.recordings import RecordingUnavailable, export_recording, locate_recording
from tests.services.recording_server import AUDIO, TRICKLE_SECONDS, RecordingServer

DEMO_CALLS = Path(__file__).resolve().parents[2] / "data" / "demo" / "calls.jsonl"
OUTSIDE = "recording outside the recordings folders"


@pytest.fixture(autouse=True)
def no_proxy_and_no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    monkeypatch.delenv("SCL_RECORDINGS_DIR", raising=False)


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    running = RecordingServer()
    yield running
    running.close()


@pytest.fixture
def other() -> Iterator[RecordingServer]:
    """A second server on another port, which no test may reach."""
    running = RecordingServer()
    yield running
    running.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    allowed = tmp_path / "allowed"
    (allowed / "recordings").mkdir(parents=True)
    (allowed / "recordings" / "PBX-1.wav").write_bytes(AUDIO)
    return allowed


def folders(*paths: Path) -> RecordingSources:
    return RecordingSources(folders=tuple(str(p.resolve()) for p in paths))


def loopback(server: RecordingServer, **flags: bool) -> RecordingSources:
    flags = {"http": True, "private": True} | flags
    return RecordingSources(hosts=(AllowedHost("127.0.0.1", server.port, **flags),))


def refused(reference: str, sources: RecordingSources, **options: object) -> str:
    with pytest.raises(RecordingUnavailable) as caught:
        locate_recording(reference, sources, **options)  # type: ignore[arg-type]
    assert "\n" not in caught.value.message
    return caught.value.message


# --- paths ------------------------------------------------------------------------------


def test_a_relative_path_is_found_in_an_allowed_folder(folder):
    found = locate_recording("recordings/PBX-1.wav", folders(folder))
    assert found == folder.resolve() / "recordings" / "PBX-1.wav"


def test_an_absolute_path_inside_an_allowed_folder_is_used(folder):
    path = folder / "recordings" / "PBX-1.wav"
    assert locate_recording(str(path), folders(folder)) == path.resolve()


def test_every_demo_recording_is_found_with_no_folder_configured():
    calls = [json.loads(line) for line in DEMO_CALLS.read_text(encoding="utf-8").splitlines()]
    named = [call["recording"] for call in calls if call["recording"]]
    assert len(named) >= 48  # every lead's call, and a few more
    for reference in named:
        assert locate_recording(reference, RecordingSources()).is_file()


def test_an_absolute_path_outside_the_folders_is_refused(folder):
    assert refused("/etc/passwd", folders(folder)) == f"{OUTSIDE}: /etc/passwd"


def test_proc_self_environ_is_refused_even_from_a_folder_listing_root_of_proc(folder):
    assert refused("/proc/self/environ", folders(folder)) == f"{OUTSIDE}: /proc/self/environ"
    (folder / "env.wav").symlink_to("/proc/self/environ")
    assert refused("env.wav", folders(folder)).startswith(OUTSIDE)


def test_dot_dot_is_refused_even_when_it_would_stay_inside(folder):
    message = refused("recordings/../recordings/PBX-1.wav", folders(folder))
    assert message == f"{OUTSIDE}: recordings/../recordings/PBX-1.wav (.. is not allowed)"
    assert refused("../../x", folders(folder)).startswith(OUTSIDE)


def test_a_symlink_leading_out_of_a_folder_is_refused(folder, tmp_path):
    secret = tmp_path / "secret.wav"
    secret.write_bytes(b"not for agents")
    (folder / "recordings" / "link.wav").symlink_to(secret)
    (folder / "escape").symlink_to(tmp_path)
    assert refused("recordings/link.wav", folders(folder)).startswith(f"{OUTSIDE}: ")
    assert refused(str(folder / "recordings" / "link.wav"), folders(folder)).startswith(OUTSIDE)
    assert refused("escape/secret.wav", folders(folder)).startswith(OUTSIDE)


def test_a_file_url_is_refused(folder):
    path = folder / "recordings" / "PBX-1.wav"
    assert refused(f"file://{path}", folders(folder)).startswith(f"{OUTSIDE}: file://")
    assert refused("file:///etc/passwd", folders(folder)).startswith(OUTSIDE)


def test_a_tilde_is_not_expanded(folder):
    message = refused("~/.ssh/id_rsa", folders(folder))
    assert message == f"{OUTSIDE}: ~/.ssh/id_rsa (~ is not expanded)"


def test_a_pipe_in_a_folder_is_refused_without_waiting_for_a_writer(folder):
    os.mkfifo(folder / "recordings" / "pipe.wav")
    started = time.monotonic()
    message = refused("recordings/pipe.wav", folders(folder))
    assert message == "Recording is not a regular file: recordings/pipe.wav"
    assert time.monotonic() - started < 5


def test_a_device_is_refused_even_when_linked_from_a_folder(folder):
    (folder / "recordings" / "null.wav").symlink_to("/dev/null")
    assert refused("recordings/null.wav", folders(folder)).startswith(OUTSIDE)
    assert refused("/dev/zero", folders(folder)) == f"{OUTSIDE}: /dev/zero"


def test_a_folder_of_its_own_name_is_still_checked_after_resolving(folder, tmp_path):
    """A folder reached through a link is compared as resolved: its files are in."""
    (tmp_path / "via").symlink_to(folder)
    found = locate_recording(str(tmp_path / "via" / "recordings" / "PBX-1.wav"), folders(folder))
    assert found == folder.resolve() / "recordings" / "PBX-1.wav"


def test_scl_recordings_dir_is_a_folder_too_with_the_same_checks(folder, monkeypatch):
    monkeypatch.setenv("SCL_RECORDINGS_DIR", str(folder))
    assert locate_recording("recordings/PBX-1.wav", RecordingSources()).is_file()
    assert refused("/etc/hostname", RecordingSources()).startswith(OUTSIDE)
    monkeypatch.setenv("SCL_RECORDINGS_DIR", "/")
    assert refused("etc/passwd", RecordingSources()).startswith("SCL_RECORDINGS_DIR cannot be used")


def test_a_missing_file_says_where_it_was_looked_for(folder):
    message = refused("recordings/gone.wav", folders(folder))
    assert message.startswith(f"Recording not found: recordings/gone.wav (looked in {folder}")


def test_an_unknown_scheme_is_refused_by_name():
    message = refused("ftp://pbx.example/calls/1.wav", RecordingSources())
    assert message == "Recording address not supported: ftp: (use a path or https:)"


# --- URLs -------------------------------------------------------------------------------


def test_a_url_on_an_allowed_host_is_downloaded_once_and_read_from_the_cache_after(
    server, tmp_path
):
    url = f"{server.base}/calls/PBX-7.wav"
    first = locate_recording(url, loopback(server), cache=tmp_path / "cache")
    second = locate_recording(url, loopback(server), cache=tmp_path / "cache")
    assert first == second and first.read_bytes() == AUDIO
    assert first.parent == tmp_path / "cache" and first.name.endswith("-PBX-7.wav")
    assert server.requests == ["/calls/PBX-7.wav"]
    assert not list((tmp_path / "cache").glob("*.part"))


def test_the_download_cache_is_private_to_the_user(server, tmp_path):
    found = locate_recording(
        f"{server.base}/calls/PBX-7.wav", loopback(server), cache=tmp_path / "c"
    )
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE(found.stat().st_mode) == 0o600


def test_a_cache_left_readable_by_an_older_version_is_made_private(server, tmp_path):
    url = f"{server.base}/calls/PBX-7.wav"
    found = locate_recording(url, loopback(server), cache=tmp_path / "c")
    (tmp_path / "c").chmod(0o755)
    found.chmod(0o644)
    assert locate_recording(url, loopback(server), cache=tmp_path / "c") == found
    assert stat.S_IMODE((tmp_path / "c").stat().st_mode) == 0o700
    assert stat.S_IMODE(found.stat().st_mode) == 0o600
    assert len(server.requests) == 1


def test_a_host_not_listed_is_refused_without_a_request(server, tmp_path):
    message = refused(f"{server.base}/calls/1.wav", RecordingSources(), cache=tmp_path)
    assert message == f"host not on the recordings allow-list: 127.0.0.1:{server.port}"
    assert server.requests == []


def test_a_cached_copy_is_not_used_once_its_host_is_removed(server, tmp_path):
    url = f"{server.base}/calls/PBX-7.wav"
    locate_recording(url, loopback(server), cache=tmp_path)
    assert refused(url, RecordingSources(), cache=tmp_path).startswith("host not on the")


def test_a_loopback_host_is_refused_unless_listed_as_private(server, tmp_path):
    message = refused(f"{server.base}/calls/1.wav", loopback(server, private=False), cache=tmp_path)
    assert message == (
        f"Recording host 127.0.0.1:{server.port} is at a private address (127.0.0.1); "
        "an administrator may allow it with --private"
    )
    assert server.requests == []


def test_plain_http_is_refused_for_a_host_listed_for_https_only(server, tmp_path):
    message = refused(f"{server.base}/calls/1.wav", loopback(server, http=False), cache=tmp_path)
    assert message == (
        f"host not on the recordings allow-list for http: 127.0.0.1:{server.port} "
        "(an administrator may allow it with --http)"
    )
    assert server.requests == []


def test_a_host_listed_without_a_port_allows_only_the_usual_port(server, tmp_path):
    sources = RecordingSources(hosts=(AllowedHost("127.0.0.1", None, http=True, private=True),))
    assert refused(f"{server.base}/calls/1.wav", sources, cache=tmp_path).startswith(
        "host not on the recordings allow-list"
    )
    assert server.requests == []


def test_a_redirect_to_another_port_is_refused(server, other, tmp_path):
    url = f"{server.base}/redirect?to={other.base}/calls/1.wav"
    message = refused(url, loopback(server), cache=tmp_path)
    assert message == f"host not on the recordings allow-list: 127.0.0.1:{other.port}"
    assert server.requests == [f"/redirect?to={other.base}/calls/1.wav"]
    assert other.requests == []


def test_a_redirect_to_a_host_not_listed_is_refused(server, other, tmp_path):
    url = f"{server.base}/redirect?to=http://localhost:{other.port}/calls/1.wav"
    message = refused(url, loopback(server), cache=tmp_path)
    assert message == f"host not on the recordings allow-list: localhost:{other.port}"
    assert other.requests == []


def test_a_redirect_within_the_listed_host_is_followed(server, tmp_path):
    url = f"{server.base}/redirect?to=/calls/PBX-9.wav"
    assert locate_recording(url, loopback(server), cache=tmp_path).read_bytes() == AUDIO
    assert server.requests[-1] == "/calls/PBX-9.wav"


def test_the_connection_goes_to_the_address_that_was_checked(server, tmp_path):
    """The name is resolved once and the checked address is the one connected to (no
    second lookup that a rebinding DNS server could answer differently)."""
    lookups: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    sources = RecordingSources(hosts=(AllowedHost("pbx.invalid", server.port, True, True),))
    url = f"http://pbx.invalid:{server.port}/calls/PBX-5.wav"
    found = locate_recording(url, sources, cache=tmp_path, resolver=resolver)
    assert found.read_bytes() == AUDIO
    assert lookups == ["pbx.invalid"]
    assert server.hosts == [f"pbx.invalid:{server.port}"]


def test_a_name_with_one_private_address_among_public_ones_is_refused(server, tmp_path):
    sources = RecordingSources(hosts=(AllowedHost("pbx.invalid", server.port, http=True),))
    url = f"http://pbx.invalid:{server.port}/calls/PBX-5.wav"
    message = refused(
        url, sources, cache=tmp_path, resolver=lambda host, port: ["93.184.216.34", "10.1.2.3"]
    )
    assert "private address (10.1.2.3)" in message
    assert server.requests == []


def test_a_download_larger_than_the_cap_is_stopped_and_nothing_is_kept(server, tmp_path):
    message = refused(f"{server.base}/big", loopback(server), cache=tmp_path, max_bytes=1000)
    assert message == f"Recording download stopped: {server.base}/big is larger than 1000 bytes"
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_trickles_bytes_is_stopped_at_the_total_time_cap(server, tmp_path):
    started = time.monotonic()
    message = refused(
        f"{server.base}/trickle", loopback(server), cache=tmp_path, timeout=5.0, total=1.0
    )
    assert message == f"Recording download stopped: {server.base}/trickle took longer than 1 s"
    assert time.monotonic() - started < TRICKLE_SECONDS / 2  # not held for the whole trickle


def test_a_cancelled_download_stops_waiting_at_once(server, tmp_path):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    message = refused(
        f"{server.base}/trickle", loopback(server), cache=tmp_path, cancelled=cancel.is_set
    )
    assert message == "Recording download cancelled."
    assert time.monotonic() - started < TRICKLE_SECONDS / 2  # not held for the whole trickle


def test_a_url_that_answers_404_says_so_and_caches_nothing(server, tmp_path):
    message = refused(f"{server.base}/missing/PBX-8.wav", loopback(server), cache=tmp_path / "c")
    assert message == (
        f"Recording could not be downloaded: {server.base}/missing/PBX-8.wav answered 404 Not Found"
    )
    assert not list((tmp_path / "c").iterdir())


def test_an_unreachable_host_says_so_in_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sources = RecordingSources(hosts=(AllowedHost("127.0.0.1", port, True, True),))
    message = refused(f"http://user:secret@127.0.0.1:{port}/calls/9.wav", sources, cache=tmp_path)
    assert message.startswith(f"Recording could not be downloaded from http://127.0.0.1:{port}")
    assert "refused" in message.lower() and "secret" not in message


def test_credentials_in_a_url_are_sent_as_basic_auth_and_never_shown(server, tmp_path):
    base = server.base.replace("http://", "http://pbx%40site:s3cret@")
    found = locate_recording(f"{base}/calls/PBX-11.wav", loopback(server), cache=tmp_path)
    assert found.read_bytes() == AUDIO
    assert server.authorization == ["Basic cGJ4QHNpdGU6czNjcmV0"]  # "pbx@site:s3cret"
    message = refused(f"{base}/missing/PBX-12.wav", loopback(server), cache=tmp_path)
    assert "s3cret" not in message and "pbx" not in message


# --- export -----------------------------------------------------------------------------


def test_export_copies_the_recording_named_after_the_call_private_to_the_user(tmp_path):
    source = tmp_path / "abc.mp3"
    source.write_bytes(AUDIO)
    exported = export_recording(source, "PBX-2026-000123 (512) 555-0101", tmp_path / "out")
    assert exported == tmp_path / "out" / "PBX-2026-000123_512_555-0101.mp3"
    assert exported.read_bytes() == AUDIO
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o700


def test_export_over_an_old_readable_copy_makes_it_private(tmp_path):
    source = tmp_path / "abc.wav"
    source.write_bytes(AUDIO)
    (tmp_path / "out").mkdir()
    old = tmp_path / "out" / "PBX-1.wav"
    old.write_bytes(b"old")
    old.chmod(0o644)
    exported = export_recording(source, "PBX-1", tmp_path / "out")
    assert exported.read_bytes() == AUDIO and stat.S_IMODE(exported.stat().st_mode) == 0o600


def test_export_into_the_default_folder_keeps_it_0700(tmp_path, monkeypatch):
    monkeypatch.delenv("SCL_EXPORT_DIR", raising=False)
    monkeypatch.setenv("XDG_DOWNLOAD_DIR", str(tmp_path / "nowhere"))
    source = tmp_path / "abc.wav"
    source.write_bytes(AUDIO)
    exported = export_recording(source, "PBX-1")
    assert exported.parent.name == "scl-recordings"
    assert stat.S_IMODE(exported.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(exported.stat().st_mode) == 0o600


def test_export_to_a_place_it_cannot_write_says_so(tmp_path):
    source = tmp_path / "abc.wav"
    source.write_bytes(AUDIO)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(RecordingUnavailable, match=f"Cannot export the recording to {blocked}"):
        export_recording(source, "PBX-1", blocked)
