"""`scl serve` in a real browser: headless Chromium opens the page, the app's screen is
drawn in it, and what goes wrong at start is said there too."""

from __future__ import annotations

import json
from pathlib import Path

from core.domain.phones import display_phone as display
from tests.e2e.test_tmux import leads, new_calls, reviewed_phone, scl, wait_until
from tests.serve.browser import Tab
from tests.serve.conftest import Served, still_serving

DEMO_CALLS = Path(__file__).resolve().parents[2] / "core" / "demo" / "calls.jsonl"


def open_leads(db_url: str) -> list[dict]:
    """The Open tab as the app lists it: newest first."""
    return sorted(
        (lead for lead in leads(db_url).values() if lead["tab"] == "open"),
        key=lambda lead: (lead["flagged_at"], lead["lead_id"]),
        reverse=True,
    )


def caller(external_id: str) -> str:
    for line in DEMO_CALLS.read_text().splitlines():
        call = json.loads(line)
        if call["external_id"] == external_id:
            return call["customer_name"]
    raise AssertionError(f"{external_id} is not a demo call")


def test_the_browser_shows_the_leads_screen_with_the_newest_lead_s_caller(served: Served, browser):
    listed = open_leads(served.db_url)
    tab = Tab(browser, served.url)
    tab.wait_for(f"Open ({len(listed)})", caller(listed[0]["external_id"]))


def test_with_a_broken_config_the_browser_shows_why_and_the_server_stays_up(
    served: Served, browser
):
    served.config.parent.mkdir(parents=True, exist_ok=True)
    served.config.write_text('theme = "textual-dark"\n\n[secrets\n')
    tab = Tab(browser, served.url)
    shown = tab.wait_for("Second Chance Leads could not start", "reload this page")
    assert "config.toml: not valid TOML" in shown and "line 3" in shown, shown

    served.config.write_text('theme = "textual-dark"\n')
    assert still_serving(served)
    tab.page.reload()
    tab.wait_for(f"Open ({len(open_leads(served.db_url))})")


def test_a_new_lead_leaves_the_lead_selected_in_the_browser_selected(
    served: Served, browser, tmp_path: Path
):
    listed = open_leads(served.db_url)
    chosen = display(listed[2]["customer_phone"])
    tab = Tab(browser, served.url)
    tab.wait_for(f"Open ({len(listed)})")
    tab.keys("j", "j")
    wait_until(lambda: reviewed_phone(tab.screen()) == chosen, f"{chosen} never reviewed")

    calls = (("WEB-NEW-1", "+15125550193", "customer"), ("WEB-NEW-2", "+15125550194", "customer"))
    scl(served.db_url, "import", str(new_calls(tmp_path / "new.jsonl", *calls)))
    scl(served.db_url, "worker", "--once")
    tab.wait_for(f"Open ({len(listed) + 2})", "(512) 555-0194")  # the app read them
    assert reviewed_phone(tab.screen()) == chosen


def test_the_page_has_a_title_and_fetches_nothing_from_outside_the_host(served: Served, browser):
    tab = Tab(browser, served.url)
    tab.wait_for("Open (")
    tab.page.wait_for_load_state("networkidle")
    assert tab.page.title() == "Second Chance Leads"
    elsewhere = [url for url in tab.requested if not url.startswith(served.url)]
    assert elsewhere == []  # textual-serve's own page asks a font CDN for Roboto Mono
