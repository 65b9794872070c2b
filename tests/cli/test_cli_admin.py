"""The administrators' verbs, run as the real `scl` command: access, roles, audit."""

from __future__ import annotations

import json


def test_access_lists_who_has_access_and_why(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "access", "--json")
    assert ran.code == 0, ran.err
    rows = {r["login"]: r for r in map(json.loads, ran.out.splitlines())}
    assert set(rows) == {"admin", "agent", "agent2"}
    assert (rows["admin"]["why"], rows["agent"]["why"]) == ("administrator", "role")
    everyone = scl("--db", url, "--as", "admin", "access", "--all")
    assert "csr" in everyone.out and "no access" in everyone.out


def test_access_grant_gives_access_and_is_audited(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "access", "csr", "grant")
    assert (ran.code, ran.out.strip()) == (0, "Jo Martinez (csr) has access (individual grant).")
    audit = scl("--db", url, "--as", "admin", "audit", "--json")
    entry = json.loads(audit.out.splitlines()[0])
    assert (entry["who"], entry["what"], entry["from"], entry["to"]) == (
        "admin",
        "employee csr: View Second Chance Leads",
        "follows the role",
        "granted individually",
    )


def test_a_non_admin_is_refused_with_exit_1_and_whom_to_ask(scl, seeded):
    url, _ = seeded
    for args in (["access"], ["access", "csr", "grant"], ["roles"], ["audit"]):
        ran = scl("--db", url, "--as", "agent", *args)
        assert ran.code == 1, args
        assert "Only an administrator" in ran.err and "Pat Okafor (admin)" in ran.err


def test_the_last_administrator_cannot_be_removed_from_the_command_line(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "access", "admin", "not-admin")
    assert ran.code == 1
    assert "only administrator" in ran.err


def test_roles_grant_and_list(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "admin", "roles", "CSR", "grant")
    assert (ran.code, ran.out.strip()) == (0, "Role CSR now carries View Second Chance Leads.")
    listed = scl("--db", url, "--as", "admin", "roles", "--json")
    roles = {r["role"]: r for r in map(json.loads, listed.out.splitlines())}
    assert roles["CSR"] == {"role": "CSR", "view_scl": True, "members": 1}
    unknown = scl("--db", url, "--as", "admin", "roles", "Dispatch", "grant")
    assert unknown.code == 1 and "No role named 'Dispatch'" in unknown.err
