"""Plain mode for screen readers (`scl --plain`, or SCL_PLAIN=1): the app as a line-oriented
review loop. See scl_tui.plain.session for the loop and README "Plain mode"."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from core.domain.permissions import VIEW_SCL
from core.domain.statuses import LeadStatus, Tab
from core.services.leads import get_review
from core.services.permissions import can_view_scl, who_to_ask
from core.services.settings import get_settings
from scl_tui.plain.follow import Follower
from scl_tui.plain.listen import SKIP_SECONDS
from scl_tui.plain.session import HELP, PlainSession
from scl_tui.text import safe, use_zone, zone_label

if TYPE_CHECKING:
    from core.services.context import ServiceContext
    from core.workers.review_worker import ReviewWorker

POLL_SECONDS = 2.0
TABS = {tab.value: tab for tab in Tab}


def run_plain(
    ctx: ServiceContext,
    login: str,
    *,
    open_lead: str | None = None,
    reviewer: ReviewWorker | None = None,
    review_notice: str | None = None,
    read: TextIO | None = None,
    write: TextIO | None = None,
    poll_seconds: float = POLL_SECONDS,
) -> int:
    """The review loop until q or the end of input; the exit status (1: no access)."""
    write = write or sys.stdout
    if hasattr(write, "reconfigure"):  # a reader's terminal may not take every character
        write.reconfigure(errors="replace")
    session = PlainSession(ctx, login, read or sys.stdin, write)
    if not can_view_scl(ctx, login):
        session.say(*no_access(ctx, login))
        return 1
    use_zone(get_settings(ctx).timezone)  # the company's, as in the app
    session.say("Second Chance Leads, plain mode. h lists the keys, q quits.")
    session.say(f"Times are in {zone_label(ctx.clock.now())}.")
    if review_notice:
        session.say(review_notice)
    session.say_counts()
    session.list_page(say_it=not open_lead)  # `scl open LEAD`: that lead first
    if open_lead:
        found = session.service(get_review, ctx, login, open_lead)
        if found is not None:
            session.tab = found.row.tab
            session.list_page(say_it=False)
            session.select(found.row)
    follower = Follower(session, poll_seconds)
    follower.tell_waiting()
    follower.start(reviewer)
    try:
        while True:
            line = session.ask(session.prompt, keep_space=True)
            if line is None or line in ("q", "quit", "exit"):
                break
            dispatch(session, line)
    except KeyboardInterrupt:
        pass
    finally:
        follower.stop()
        session.recording.close()
    session.say("Goodbye.")
    return 0


def dispatch(session: PlainSession, line: str) -> None:
    """One line typed: the app's key for the same thing, with its argument if any."""
    word, _, rest = line.partition(" ")
    rest = rest.strip()
    if line == " " or word in ("space", "play", "pause"):
        session.recording.toggle()
    elif line in (",", "."):
        session.recording.skip(SKIP_SECONDS if line == "." else -SKIP_SECONDS)
    elif word == "x":
        session.recording.cycle_speed()
    elif word == "e":
        session.recording.export()
    elif word == "stop":
        session.recording.stop()
    elif line == "":
        session.say_review()
    elif line.isdigit():
        session.pick(int(line))
    elif line.startswith("/"):
        session.search(line[1:].strip())
    elif word in TABS:
        session.show_tab(TABS[word])
    elif word in ("h", "?", "help"):
        session.say(*HELP)
    elif word in ("l", "list"):
        session.say_list()
    elif word in ("r", "refresh"):
        session.say_counts()
        session.list_page()
    elif word == "more":
        session.more()
    elif word == "j":
        session.step(1)
    elif word == "k":
        session.step(-1)
    elif word == "v":
        session.cycle_filter()
    elif word == "f":
        session.text_filter = rest
        session.restart()
    elif word == "p":
        from core.domain.metrics import PERIOD_DAYS

        session.days = PERIOD_DAYS[(PERIOD_DAYS.index(session.days) + 1) % len(PERIOD_DAYS)]
        session.say_counts()
    elif word == "t":
        if session.review is None:
            session.say("No lead chosen: type its number from the list.")
        else:
            from scl_tui.plain.words import transcript_lines

            session.say(*transcript_lines(session.review, session.origin))
    elif line[0] in "dsn" and (len(word) == 1 or word[1:].isdigit()):
        typed = (word[1:] + rest) if line[0] != "n" else line[1:].strip()
        {"d": session.dismiss, "s": session.set_status, "n": session.note}[line[0]](typed)
    elif word == "c":
        session.call_back()
    elif word == "g":
        go_to_new_lead(session)
    else:
        session.say(f"No key {safe(line)!r} here: h lists the keys.")


def go_to_new_lead(session: PlainSession) -> None:
    if session.announced_many:
        session.announced_many = False
        session.tab, session.status_filter, session.text_filter = Tab.OPEN, LeadStatus.NEW, ""
        session.restart()
        return
    if session.announced_lead is None:
        session.say("No new lead has been announced since plain mode started.")
        return
    found = session.service(get_review, session.ctx, session.login, session.announced_lead)
    if found is not None:
        session.select(found.row)


def no_access(ctx: ServiceContext, login: str) -> list[str]:
    """What the app's no-access screen says, as lines."""
    known, admins = who_to_ask(ctx, login)
    names = ", ".join(f"{safe(name)} ({safe(who)})" for name, who in admins)
    ask = f"an administrator, {names}," if names else "an administrator"
    if known:
        return [
            "You cannot see Second Chance Leads.",
            f"You are signed in as {safe(login)}, who does not have the {VIEW_SCL!r} permission.",
            f"Ask {ask} to grant it to your role or to you.",
        ]
    return [
        "You cannot see Second Chance Leads.",
        f"The OS user {safe(login)} is no employee of Second Chance Leads.",
        f"Ask {ask} to add you (scl employee add {safe(login)}).",
        "If you have an employee login of your own, scl --plain --as LOGIN opens it.",
    ]
