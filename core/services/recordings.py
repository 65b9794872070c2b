"""Finding a call's recording on this machine, and handing a copy to the agent.

A call's recording reference comes from an imported export: anyone who can write one
chooses it, so it is checked before anything is read or fetched.

- A path must lie, after resolving links, inside a recordings folder: one an
  administrator allowed (`scl recordings allow-folder`), SCL_RECORDINGS_DIR, or the
  shipped demo data. Relative paths start from those folders, in that order. No `..`,
  no `~`, no `file:` address, no device, pipe or /proc file: a regular file only.
  SCL_RECORDINGS_DIR stays as a deployment override: it is the process's own
  environment, which whoever sets it controls anyway; it gets the same checks.
- A URL must be https (http only where allowed) on a host an administrator allowed
  (`scl recordings allow-host`); core.adapters.recording_download checks every hop and
  every address. It is downloaded once, only when the agent plays or exports it, into a
  private cache folder, and read from there after.
- Exported copies are private to the user: 0600, in a 0700 folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePath
from urllib.parse import urlsplit

import platformdirs

from core.adapters import recording_download
from core.adapters.recording_download import Limits, Refused, Resolver, shown
from core.config import APP_NAME, export_dir
from core.domain.recording_sources import RecordingSources, folder_problem, in_system_tree
from core.errors import SclError
from core.services.context import ServiceContext
from core.services.recording_sources import get_sources

DEMO_DATA = Path(__file__).resolve().parents[1] / "demo"  # the demo's recordings
DOWNLOAD_TIMEOUT = 15.0  # seconds without a byte before a download gives up
DOWNLOAD_TOTAL = 120.0  # seconds for the whole download: a trickle is not a recording
MAX_DOWNLOAD = 200 * 1024 * 1024  # no call recording is larger; a bigger answer is wrong
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_POLL = 0.1  # how often a waiting caller looks whether it was cancelled


class RecordingUnavailable(SclError):
    title = "Recording unavailable"


def is_remote(reference: str | None) -> bool:
    """A URL, fetched only when the agent plays or exports it (never on show)."""
    return urlsplit((reference or "").strip()).scheme.lower() in ("http", "https")


def recording_roots(sources: RecordingSources) -> list[Path]:
    """Where recordings may be read from, first match wins for a relative path."""
    roots: list[Path] = []
    override = os.environ.get("SCL_RECORDINGS_DIR")
    if override:
        folder = Path(override).resolve()
        problem = folder_problem(str(folder))
        if problem:
            raise RecordingUnavailable(f"SCL_RECORDINGS_DIR cannot be used: {problem}")
        roots.append(folder)
    roots += [Path(folder) for folder in sources.folders]
    roots.append(DEMO_DATA)
    return roots


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "recordings"


def recordings_export_dir() -> Path:
    """Exported clips: SCL_EXPORT_DIR itself, else a folder of their own in the exports."""
    return export_dir() if os.environ.get("SCL_EXPORT_DIR") else export_dir() / "scl-recordings"


def find_recording(
    ctx: ServiceContext, reference: str, *, cancelled: Callable[[], bool] | None = None
) -> Path:
    """The call's recording as a local file, checked against the company's allow-lists."""
    return locate_recording(reference, get_sources(ctx), cancelled=cancelled)


def locate_recording(
    reference: str,
    sources: RecordingSources,
    *,
    cache: Path | None = None,
    timeout: float = DOWNLOAD_TIMEOUT,
    total: float = DOWNLOAD_TOTAL,
    max_bytes: int = MAX_DOWNLOAD,
    cancelled: Callable[[], bool] | None = None,
    resolver: Resolver = recording_download.resolve,
) -> Path:
    """The recording as a local file, or RecordingUnavailable saying why in one line."""
    reference = reference.strip()
    if not reference:
        raise RecordingUnavailable("This call's recording reference is empty.")
    if "\x00" in reference:
        raise RecordingUnavailable("This call's recording reference is not a path or URL.")
    scheme = urlsplit(reference).scheme.lower()
    if scheme in ("http", "https"):
        limits = Limits(timeout, total, max_bytes)
        return _downloaded(reference, sources, cache or cache_dir(), limits, cancelled, resolver)
    if scheme == "file":
        raise RecordingUnavailable(
            f"recording outside the recordings folders: {_short(reference)} "
            "(file: addresses are not accepted; give the path)"
        )
    if scheme and len(scheme) > 1:  # (a one-letter "scheme" is a Windows drive)
        raise RecordingUnavailable(
            f"Recording address not supported: {scheme}: (use a path or https:)"
        )
    return _local(reference, recording_roots(sources))


def _local(reference: str, roots: list[Path]) -> Path:
    outside = f"recording outside the recordings folders: {_short(reference)}"
    if reference.startswith("~"):
        raise RecordingUnavailable(f"{outside} (~ is not expanded)")
    path = PurePath(reference)
    if ".." in path.parts:
        raise RecordingUnavailable(f"{outside} (.. is not allowed)")
    resolved_roots = [root.resolve() for root in roots]
    if path.is_absolute():
        found = Path(path).resolve()
        if not any(found.is_relative_to(root) for root in resolved_roots):
            raise RecordingUnavailable(outside)
        return _regular(found, reference)
    for root in resolved_roots:
        found = (root / path).resolve()
        if not found.is_relative_to(root):
            raise RecordingUnavailable(f"{outside} (a link leads out of {root})")
        if os.path.lexists(found):
            return _regular(found, reference)
    raise RecordingUnavailable(
        f"Recording not found: {_short(reference)} "
        f"(looked in {', '.join(map(str, resolved_roots))})"
    )


def _regular(found: Path, reference: str) -> Path:
    if in_system_tree(found.as_posix()):
        raise RecordingUnavailable(f"recording outside the recordings folders: {_short(reference)}")
    try:
        mode = found.stat().st_mode
    except OSError:
        raise RecordingUnavailable(f"Recording not found: {_short(reference)}") from None
    if not stat.S_ISREG(mode):
        raise RecordingUnavailable(f"Recording is not a regular file: {_short(reference)}")
    return found


def _short(reference: str, width: int = 120) -> str:
    flat = " ".join(reference.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _downloaded(
    url: str,
    sources: RecordingSources,
    cache: Path,
    limits: Limits,
    cancelled: Callable[[], bool] | None,
    resolver: Resolver,
) -> Path:
    try:
        recording_download.allowed_origin(url, sources)  # a cached copy too: listed hosts only
    except Refused as refused:
        raise RecordingUnavailable(str(refused)) from None
    name = _UNSAFE.sub("_", Path(urlsplit(url).path).name) or "recording"
    target = cache / f"{hashlib.sha256(url.encode()).hexdigest()[:16]}-{name}"
    try:
        _private_folder(cache)  # also a cache left readable by an older version
        if target.is_file() and not target.is_symlink():
            os.chmod(target, 0o600)
            return target
        handle, partial = tempfile.mkstemp(dir=cache, suffix=".part")  # 0600
    except OSError as error:
        raise RecordingUnavailable(
            f"Cannot keep downloaded recordings in {cache}: {error.strerror}"
        ) from None
    stop = threading.Event()
    outcome: dict[str, object] = {}

    def fetch() -> None:
        try:
            with os.fdopen(handle, "wb") as out:
                size = recording_download.download(
                    url, sources, out, limits, stop=stop, resolver=resolver
                )
            if stop.is_set():
                return
            if size == 0:
                raise Refused(f"Recording download was empty: {shown(url)}")
            os.replace(partial, target)
            outcome["path"] = target
        except Refused as refused:
            outcome["error"] = str(refused)
        except Exception as error:  # a bug: said in one line rather than lost in a thread
            outcome["error"] = f"Recording could not be downloaded from {shown(url)}: {error!r}"
        finally:
            Path(partial).unlink(missing_ok=True)

    # A daemon thread: a slow server never holds up the app's exit, and the caller
    # (a cancellable worker) stops waiting when cancelled or at the total time cap.
    worker = threading.Thread(target=fetch, name="scl-recording-download", daemon=True)
    worker.start()
    deadline = time.monotonic() + limits.total_seconds
    while worker.is_alive():
        worker.join(_POLL)
        if cancelled is not None and cancelled():
            stop.set()
            raise RecordingUnavailable("Recording download cancelled.")
        if worker.is_alive() and time.monotonic() > deadline + _POLL:
            stop.set()
            raise RecordingUnavailable(
                f"Recording download stopped: {shown(url)} took longer than "
                f"{limits.total_seconds:g} s"
            )
    if "error" in outcome:
        raise RecordingUnavailable(str(outcome["error"]))
    return target


def _private_folder(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def export_recording(source: Path, name: str, directory: Path | None = None) -> Path:
    """A copy of the recording in a folder the agent can fetch from (scp, the browser);
    named after the call so several exports stay apart; readable by this user only."""
    own_folder = directory is None and not os.environ.get("SCL_EXPORT_DIR")
    directory = recordings_export_dir() if directory is None else directory
    target = directory / f"{_UNSAFE.sub('_', name).strip('_') or 'recording'}{source.suffix}"
    try:
        if own_folder or not directory.exists():
            _private_folder(directory)  # a folder the agent chose is left as it is
        reading = os.open(source, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(reading, "rb") as src:
            if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
                raise RecordingUnavailable(f"Recording is not a regular file: {source}")
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            writing = os.open(target, flags, 0o600)
            with os.fdopen(writing, "wb") as out:
                os.fchmod(out.fileno(), 0o600)  # an earlier export may be 0644
                while block := src.read(1024 * 1024):
                    out.write(block)
    except OSError as error:
        raise RecordingUnavailable(
            f"Cannot export the recording to {directory}: {error.strerror or error}"
        ) from None
    return target
