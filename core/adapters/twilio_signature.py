"""Twilio's request signature (X-Twilio-Signature), from Twilio's public documentation:
base64(HMAC-SHA1(auth token, the full URL Twilio requested + every POST parameter's name
and value, sorted by name, with no separators)).

Written with hmac from the standard library: the `twilio` package would add a large
dependency for these few lines. As Twilio's own validator does, the URL is tried with
and without the scheme's default port, since proxies differ in what they pass on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def signature(url: str, params: Iterable[tuple[str, str]], auth_token: str) -> str:
    """What Twilio sends in X-Twilio-Signature for this request."""
    data = url + "".join(name + value for name, value in sorted(params))
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def is_signed(url: str, params: Iterable[tuple[str, str]], auth_token: str, given: str) -> bool:
    """Whether `given` is Twilio's signature of this request (in constant time)."""
    pairs = list(params)
    return any(
        hmac.compare_digest(signature(candidate, pairs, auth_token).encode(), given.encode())
        for candidate in _with_and_without_port(url)
    )


def _with_and_without_port(url: str) -> list[str]:
    parts = urlsplit(url)
    default = DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    userinfo = parts.netloc.rpartition("@")[0]
    userinfo = f"{userinfo}@" if userinfo else ""
    try:
        port = parts.port
    except ValueError:
        return [url]
    if default is None or port not in (None, default):
        return [url]
    bare = urlunsplit(parts._replace(netloc=f"{userinfo}{host}"))
    ported = urlunsplit(parts._replace(netloc=f"{userinfo}{host}:{default}"))
    return [url, bare if url != bare else ported]
