"""Without an extra, what needs it says in one line which extra to install; the rest
of scl-tui imports and runs as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.adapters.audio import Player, PortAudioMissing, decode
from core.adapters.audio.stretch import stretched
from core.db.engine import open_database
from core.errors import DatabaseError
from tests.audio.signals import RATE, chirp, write

SCL = Path(sys.executable).with_name("scl")
AUDIO_HINT = "playing recordings needs the audio extra: pip install 'scl-tui[audio]'"
POSTGRES_HINT = "a PostgreSQL database needs the postgres extra: pip install 'scl-tui[postgres]'"
UNREACHABLE_PG = "postgresql://scl@127.0.0.1:9/scl"  # never connected to: the driver is missing


def test_playing_a_recording_without_the_audio_extra_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyaudio", None)  # import pyaudio now fails
    with pytest.raises(PortAudioMissing) as caught:
        Player(decode(write(tmp_path / "known.wav", chirp(0.5))))
    assert AUDIO_HINT in caught.value.message
    assert "\n" not in caught.value.message


def test_faster_playback_without_pedalboard_still_plays_faster(monkeypatch):
    monkeypatch.setitem(sys.modules, "pedalboard", None)
    samples = chirp(1.0)
    faster = stretched(samples, RATE, 2.0)
    assert faster.dtype == samples.dtype
    assert abs(len(faster) - len(samples) / 2) <= 1


def test_a_postgresql_url_without_the_postgres_extra_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(DatabaseError) as caught:
        open_database(UNREACHABLE_PG)
    assert caught.value.message == POSTGRES_HINT


def test_a_command_on_postgresql_without_the_driver_says_so_in_one_line(tmp_path):
    done = subprocess.run(
        [str(SCL), "--db", UNREACHABLE_PG, "leads"],
        capture_output=True, text=True, timeout=60, env=_without(tmp_path, "psycopg"),
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == f"scl: {POSTGRES_HINT}\n"


def test_every_module_imports_without_the_audio_and_postgres_extras(tmp_path):
    """The import sites of the extras are lazy: a server without them loads it all."""
    program = (
        "import importlib, pkgutil, core, scl_tui\n"
        "for package in (core, scl_tui):\n"
        "    for found in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        if not found.name.endswith('__main__') and '.migrations' not in found.name:\n"
        "            importlib.import_module(found.name)  # (those two run, not import)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True, text=True, timeout=120,
        env=_without(tmp_path, "pyaudio", "pedalboard", "psycopg", "psycopg_binary"),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def _without(tmp_path: Path, *modules: str) -> dict[str, str]:
    """The environment of a process in which importing `modules` fails, as it does
    where the extra that brings them is not installed."""
    blockers = tmp_path / "not-installed"
    for module in modules:
        (blockers / module).mkdir(parents=True)
        (blockers / module / "__init__.py").write_text(
            f"raise ModuleNotFoundError(\"No module named '{module}'\", name='{module}')\n"
        )
    env = os.environ.copy()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(blockers), env.get("PYTHONPATH")]))
    return env
