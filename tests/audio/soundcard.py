"""A sound card for tests: PortAudio → ALSA's `type file` PCM (tests/asound.conf) → a FIFO
read here at the pace of a real device, so playback takes real time and every byte
that reached "the speaker" can be checked."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

TESTS = Path(__file__).resolve().parents[1]
SYSTEM_ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
F_SETPIPE_SZ = 1031  # Linux: shrink the pipe so little sits between player and "speaker"


class SoundCard:
    """Reads what ALSA writes, `bytes_per_second` at most, and keeps it with arrival times."""

    def __init__(self, fifo: Path, bytes_per_second: int) -> None:
        self.fifo = fifo
        self.bytes_per_second = bytes_per_second
        self.received = bytearray()
        self.arrivals: list[tuple[float, int]] = []  # (monotonic time, total bytes so far)
        self._lock = threading.Lock()
        # The pipe is made, and shrunk, before any stream writes to it (shrinking a pipe
        # that already holds more fails); a writer end of our own keeps it, and its size,
        # alive while streams open and close the device.
        self._reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        fcntl.fcntl(self._reader, F_SETPIPE_SZ, 4096)
        self._keeper = os.open(fifo, os.O_WRONLY)
        os.set_blocking(self._reader, True)
        self._thread = threading.Thread(target=self._read, name="test-soundcard", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._drain(self._reader)  # until every writer, ours last, has closed
        finally:
            os.close(self._reader)

    def _drain(self, fd: int) -> None:
        # A device takes samples at its rate and never catches up on time it sat idle:
        # a bucket refilled at that rate, holding at most 50 ms (its own buffer).
        cap = 0.05 * self.bytes_per_second
        budget, last = cap, time.monotonic()
        while True:
            now = time.monotonic()
            budget, last = min(budget + (now - last) * self.bytes_per_second, cap), now
            if budget < 2:
                time.sleep(0.005)
                continue
            want = int(budget)
            chunk = os.read(fd, want - want % 2)
            if not chunk:
                return
            budget -= len(chunk)
            with self._lock:
                self.received.extend(chunk)
                self.arrivals.append((time.monotonic(), len(self.received)))

    def samples(self) -> np.ndarray:
        with self._lock:
            data = bytes(self.received)
        return np.frombuffer(data[: len(data) - len(data) % 2], dtype="<i2")

    def byte_count(self) -> int:
        with self._lock:
            return len(self.received)

    def seconds_between(self, first: int, last: int) -> float:
        """Wall time from the arrival of byte `first` to that of byte `last`."""
        with self._lock:
            times = [t for t, total in self.arrivals if first < total <= last]
        return times[-1] - times[0] if times else 0.0

    def wait_for_bytes(self, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.byte_count() >= count:
                return True
            time.sleep(0.01)
        return False

    def wait_until_quiet(self, quiet: float = 0.4, timeout: float = 5.0) -> bool:
        """True once no byte has arrived for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last, since = self.byte_count(), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.02)
            now = self.byte_count()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return True
        return False

    def close(self) -> None:
        os.close(self._keeper)  # the reader sees the end once the streams are closed too
        self._thread.join(2.0)


def alsa_config_path() -> str:
    """ALSA_CONFIG_PATH replaces ALSA's whole configuration: the system's comes first."""
    if not SYSTEM_ALSA_CONF.is_file():
        raise RuntimeError(f"{SYSTEM_ALSA_CONF} is missing: run scripts/system-deps.sh")
    return f"{SYSTEM_ALSA_CONF}:{TESTS / 'asound.conf'}"


def install_sound_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SoundCard:
    """Make the test card the default output device, at 8 kHz 16-bit mono pace (the demo
    recordings'). Close it after the players that use it."""
    fifo = tmp_path / "speaker.fifo"
    os.mkfifo(fifo)
    monkeypatch.setenv("ALSA_CONFIG_PATH", alsa_config_path())
    monkeypatch.setenv("SCL_AUDIO_CAPTURE", str(fifo))
    return SoundCard(fifo, bytes_per_second=8000 * 2)


def remove_sound_cards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine where ALSA's default names a card that is not there, with none to fall
    back on (and no JACK server)."""
    missing = tmp_path / "no-device.conf"
    missing.write_text("pcm.!default { type hw card 99 }\nctl.!default { type hw card 99 }\n")
    monkeypatch.setenv("ALSA_CONFIG_PATH", f"{SYSTEM_ALSA_CONF}:{missing}")
