"""`scl recordings`: the folders and hosts recordings may come from, run as the real command."""

from __future__ import annotations

import json


def test_an_administrator_allows_a_folder_and_a_host_and_the_list_shows_them(scl, seeded, tmp_path):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "recordings", "allow-folder", str(tmp_path))
    assert (ran.code, ran.out.strip()) == (0, f"Recordings may come from {tmp_path.resolve()}.")
    ran = scl(
        "--db", url, "--as", "admin", "recordings", "allow-host", "pbx.lan:8080", "--http",
        "--private",
    )  # fmt: skip
    assert (ran.code, ran.out.strip()) == (
        0,
        "Recordings may be downloaded from pbx.lan:8080 (http, private).",
    )
    shown = scl("--db", url, "--as", "agent", "recordings", "--json")
    assert json.loads(shown.out) == {
        "folders": [str(tmp_path.resolve())],
        "hosts": [{"host": "pbx.lan", "port": 8080, "http": True, "private": True}],
    }
    listed = scl("--db", url, "--as", "agent", "recordings")
    assert listed.out.splitlines() == [
        "Folders:",
        f"  {tmp_path.resolve()}",
        "Hosts:",
        "  pbx.lan:8080 (http, private)",
    ]


def test_each_change_is_in_the_audit_log(scl, seeded):
    url, _ = seeded
    scl("--db", url, "--as", "admin", "recordings", "allow-host", "pbx.example.com")
    scl("--db", url, "--as", "admin", "recordings", "remove-host", "pbx.example.com")
    audit = scl("--db", url, "--as", "admin", "audit", "--json")
    entries = [json.loads(line) for line in audit.out.splitlines()]
    assert [(e["who"], e["what"], e["from"], e["to"]) for e in entries[:2]] == [
        ("admin", "setting recordings.hosts", "pbx.example.com", "none"),
        ("admin", "setting recordings.hosts", "none", "pbx.example.com"),
    ]


def test_a_non_admin_is_refused_every_change_with_exit_1(scl, seeded, tmp_path):
    url, _ = seeded
    for args in (
        ["allow-folder", str(tmp_path)],
        ["remove-folder", str(tmp_path)],
        ["allow-host", "pbx.example.com"],
        ["remove-host", "pbx.example.com"],
    ):
        ran = scl("--db", url, "--as", "agent", "recordings", *args)
        assert ran.code == 1, args
        assert ran.err.startswith("scl: Only an administrator can change where recordings")
        assert "Pat Okafor (admin)" in ran.err and "Traceback" not in ran.err


def test_a_bad_folder_or_host_is_one_line_and_exit_1(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "recordings", "allow-folder", "/")
    assert ran.code == 1 and ran.err.startswith("scl: the whole disk cannot be")
    ran = scl("--db", url, "--as", "admin", "recordings", "allow-host", "https://pbx.example.com")
    assert ran.code == 1 and len(ran.err.splitlines()) == 1
    assert "give a host name and an optional port" in ran.err
