"""The call's recording in plain mode: the app's player keys, one line per change.

The same parts as the app's player (scl_tui.widgets.player): core.services.recordings
finds the file (a URL is fetched only when the agent plays or exports it), the audio
adapter decodes it and plays it on PortAudio's own thread. Nothing here waits on the
sound: play, pause and seeking return at once; a watcher thread says when the
recording ends by itself. Every reason it cannot play is one line.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import SclError
from core.services.recordings import export_recording, find_recording, is_remote
from scl_tui.text import clock, safe

if TYPE_CHECKING:
    from core.adapters.audio import Clip, Player
    from core.services.views import LeadReview
    from scl_tui.plain.session import PlainSession

SKIP_SECONDS = 5.0  # as the app's , and .
WATCH_SECONDS = 0.2  # how often a playing recording is looked at for its end


class PlainPlayer:
    def __init__(self, session: PlainSession) -> None:
        self.session = session
        self.lead_id: int | None = None
        self.reference: str | None = None
        self.name = "recording"
        self.path: Path | None = None
        self.clip: Clip | None = None
        self.player: Player | None = None
        self.cursor = 0.0  # where play starts while no device is open
        self.speed = 1.0
        self._lock = threading.RLock()
        self._watching = threading.Event()  # set while a recording plays
        self._closing = threading.Event()
        self._watcher: threading.Thread | None = None

    # --- the keys ---------------------------------------------------------------------

    def toggle(self) -> None:
        """space: play, or pause what plays."""
        with self._lock:
            if not self._ready():
                return
            if self.player is not None and self.player.state().playing:
                self.player.pause()
                self._watching.clear()
                self.session.say(f"Paused at {clock(self.player.state().position)}.")
                return
            if self.player is None and not self._open():
                return
            assert self.player is not None
            self.player.play()
            state = self.player.state()
            self.session.say(
                f"Playing {clock(state.position)} of {clock(state.length)}{self._at()}."
            )
            self._watch()

    def skip(self, seconds: float) -> None:
        """, and .: back and forward, playing or not."""
        with self._lock:
            if not self._ready():
                return
            assert self.clip is not None
            now = self.player.state() if self.player is not None else None
            position = now.position if now is not None else self.cursor
            target = min(max(position + seconds, 0.0), self.clip.seconds)
            if self.player is not None:
                self.player.seek(target)
            else:
                self.cursor = target
            if now is not None and now.playing:
                length = clock(self.clip.seconds)
                self.session.say(f"Playing {clock(target)} of {length}{self._at()}.")
            else:
                self.session.say(f"Paused at {clock(target)} of {clock(self.clip.seconds)}.")

    def cycle_speed(self) -> None:
        """x: 1, 1.5, 2 times."""
        from core.adapters.audio import SPEEDS

        with self._lock:
            if not self._ready():
                return
            if self.player is not None:
                self.speed = self.player.next_speed()
            else:
                self.speed = SPEEDS[(SPEEDS.index(self.speed) + 1) % len(SPEEDS)]
            self.session.say(f"Speed {self.speed:g} times.")

    def stop(self, *, say: bool = True) -> None:
        """Playback ends and the sound device is let go; play starts over from 00:00."""
        with self._lock:
            player, self.player = self.player, None
            self._watching.clear()
            self.cursor = 0.0
            if player is not None:
                at = player.state().position
                player.close()
                if say:
                    self.session.say(f"Stopped at {clock(at)}.")
            elif say:
                self.session.say("Nothing is playing.")

    def export(self) -> None:
        """e: a copy in the exports folder, its path said (to fetch with scp)."""
        with self._lock:
            if not self._found():
                return
            assert self.path is not None
            try:
                exported = export_recording(self.path, self.name)
            except SclError as error:
                self.session.say(why(error))
                return
            self.session.say(f"Recording exported to {safe(str(exported))}")

    def close(self) -> None:
        """Plain mode ends: nothing keeps playing, no thread stays behind."""
        self._closing.set()
        self.stop(say=False)
        if self._watcher is not None:
            self._watcher.join(timeout=2)

    # --- which recording --------------------------------------------------------------

    def follow(self, review: LeadReview | None) -> None:
        """The agent is on this lead now: another lead's recording stops, as in the app."""
        with self._lock:
            lead = review.row.lead_id if review is not None else None
            reference = review.recording if review is not None else None
            if lead == self.lead_id and reference == self.reference:
                return
            if self.player is not None:
                self.session.say(f"The recording of lead {self.lead_id} stopped.")
            self.stop(say=False)
            self.lead_id, self.reference = lead, reference
            self.clip = self.path = None
            self.speed = 1.0
            if review is not None:
                self.name = f"lead-{review.row.lead_id}-{review.row.customer_phone}"

    def _found(self) -> bool:
        if self.lead_id is None:
            self.session.say("No lead chosen: type its number from the list.")
            return False
        if not self.reference:
            self.session.say(f"Lead {self.lead_id} has no recording.")
            return False
        if self.path is None:
            if is_remote(self.reference):
                self.session.say("Downloading the recording…")
            try:
                self.path = find_recording(self.session.ctx, self.reference)
            except SclError as error:
                self.session.say(why(error))
                return False
        return True

    def _ready(self) -> bool:
        """The recording found and decoded (once), or the one line saying why not."""
        if self.clip is not None:
            return True
        if not self._found():
            return False
        from core.adapters.audio import decode

        assert self.path is not None
        try:
            self.clip = decode(self.path)
        except SclError as error:
            self.session.say(why(error))
            return False
        return True

    def _open(self) -> bool:
        """The sound device, opened on the first play, not while leads are read."""
        from core.adapters.audio import Player

        assert self.clip is not None
        try:
            self.player = Player(self.clip)
        except SclError as error:  # no audio extra, no PortAudio, no device
            self.session.say(why(error))
            return False
        self.player.seek(self.cursor)
        self.player.set_speed(self.speed)
        where = sound_goes()
        if where:
            self.session.say(where)
        return True

    def _at(self) -> str:
        return "" if self.speed == 1.0 else f", at {self.speed:g} times"

    # --- the end, said when it comes ----------------------------------------------------

    def _watch(self) -> None:
        self._watching.set()
        if self._watcher is None or not self._watcher.is_alive():
            self._watcher = threading.Thread(target=self._run, name="scl-plain-player", daemon=True)
            self._watcher.start()

    def _run(self) -> None:
        while not self._closing.wait(WATCH_SECONDS):
            if not self._watching.is_set():
                continue
            with self._lock:
                if not self._watching.is_set() or self.player is None:
                    continue
                state = self.player.state()
                if not state.playing:  # ended by itself: pauses clear the flag first
                    self._watching.clear()
                    self.session.announce(f"Finished at {clock(state.position)}.")


def why(error: SclError) -> str:
    """One line: what cannot be done, and why (the audio messages name it already)."""
    if error.message.startswith("Cannot ") or not error.title:
        return error.message
    return f"{error.title}: {error.message}"


def sound_goes() -> str:
    """Over SSH the sound plays on the host: said once, as the app's player note."""
    if not (os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY")):
        return ""
    if os.environ.get("PULSE_SERVER"):
        return "Over SSH: the sound comes to you through PulseAudio forwarding."
    return (
        "Over SSH: the sound plays on the host, not your headset. "
        "e exports the file; or forward PulseAudio (README)."
    )
