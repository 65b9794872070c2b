"""A loopback HTTP server for recording downloads; it counts the requests it gets.

/calls/<name>      AUDIO (or what .audio is set to)
/missing/<name>    404
/redirect?to=URL   302 to URL
/big               more bytes than the tests' size cap, with no Content-Length
/trickle           one byte every 50 ms for up to TRICKLE_SECONDS (stops when the client
                   leaves): long, so a cap is told from no cap on a loaded machine
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

AUDIO = b"RIFF....WAVEfmt fake recording bytes"
BIG = 64 * 1024
TRICKLE_SECONDS = 60


class RecordingServer:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.audio = AUDIO  # what /calls/ answers
        self.hosts: list[str | None] = []
        self.authorization: list[str | None] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                outer.hosts.append(self.headers.get("Host"))
                outer.authorization.append(self.headers.get("Authorization"))
                path = urlsplit(self.path).path
                if path == "/redirect":
                    self.send_response(302)
                    self.send_header("Location", parse_qs(urlsplit(self.path).query)["to"][0])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif path == "/big":
                    self.send_response(200)
                    self.end_headers()
                    self._write(b"x" * BIG)
                elif path == "/trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", str(TRICKLE_SECONDS * 40))
                    self.end_headers()
                    ends = time.monotonic() + TRICKLE_SECONDS
                    while time.monotonic() < ends and self._write(b"x"):
                        time.sleep(0.05)
                elif path.startswith("/calls/"):
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(outer.audio)))
                    self.end_headers()
                    self._write(outer.audio)
                else:
                    self.send_error(404, "Not Found")

            def _write(self, data: bytes) -> bool:
                try:
                    self.wfile.write(data)
                    self.wfile.flush()
                    return True
                except OSError:  # the client gave up
                    return False

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
