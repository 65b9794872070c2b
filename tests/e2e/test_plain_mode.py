"""Plain mode for screen readers, the real `scl` process: through pipes (lines in, lines
out, as a reader hears them) and in tmux (a terminal, with a change made elsewhere)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Iterator

import pytest

from core.domain.phones import display_phone
from tests.cli.conftest import SCL
from tests.e2e.test_tmux import Tmux, seeded_url, tmux_running  # noqa: F401 (fixture)

# Box drawing, block elements and the braille cells spinners are drawn with.
DRAWN = re.compile(r"[\u2500-\u259f\u2800-\u28ff]")


def plain(url: str, typed: str, *options: str, env: dict[str, str] | None = None):
    done = subprocess.run(
        [str(SCL), "--db", url, "--as", "agent", *options],
        input=typed,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SCL_REVIEW_IN_APP": "false", **(env or {})},
    )
    return done


def scl_json(url: str, *args: str) -> list[dict]:
    done = subprocess.run(
        [str(SCL), "--db", url, "--as", "agent", *args, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_plain_mode_lists_the_open_leads_one_per_line_newest_first_without_box_drawing(
    seeded_url,  # noqa: F811
):
    done = plain(seeded_url, "q\n", "--plain")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert not DRAWN.search(done.stdout)
    assert "\x1b" not in done.stdout  # no colour, no cursor moves
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Second Chance Leads, plain mode.")
    assert lines[1] == "Times are in UTC."  # the host's: no company zone is set
    assert lines[2].startswith("Open ")  # the counts
    assert lines[3].startswith("Open tab, all statuses, page 1:")
    expected = scl_json(seeded_url, "leads", "--tab", "open")
    listed = lines[4 : 4 + len(expected)]
    for number, (line, lead) in enumerate(zip(listed, expected, strict=True), start=1):
        assert line.startswith(f"{number}. {display_phone(lead['customer_phone'])}")
    assert lines[-1].endswith("Goodbye.")


def test_scl_plain_in_the_environment_asks_for_plain_mode_too(seeded_url):  # noqa: F811
    done = plain(seeded_url, "", env={"SCL_PLAIN": "1"})  # the end of input quits
    assert done.returncode == 0, done.stderr
    assert "Second Chance Leads, plain mode." in done.stdout
    assert not DRAWN.search(done.stdout)


def test_a_lead_is_read_in_the_panes_order_and_a_dismissal_is_announced_as_a_line(
    seeded_url,  # noqa: F811
):
    first, second = scl_json(seeded_url, "leads", "--tab", "open")[:2]
    done = plain(seeded_url, "1\nd1\nq\n", "--plain")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    order = [
        f"Lead {first['lead_id']}: {display_phone(first['customer_phone'])}",
        "Status: New.",
        "AI summary, AI-generated, not reviewed by a person",
        "Notes: none yet.",
        "History:",
        "Transcript, ",
        "End of transcript.",
        f"End of lead {first['lead_id']}.",
    ]
    places = [out.index(part) for part in order]
    assert places == sorted(places)
    assert (
        f"Lead {first['lead_id']}: Dismissed: It's not a lead. Now Reviewed - Not a Lead, "
        "in the Done tab." in out
    )
    assert f"Now on lead {second['lead_id']}, 1 of " in out
    after = {row["lead_id"]: row for row in scl_json(seeded_url, "leads", "--tab", "done")}
    assert after[first["lead_id"]]["status"] == "not-a-lead"
    assert not DRAWN.search(out)


def test_a_refused_action_is_said_in_one_line_and_changes_nothing(seeded_url):  # noqa: F811
    done_tab = scl_json(seeded_url, "leads", "--tab", "done")
    final = next(row for row in done_tab if row["status"] == "booked-by-scl")
    done = plain(seeded_url, "done\nf " + final["external_id"] + "\n1\nc\nq\n", "--plain")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    refusal = [line for line in done.stdout.splitlines() if "final" in line.lower()]
    assert refusal, done.stdout
    again = {row["lead_id"]: row for row in scl_json(seeded_url, "leads", "--tab", "done")}
    assert again[final["lead_id"]]["status"] == "booked-by-scl"


@pytest.fixture
def plain_tmux(
    seeded_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Tmux]:
    monkeypatch.setenv("SCL_PLAIN", "1")
    yield from tmux_running(f"{SCL} --db {seeded_url} --as agent", monkeypatch)


def test_a_change_made_elsewhere_to_the_lead_being_read_is_announced_as_a_line(
    plain_tmux,
    seeded_url,  # noqa: F811
):
    first = scl_json(seeded_url, "leads", "--tab", "open")[0]
    plain_tmux.wait_for("scl>")  # capture-pane drops the trailing space
    plain_tmux.keys("1", "Enter")
    plain_tmux.wait_for(f"End of lead {first['lead_id']}.")
    subprocess.run(
        [str(SCL), "--db", seeded_url, "--as", "admin", "dismiss", str(first["lead_id"]),
         "--reason", "not-following-up"],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    screen = plain_tmux.wait_until(  # the news, then the prompt again (its own write)
        lambda shown: (
            "the one you are on, changed" in shown
            and shown.rstrip().endswith(f"lead {first['lead_id']}>")
        ),
        "no news of the change with the prompt after it",
    )
    assert (
        f"Lead {first['lead_id']}, the one you are on, changed by Pat Okafor: now "
        "Lead - Not following up." in screen
    )
    assert not DRAWN.search(screen)
    plain_tmux.keys("q", "Enter")
    plain_tmux.wait_for("Goodbye.")


def test_plain_mode_loads_no_textual() -> None:
    """A screen reader's session over SSH starts without the screen framework."""
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import sys, scl_tui.plain; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "False"


def a_call_that_is_no_lead(url: str) -> str:
    done = subprocess.run(
        [str(SCL), "--db", url, "--as", "admin", "report", "calls", "--csv", "-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    return next(
        row["external_id"]
        for row in rows
        if row["direction"] == "inbound"
        and row["job_booked"] == "false"
        and row["second_chance_lead"] == "false"
    )


def test_a_new_lead_is_announced_as_a_line_while_the_agent_waits_and_g_opens_it(
    plain_tmux,
    seeded_url,  # noqa: F811
):
    call = a_call_that_is_no_lead(seeded_url)
    plain_tmux.wait_for("scl>")
    subprocess.run(
        [str(SCL), "--db", seeded_url, "--as", "admin", "flag", call, "--note", "wants a quote"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    screen = plain_tmux.wait_until(  # the news, then the prompt again (its own write)
        lambda shown: "g opens it." in shown and shown.rstrip().endswith("scl>"),
        "no news of the new lead with the prompt under it",
    )
    announced = next(line for line in screen.splitlines() if line.startswith("New lead "))
    lead_id = announced.removeprefix("New lead ").split(":")[0]
    plain_tmux.keys("g", "Enter")
    plain_tmux.wait_for(f"End of lead {lead_id}.")
    plain_tmux.keys("q", "Enter")
    plain_tmux.wait_for("Goodbye.")
