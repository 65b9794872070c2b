"""The package as a user gets it: a wheel built from this tree, installed into a fresh
virtual environment outside the repository.

It is built once per test run (the pytest-xdist workers share it, under a lock) and
kept offline: no build isolation (the venv's own setuptools builds it) and no index
(the dependencies already installed here are made visible to the new venv by a .pth
file; the repository itself is not, so only what the wheel ships can be imported).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What a build reads; the rest of the tree (tests, data, bench) is not in the wheel.
BUILD_INPUTS = ("pyproject.toml", "README.md", "core", "scl_tui")
BUILD_TIMEOUT = 300  # seconds: a loaded 2-core CI builds and installs in well under this


@dataclass(frozen=True)
class Installed:
    """The wheel installed in its own venv."""

    venv: Path
    wheel: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def scl(self) -> Path:
        return self.venv / "bin" / "scl"


@pytest.fixture(scope="session")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Installed:
    # The xdist workers of one run share the parent of their base temp dirs.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if worker_id != "master" else base
    home = shared / "scl-wheel"
    with open(shared / "scl-wheel.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = home / "installed"
        if not done.exists():
            shutil.rmtree(home, ignore_errors=True)
            _build_and_install(home)
            done.touch()
    return Installed(home / "venv", next((home / "dist").glob("scl_tui-*.whl")))


def _build_and_install(home: Path) -> None:
    source = home / "src"
    _copy_sources(source)
    _run(
        sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--wheel-dir", str(home / "dist"), str(source),
    )  # fmt: skip
    wheel = next((home / "dist").glob("scl_tui-*.whl"))
    venv = home / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", str(venv))
    _run(
        sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
        "--quiet", "--no-deps", "--no-index", "--no-compile", str(wheel),
    )  # fmt: skip
    # Only now the dependencies become visible: pip above saw an empty venv.
    site = Path(
        _run(
            str(venv / "bin" / "python"),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ).strip()
    )
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # A path line in a .pth only adds that folder: the editable install's own .pth there
    # (which would put this repository on sys.path) is never processed.
    (site / "_scl_test_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")


def _copy_sources(target: Path) -> None:
    """The files git would put in a clone (tracked, plus new ones not ignored); outside
    a git checkout (an unpacked source archive), the build inputs less caches."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", *BUILD_INPUTS],
        cwd=REPO, capture_output=True, check=False,
    )  # fmt: skip
    if listed.returncode != 0:
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
        for name in BUILD_INPUTS:
            origin = REPO / name
            if origin.is_dir():
                shutil.copytree(origin, target / name, ignore=ignore)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origin, target / name)
        return
    for name in filter(None, listed.stdout.decode().split("\0")):
        origin = REPO / name
        if not origin.is_file():
            continue  # deleted in the work tree, not yet in the index
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, destination)


def _run(*command: str) -> str:
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=_clean_env()
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHON_KEYRING_BACKEND"] = os.environ.get("PYTHON_KEYRING_BACKEND", "")
    return {k: v for k, v in env.items() if v}


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """A working directory far from the repository (nothing importable from it)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    yield folder


def run_installed(installed: Installed, cwd: Path, *args: str, timeout: float = 180):
    """The installed `scl` (or python, when args start with "-c") from `cwd`, with the
    test's isolated config, data dir and keyring."""
    program = installed.python if args and args[0] == "-c" else installed.scl
    return subprocess.run(
        [str(program), *args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
        env=_clean_env(), stdin=subprocess.DEVNULL,
    )  # fmt: skip
