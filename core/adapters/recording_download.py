"""Downloading a recording from an allowed host, and nothing else.

Every hop (the first request and each redirect) is checked against the allow-list:
scheme, host name, port. The name is resolved here and every address it gives is checked
(no private, loopback or link-local address unless the host is listed as private); the
connection then goes to the address that was checked, the host name travelling in the
Host header and TLS SNI (the certificate is still verified for the name), so a DNS answer
that changes between check and connect (rebinding) is never used. Redirects are followed
by hand for that reason. Bounded in size and in total time, not only per read.
"""

from __future__ import annotations

import base64
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx2

from core.domain.recording_sources import DEFAULT_PORTS, AllowedHost, RecordingSources

MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """The download was refused or failed; the message is one line fit for the agent.
    `transient`: the server failed (5xx, 408, 429), timed out or could not be reached,
    so trying again later may succeed; otherwise it cannot (a 4xx, a refused host)."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class Limits:
    read_seconds: float  # without a byte
    total_seconds: float  # the whole download, redirects included
    max_bytes: int


def shown(url: str) -> str:
    """The URL without credentials or query, fit for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        host += f":{port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def allowed_origin(url: str, sources: RecordingSources) -> tuple[str, str, int, AllowedHost]:
    """(scheme, host, port, entry) for a URL whose origin is allowed, else Refused."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        raise Refused(f"Recording address has a bad port: {shown(url)}") from None
    if scheme not in DEFAULT_PORTS:
        raise Refused(f"Recording address not supported: {scheme}: (use https:)")
    if not host:
        raise Refused(f"Recording address has no host: {shown(url)}")
    entry = sources.host_for(scheme, host, port)
    if entry is None:
        label = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if scheme == "http" and sources.host_for("https", host, port if port != 80 else 443):
            raise Refused(
                f"host not on the recordings allow-list for http: {label} "
                "(an administrator may allow it with --http)"
            )
        raise Refused(f"host not on the recordings allow-list: {label}")
    return scheme, host, port, entry


def resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"Recording host {host} cannot be found: {error}") from None
    addresses: list[str] = []
    for *_, sockaddr in found:
        if sockaddr[0] not in addresses:
            addresses.append(str(sockaddr[0]))
    return addresses


def checked_address(host: str, port: int, entry: AllowedHost, resolver: Resolver) -> str:
    """An address of the host that may be used: every address is checked, not only the
    first (a name answering one public and one private address is refused)."""
    addresses = resolver(host, port)
    if not addresses:
        raise Refused(f"Recording host {host} has no address")
    if not entry.private:
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            mapped = getattr(address, "ipv4_mapped", None)
            if not (mapped or address).is_global or address.is_multicast:
                raise Refused(
                    f"Recording host {entry.label} is at a private address ({text}); "
                    "an administrator may allow it with --private"
                )
    return addresses[0]


def download(
    url: str,
    sources: RecordingSources,
    out: BinaryIO,
    limits: Limits,
    *,
    stop: threading.Event | None = None,
    resolver: Resolver = resolve,
    verify: ssl.SSLContext | bool = True,
) -> int:
    """Write the recording at `url` into `out`; the number of bytes, or Refused.
    `verify`: the certificate authorities to trust (default: the usual public ones)."""
    deadline = time.monotonic() + limits.total_seconds
    first = urlsplit(url)
    credentials = _basic_auth(first.username, first.password)
    origin = allowed_origin(url, sources)[:3]
    current = url
    with httpx2.Client(trust_env=False, follow_redirects=False, verify=verify) as client:
        for _ in range(MAX_REDIRECTS + 1):
            scheme, host, port, entry = allowed_origin(current, sources)
            address = checked_address(host, port, entry, resolver)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _too_slow(url, limits)
            parts = urlsplit(current)
            netloc = f"[{address}]" if ":" in address else address
            target = urlunsplit((scheme, f"{netloc}:{port}", parts.path or "/", parts.query, ""))
            label = f"[{host}]" if ":" in host else host
            headers = {
                "Host": label if port == DEFAULT_PORTS[scheme] else f"{label}:{port}",
                "Accept-Encoding": "identity",  # the bytes as stored: the size cap is real
            }
            if credentials and (scheme, host, port) == origin:
                headers["Authorization"] = credentials  # never to another origin
            timeout = httpx2.Timeout(min(limits.read_seconds, remaining))
            extensions = {"sni_hostname": host} if scheme == "https" else None
            try:
                with client.stream(
                    "GET", target, headers=headers, timeout=timeout, extensions=extensions
                ) as answer:
                    if answer.status_code in REDIRECTS and answer.headers.get("location"):
                        current = urljoin(current, answer.headers["location"])
                        continue
                    if answer.status_code != 200:
                        raise Refused(
                            f"Recording could not be downloaded: {shown(current)} answered "
                            f"{answer.status_code} {answer.reason_phrase}",
                            transient=answer.status_code >= 500 or answer.status_code in (408, 429),
                        )
                    return _copy(answer, out, url, limits, deadline, stop)
            except httpx2.TimeoutException:
                if time.monotonic() >= deadline:
                    raise _too_slow(url, limits) from None
                raise Refused(
                    f"Recording could not be downloaded from {shown(current)}: timed out",
                    transient=True,
                ) from None
            except httpx2.HTTPError as error:
                reason = _reason(error)
                raise Refused(
                    f"Recording could not be downloaded from {shown(current)}: {reason}",
                    transient=True,  # refused, reset, unreachable: the server may be back
                ) from None
    raise Refused(f"Recording download stopped: {shown(url)} redirected too many times")


def _copy(
    answer: httpx2.Response,
    out: BinaryIO,
    url: str,
    limits: Limits,
    deadline: float,
    stop: threading.Event | None,
) -> int:
    declared = answer.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _too_big(url, limits)
    size = 0
    for chunk in answer.iter_raw(64 * 1024):
        if stop is not None and stop.is_set():
            raise Refused("Recording download cancelled.")
        if time.monotonic() > deadline:
            raise _too_slow(url, limits)
        size += len(chunk)
        if size > limits.max_bytes:
            raise _too_big(url, limits)
        out.write(chunk)
    return size


def _too_big(url: str, limits: Limits) -> Refused:
    return Refused(
        f"Recording download stopped: {shown(url)} is larger than "
        f"{limits.max_bytes // (1024 * 1024) or limits.max_bytes} "
        f"{'MB' if limits.max_bytes >= 1024 * 1024 else 'bytes'}"
    )


def _too_slow(url: str, limits: Limits) -> Refused:
    return Refused(
        f"Recording download stopped: {shown(url)} took longer than {limits.total_seconds:g} s",
        transient=True,
    )


def _basic_auth(username: str | None, password: str | None) -> str | None:
    if username is None:
        return None
    login = f"{unquote(username)}:{unquote(password or '')}"
    return "Basic " + base64.b64encode(login.encode()).decode()


def _reason(error: Exception) -> str:
    cause: BaseException | None = error
    while cause is not None:  # the OS's words ("Connection refused") are the clearest
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(error).splitlines()[0] if str(error) else type(error).__name__
