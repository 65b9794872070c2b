"""Who a command acts as: the OS account of the process, never $USER; `--as` only for
root, administrators and the OS accounts an administrator lists — the real `scl`."""

from __future__ import annotations

import json
import os
import pwd
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from core.clock import SystemClock
from core.db.engine import open_database
from core.db.models import AuditEntry, Employee, Job
from core.services.context import ServiceContext
from core.services.settings import get_settings
from tests.builders import add_lead, seed_people

LEAD = "1"


@pytest.fixture
def company(tmp_path: Path) -> Iterator[tuple[str, ServiceContext]]:
    """People and a lead, SCL enabled; nobody is listed as allowed --as."""
    url = f"sqlite:///{tmp_path / 'company.db'}"
    ctx = ServiceContext(open_database(url), SystemClock())
    seed_people(ctx)
    add_lead(ctx)
    from core.services.settings import set_setting

    set_setting(ctx, "admin", "enabled", "true")
    yield url, ctx
    ctx.db.dispose()


def _map(ctx: ServiceContext, os_user: str, *, admin: bool = False) -> None:
    """Make `os_user` an employee (the OS account maps to it by login)."""
    with ctx.db.transaction() as session:
        session.add(
            Employee(
                login=os_user, name="Plain User", is_admin=admin, created_at=SystemClock().now()
            )
        )


def test_user_and_logname_are_ignored_a_process_is_its_os_account(company, plain_user):
    url, ctx = company
    ran = plain_user.run(
        "--db", url, "settings", "enabled", "false", env={"USER": "admin", "LOGNAME": "admin"}
    )
    assert ran.code == 1
    assert ran.err == (
        f"scl: the OS user {plain_user.name!r} is no employee of Second Chance Leads; "
        f"ask an administrator to add {plain_user.name!r} as an employee.\n"
    )
    assert get_settings(ctx).enabled is True


def test_the_app_refuses_an_os_account_that_is_no_employee(company, plain_user):
    url, _ = company
    ran = plain_user.run("--db", url, env={"USER": "agent", "LOGNAME": "agent"})
    assert ran.code == 1
    assert "is no employee" in ran.err and ran.err.count("\n") == 1


def test_as_is_refused_to_an_os_account_mapped_to_an_employee_who_is_not_an_administrator(
    company, plain_user
):
    url, ctx = company
    _map(ctx, plain_user.name)
    ran = plain_user.run("--db", url, "--as", "admin", "settings", "enabled", "false")
    assert ran.code == 1
    assert ran.err.startswith(f"scl: the OS user {plain_user.name!r} may not act as another")
    assert ran.err.count("\n") == 1
    assert get_settings(ctx).enabled is True


def test_as_by_an_administrators_os_account_acts_and_audits_both_names(company, plain_user):
    url, ctx = company
    _map(ctx, plain_user.name, admin=True)
    ran = plain_user.run("--db", url, "--as", "agent", "dismiss", LEAD, "--reason", "not-a-lead")
    assert ran.code == 0, ran.err
    with ctx.db.transaction() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        acted_as = session.get(Employee, entry.actor_id).login
    assert (entry.subject, entry.new_value) == ("acting as agent", "scl dismiss")
    assert (entry.os_user, acted_as) == (plain_user.name, "agent")


def test_an_os_account_an_administrator_allows_may_act_as_another(company, plain_user):
    url, ctx = company
    _map(ctx, plain_user.name)  # a plain employee, listed as a service account
    allowed = plain_user.run("--db", url, "--as", "admin", "delegates", "allow", plain_user.name)
    assert allowed.code == 1  # not by itself
    from core.services.identity import allow_as

    allow_as(ctx, "admin", plain_user.name)
    ran = plain_user.run("--db", url, "--as", "agent", "leads", "--json")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out)["lead_id"] == 1


def test_delegates_are_listed_allowed_and_disallowed_by_an_administrator_and_audited(company, scl):
    url, _ = company
    root = pwd.getpwuid(os.geteuid()).pw_name
    ran = scl("--db", url, "--as", "admin", "delegates", "allow", "www-data")
    assert ran.code == 0, ran.err
    assert ran.out == "OS user www-data may now act as any employee with --as.\n"
    assert scl("--db", url, "--as", "admin", "delegates").out == "www-data\n"
    refused = scl("--db", url, "--as", "agent", "delegates", "allow", "mallory")
    assert refused.code == 1 and "Only an administrator" in refused.err
    assert scl("--db", url, "--as", "admin", "delegates", "disallow", "www-data").code == 0
    audit = scl("--db", url, "--as", "admin", "audit", "--json")
    rows = [json.loads(line) for line in audit.out.splitlines()]
    assert [(r["what"], r["to"], r["who"], r["os_user"]) for r in rows[:2]] == [
        ("OS user www-data: --as", "not allowed", "admin", root),
        ("OS user www-data: --as", "allowed", "admin", root),
    ]


def test_a_settings_change_audits_the_os_account_and_the_employee(company, scl):
    url, _ = company
    root = pwd.getpwuid(os.geteuid()).pw_name
    assert scl("--db", url, "--as", "admin", "settings", "cold_after_hours", "24").code == 0
    shown = scl("--db", url, "--as", "admin", "audit", "--limit", "1")
    assert f"admin (OS {root})" in shown.out and "setting cold_after_hours" in shown.out


def test_booking_by_an_os_account_that_is_no_employee_is_refused(company, plain_user):
    url, ctx = company
    ran = plain_user.run(
        "--db", url, "book", "--phone", "(512) 555-0134", env={"USER": "csr", "LOGNAME": "csr"}
    )
    assert ran.code == 1 and "is no employee" in ran.err
    with ctx.db.transaction() as session:
        assert session.scalars(select(Job)).first() is None


def test_import_is_refused_without_the_import_permission(company, scl, tmp_path):
    url, _ = company
    export = Path(__file__).parents[2] / "data" / "examples" / "calls.jsonl"
    refused = scl("--db", url, "--as", "agent", "import", str(export))
    assert refused.code == 1
    assert refused.err.startswith("scl: Maria Lopez (agent) may not import calls")
    assert scl("--db", url, "--as", "admin", "roles", "Call Center Agent", "grant",
               "--permission", "import-calls").code == 0  # fmt: skip
    done = scl("--db", url, "--as", "agent", "import", str(export))
    assert done.code == 0, done.err


def test_the_demo_loads_only_into_an_empty_database(company, scl, tmp_path):
    url, _ = company
    refused = scl("--db", url, "demo", "--no-open")
    assert refused.code == 1 and "loads only into an empty database" in refused.err


def test_the_demo_lets_whoever_runs_it_open_it_as_its_agent(plain_user, tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert plain_user.run("--db", url, "demo", "--no-open").code == 0
    ran = plain_user.run("--db", url, "--as", "agent", "leads", "--json", "--limit", "1")
    assert ran.code == 0, ran.err


def test_the_default_database_and_its_folder_are_private_to_the_user(scl, tmp_path):
    scl("leads")  # no --db: the embedded default in the data directory
    folder = Path(os.environ["SCL_DATA_DIR"])
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "scl.db").stat().st_mode) == 0o600


def test_flagging_a_call_as_another_is_audited_with_both_names(company, plain_user):
    from datetime import timedelta

    from tests.services.verdicts import external_id_of, reviewed_call

    url, ctx = company
    _map(ctx, plain_user.name, admin=True)
    call_id, _ = reviewed_call(ctx, lead=False, at=ctx.clock.now() - timedelta(hours=2))
    ran = plain_user.run("--db", url, "--as", "agent", "flag", external_id_of(ctx, call_id))
    assert ran.code == 0, ran.err
    with ctx.db.transaction() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        acted_as = session.get(Employee, entry.actor_id).login
    assert (entry.subject, entry.new_value) == ("acting as agent", "scl flag")
    assert (entry.os_user, acted_as) == (plain_user.name, "agent")
