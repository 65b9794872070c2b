"""What changes while the agent reads, said as lines: new leads (this employee's in-app
notices, as the app's toasts) and a change someone else made to the lead they are on."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from core.domain.notifications import one_line
from core.services import events, notifications
from core.services.leads import get_review
from scl_tui.plain.words import one_line_literal
from scl_tui.text import safe

if TYPE_CHECKING:
    from core.services.notifications import InAppNotice
    from core.workers.review_worker import ReviewWorker
    from scl_tui.plain.session import PlainSession

SUMMARY_OVER = 3  # more new leads at once than this: one summary line


class Follower:
    def __init__(self, session: PlainSession, poll_seconds: float) -> None:
        self.session = session
        self.poll_seconds = poll_seconds
        self.stopping = threading.Event()
        self.last_event = events.latest_event_id(session.ctx)
        self.threads: list[threading.Thread] = []

    def start(self, reviewer: ReviewWorker | None) -> None:
        self.threads.append(threading.Thread(target=self._follow, daemon=True))
        if reviewer is not None:
            review = threading.Thread(target=self._review, args=(reviewer,), daemon=True)
            self.threads.append(review)
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=5)

    def tell_waiting(self) -> None:
        """Leads announced while no app was open (still recent) are said at once."""
        waiting = notifications.take_in_app(self.session.ctx, self.session.login)
        if waiting:
            self.tell_new(waiting, waiting=True)

    def _follow(self) -> None:
        try:
            events.follow_changes(
                self.session.ctx,
                self.check,
                stopping=self.stopping.is_set,
                poll_seconds=self.poll_seconds,
                on_status=lambda status: self.session.announce(f"Database: {status.message}."),
            )
        except Exception as error:  # the loop goes on without live news; said once
            self.session.announce(f"Live updates stopped: {error!r}. r reads the list again.")

    def _review(self, reviewer: ReviewWorker) -> None:
        try:
            while not self.stopping.is_set():
                reviewer.run_once(self.stopping)
                self.stopping.wait(min(1.0, reviewer.options.poll_seconds))
        except Exception as error:
            self.session.announce(f"Reviews in this session stopped: {error!r}.")

    def check(self) -> None:
        with self.session.acting:
            self._check()

    def _check(self) -> None:
        ctx, session = self.session.ctx, self.session
        latest = events.latest_event_id(ctx)
        if latest == self.last_event:
            return
        news = events.events_after(ctx, self.last_event)
        self.last_event = latest
        if any(e.kind == events.LEAD_FLAGGED for e in news):
            notices = notifications.take_in_app(ctx, session.login)
            if notices:
                self.tell_new(notices)
        current = session.current
        if current is None:
            return
        on_it = [e for e in news if e.lead_id == current.lead_id]
        if any(e.kind != events.LEAD_NOTED for e in on_it):
            self.tell_changed(current.lead_id, current.version)
        # A note leaves the lead's version be: it is told from its own event.
        noted = {e.payload.get("note_id") for e in on_it if e.kind == events.LEAD_NOTED}
        if noted - session.own_notes:
            self.tell_noted(current.lead_id, noted - session.own_notes)

    def tell_new(self, notices: list[InAppNotice], *, waiting: bool = False) -> None:
        newest = notices[-1]
        if len(notices) > (1 if waiting else SUMMARY_OVER):
            since = " since you last looked" if waiting else ""
            self.session.announced_lead, self.session.announced_many = None, True
            self.session.announce(f"{len(notices)} new leads{since}. g lists them.")
            return
        for notice in notices:
            name = f", {safe(notice.customer_name)}" if notice.customer_name else ""
            who = notice.phone + name
            reason = safe(one_line(notice.reason or "", 120))
            hint = " g opens it." if notice is newest else ""
            self.session.announce(f"New lead {notice.lead_id}: {who}. {reason}{hint}")
        self.session.announced_lead, self.session.announced_many = newest.lead_id, False

    def tell_noted(self, lead_id: int, note_ids: set[object]) -> None:
        """Someone else added a note to the lead the agent is on: each said as one line,
        literally; Enter reads the lead again with it."""
        try:
            found = get_review(self.session.ctx, self.session.login, lead_id)
        except Exception:
            return
        self.session.refreshed(found)
        for note in found.notes:
            if note.note_id in note_ids:
                self.session.announce(
                    f"Note on lead {lead_id} by {one_line_literal(note.author)}: "
                    f"{one_line_literal(note.text)}"
                )

    def tell_changed(self, lead_id: int, version: int) -> None:
        """Someone else changed the lead the agent is on: said, with who and what now.
        The agent stays on it (by id): nothing they type next lands on another lead."""
        try:
            found = get_review(self.session.ctx, self.session.login, lead_id)
        except Exception:
            return
        if found.row.version <= version or (lead_id, found.row.version) in self.session.own:
            return  # nothing new, or our own action, already said
        by = f" by {safe(found.history[-1].actor)}" if found.history else ""
        self.session.refreshed(found)
        self.session.announce(
            f"Lead {lead_id}, the one you are on, changed{by}: now "
            f"{found.row.status.display_name}. Enter reads it again."
        )
