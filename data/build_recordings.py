"""Build the demo recordings: the demo calls' transcripts spoken by espeak-ng.

    apt install espeak-ng            # build time only; the built files are committed
    python data/build_recordings.py  # writes data/demo/recordings/*, then calls.jsonl again

Every call that becomes a lead is recorded, plus a few booked, not-a-lead and outbound
calls; the rest say they have no recording. The agent speaks in one voice, the customer
in another, at 8 kHz mono like a phone line: a fifth of the calls as mu-law WAV, the
rest as MP3, to keep the data set small. A hold becomes a few seconds of silence.

Each segment's start and end are where its speech is in the audio; they are written to
`recordings/timings.json`, which `build_demo.py` reads so `calls.jsonl` carries the
recording's path and those times (so the highlighted line follows what is heard).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import soundfile
from pedalboard.io import AudioFile

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import build_demo  # noqa: E402  (the generator next to this file)

OUT = HERE / "demo" / "recordings"
RATE = 8000
VOICES = {"agent": ("en-us+f3", 150), "customer": ("en-us+m3", 145)}  # voice, words/min
PACE = (1.7, 3.0)  # words a second a segment is spoken at (data/check_demo.py's rule)
LEAD_IN = 0.6  # seconds before the first word
GAP = {"same": 0.35, "turn": 0.7, "hold": 4.0}  # silence between segments
HOLD = 15.0  # a longer pause in the generated call was the agent putting it on hold
LEVEL = 0.5  # peak level: leave headroom as a phone line would
SILENT = 0.01  # below this a sample counts as silence when trimming the synthesiser's edges


def synthesise(text: str, voice: str, speed: int) -> np.ndarray:
    """espeak-ng's speech as float32 samples at 8 kHz, the silence around it trimmed."""
    with tempfile.TemporaryDirectory() as scratch:
        wav = Path(scratch) / "segment.wav"  # a file, so its header holds its length
        subprocess.run(
            ["espeak-ng", "-w", str(wav), "-v", voice, "-s", str(speed)],
            input=text.encode(),
            capture_output=True,
            check=True,
        )
        with AudioFile(str(wav)).resampled_to(RATE) as audio:
            samples = audio.read(audio.frames)[0]
    loud = np.flatnonzero(np.abs(samples) > SILENT)
    if len(loud) == 0:
        return np.zeros(int(0.3 * RATE), dtype=np.float32)
    samples = samples[loud[0] : loud[-1] + 1]
    return (samples / max(np.max(np.abs(samples)), 1e-6) * LEVEL).astype(np.float32)


def speak(text: str, speaker: str) -> np.ndarray:
    """One segment at a human pace: espeak-ng hurries through short phrases and crawls
    through numbers, so a segment far from PACE words a second is spoken again at a
    corrected speed."""
    voice, speed = VOICES[speaker]
    words = len(text.split())
    samples = synthesise(text, voice, speed)
    for _ in range(3):
        rate = words / max(len(samples) / RATE, 0.1)
        if words <= 3 or PACE[0] <= rate <= PACE[1]:
            break
        target = PACE[1] - 0.2 if rate > PACE[1] else PACE[0] + 0.2
        speed = min(max(round(speed * target / rate), 80), 300)
        samples = synthesise(text, voice, speed)
    return samples


def recorded(record: dict[str, Any]) -> tuple[np.ndarray, list[list[float]]]:
    """The call's audio, and each segment's [start, end] in it (tenths of a second)."""
    pieces: list[tuple[int, np.ndarray]] = []
    times: list[list[float]] = []
    t = LEAD_IN
    previous: dict[str, Any] | None = None
    for segment in record["transcript"]:
        if previous is not None:
            if segment["start"] - previous["end"] > HOLD:
                t += GAP["hold"]
            else:
                t += GAP["same" if segment["speaker"] == previous["speaker"] else "turn"]
        speech = speak(segment["text"], segment["speaker"])
        start = round(t, 1)
        end = round(start + len(speech) / RATE, 1)
        if end <= start:
            end = round(start + 0.1, 1)
        pieces.append((round(start * RATE), speech))
        times.append([start, end])
        t = end
        previous = segment
    audio = np.zeros(round((t + 1.0) * RATE) + RATE, dtype=np.float32)
    for at, speech in pieces:
        audio[at : at + len(speech)] += speech
    return audio[: round((t + 1.0) * RATE)], times


def chosen(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every lead-to-be, and a few calls of each other kind."""
    leads = [r for r in records if (r["demo"]["verdict"] or {}).get("lead")]
    booked = [r for r in records if r["direction"] == "inbound" and r["job_booked"]]
    no_lead = [r for r in records if (r["demo"]["verdict"] or {}).get("lead") is False]
    outbound = [r for r in records if r["direction"] == "outbound"]
    picked = leads + booked[5::24][:3] + no_lead[::18][:3] + outbound[::14][:2]
    return sorted(picked, key=lambda r: r["external_id"])


def main() -> None:
    if shutil.which("espeak-ng") is None:
        sys.exit("espeak-ng is not installed: apt install espeak-ng")
    build_demo.TIMINGS.clear()  # the generated times tell where the holds are
    records, _ = build_demo.build()
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    timings: dict[str, Any] = {}
    for number, record in enumerate(chosen(records)):
        audio, times = recorded(record)
        name = record["external_id"] + (".wav" if number % 5 == 0 else ".mp3")
        if name.endswith(".wav"):
            soundfile.write(OUT / name, audio, RATE, subtype="ULAW")
        else:
            soundfile.write(OUT / name, audio, RATE, format="MP3", compression_level=0.9)
        timings[record["external_id"]] = {"recording": f"recordings/{name}", "segments": times}
        print(f"{name}: {len(audio) / RATE:5.1f} s, {(OUT / name).stat().st_size:7d} bytes")
    with open(OUT / "timings.json", "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        out.write(
            ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in sorted(timings.items()))
        )
        out.write("\n}\n")
    total = sum(path.stat().st_size for path in OUT.iterdir())
    print(f"wrote {len(timings)} recordings, {total / 1e6:.1f} MB, to {OUT}")
    build_demo.TIMINGS.update(timings)
    build_demo.main()  # calls.jsonl again, with the recordings and their times


if __name__ == "__main__":
    main()
