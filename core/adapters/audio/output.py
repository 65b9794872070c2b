"""Opening PortAudio (through PyAudio) for playback, quietly.

PortAudio probes JACK and ALSA when it starts; both libraries print their complaints
(no JACK server, unknown PCMs) straight to the process's stderr, which is where the
terminal UI draws. Their error hooks are pointed at a function that drops them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from typing import Any

from core.adapters.audio.errors import NoOutputDevice, PortAudioMissing
from core.extras import AUDIO, needs_extra

_JACK_MESSAGE = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
_ALSA_MESSAGE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
# Kept for the life of the process: the C libraries hold these pointers.
_drop_jack = _JACK_MESSAGE(lambda message: None)
_drop_alsa = _ALSA_MESSAGE(lambda *message: None)
_quiet_lock = threading.Lock()
_quieted = False


def _quiet_native_libraries() -> None:
    global _quieted
    with _quiet_lock:
        if _quieted:
            return
        _quieted = True
        for name, hooks, callback in (
            ("jack", ("jack_set_error_function", "jack_set_info_function"), _drop_jack),
            ("asound", ("snd_lib_error_set_handler",), _drop_alsa),
        ):
            found = ctypes.util.find_library(name)
            if not found:
                continue
            try:
                library = ctypes.CDLL(found)
                for hook in hooks:
                    getattr(library, hook)(callback)
            except (OSError, AttributeError):
                continue  # a library we cannot quiet only means a noisier stderr


def open_portaudio() -> tuple[Any, Any]:
    """(the pyaudio module, a started PyAudio) with a default output device, or the
    reason there is none. The caller terminates the PyAudio when done."""
    _quiet_native_libraries()
    try:
        import pyaudio
    except ImportError:  # the audio extra is not installed
        raise PortAudioMissing(
            "Cannot play audio: PortAudio/PyAudio is not installed; "
            + needs_extra("playing recordings", AUDIO)
        ) from None
    except OSError as error:  # PyAudio is there, the PortAudio library it loads is not
        raise PortAudioMissing(
            "Cannot play audio: PortAudio/PyAudio is not installed "
            f"({error}); Debian: apt install libportaudio2"
        ) from None
    try:
        audio = pyaudio.PyAudio()
    except OSError as error:
        raise PortAudioMissing(f"Cannot play audio: PortAudio did not start ({error})") from None
    try:
        device = audio.get_default_output_device_info()
        if int(device.get("maxOutputChannels", 0)) < 1:
            raise OSError("the default device has no output")
    except (OSError, ValueError):
        audio.terminate()
        raise NoOutputDevice("No sound output device here (no sound card, or over SSH)") from None
    return pyaudio, audio
