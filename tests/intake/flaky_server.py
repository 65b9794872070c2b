"""A loopback "Twilio API" that fails as told before it gives the recording.

`answers` is consumed one request at a time: a status code (500, 503, 404…) is sent as
such, "hang" holds the request without a byte until close(); once it is empty every
request gets AUDIO.
"""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

AUDIO = b"RIFF....WAVEfmt flaky recording bytes"


class FlakyServer:
    def __init__(self, answers: list[int | str]) -> None:
        self.answers = list(answers)
        self.requests = 0
        self.released = threading.Event()
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with lock:
                    outer.requests += 1
                    answer = outer.answers.pop(0) if outer.answers else 200
                if answer == "hang":
                    outer.released.wait(30)
                    return
                assert isinstance(answer, int)
                body = AUDIO if answer == 200 else b"no"
                self.send_response(answer)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_port
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
