"""Playing a decoded recording through a PyAudio callback stream.

Three kinds of threads, none of them the caller's: PortAudio's own thread calls
`_fill` for each block of samples; one control thread of ours makes the PortAudio
calls that can wait (start, stop with its drain, close); one more prepares the
faster versions of the recording. Every public method only takes a lock and returns,
so a screen can call them from its event loop.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any

import numpy as np

from core.adapters.audio.decode import Clip
from core.adapters.audio.errors import NoOutputDevice
from core.adapters.audio.output import open_portaudio
from core.adapters.audio.stretch import stretched

SPEEDS = (1.0, 1.5, 2.0)
BLOCK_SECONDS = 0.05  # samples asked for per callback: small, so pause and seek feel instant


@dataclass(frozen=True)
class PlayerState:
    position: float  # seconds into the recording, as heard
    length: float  # seconds
    playing: bool
    speed: float  # as asked for
    preparing: bool  # the asked-for speed is still being prepared; the old one plays meanwhile


class Player:
    """One recording on the default output device. Close it when done."""

    def __init__(self, clip: Clip) -> None:
        self.clip = clip
        self._pyaudio, self._audio = open_portaudio()
        self._lock = threading.Lock()
        self._tracks: dict[float, np.ndarray] = {1.0: clip.samples}
        self._position = 0.0  # source frames handed to PortAudio
        self._speed = 1.0  # asked for
        self._active_speed = 1.0  # of the track being played
        self._playing = False
        self.frames_out = 0  # frames handed to PortAudio, all speeds, since opening
        self._closing = threading.Event()
        self._commands: queue.Queue[str] = queue.Queue()
        try:
            self._stream = self._audio.open(
                format=self._pyaudio.paInt16,
                channels=1,
                rate=clip.rate,
                output=True,
                frames_per_buffer=max(64, int(clip.rate * BLOCK_SECONDS)),
                stream_callback=self._fill,
                start=False,
            )
        except (OSError, ValueError) as error:
            self._audio.terminate()
            raise NoOutputDevice(
                f"The sound output cannot play this recording ({clip.rate} Hz): {error}"
            ) from None
        self.latency = float(self._stream.get_output_latency())
        self._control = threading.Thread(target=self._run, name="scl-player", daemon=True)
        self._speeds = threading.Thread(target=self._prepare, name="scl-speeds", daemon=True)
        self._control.start()

    # --- what a screen calls ----------------------------------------------------------

    def play(self) -> None:
        with self._lock:
            if self._position >= len(self.clip.samples):
                self._position = 0.0  # from the top again after the end
            self._playing = True
        self._commands.put("play")

    def pause(self) -> None:
        with self._lock:
            self._playing = False
        self._commands.put("pause")

    def toggle(self) -> None:
        if self.state().playing:
            self.pause()
        else:
            self.play()

    def seek(self, seconds: float) -> None:
        with self._lock:
            frames = seconds * self.clip.rate
            self._position = min(max(frames, 0.0), float(len(self.clip.samples)))

    def skip(self, seconds: float) -> None:
        self.seek(self.state().position + seconds)

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}")
        with self._lock:
            self._speed = speed
            start = speed != 1.0 and not self._speeds.is_alive() and speed not in self._tracks
        if start and not self._closing.is_set():
            # Stretching costs about a second of CPU per minute of audio: only when asked.
            self._speeds = threading.Thread(target=self._prepare, name="scl-speeds", daemon=True)
            self._speeds.start()

    def next_speed(self) -> float:
        speed = SPEEDS[(SPEEDS.index(self.state().speed) + 1) % len(SPEEDS)]
        self.set_speed(speed)
        return speed

    def state(self) -> PlayerState:
        with self._lock:
            heard = self._position
            if self._playing:  # what is still in the device's buffer is not heard yet
                heard -= self.latency * self.clip.rate * self._active_speed
            return PlayerState(
                position=max(heard, 0.0) / self.clip.rate,
                length=self.clip.seconds,
                playing=self._playing,
                speed=self._speed,
                preparing=self._speed not in self._tracks,
            )

    def close(self, timeout: float = 2.0) -> bool:
        """Stop and let go of the device; True when every thread of ours has ended."""
        self._closing.set()
        with self._lock:
            self._playing = False
        self._commands.put("close")
        self._control.join(timeout)
        if self._speeds.ident is not None:
            self._speeds.join(max(0.0, timeout / 2))
        return not (self._control.is_alive() or self._speeds.is_alive())

    # --- PortAudio's thread -----------------------------------------------------------

    def _fill(self, _in: Any, frames: int, _time: Any, _status: int) -> tuple[bytes, int]:
        with self._lock:
            if self._speed != self._active_speed and self._speed in self._tracks:
                self._active_speed = self._speed
            speed = self._active_speed
            track = self._tracks[speed]
            start = round(self._position / speed)
            chunk = track[start : start + frames]
            self.frames_out += len(chunk)
            finished = not self._playing or start + frames >= len(track)
            if start + frames >= len(track):
                self._position = float(len(self.clip.samples))
                self._playing = False
            else:
                self._position += len(chunk) * speed
        data = chunk.tobytes()
        if finished:
            return data, self._pyaudio.paComplete
        return data, self._pyaudio.paContinue

    # --- our threads ------------------------------------------------------------------

    def _run(self) -> None:
        stream = self._stream
        try:
            while True:
                command = self._commands.get()
                if command == "close":
                    break
                if command == "play" and self.state().playing and not stream.is_active():
                    if not stream.is_stopped():  # ended by itself; restart needs a stop
                        stream.stop_stream()
                    stream.start_stream()
                elif command == "pause" and not stream.is_stopped():
                    stream.stop_stream()  # lets the few queued milliseconds play out
        finally:
            stream.close()
            self._audio.terminate()

    def _prepare(self) -> None:
        """The faster versions, the one asked for first, then the others."""
        while not self._closing.is_set():
            with self._lock:
                missing = [s for s in SPEEDS if s not in self._tracks]
                if not missing:
                    return
                speed = self._speed if self._speed in missing else missing[0]
            track = stretched(self.clip.samples, self.clip.rate, speed)
            with self._lock:
                self._tracks[speed] = track
