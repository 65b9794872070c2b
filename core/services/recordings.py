"""Finding a call's recording on this machine, and handing a copy to the agent.

A call names its recording by a path (relative paths start from the folder the
calls came from: SCL_RECORDINGS_DIR, the data directory or the demo data set) or by a
URL, which is downloaded once into the user cache directory and read from there after.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit
from urllib.request import url2pathname

import platformdirs

from core.config import APP_NAME, data_dir, export_dir
from core.errors import SclError

DEMO_DATA = Path(__file__).resolve().parents[2] / "data" / "demo"
DOWNLOAD_TIMEOUT = 15.0  # seconds without a byte before a download gives up
MAX_DOWNLOAD = 200 * 1024 * 1024  # no call recording is larger; a bigger answer is wrong
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RecordingUnavailable(SclError):
    title = "Recording unavailable"


def recording_roots() -> list[Path]:
    """Where relative recording paths are looked for, first match wins."""
    roots = []
    override = os.environ.get("SCL_RECORDINGS_DIR")
    if override:
        roots.append(Path(override).expanduser())
    roots += [data_dir(), DEMO_DATA]
    return roots


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "recordings"


def recordings_export_dir() -> Path:
    """Exported clips: SCL_EXPORT_DIR itself, else a folder of their own in the exports."""
    return export_dir() if os.environ.get("SCL_EXPORT_DIR") else export_dir() / "scl-recordings"


def locate_recording(
    reference: str,
    *,
    roots: list[Path] | None = None,
    cache: Path | None = None,
    timeout: float = DOWNLOAD_TIMEOUT,
) -> Path:
    """The recording as a local file, or RecordingUnavailable saying why in one line."""
    reference = reference.strip()
    if not reference:
        raise RecordingUnavailable("This call's recording reference is empty.")
    parts = urlsplit(reference)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return _downloaded(reference, cache or cache_dir(), timeout)
    if scheme == "file":
        path = Path(url2pathname(parts.path))
    elif scheme:
        raise RecordingUnavailable(
            f"Recording address not supported: {scheme}: (use a path, file:, http: or https:)"
        )
    else:
        path = Path(reference).expanduser()
    roots = recording_roots() if roots is None else roots
    candidates = [path] if path.is_absolute() else [root / path for root in roots]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    where = "" if path.is_absolute() else f" (looked in {', '.join(map(str, roots))})"
    raise RecordingUnavailable(f"Recording not found: {reference}{where}")


def _shown(url: str) -> str:
    """The URL without credentials or query, fit for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _request(url: str) -> urllib.request.Request:
    """urllib reads no credentials from a URL: they go in a Basic auth header instead."""
    parts = urlsplit(url)
    if parts.username is None:
        return urllib.request.Request(url)
    bare = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    token = base64.b64encode(login.encode()).decode()
    return urllib.request.Request(bare, headers={"Authorization": f"Basic {token}"})


def _downloaded(url: str, cache: Path, timeout: float) -> Path:
    name = _UNSAFE.sub("_", Path(urlsplit(url).path).name) or "recording"
    target = cache / f"{hashlib.sha256(url.encode()).hexdigest()[:16]}-{name}"
    if target.is_file():
        return target
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=cache, suffix=".part")
    except OSError as error:
        raise RecordingUnavailable(
            f"Cannot keep downloaded recordings in {cache}: {error.strerror}"
        ) from None
    try:
        with (
            os.fdopen(handle, "wb") as out,
            urllib.request.urlopen(_request(url), timeout=timeout) as answer,
        ):
            size = 0
            while chunk := answer.read(64 * 1024):
                size += len(chunk)
                if size > MAX_DOWNLOAD:
                    raise RecordingUnavailable(
                        f"Recording download stopped: {_shown(url)} is larger than "
                        f"{MAX_DOWNLOAD // (1024 * 1024)} MB"
                    )
                out.write(chunk)
        if size == 0:
            raise RecordingUnavailable(f"Recording download was empty: {_shown(url)}")
        os.replace(partial, target)
    except urllib.error.HTTPError as error:
        raise RecordingUnavailable(
            f"Recording could not be downloaded: {_shown(url)} answered {error.code} {error.reason}"
        ) from None
    except urllib.error.URLError as error:
        reason = getattr(error.reason, "strerror", None) or error.reason
        raise RecordingUnavailable(
            f"Recording could not be downloaded from {_shown(url)}: {reason}"
        ) from None
    except (TimeoutError, OSError) as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise RecordingUnavailable(
            f"Recording could not be downloaded from {_shown(url)}: {reason}"
        ) from None
    finally:
        Path(partial).unlink(missing_ok=True)
    return target


def export_recording(source: Path, name: str, directory: Path | None = None) -> Path:
    """A copy of the recording in a folder the agent can fetch from (scp, the browser);
    named after the call so several exports stay apart."""
    directory = recordings_export_dir() if directory is None else directory
    target = directory / f"{_UNSAFE.sub('_', name).strip('_') or 'recording'}{source.suffix}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as error:
        raise RecordingUnavailable(
            f"Cannot export the recording to {directory}: {error.strerror or error}"
        ) from None
    return target
