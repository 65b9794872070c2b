"""`scl preferences` and `scl notify`, run as the real command."""

from __future__ import annotations

from sqlalchemy import select

from core.db.models import Employee
from core.services.preferences import get_preferences
from tests.adapters.notify_servers import smtp_server
from tests.builders import add_lead


def test_preferences_without_options_shows_them_and_why_a_text_cannot_come(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "preferences", "--sms")
    assert ran.code == 0, ran.err
    assert "Text                   on   — no phone number on the profile: no texts" in ran.out
    shown = scl("--db", url, "--as", "agent", "preferences")
    assert shown.out == ran.out


def test_preferences_options_change_only_the_channels_given(scl, seeded):
    url, ctx = seeded
    ran = scl("--db", url, "--as", "agent", "preferences", "--no-in-app", "--email")
    assert ran.code == 0, ran.err
    assert [c.chosen for c in get_preferences(ctx, "agent").choices] == [False, False, True]


def test_someone_without_the_permission_is_told_they_are_not_notified(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "csr", "preferences")
    assert ran.code == 0, ran.err
    assert "you are not notified at all" in ran.out.replace("\n", " ")


def test_notify_once_sends_the_due_emails_through_the_configured_server(scl, seeded, monkeypatch):
    url, ctx = seeded
    with ctx.db.transaction() as session:
        agent = session.scalars(select(Employee).where(Employee.login == "agent")).one()
        agent.email, agent.notify_email = "maria@example.com", True
    lead_id = add_lead(ctx, phone="+15125550177")
    with smtp_server() as (port, mails):
        for name, value in {
            "SCL_SMTP__HOST": "127.0.0.1",
            "SCL_SMTP__PORT": str(port),
            "SCL_SMTP__STARTTLS": "false",
            "SCL_SMTP__FROM_ADDRESS": "scl@hvac.example",
        }.items():
            monkeypatch.setenv(name, value)
        ran = scl("--db", url, "notify", "--once")
        again = scl("--db", url, "notify", "--once")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("Notifications: 1 delivered, 0 to retry, 0 failed")
    assert again.out.startswith("Notifications: 0 delivered")
    [(_, to, mail)] = mails.received
    assert to == ["maria@example.com"]
    assert f"scl open {lead_id}" in mail.get_content()
    status = scl("--db", url, "--as", "admin", "notify", "--status")
    assert status.code == 0, status.err
    assert status.out.splitlines()[3].split() == ["email", "0", "0", "1", "0", "0"]


def test_notify_status_is_for_administrators(scl, seeded):
    url, _ = seeded
    ran = scl("--db", url, "--as", "agent", "notify", "--status")
    assert ran.code == 1
    assert "Only an administrator can see the notification outbox" in ran.err


def test_secrets_set_offers_smtp_and_sms(scl):
    ran = scl("secrets", "set", "--help")
    assert "|smtp|sms|" in ran.out  # among the other secrets


def test_the_worker_sends_a_new_leads_emails_beside_the_review(scl, tmp_path, monkeypatch):
    from tests.cli.test_cli_review import EXAMPLES

    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert scl("--db", url, "demo", "--no-open").code == 0  # historic leads' rows go stale
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text((EXAMPLES / "calls.jsonl").read_text().replace("PBX-2026-", "EX-"))
    assert scl("--db", url, "--as", "admin", "import", str(fresh)).code == 0
    with smtp_server() as (port, mails):
        monkeypatch.setenv("SCL_SMTP__HOST", "127.0.0.1")
        monkeypatch.setenv("SCL_SMTP__PORT", str(port))
        monkeypatch.setenv("SCL_SMTP__STARTTLS", "false")
        monkeypatch.setenv("SCL_SMTP__FROM_ADDRESS", "scl@hvac.example")
        ran = scl("--db", url, "worker", "--once")
    assert ran.code == 0, ran.err
    assert "Reviewed 2 calls: 1 flagged as leads" in ran.out
    # Those who chose email and have the permission: the administrator, the supervisor
    # (role) and Kayla Brooks (a CSR with an individual grant).
    assert sorted(to for _, [to], _ in mails.received) == [
        "kayla.brooks@example.com",
        "linda.thompson@example.com",
        "pat.okafor@example.com",
    ]
    assert all("Open it: scl open " in mail.get_content() for *_, mail in mails.received)
