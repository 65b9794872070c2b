"""Decoding the formats call platforms produce to 16-bit mono samples."""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from core.adapters.audio import RecordingUnreadable, decode
from tests.audio.signals import RATE, aligned_correlation, chirp, write


def test_16_bit_pcm_wav_decodes_to_its_exact_samples(tmp_path):
    samples = chirp(1.0)
    clip = decode(write(tmp_path / "pcm.wav", samples))
    assert clip.rate == RATE
    assert np.array_equal(clip.samples, samples)


@pytest.mark.parametrize("subtype", ["ULAW", "ALAW"])
def test_telephony_wav_decodes_within_its_companding_error(tmp_path, subtype):
    samples = chirp(1.0)
    clip = decode(write(tmp_path / f"{subtype}.wav", samples, subtype))
    assert clip.rate == RATE and len(clip.samples) == len(samples)
    # 8-bit companding keeps each sample within a few percent of full scale.
    assert np.max(np.abs(clip.samples.astype(int) - samples)) < 600
    assert soundfile.info(tmp_path / f"{subtype}.wav").subtype == subtype


def test_mp3_decodes_to_audio_that_matches_what_was_encoded(tmp_path):
    samples = chirp(2.0)
    clip = decode(write(tmp_path / "call.mp3", samples))
    assert clip.rate == RATE
    assert abs(clip.seconds - 2.0) < 0.2
    assert aligned_correlation(clip.samples, samples) > 0.95


def test_stereo_is_heard_as_one_channel(tmp_path):
    left, right = chirp(0.5), np.zeros(RATE // 2, dtype=np.int16)
    soundfile.write(tmp_path / "stereo.wav", np.stack([left, right], axis=1), RATE)
    clip = decode(tmp_path / "stereo.wav")
    assert clip.samples.ndim == 1
    assert np.max(np.abs(clip.samples - left / 2)) <= 1  # the mean of both channels


def test_a_missing_file_is_named_in_one_line(tmp_path):
    with pytest.raises(RecordingUnreadable, match=r"Recording not found: .*gone\.wav"):
        decode(tmp_path / "gone.wav")


def test_a_corrupt_file_says_it_cannot_be_decoded(tmp_path):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x10\x00\x00\x00WAVEjunk" + bytes(range(256)) * 4)
    with pytest.raises(RecordingUnreadable, match=r"cannot be decoded: broken\.wav") as caught:
        decode(broken)
    assert "\n" not in caught.value.message


def test_a_recording_without_audio_says_so(tmp_path):
    soundfile.write(tmp_path / "empty.wav", np.zeros(0, dtype=np.int16), RATE)
    with pytest.raises(RecordingUnreadable, match="holds no audio"):
        decode(tmp_path / "empty.wav")
