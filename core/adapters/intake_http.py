"""`scl intake`: the HTTP intake, an aiohttp application (aiohttp comes with
textual-serve, which `scl serve` uses already).

- `POST /calls` (Authorization: Bearer TOKEN): one call in the export format, a JSON
  array of calls, JSON Lines (application/x-ndjson) or CSV (text/csv). 202 when every
  call was taken (new or already known), 422 naming each refused call's field, 400 when
  the body is no call at all, 401 without the token, 413 past MAX_BODY_BYTES.
- `POST /twilio/call-status`, `POST /twilio/recording-status`: Twilio's callbacks,
  checked by their X-Twilio-Signature (core.services.twilio_calls maps them).
- `GET /health`: 200, for a load balancer or a monitor.

Database work runs in threads, never on the event loop. With the Twilio routes on, a
background task tries again, every few seconds, the recordings a server failed to give.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from core.adapters.twilio_signature import is_signed
from core.services import twilio_calls
from core.services.context import ServiceContext
from core.services.importer import BATCH
from core.services.intake import MAX_BODY_BYTES, BadBody, Body, Taken, read_body, take_many

log = logging.getLogger("scl.intake")
CTX = web.AppKey("ctx", ServiceContext)
OPTIONS = web.AppKey("options", "IntakeOptions")
RESOLVER = web.AppKey("resolver", object)  # tests: where a host name leads
WRITER = web.AppKey("writer", "Coalescer")


@dataclass(frozen=True)
class IntakeOptions:
    token: str
    """The bearer token `POST /calls` needs (the secret store's `intake` secret)."""
    twilio_token: str | None = None
    """Twilio's auth token (the `twilio` secret); None: the Twilio routes answer 404."""
    public_url: str | None = None
    """The address Twilio posts to (behind a reverse proxy), e.g. https://scl.example.com;
    None: the address the request reached this server at."""
    recordings: Path | None = None
    """Where fetched recordings are saved (see twilio_calls.recordings_folder)."""
    retries: twilio_calls.FetchRetries = field(default_factory=twilio_calls.FetchRetries)
    """How a recording the server failed to give is tried again."""
    retry_poll_seconds: float = 5.0
    """How often the recordings owed another try are looked for."""


class Coalescer:
    """Requests that arrive while a transaction is being written wait for the next one
    and share it: with many clients at once, far fewer commits (the cost of a call is
    mostly its transaction's). One writer at a time, so SQLite never waits on itself."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self.pending: list[tuple[Body, asyncio.Future[Taken]]] = []
        self.writing = False

    async def take(self, body: Body) -> Taken:
        future: asyncio.Future[Taken] = asyncio.get_running_loop().create_future()
        self.pending.append((body, future))
        if not self.writing:
            self.writing = True
            asyncio.get_running_loop().create_task(self._write())
        return await future

    async def _write(self) -> None:
        try:
            while self.pending:
                group, rows = [], 0
                while self.pending and (not group or rows + len(self.pending[0][0].rows) <= BATCH):
                    group.append(self.pending.pop(0))
                    rows += len(group[-1][0].rows)
                try:
                    results = await asyncio.to_thread(take_many, self.ctx, [b for b, _ in group])
                except Exception as error:  # each request answers it (503 for an outage)
                    for _, future in group:
                        if not future.done():
                            future.set_exception(error)
                    continue
                for (_, future), taken in zip(group, results, strict=True):
                    if not future.done():  # its client may have gone
                        future.set_result(taken)
        finally:
            self.writing = False


def make_app(ctx: ServiceContext, options: IntakeOptions) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[CTX], app[OPTIONS] = ctx, options
    app[WRITER] = Coalescer(ctx)
    app.router.add_post("/calls", _calls)
    app.router.add_get("/health", _health)
    app.router.add_post("/twilio/call-status", _twilio_call_status)
    app.router.add_post("/twilio/recording-status", _twilio_recording_status)
    app.middlewares.append(_one_line_errors)
    if options.twilio_token is not None and options.recordings is not None:
        app.cleanup_ctx.append(_retrying_recordings)
    return app


async def _retrying_recordings(app: web.Application) -> AsyncIterator[None]:
    task = asyncio.get_running_loop().create_task(_retry_recordings(app))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _retry_recordings(app: web.Application) -> None:
    """Recording fetches owed another try, looked for every few seconds; a failure here
    (the database away) is logged once per kind and looked at again next time."""
    options: IntakeOptions = app[OPTIONS]
    assert options.twilio_token is not None and options.recordings is not None
    failing: str | None = None
    while True:
        await asyncio.sleep(options.retry_poll_seconds)
        try:
            await asyncio.to_thread(
                twilio_calls.retry_due,
                app[CTX],
                options.recordings,
                options.twilio_token,
                resolver=app.get(RESOLVER, twilio_calls.recording_download.resolve),
                retries=options.retries,
            )
        except Exception as error:
            if type(error).__name__ != failing:
                log.warning("intake: recording retries not looked at: %s", type(error).__name__)
            failing = type(error).__name__
        else:
            failing = None


def _error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"error": message, **extra}, status=status)


@web.middleware
async def _one_line_errors(request: web.Request, handler: Any) -> web.StreamResponse:
    """Every answer is JSON with a one-line `error`, never an HTML page or a traceback."""
    try:
        return await handler(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(
            413, f"the body is larger than {MAX_BODY_BYTES:,} bytes: send smaller batches"
        )
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return _error(error.status, error.reason)
    except Exception as error:  # a bug, or the database gone: logged, said briefly
        from core.db.outages import outage

        found = outage(error)
        if found is not None:
            log.warning("intake: %s", found.message)
            return _error(503, found.message)
        log.exception("intake: unexpected error on %s %s", request.method, request.path)
        return _error(500, f"unexpected error: {type(error).__name__} (details in the log)")


async def _health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def _calls(request: web.Request) -> web.Response:
    options: IntakeOptions = request.app[OPTIONS]
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), options.token.encode()
    ):
        response = _error(401, "a valid bearer token is needed (Authorization: Bearer TOKEN)")
        response.headers["WWW-Authenticate"] = 'Bearer realm="scl intake"'
        return response
    raw = await request.read()
    try:
        body = read_body(raw, request.headers.get("Content-Type", ""))
    except BadBody as error:
        return _error(400, error.message)
    taken = await request.app[WRITER].take(body)
    return web.json_response(taken.as_json(), status=422 if taken.refused else 202)


async def _twilio_form(request: web.Request) -> dict[str, str] | web.Response:
    options: IntakeOptions = request.app[OPTIONS]
    if options.twilio_token is None:
        return _error(404, "Twilio callbacks are off: set the `twilio` secret and restart")
    form = await request.post()
    pairs = [(name, str(value)) for name, value in form.items()]
    url = (
        options.public_url.rstrip("/") + request.path_qs if options.public_url else str(request.url)
    )
    given = request.headers.get("X-Twilio-Signature", "")
    if not given or not is_signed(url, pairs, options.twilio_token, given):
        log.warning("intake: Twilio callback to %s refused: bad or no signature", request.path)
        return _error(403, f"X-Twilio-Signature does not match this request to {url}")
    return {name: value for name, value in pairs}


async def _twilio_call_status(request: web.Request) -> web.Response:
    form = await _twilio_form(request)
    if isinstance(form, web.Response):
        return form
    options: IntakeOptions = request.app[OPTIONS]
    answer = await asyncio.to_thread(
        twilio_calls.call_status, request.app[CTX], form, options.recordings
    )
    return _answer(answer)


async def _twilio_recording_status(request: web.Request) -> web.Response:
    form = await _twilio_form(request)
    if isinstance(form, web.Response):
        return form
    options: IntakeOptions = request.app[OPTIONS]
    assert options.twilio_token is not None
    answer = await asyncio.to_thread(
        twilio_calls.recording_status,
        request.app[CTX],
        form,
        options.recordings,
        options.twilio_token,
        resolver=request.app.get(RESOLVER, twilio_calls.recording_download.resolve),
        retries=options.retries,
    )
    return _answer(answer)


def _answer(answer: twilio_calls.Answer) -> web.Response:
    if answer.status >= 400:
        log.warning("intake: Twilio callback refused: %s", answer.message)
        return _error(answer.status, answer.message)
    return web.json_response({"ok": True, "message": answer.message}, status=answer.status)


@contextmanager
def running(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """The app served on its own thread and event loop; yields its base URL (port 0:
    any free port). For tests and benchmarks; `scl intake` uses web.run_app."""
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    ready = threading.Event()
    where: dict[str, str] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, host, port)
        loop.run_until_complete(site.start())
        bound = runner.addresses[0]
        where["url"] = f"http://{host}:{bound[1]}"
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve, name="scl-intake", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("the intake did not start within 30 s")
    try:
        yield where["url"]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(30)
