"""Finding a call's recording by path or URL, and exporting a copy for the agent."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.services.recordings import RecordingUnavailable, export_recording, locate_recording

DEMO_CALLS = Path(__file__).resolve().parents[2] / "data" / "demo" / "calls.jsonl"
AUDIO = b"RIFF....WAVEfmt fake recording bytes"


class RecordingServer:
    """A local HTTP server: /calls/<name> answers with AUDIO, /missing with 404,
    /slow never answers; it counts the requests it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.authorization: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                outer.authorization.append(self.headers.get("Authorization"))
                if self.path.startswith("/slow"):
                    time.sleep(3)
                    return
                if not self.path.startswith("/calls/"):
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(AUDIO)))
                self.end_headers()
                self.wfile.write(AUDIO)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    for proxy in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(proxy, raising=False)
    running = RecordingServer()
    yield running
    running.close()


def test_a_relative_path_is_found_under_the_data_set(tmp_path):
    (tmp_path / "recordings").mkdir()
    (tmp_path / "recordings" / "PBX-1.wav").write_bytes(AUDIO)
    found = locate_recording("recordings/PBX-1.wav", roots=[tmp_path / "elsewhere", tmp_path])
    assert found == tmp_path / "recordings" / "PBX-1.wav"


def test_every_demo_recording_is_found_by_its_relative_path():
    calls = [json.loads(line) for line in DEMO_CALLS.read_text(encoding="utf-8").splitlines()]
    named = [call["recording"] for call in calls if call["recording"]]
    assert len(named) >= 48  # every lead's call, and a few more
    for reference in named:
        assert locate_recording(reference, roots=[DEMO_CALLS.parent]).is_file()


def test_an_absolute_path_and_a_file_url_are_used_as_they_are(tmp_path):
    (tmp_path / "call.mp3").write_bytes(AUDIO)
    assert locate_recording(str(tmp_path / "call.mp3"), roots=[]) == tmp_path / "call.mp3"
    assert locate_recording(f"file://{tmp_path}/call.mp3", roots=[]) == tmp_path / "call.mp3"


def test_a_missing_file_says_where_it_was_looked_for(tmp_path):
    with pytest.raises(RecordingUnavailable) as caught:
        locate_recording("recordings/gone.wav", roots=[tmp_path])
    assert caught.value.message == (
        f"Recording not found: recordings/gone.wav (looked in {tmp_path})"
    )


def test_an_unknown_scheme_is_refused_by_name():
    with pytest.raises(RecordingUnavailable, match="not supported: ftp:"):
        locate_recording("ftp://pbx.example/calls/1.wav", roots=[])


def test_a_url_is_downloaded_once_and_read_from_the_cache_after(server, tmp_path):
    url = f"{server.base}/calls/PBX-7.wav"
    first = locate_recording(url, cache=tmp_path / "cache")
    second = locate_recording(url, cache=tmp_path / "cache")
    assert first == second and first.read_bytes() == AUDIO
    assert first.parent == tmp_path / "cache" and first.name.endswith("-PBX-7.wav")
    assert server.requests == ["/calls/PBX-7.wav"]
    assert not list((tmp_path / "cache").glob("*.part"))


def test_a_url_that_answers_404_says_so_and_caches_nothing(server, tmp_path):
    with pytest.raises(RecordingUnavailable) as caught:
        locate_recording(f"{server.base}/missing/PBX-8.wav", cache=tmp_path / "cache")
    assert caught.value.message == (
        f"Recording could not be downloaded: {server.base}/missing/PBX-8.wav answered 404 Not Found"
    )
    assert not list((tmp_path / "cache").iterdir())


def test_an_unreachable_host_says_so_in_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(RecordingUnavailable) as caught:
        locate_recording(f"http://user:secret@127.0.0.1:{port}/calls/9.wav", cache=tmp_path)
    message = caught.value.message
    assert message.startswith(f"Recording could not be downloaded from http://127.0.0.1:{port}")
    assert "refused" in message.lower() and "secret" not in message and "\n" not in message


def test_a_server_that_never_answers_times_out(server, tmp_path):
    started = time.monotonic()
    with pytest.raises(RecordingUnavailable, match="timed out"):
        locate_recording(f"{server.base}/slow/10.wav", cache=tmp_path, timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_export_copies_the_recording_named_after_the_call(tmp_path):
    source = tmp_path / "abc.mp3"
    source.write_bytes(AUDIO)
    exported = export_recording(source, "PBX-2026-000123 (512) 555-0101", tmp_path / "out")
    assert exported == tmp_path / "out" / "PBX-2026-000123_512_555-0101.mp3"
    assert exported.read_bytes() == AUDIO


def test_export_to_a_place_it_cannot_write_says_so(tmp_path):
    source = tmp_path / "abc.wav"
    source.write_bytes(AUDIO)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(RecordingUnavailable, match=f"Cannot export the recording to {blocked}"):
        export_recording(source, "PBX-1", blocked)


def test_credentials_in_a_url_are_sent_as_basic_auth_and_never_shown(server, tmp_path):
    base = server.base.replace("http://", "http://pbx%40site:s3cret@")
    found = locate_recording(f"{base}/calls/PBX-11.wav", cache=tmp_path)
    assert found.read_bytes() == AUDIO
    assert server.authorization == ["Basic cGJ4QHNpdGU6czNjcmV0"]  # "pbx@site:s3cret"
    with pytest.raises(RecordingUnavailable) as caught:
        locate_recording(f"{base}/missing/PBX-12.wav", cache=tmp_path)
    assert "s3cret" not in caught.value.message and "pbx" not in caught.value.message
