"""The built wheel, installed outside the repository, runs the commands a new user
tries first: everything they read at run time ships in it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.packaging.conftest import REPO, Installed, run_installed

README_EXAMPLE = REPO / "data" / "examples" / "calls.jsonl"  # the file the README uses


def test_the_installed_commands_import_the_wheel_not_the_repository(
    installed_wheel: Installed, elsewhere: Path
) -> None:
    done = run_installed(
        installed_wheel,
        elsewhere,
        "-c",
        "import core, scl_tui; print(core.__file__, scl_tui.__file__)",
    )
    assert done.returncode == 0, done.stderr
    for module_file in done.stdout.split():
        assert Path(module_file).is_relative_to(installed_wheel.venv), module_file


def test_scl_help_runs_from_the_wheel(installed_wheel: Installed, elsewhere: Path) -> None:
    done = run_installed(installed_wheel, elsewhere, "--help")
    assert done.returncode == 0, done.stderr
    assert "Second Chance Leads" in done.stdout


def test_scl_demo_loads_the_demo_data_the_wheel_ships(
    installed_wheel: Installed, elsewhere: Path
) -> None:
    done = run_installed(installed_wheel, elsewhere, "demo", "--no-open")
    assert done.returncode == 0, done.stderr
    listed = run_installed(installed_wheel, elsewhere, "--as", "admin", "leads", "--json")
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) > 10  # the demo's leads are in the database


def test_scl_classify_judges_the_readme_example_from_the_wheel(
    installed_wheel: Installed, elsewhere: Path
) -> None:
    done = run_installed(installed_wheel, elsewhere, "classify", str(README_EXAMPLE), "--json")
    assert done.returncode == 0, done.stderr
    verdicts = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(verdicts) == len(README_EXAMPLE.read_text().splitlines())
    assert any(verdict["lead"] for verdict in verdicts)


def test_scl_worker_once_reviews_due_calls_from_the_wheel(
    installed_wheel: Installed, elsewhere: Path
) -> None:
    # The demo sets up people and turns reviews on; the example's calls, moved to an
    # hour ago (after reviews were turned on), are then due.
    assert run_installed(installed_wheel, elsewhere, "demo", "--no-open").returncode == 0
    recent = elsewhere / "recent.jsonl"
    recent.write_text(
        "".join(json.dumps(_an_hour_ago(json.loads(line))) + "\n" for line in README_EXAMPLE.open())
    )
    imported = run_installed(installed_wheel, elsewhere, "--as", "admin", "import", str(recent))
    assert imported.returncode == 0, imported.stderr
    done = run_installed(installed_wheel, elsewhere, "worker", "--once")
    assert done.returncode == 0, done.stderr
    listed = run_installed(installed_wheel, elsewhere, "--as", "admin", "leads", "--json")
    assert listed.returncode == 0, listed.stderr
    flagged = {json.loads(line)["external_id"] for line in listed.stdout.splitlines()}
    examples = {json.loads(line)["external_id"] for line in recent.open()}
    assert flagged & examples, "the worker flagged none of the example calls"


def _an_hour_ago(call: dict) -> dict:
    """The call as if it had ended an hour ago, under an id the demo does not use."""
    call["external_id"] = f"WHEEL-{call['external_id']}"
    ended = datetime.fromisoformat(call["ended_at"])
    shift = datetime.now(UTC) - timedelta(hours=1) - ended
    for key in ("started_at", "ended_at"):
        call[key] = (datetime.fromisoformat(call[key]) + shift).isoformat()
    return call
