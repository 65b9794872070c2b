"""How fast `scl` starts: `scl --help` and `scl leads --json` on the demo database,
against `python -c pass` measured in the same run.

Scripts and the import loop of a busy center call `scl` thousands of times, so its
start-up is mostly Python importing things. Each command runs as a fresh process, the
three interleaved round by round (so a busy machine slows all three alike); the report
gives each one's median and best wall time and its median as a ratio to the bare
interpreter's. The demo database lives in a temporary data directory of its own, with
no config file, loaded once before timing.

Run: .venv/bin/python -m bench.startup [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {"scl --help": 0.25, "scl leads --json": 0.6}
"""Seconds (issue #13): what a script calling `scl` in a loop may expect."""


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="rounds (default 15)")
    args = parser.parse_args()
    python = sys.executable
    scl = str(Path(python).with_name("scl"))
    with tempfile.TemporaryDirectory(prefix="scl-startup-") as workdir:
        env = {
            **os.environ,
            "SCL_DATA_DIR": workdir,
            "SCL_CONFIG": str(Path(workdir) / "absent.toml"),
        }
        env.pop("SCL_DATABASE_URL", None)
        subprocess.run([scl, "demo", "--no-open"], env=env, check=True, stdout=subprocess.DEVNULL)
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "scl --help": [scl, "--help"],
            "scl leads --json": [scl, "--as", "agent", "leads", "--json"],
        }
        for command in commands.values():  # warm the OS file cache; not counted
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, env))
    bare = statistics.median(times["python -c pass"])
    print(f"scl start-up, {args.runs} rounds, median (best) wall time per process")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        line = f"  {name:<18} {median * 1000:7.0f} ms ({min(seconds) * 1000:5.0f} ms)"
        if name in TARGETS:
            verdict = "meets" if median < TARGETS[name] else "MISSES"
            line += f"  {median / bare:5.1f}× python -c pass; {verdict} < {TARGETS[name]} s"
        print(line)


if __name__ == "__main__":
    main()
