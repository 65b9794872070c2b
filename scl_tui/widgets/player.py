"""The recording player in the review pane: state in one line, a progress bar, a note.

Finding, downloading and decoding a recording and opening the sound device happen in
a thread worker; the audio itself runs on PortAudio's thread (core.adapters.audio).
The widget only reads the player's state a few times a second. Anything that stops
playback (no device, PortAudio missing, file missing or corrupt, URL unreachable) is
one line here; the rest of the app carries on.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import ProgressBar, Static
from textual.worker import get_current_worker

from core.adapters.audio import SPEEDS, Clip, Player, decode
from core.errors import SclError
from core.services.recordings import export_recording, find_recording, is_remote
from core.services.views import LeadReview
from scl_tui.text import clock, literal

SKIP_SECONDS = 5.0
TICK_SECONDS = 0.2  # how often position, progress and the followed line update


def over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def pulse_forwarded() -> bool:
    """PulseAudio forwarded over SSH (README): the sound does reach the agent."""
    return bool(os.environ.get("PULSE_SERVER"))


class PlayerWidget(Vertical):
    DEFAULT_CSS = """
    PlayerWidget { height: auto; }
    PlayerWidget #player-status { color: $text; }
    PlayerWidget.-failed #player-status { color: $warning; }
    PlayerWidget #player-progress { display: none; height: 1; width: 1fr; }
    PlayerWidget.-loaded #player-progress { display: block; }
    PlayerWidget #player-progress Bar { width: 1fr; }
    PlayerWidget #player-note { color: $text-muted; }
    """

    class Position(Message):
        """Where playback is, for the transcript to follow; None when stopped at the top."""

        def __init__(self, seconds: float | None) -> None:
            super().__init__()
            self.seconds = seconds

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.player: Player | None = None  # opened on the first play
        self.clip: Clip | None = None  # the decoded recording
        self.path: Path | None = None  # the recording on this machine, once found
        self.lead_id: int | None = None
        self.reference: str | None = None
        self.name_for_export = "recording"
        self.error: str | None = None  # why it cannot play, as shown
        self._then: str | None = None  # a URL is fetched on play or export: which one, once
        self._cursor = 0.0  # position and speed before a player exists
        self._speed = 1.0
        self._token = 0  # which load a worker's answer belongs to
        self._last: tuple[float, float, bool, float, bool] | None = None
        self._told: float | None = None

    def compose(self) -> ComposeResult:
        yield Static("Pick a lead to hear its call.", id="player-status")
        yield ProgressBar(total=1.0, show_eta=False, show_percentage=False, id="player-progress")
        yield Static(id="player-note")

    def on_mount(self) -> None:
        self.set_interval(TICK_SECONDS, self._tick)

    def on_unmount(self) -> None:
        self._stop_player(wait=True)

    # --- what the screen asks --------------------------------------------------------

    @property
    def can_play(self) -> bool:
        return self.clip is not None or self._remote_waiting

    @property
    def can_export(self) -> bool:
        return self.path is not None or self._remote_waiting

    @property
    def _remote_waiting(self) -> bool:
        """A URL not fetched yet: showing a lead never makes a request, play or export does."""
        return is_remote(self.reference) and self.clip is None and self.error is None

    def load(self, review: LeadReview) -> None:
        """The lead's recording, unless it is the one already loaded (a re-read of the
        same lead must not stop what the agent is listening to)."""
        if review.row.lead_id == self.lead_id and review.recording == self.reference:
            return
        self.stop(refresh=not review.recording)  # with a recording: once it is loaded
        self.lead_id = review.row.lead_id
        self.reference = review.recording
        self.name_for_export = f"lead-{review.row.lead_id}-{review.row.customer_phone}"
        if not review.recording:
            self._show_line(Text("No recording for this call.", style="italic"))
            return
        if is_remote(review.recording):
            self._show_line(Text("Recording online: space downloads and plays it, e exports it"))
            self._bindings_changed()
            return
        self._show_line(Text("Loading the recording…", style="italic"))
        self._load(review.recording, self._token)

    def stop(self, *, refresh: bool = True) -> None:
        """Stop and forget the current recording (another lead was chosen)."""
        self._token += 1
        self._stop_player(wait=False)
        self.clip = self.path = self.error = self._then = None
        self.lead_id = self.reference = None
        self._cursor, self._speed, self._last = 0.0, 1.0, None
        self.remove_class("-loaded", "-failed")
        self._set_note("")
        self._tell(None)
        if refresh:
            self._bindings_changed()

    def toggle(self) -> None:
        if self._fetch_then("play"):
            return
        if self.player is not None:
            self.player.toggle()
        elif self._usable():
            self._show_line(Text("Opening the sound device…", style="italic"))
            self._open(self.clip, self._cursor, self._speed, self._token)  # type: ignore[arg-type]
        self._tick()

    def skip(self, seconds: float) -> None:
        self.jump_to(self.position + seconds)

    def cycle_speed(self) -> None:
        if self.player is not None:
            self._speed = self.player.next_speed()
        elif self._usable():
            self._speed = SPEEDS[(SPEEDS.index(self._speed) + 1) % len(SPEEDS)]
        self._tick()

    def jump_to(self, seconds: float) -> None:
        if self.player is not None:
            self.player.seek(seconds)
        elif self._usable():
            self._cursor = min(max(seconds, 0.0), self.clip.seconds)  # type: ignore[union-attr]
        self._tick()

    def export(self) -> None:
        if self._fetch_then("export"):
            return
        if self.path is None:
            self.app.notify(self.error or "No recording to export.", severity="warning")
            return
        self._export(self.path, self.name_for_export)

    # --- workers -----------------------------------------------------------------------

    def _fetch_then(self, then: str) -> bool:
        if not self._remote_waiting or self.reference is None:
            return False
        if self._then is None:
            self._then = then
            self._show_line(Text("Downloading the recording…", style="italic"))
            self._load(self.reference, self._token)
        return True

    @work(thread=True, exclusive=True, group="player", exit_on_error=False)
    def _load(self, reference: str, token: int) -> None:
        path: Path | None = None
        worker = get_current_worker()  # cancelled when another lead is chosen or the app quits
        ctx = self.app.ctx  # type: ignore[attr-defined]
        try:
            path = find_recording(ctx, reference, cancelled=lambda: worker.is_cancelled)
            clip = decode(path)
        except SclError as error:
            self.app.call_from_thread(self._failed, token, path, error.message)
            return
        except Exception as error:  # a bug must not take the review pane down
            self.app.call_from_thread(self._failed, token, path, f"Cannot play: {error}")
            return
        self.app.call_from_thread(self._loaded, token, path, clip)

    @work(thread=True, exclusive=True, group="player", exit_on_error=False)
    def _open(self, clip: Clip, start: float, speed: float, token: int) -> None:
        """The sound device is opened on the first play, not while leads are browsed."""
        try:
            player = Player(clip)
        except SclError as error:
            self.app.call_from_thread(self._failed, token, self.path, error.message)
            return
        player.seek(start)
        player.set_speed(speed)
        player.play()
        try:
            kept = self.app.call_from_thread(self._playing, token, player)
        except RuntimeError:  # the app is closing
            kept = False
        if not kept:
            player.close()  # another lead was chosen meanwhile, or the app is gone

    @work(thread=True, group="player-export", exit_on_error=False)
    def _export(self, path: Path, name: str) -> None:
        try:
            exported = export_recording(path, name)
        except SclError as error:
            self.app.call_from_thread(
                self.app.notify, error.message, title=error.title, severity="error", markup=False
            )
            return
        self.app.call_from_thread(self._exported, exported)

    # --- results, on the UI thread ----------------------------------------------------

    def _loaded(self, token: int, path: Path, clip: Clip) -> None:
        if token != self._token:
            return
        self.clip, self.path, self.error = clip, path, None
        self.add_class("-loaded")
        self.remove_class("-failed")
        self._note_where_sound_goes()
        self._tick()
        self._bindings_changed()
        then, self._then = self._then, None
        if then == "play":
            self.toggle()
        elif then == "export":
            self.export()

    def _playing(self, token: int, player: Player) -> bool:
        if token != self._token:
            return False
        self.player, self.error = player, None
        self.remove_class("-failed")
        self._last = None
        self._tick()
        return True

    def _failed(self, token: int, path: Path | None, message: str) -> None:
        if token != self._token:
            return
        self.path, self.error, self._then = path, message, None
        self.add_class("-failed")
        self._show_line(literal(message))
        if path is not None:
            self._set_note(Text("e exports the recording to a file", style="dim"))
        self._bindings_changed()

    def _exported(self, exported: Path) -> None:
        self.app.copy_to_clipboard(str(exported))  # OSC 52: reaches an SSH agent's clipboard
        note = Text("Exported to ")
        note.append_text(literal(str(exported), "bold"))
        note.append(" (path copied)", style="dim")
        if self.app.is_web:
            self.app.deliver_binary(exported, save_filename=exported.name)
            note.append(" and sent to your browser", style="dim")
        self._set_note(note)
        self.app.notify(f"Recording exported to {exported}", title="Exported", markup=False)

    # --- showing ----------------------------------------------------------------------

    def _usable(self) -> bool:
        if self.clip is None:
            if self.error:
                self.app.notify(self.error, title="Cannot play", severity="warning", markup=False)
            return False
        return True

    @property
    def position(self) -> float:
        return self.player.state().position if self.player is not None else self._cursor

    @property
    def speed(self) -> float:
        return self.player.state().speed if self.player is not None else self._speed

    def _note_where_sound_goes(self) -> None:
        note = Text(style="dim")
        if self.app.is_web:
            note.append("In the browser the sound plays on the server: e sends you the file.")
        elif over_ssh() and not pulse_forwarded():
            note.append("Over SSH: the sound plays on the host, not your headset. ")
            note.append("e exports the file (path copied); or forward PulseAudio (README).")
        elif over_ssh():
            note.append("Over SSH: the sound comes to you through PulseAudio forwarding.")
        self._set_note(note)

    def _set_note(self, note: Text | str) -> None:
        widget = self.query_one("#player-note", Static)
        widget.update(note)
        widget.display = bool(note.plain if isinstance(note, Text) else note)

    def _show_line(self, line: Text) -> None:
        self.query_one("#player-status", Static).update(line)

    def _tick(self) -> None:
        if self.clip is None or (self.error and self.player is None):
            return
        if self.player is not None:
            state = self.player.state()
            now = (state.position, state.length, state.playing, state.speed, state.preparing)
        else:
            now = (self._cursor, self.clip.seconds, False, self._speed, False)
        if now == self._last:
            return
        self._last = now
        position, length, playing, speed, preparing = now
        line = Text()
        if playing:
            line.append("▶ Playing ", style="bold")
        elif position == 0:
            line.append("■ Ready   ", style="bold")
        else:
            line.append("⏸ Paused  ", style="bold")
        line.append(f"{clock(position)} / {clock(length)}")
        line.append(f"   {speed:g}×", style="bold" if speed != 1.0 else "")
        if preparing:
            line.append(" (preparing)", style="dim")
        self._show_line(line)
        bar = self.query_one("#player-progress", ProgressBar)
        bar.update(total=max(length, 0.001), progress=position)
        self._tell(None if not playing and position == 0 else position)

    def _tell(self, seconds: float | None) -> None:
        if seconds != self._told:
            self._told = seconds
            self.post_message(self.Position(seconds))

    def _bindings_changed(self) -> None:
        if self.is_attached:
            self.screen.refresh_bindings()

    def _stop_player(self, *, wait: bool) -> None:
        player, self.player = self.player, None
        if player is None:
            return
        if wait:
            player.close(timeout=2.0)
        else:  # closing drains the device: not on the UI thread
            threading.Thread(target=player.close, name="scl-player-close", daemon=True).start()
