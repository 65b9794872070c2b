"""Where call recordings may come from: folders and hosts an administrator allowed.

Pure rules, no I/O: what a valid folder or host entry is, and whether a URL's origin is
on the allow-list. The checks that need the disk or DNS are in core.services.recordings
and core.adapters.recording_download.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from pathlib import PurePath

DEFAULT_PORTS = {"http": 80, "https": 443}
# Kernel and device trees: a "file" there is a window on the system, never a recording.
SYSTEM_TREES = ("/proc", "/sys", "/dev")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class AllowedHost:
    """One host recordings may be downloaded from."""

    host: str  # lower case; an IPv6 address without brackets
    port: int | None = None  # None: the scheme's own port (443, or 80 with http)
    http: bool = False  # plain http allowed too, not only https
    private: bool = False  # may resolve to a private, loopback or link-local address

    @property
    def label(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    def describe(self) -> str:
        extras = [word for word, on in (("http", self.http), ("private", self.private)) if on]
        return self.label + (f" ({', '.join(extras)})" if extras else "")

    def allows(self, scheme: str, host: str, port: int) -> bool:
        if host != self.host or scheme not in DEFAULT_PORTS:
            return False
        if scheme == "http" and not self.http:
            return False
        return port == (self.port if self.port is not None else DEFAULT_PORTS[scheme])

    def to_json(self) -> dict[str, object]:
        return {"host": self.host, "port": self.port, "http": self.http, "private": self.private}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> AllowedHost:
        port = data.get("port")
        return cls(
            host=str(data["host"]),
            port=int(port) if isinstance(port, int | str) else None,
            http=bool(data.get("http")),
            private=bool(data.get("private")),
        )


@dataclass(frozen=True)
class RecordingSources:
    """The company's allow-lists (folders as absolute, resolved paths)."""

    folders: tuple[str, ...] = ()
    hosts: tuple[AllowedHost, ...] = ()

    def host_for(self, scheme: str, host: str, port: int) -> AllowedHost | None:
        return next((h for h in self.hosts if h.allows(scheme, host, port)), None)


def parse_host(text: str) -> tuple[str, int | None]:
    """`HOST[:PORT]` as the CLI takes it, or ValueError saying what is wrong."""
    raw = text.strip().lower()
    if not raw or "/" in raw or "@" in raw or "?" in raw or "#" in raw:
        raise ValueError(
            f"give a host name and an optional port (pbx.example.com:8443), not {text!r}"
        )
    port: int | None = None
    if raw.startswith("["):  # [IPv6]:port
        host, _, rest = raw[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"not a host and port: {text!r}")
            port = _port(rest[1:], text)
    elif raw.count(":") == 1:
        host, _, number = raw.partition(":")
        port = _port(number, text)
    else:
        host = raw
    host = host.rstrip(".")
    try:
        ipaddress.ip_address(host)
        return host, port
    except ValueError:
        pass
    labels = host.split(".")
    if not host or len(host) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"not a host name: {text!r} (letters, digits, - and . only)")
    return host, port


def _port(number: str, text: str) -> int:
    if not number.isdigit() or not 1 <= int(number) <= 65535:
        raise ValueError(f"the port in {text!r} must be a number from 1 to 65535")
    return int(number)


def folder_problem(path: str) -> str | None:
    """Why an already resolved folder cannot hold recordings, or None."""
    pure = PurePath(path)
    if not pure.is_absolute():
        return f"the folder must be an absolute path, not {path!r}"
    if len(pure.parts) <= 1:
        return "the whole disk cannot be a recordings folder; name the folder that holds them"
    for tree in SYSTEM_TREES:
        if path == tree or path.startswith(tree + "/"):
            return f"{tree} holds system files, not recordings"
    return None


def in_system_tree(path: str) -> bool:
    return any(path == tree or path.startswith(tree + "/") for tree in SYSTEM_TREES)
