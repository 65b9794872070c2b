"""Playing through real PortAudio into ALSA's file device, checking what arrived."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest

from core.adapters.audio import NoOutputDevice, Player, PortAudioMissing, decode
from tests.audio.signals import RATE, aligned_correlation, chirp, find, tone, write

WAIT = 10.0  # seconds; no wait in these tests is unbounded


@pytest.fixture
def players():
    opened: list[Player] = []
    yield opened
    for player in opened:
        assert player.close(), "the player's threads did not end"


def play_to_end(player: Player) -> float:
    started = time.monotonic()
    player.play()
    deadline = started + WAIT
    while time.monotonic() < deadline:
        time.sleep(0.01)
        if not player.state().playing:
            return time.monotonic() - started
    raise AssertionError("playback did not end")


def test_a_wav_reaches_the_device_sample_for_sample(sound_card, players, tmp_path):
    samples = chirp(1.5)
    players.append(player := Player(decode(write(tmp_path / "known.wav", samples))))
    play_to_end(player)
    assert sound_card.wait_until_quiet()
    heard = sound_card.samples()
    start = find(heard, samples)
    assert start >= 0, "the recording's samples never arrived in order"
    # Around it only silence: PortAudio primes the device, nothing else is added.
    assert not heard[:start].any() and not heard[start + len(samples) :].any()


def test_an_mp3_reaches_the_device_as_the_audio_that_was_encoded(sound_card, players, tmp_path):
    samples = chirp(1.5)
    decoded = decode(write(tmp_path / "known.mp3", samples))
    players.append(player := Player(decoded))
    play_to_end(player)
    assert sound_card.wait_until_quiet()
    heard = sound_card.samples()
    assert find(heard, decoded.samples) >= 0  # what the decoder gave, sample for sample
    assert aligned_correlation(heard, samples) > 0.95  # and that is what was encoded


def test_first_sound_arrives_quickly_after_play(sound_card, players, tmp_path):
    players.append(player := Player(decode(write(tmp_path / "known.wav", chirp(1.0)))))
    started = time.monotonic()
    player.play()
    assert sound_card.wait_for_bytes(2, WAIT)
    assert time.monotonic() - started < 0.5


def test_pause_stops_the_samples_and_play_goes_on_where_it_stopped(sound_card, players, tmp_path):
    samples = chirp(3.0)
    players.append(player := Player(decode(write(tmp_path / "known.wav", samples))))
    player.play()
    assert sound_card.wait_for_bytes(RATE * 2, WAIT)  # a second has arrived
    player.pause()
    assert sound_card.wait_until_quiet()
    paused_at = sound_card.byte_count()
    time.sleep(0.5)
    assert sound_card.byte_count() == paused_at, "samples kept coming while paused"
    assert not player.state().playing
    heard_before = sound_card.samples()
    assert 1.0 <= player.state().position < 2.0

    play_to_end(player)
    assert sound_card.wait_until_quiet()
    # Everything that arrived, minus the device's silences, is the recording once, in order.
    assert np.array_equal(sound_card.samples()[sound_card.samples() != 0], samples[samples != 0])
    assert len(heard_before) < len(sound_card.samples())


def test_seek_skips_the_samples_in_between(sound_card, players, tmp_path):
    samples = chirp(6.0)
    players.append(player := Player(decode(write(tmp_path / "known.wav", samples))))
    player.play()
    assert sound_card.wait_for_bytes(RATE, WAIT)  # half a second
    player.seek(5.0)
    assert play_to_end(player) < 2.5  # one second left, plus what was queued
    assert sound_card.wait_until_quiet()
    heard = sound_card.samples()
    heard = heard[find(heard, samples[:64]) :]
    # The head up to some point, then exactly from 5 s on: nothing from the middle.
    joined = find(heard, samples[5 * RATE : 5 * RATE + 64])
    assert 0.4 * RATE < joined < 1.5 * RATE
    assert np.array_equal(heard[:joined], samples[:joined])
    assert np.array_equal(heard[joined : joined + RATE], samples[5 * RATE : 6 * RATE])


def test_twice_the_speed_takes_half_the_time_at_the_same_pitch(sound_card, players, tmp_path):
    samples = tone(2.0, 440.0)
    players.append(player := Player(decode(write(tmp_path / "tone.wav", samples))))
    play_to_end(player)
    assert sound_card.wait_until_quiet()
    at_normal = sound_card.byte_count()
    normal = sound_card.seconds_between(0, at_normal)

    player.set_speed(2.0)
    deadline = time.monotonic() + WAIT
    while player.state().preparing and time.monotonic() < deadline:
        time.sleep(0.01)
    play_to_end(player)
    assert sound_card.wait_until_quiet()
    fast = sound_card.seconds_between(at_normal, sound_card.byte_count())
    heard_fast = sound_card.samples()[at_normal // 2 :]

    assert 0.4 < fast / normal < 0.6, (normal, fast)
    assert abs(np.count_nonzero(heard_fast) - len(samples) / 2) < 0.05 * len(samples)
    spectrum = np.abs(np.fft.rfft(heard_fast.astype(float)))
    peak_hz = np.argmax(spectrum) * RATE / len(heard_fast)
    assert abs(peak_hz - 440.0) < 10


def test_position_follows_playback_and_closing_ends_every_thread(sound_card, tmp_path):
    player = Player(decode(write(tmp_path / "known.wav", chirp(3.0))))
    before = {t.name for t in threading.enumerate()}
    assert {"scl-player"} <= before
    started = time.monotonic()
    player.play()
    time.sleep(1.0)
    # Against the time that really passed: a loaded CI wakes this thread late, and the
    # playback went on meanwhile.
    position, elapsed = player.state().position, time.monotonic() - started
    assert elapsed - 0.4 < position < elapsed + 0.4, (position, elapsed)
    assert player.close()
    assert not {"scl-player", "scl-speeds"} & {t.name for t in threading.enumerate()}


def test_no_output_device_is_said_in_one_line(no_sound_card, tmp_path):
    with pytest.raises(NoOutputDevice, match="No sound output device") as caught:
        Player(decode(write(tmp_path / "known.wav", chirp(0.5))))
    assert "\n" not in caught.value.message


def test_portaudio_missing_is_said_in_one_line(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyaudio", None)  # import pyaudio now fails
    with pytest.raises(PortAudioMissing, match="PortAudio/PyAudio is not installed"):
        Player(decode(write(tmp_path / "known.wav", chirp(0.5))))
