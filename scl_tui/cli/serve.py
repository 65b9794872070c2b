"""`scl serve`: the same app in a browser, through textual-serve.

Each browser tab that connects starts its own `scl` app process. Who it acts as:

- without `--proxy-header`: the one employee `scl serve` acts as (the OS account's, or
  `scl --as LOGIN serve`), and it listens on loopback only, since every visitor of
  the port is that employee;
- with `--proxy-header X-Remote-User`: each visitor is the employee the company's
  reverse proxy names in that header, believed only from the proxy's address
  (`--trusted-proxy`, default loopback); each app process runs `scl --as LOGIN`, so
  the OS account of `scl serve` must be allowed to act as others
  (`scl delegates allow OSUSER`). A request without the header, or from anywhere
  else, gets a page saying why, and no app.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import re
import shlex
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import click

from core.errors import SetupError
from scl_tui.cli.common import current_session, echo, reports_errors

if TYPE_CHECKING:  # `scl --help` lists this verb: no SQLAlchemy for that
    from core.services.context import ServiceContext

log = logging.getLogger(__name__)

DEFAULT_PORT = 8000
TITLE = "Second Chance Leads"
DEFAULT_TRUSTED = ("127.0.0.1", "::1")
MAX_LOGIN = 100
# What a proxy may name: a login as employees have them (no spaces, quotes or controls).
_LOGIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._@+-]*\$?\Z")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(login: str) -> str:
    """The command each browser session runs: this Python, this package, this employee.
    The database URL travels in the environment, so no password shows in `ps`."""
    return shlex.join([sys.executable, "-m", "scl_tui", "--as", login])


# --- who a visitor is ---------------------------------------------------------------


@dataclass(frozen=True)
class ProxyRule:
    """Believe `header` only on requests whose peer address is in `trusted`."""

    header: str
    trusted: tuple[Network, ...]


@dataclass(frozen=True)
class Visitor:
    """The employee a browser session acts as, or why it gets no app."""

    login: str | None = None
    refusal: str | None = None


def trusted_networks(addresses: Iterable[str]) -> tuple[Network, ...]:
    networks = []
    for address in addresses:
        try:
            networks.append(ipaddress.ip_network(address.strip(), strict=False))
        except ValueError:
            raise click.BadParameter(
                f"{address!r} is not an IP address or network", param_hint="--trusted-proxy"
            ) from None
    return tuple(networks)


def visitor(
    rule: ProxyRule | None, peer: str | None, headers: Mapping[str, str], serving: str | None
) -> Visitor:
    """Who a request acts as. Without a proxy rule, the serving employee; with one, the
    login in the proxy's header, and only when the request comes from the proxy."""
    if rule is None:
        return Visitor(login=serving)
    try:
        address = ipaddress.ip_address((peer or "").split("%")[0])
    except ValueError:
        address = None
    if address is None or not any(address in network for network in rule.trusted):
        return Visitor(
            refusal="Second Chance Leads is served only through the company's sign-in "
            "(its reverse proxy); open it by the address you were given."
        )
    named = (headers.get(rule.header) or "").strip()
    if not named:
        return Visitor(
            refusal=f"The sign-in did not say who you are (no {rule.header} header "
            "reached Second Chance Leads). Sign in again, or ask your administrator to "
            "check the reverse proxy."
        )
    if len(named) > MAX_LOGIN or not _LOGIN.match(named):
        return Visitor(
            refusal=f"The sign-in named a login Second Chance Leads cannot use: {named!r}."
        )
    return Visitor(login=named)


def refusal_page(reason: str) -> str:
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{TITLE}: not signed in</title></head><body>"
        f"<h1>{TITLE}</h1><p>{escape(reason)}</p></body></html>"
    )


def _make_server(
    ctx: ServiceContext, rule: ProxyRule | None, serving: str | None, **options: Any
) -> Any:
    """A textual-serve Server whose page and websocket first ask `visitor`, and whose
    app process acts as that visitor."""
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    from core.services.identity import employee_exists
    from scl_tui.serve_page import app_page
    from scl_tui.serve_session import SessionService

    class VisitorServer(Server):  # type: ignore[misc]
        async def _who(self, request: web.Request) -> Visitor:
            found = visitor(rule, request.remote, request.headers, serving)
            if found.login is None or rule is None:
                return found
            if not await asyncio.to_thread(employee_exists, ctx, found.login):
                return Visitor(
                    refusal=f"{found.login!r} is no employee of Second Chance Leads; ask an "
                    "administrator to add you."
                )
            return found

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            found = await self._who(request)
            if found.refusal is not None:
                log.warning("refused %s: %s", request.remote, found.refusal)
                return web.Response(
                    status=403, text=refusal_page(found.refusal), content_type="text/html"
                )
            # Our page in place of textual-serve's: a title, and no font from a CDN.
            return web.Response(
                text=app_page(self.public_url, TITLE, _int(request.query.get("fontsize"), 16)),
                content_type="text/html",
            )

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            found = await self._who(request)
            if found.refusal is not None or found.login is None:
                return web.Response(status=403, text=found.refusal or "not signed in")
            # textual-serve's own handler, with this visitor's command.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            app_service: AppService | None = None
            try:
                await websocket.prepare(request)
                app_service = SessionService(
                    app_command(found.login),
                    login=found.login,
                    width=width,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception:
                log.exception("browser session of %s failed", found.login)
            finally:
                if app_service is not None:
                    await app_service.stop()
            return websocket

    return VisitorServer(app_command(serving or "-"), **options)


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or "")
    except ValueError:
        return default


@click.command()
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="TCP port to listen on.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; only loopback unless --proxy-header is given.",
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers use, when a reverse proxy is in front "
    "(e.g. https://scl.example.com/); default http://HOST:PORT.",
)
@click.option(
    "--proxy-header",
    metavar="NAME",
    help="Each visitor is the employee this header names (e.g. X-Remote-User), set by "
    "the reverse proxy after its sign-in.",
)
@click.option(
    "--trusted-proxy",
    "trusted",
    metavar="ADDRESS",
    multiple=True,
    help="The reverse proxy's address or network; the header is believed only from it "
    "(repeatable; default 127.0.0.1 and ::1).",
)
@reports_errors
def serve(
    port: int,
    host: str,
    public_url: str | None,
    proxy_header: str | None,
    trusted: tuple[str, ...],
) -> None:
    """The app in a browser: on loopback as one employee, or behind the company's
    reverse proxy with one employee per visitor (--proxy-header)."""
    from core.services.actors import os_user
    from core.services.identity import may_act_as_others
    from core.services.permissions import can_view_scl

    session = current_session()
    ctx = session.ctx  # opens (and migrates) the database now: a bad URL fails here
    if session.db_url:
        os.environ["SCL_DATABASE_URL"] = session.db_url
    rule: ProxyRule | None = None
    serving: str | None = None
    if proxy_header:
        rule = ProxyRule(proxy_header.strip(), trusted_networks(trusted or DEFAULT_TRUSTED))
        me = os_user()
        if not may_act_as_others(ctx):
            raise SetupError(
                f"with --proxy-header each visitor's app runs as `scl --as LOGIN`, and the "
                f"OS user {me!r} may not act as others: an administrator runs "
                f"`scl delegates allow {me}` first"
            )
        shown = ", ".join(str(n) for n in rule.trusted)
        echo(
            f"Serving Second Chance Leads on http://{host}:{port}/ to the employee each "
            f"request's {rule.header} header names, believed only from {shown}."
        )
    else:
        if trusted:
            raise click.UsageError("--trusted-proxy goes with --proxy-header")
        if not is_loopback(host):
            raise click.UsageError(
                f"without --proxy-header every visitor acts as one employee, so scl serve "
                f"listens on loopback only, not {host}; behind a reverse proxy that signs "
                "people in, add --proxy-header X-Remote-User"
            )
        serving = session.login
        if not can_view_scl(ctx, serving):
            echo(
                f"scl serve: warning: {serving} cannot see Second Chance Leads; browsers "
                "will get the no-access screen (use `scl --as LOGIN serve`).",
                err=True,
            )
        echo(
            f"Serving Second Chance Leads as {serving} on http://{host}:{port}/ "
            f"(loopback only: every visitor of this port acts as {serving})."
        )
    server = _make_server(
        ctx,
        rule,
        serving,
        host=host,
        port=port,
        title=TITLE,
        # textual-serve appends "/ws" and "/static/…" to it: no trailing slash.
        public_url=public_url.rstrip("/") if public_url else None,
    )
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this host's
        raise SetupError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; choose another with --port"
        ) from None
