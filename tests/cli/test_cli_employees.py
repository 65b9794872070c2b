"""`scl employee`: a new installation gets its first administrator, who adds the rest."""

from __future__ import annotations

from pathlib import Path


def test_a_new_installation_adds_its_first_administrator_who_then_runs_it(scl, tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'new.db'}"
    refused = scl("--db", db, "--as", "pat", "settings", "enabled", "true")
    assert refused.code == 1
    first = scl(
        "--db", db, "--as", "pat", "employee", "add", "pat", "--name", "Pat Okafor", "--admin"
    )
    assert first.code == 0, first.err
    assert first.out == (
        "Added Pat Okafor (pat) has access (administrator); administrator; no phone; no email.\n"
    )
    assert scl("--db", db, "--as", "pat", "settings", "enabled", "true").code == 0
    assert scl("--db", db, "--as", "pat", "roles", "Agents", "add").code == 0
    assert scl("--db", db, "--as", "pat", "roles", "Agents", "grant").code == 0
    agent = scl(
        "--db", db, "--as", "pat", "employee", "add", "maria", "--name", "Maria Lopez",
        "--role", "Agents", "--phone", "512-555-0101",
    )  # fmt: skip
    assert agent.code == 0, agent.err
    assert agent.out == (
        "Added Maria Lopez (maria) has access (role); texts to (512) 555-0101; no email.\n"
    )


def test_nobody_but_the_first_administrator_can_be_added_to_a_new_installation(scl, tmp_path):
    db = f"sqlite:///{tmp_path / 'new.db'}"
    done = scl("--db", db, "employee", "add", "maria", "--name", "Maria Lopez")
    assert done.code == 1
    assert done.err == (
        "scl: There is no administrator yet: add the first one with "
        "`scl employee add LOGIN --name NAME --admin`.\n"
    )


def test_an_employee_sets_their_own_mobile_number_for_texts(scl, seeded):
    url, _ = seeded
    done = scl("--db", url, "--as", "agent", "employee", "set", "agent", "--phone", "5125550101")
    assert done.code == 0, done.err
    assert done.out.endswith("texts to (512) 555-0101; no email: changed phone.\n")


def test_employee_set_without_a_field_is_a_usage_error(scl, seeded):
    url, _ = seeded
    assert scl("--db", url, "--as", "admin", "employee", "set", "agent").code == 2
