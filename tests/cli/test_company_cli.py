"""`scl company import|show` and `scl classify --company`, run as outside scripts run them."""

from __future__ import annotations

import json
from pathlib import Path

GROUP = """\
[[brand]]
name = "Lone Star Comfort"
trades = ["hvac"]
not = ["roof leaks"]

[[brand]]
name = "Top Notch Roofing"
trades = ["roofing", "gutters"]
"""


def roof_call(external_id: str, greeting: str, brand: str | None = None) -> str:
    row = {
        "external_id": external_id,
        "direction": "inbound",
        "customer_phone": "(512) 555-0134",
        "started_at": "2026-11-20T14:03:11-06:00",
        "ended_at": "2026-11-20T14:07:52-06:00",
        "job_booked": False,
        "transcript": [
            {"speaker": "agent", "start": 0.0, "end": 3.0, "text": greeting},
            {
                "speaker": "customer",
                "start": 3.5,
                "end": 9.0,
                "text": "my roof is leaking into the bedroom, how much to come look at it?",
            },
            {"speaker": "agent", "start": 9.5, "end": 12.0, "text": "It's 89 for the visit."},
            {
                "speaker": "customer",
                "start": 12.5,
                "end": 15.0,
                "text": "ok let me think about it and call you back",
            },
        ],
    }
    if brand:
        row["brand"] = brand
    return json.dumps(row)


def verdicts(out: str) -> dict[str, bool]:
    return {row["external_id"]: row["lead"] for row in map(json.loads, out.splitlines())}


def test_an_administrator_imports_the_profile_and_anyone_reads_it_back(scl, seeded, tmp_path: Path):
    url, _ = seeded
    profile = tmp_path / "group.toml"
    profile.write_text(GROUP, encoding="utf-8")
    done = scl("--db", url, "--as", "admin", "company", "import", str(profile))
    assert (done.code, done.out) == (
        0,
        "Stored the company profile: 2 brands (Lone Star Comfort, Top Notch Roofing).\n",
    )
    assert scl("--db", url, "--as", "agent", "company", "show", "--toml").out == GROUP
    shown = scl("--db", url, "--as", "agent", "company", "show").out
    assert "2. Top Notch Roofing\n   sells      roofing, gutters\n   area       anywhere" in shown


def test_a_bad_profile_file_is_refused_with_file_and_line(scl, seeded, tmp_path: Path):
    url, _ = seeded
    bad = tmp_path / "bad.toml"
    bad.write_text('[[brand]]\nname = "A"\ntrades = ["hvac", "roof"]\n', encoding="utf-8")
    done = scl("--db", url, "--as", "admin", "company", "import", str(bad))
    assert done.code == 1
    assert done.err.startswith(f"scl: {bad}:3: unknown trade 'roof'; known trades: hvac,")
    assert "No company profile stored" in scl("--db", url, "--as", "admin", "company", "show").out


def test_an_agent_cannot_import_a_profile(scl, seeded, tmp_path: Path):
    url, _ = seeded
    profile = tmp_path / "group.toml"
    profile.write_text(GROUP, encoding="utf-8")
    done = scl("--db", url, "--as", "agent", "company", "import", str(profile))
    assert done.code == 1 and "administrator" in done.err


def test_classify_judges_each_call_for_the_brand_it_came_in_on(scl, tmp_path: Path):
    profile = tmp_path / "group.toml"
    profile.write_text(GROUP, encoding="utf-8")
    calls = tmp_path / "calls.jsonl"
    calls.write_text(
        "\n".join(
            [
                roof_call(
                    "BY-FIELD", "thanks for calling how can i help", brand="Top Notch Roofing"
                ),
                roof_call("BY-GREETING", "top notch roofing this is sam how can i help"),
                roof_call("FIRST-BRAND", "thanks for calling how can i help"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    done = scl("classify", str(calls), "--json", "--company", str(profile))
    assert done.code == 0, done.err
    assert verdicts(done.out) == {"BY-FIELD": True, "BY-GREETING": True, "FIRST-BRAND": False}


def test_classify_refuses_a_bad_company_file_with_its_line(scl, tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[brand]]\nname = "A"\ntradez = ["hvac"]\n', encoding="utf-8")
    calls = tmp_path / "calls.jsonl"
    calls.write_text(roof_call("X", "hello") + "\n", encoding="utf-8")
    done = scl("classify", str(calls), "--company", str(bad))
    assert done.code == 2
    assert f"{bad}:3: unknown key 'tradez'" in done.err
