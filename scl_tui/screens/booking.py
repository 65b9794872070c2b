"""The job booking screen: a customer phone in, the Second Chance Lead banner, Book.

Any employee may book a job (CSRs book them; they need not work the SCL queue). The
banner names the lead (phone, customer, when flagged, status, reason) only for people
with View Second Chance Leads; others see that a lead exists and when it was flagged,
which is all they need to know that booking here saves it. The service decides.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import phonenumbers
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from core.domain.phones import DEFAULT_REGION, InvalidPhone, display_phone, normalise_phone
from core.errors import SclError
from core.services.booking import banner_for_phone, find_customers, record_job
from core.services.views import BookingBanner, BookingResult, CustomerMatch
from scl_tui.screens.base import AppScreen
from scl_tui.screens.choice import ChoiceModal
from scl_tui.screens.leads import LeadsScreen
from scl_tui.text import literal, local, span

T = TypeVar("T")

REPEAT_WINDOW = timedelta(minutes=10)  # a second job for the same phone this soon: ask


class BookingScreen(AppScreen):
    CSS_PATH = "booking.tcss"
    TITLE = "Book a job"
    BINDINGS = [
        Binding("f2", "book", "Book job", id="booking_book", tooltip="Book the job for this phone"),
        Binding(
            "down",
            "pick",
            "Pick a customer",
            id="booking_pick",
            show=False,
            tooltip="From the phone box down into the customers found",
        ),
        Binding(
            "escape", "leave", "Back", id="booking_back", tooltip="Back to the previous screen"
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.banner: BookingBanner | None = None
        self.matches: list[CustomerMatch] = []
        self.booking = False  # a job is being recorded: F2 again must not book another
        self.last_booked: tuple[str, datetime] | None = None  # (phone, when) of the last job

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="booking-form"):
            with Horizontal(id="phone-row"):
                yield Label("Customer phone", id="phone-label")
                yield Input(
                    placeholder="(512) 555-0134, 512.555.0134, +1 512 555 0134 … or a name",
                    id="phone",
                )
                yield Button("Book job (F2)", id="book", variant="primary")
            yield Static(id="customer")
            yield Static(id="banner")
            yield Label("Customers we have heard from (↓ to pick one)", id="matches-label")
            yield OptionList(id="matches")
            yield Static(id="result")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#phone", Input).focus()

    def _service(
        self, call: Callable[..., T], *args: Any, quiet: bool = False, **kwargs: Any
    ) -> T | None:
        """As every screen's, but while typing (quiet) our refusals wait for Enter rather
        than toast every keystroke."""
        if quiet:
            try:
                return call(*args, **kwargs)
            except SclError:
                return None
        return super()._service(call, *args, **kwargs)

    # --- looking the phone up -----------------------------------------------------------

    @on(Input.Changed, "#phone")
    def phone_changed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.query_one("#result", Static).update("")  # the last job's line is done with
        self.look_up(event.value, quiet=True)

    @on(Input.Submitted, "#phone")
    def phone_submitted(self, event: Input.Submitted) -> None:
        self.look_up(event.value, quiet=False)

    @on(OptionList.OptionSelected, "#matches")
    def match_picked(self, event: OptionList.OptionSelected) -> None:
        match = self.matches[event.option_index]
        box = self.query_one("#phone", Input)
        with box.prevent(Input.Changed):
            box.value = display_phone(match.customer_phone)
        box.focus()
        self.look_up(box.value, quiet=False)

    @work(thread=True, exclusive=True, group="booking-lookup", exit_on_error=False)
    def look_up(self, text: str, quiet: bool) -> None:
        """Customers to pick, and the banner once the text is a phone number. While
        typing (quiet) a half-typed number is no error; on Enter it is."""
        matches = self._service(find_customers, self.ctx, self.login, text, quiet=True) or []
        banner: BookingBanner | None = None
        if _is_phone(text) or not quiet:
            banner = self._service(banner_for_phone, self.ctx, self.login, text, quiet=quiet)
        self.app.call_from_thread(self.show_lookup, matches, banner)

    def show_lookup(self, matches: list[CustomerMatch], banner: BookingBanner | None) -> None:
        self.matches = matches
        options = self.query_one("#matches", OptionList)
        options.clear_options()
        now = self.ctx.clock.now()
        for match in matches:
            label = literal(f"{display_phone(match.customer_phone):<16}")
            label.append_text(literal(f"{match.customer_name or '—':<24}"))
            label.append(
                f"  last call {span(now - match.last_call_at)} ago, "
                f"{match.calls} call{'s' if match.calls != 1 else ''}",
                "dim",
            )
            options.add_option(Option(label))
        self.show_banner(banner)

    def show_banner(self, banner: BookingBanner | None) -> None:
        self.banner = banner
        customer = self.query_one("#customer", Static)
        box = self.query_one("#banner", Static)
        self.set_class(bool(banner and banner.shown), "-banner")
        if banner is None:
            customer.update("")
            box.update("")
            return
        line = Text("Booking for ", style="dim")
        line.append_text(literal(display_phone(banner.customer_phone), "bold"))
        if banner.customer_name:
            line.append("  ")
            line.append_text(literal(banner.customer_name))
        customer.update(line)
        box.update(banner_text(banner, self.ctx.clock.now()) if banner.shown else "")

    # --- booking --------------------------------------------------------------------------

    @on(Button.Pressed, "#book")
    def book_pressed(self) -> None:
        self.action_book()

    def action_book(self) -> None:
        if self.booking:
            return  # F2 pressed again while the job is being recorded: one job
        text = self.query_one("#phone", Input).value
        if not text.strip():
            self.notify("Type the customer's phone first.", severity="warning")
            return
        if _lacks_area_code(text):
            self.notify(
                f"{text.strip()!r} has no area code: type the whole number, or pick the "
                "customer from the list (↓).",
                title="Not booked",
                severity="warning",
            )
            return
        phone = normalise_phone(text) if _is_phone(text) else None
        if phone is not None and self.last_booked and self.last_booked[0] == phone:
            ago = self.ctx.clock.now() - self.last_booked[1]
            if ago < REPEAT_WINDOW:
                self._ask_again(text, phone, ago)
                return
        self._start_booking(text)

    def _ask_again(self, text: str, phone: str, ago: timedelta) -> None:
        def answered(again: bool | None) -> None:
            if again:
                self._start_booking(text)

        title = (
            f"A job was booked for {display_phone(phone)} {span(ago)} ago. "
            "Book a second job for this customer?"
        )
        choices = [(False, "No, it is the same job"), (True, "Yes, book another job")]
        self.app.push_screen(ChoiceModal(title, choices), answered)

    def _start_booking(self, text: str) -> None:
        """The box is emptied at once, so a second F2 has nothing to book."""
        self.booking = True
        box = self.query_one("#phone", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        self.book(text)

    @work(thread=True, exclusive=True, group="booking-book", exit_on_error=False)
    def book(self, text: str) -> None:
        try:
            result = self._service(record_job, self.ctx, self.login, text)
            if result is None:
                self.app.call_from_thread(self._give_back, text)
                return
            banner = self._service(banner_for_phone, self.ctx, self.login, text)
            self.app.call_from_thread(self.show_result, result, bool(banner and banner.detailed))
        finally:
            self.app.call_from_thread(setattr, self, "booking", False)

    def _give_back(self, text: str) -> None:
        """Not booked: what was typed comes back to be corrected (unless a new number
        was typed meanwhile)."""
        box = self.query_one("#phone", Input)
        if not box.value:
            with box.prevent(Input.Changed):
                box.value = text

    def show_result(self, result: BookingResult, detailed: bool) -> None:
        text = Text()
        text.append_text(
            literal(
                f"Job {result.job_id} booked for {display_phone(result.customer_phone)} "
                f"at {local(result.booked_at)}.",
                "bold",
            )
        )
        if detailed:
            for lead_id, status in result.changed:
                text.append(f"\nLead {lead_id} → {status.display_name}")
        elif result.changed:
            count = len(result.changed)
            text.append(f"\n{count} Second Chance Lead{'s' if count > 1 else ''} closed as booked.")
        self.query_one("#result", Static).update(text)
        self.notify(text.plain, title="Job booked", markup=False)
        self.last_booked = (result.customer_phone, self.ctx.clock.now())
        # The form is ready for the next job: the booked customer's lookup goes.
        self.query_one("#matches", OptionList).clear_options()
        self.matches = []
        self.show_banner(None)

    def action_pick(self) -> None:
        options = self.query_one("#matches", OptionList)
        if options.option_count:
            options.focus()
            options.highlighted = 0

    def action_leave(self) -> None:
        self.app.pop_screen()
        # The leads underneath missed what changed meanwhile (a booking closes leads).
        below = self.app.screen
        if isinstance(below, LeadsScreen):
            below.post_message(LeadsScreen.LeadsChanged([]))


def _lacks_area_code(text: str) -> bool:
    """A local number (555-0134) is possible on its own, but which area's? The same seven
    digits are a different customer in each area code: refuse rather than guess."""
    try:
        number = phonenumbers.parse(text.strip(), DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(number)
    return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY)


def _is_phone(text: str) -> bool:
    try:
        normalise_phone(text)
    except InvalidPhone:
        return False
    return True


def banner_text(banner: BookingBanner, now: Any) -> Text:
    """The banner: which leads, or (without the permission) only that one exists."""
    count = len(banner.leads)
    text = Text()
    text.append("⚑ Second Chance Lead", style="bold")
    text.append(
        f" — this customer {'has' if count == 1 else f'has {count}'} "
        f"{'an open lead' if count == 1 else 'open leads'} "
        f"flagged in the last {banner.window_days} days. Booking the job here closes "
        f"{'it' if count == 1 else 'them'} automatically.\n"
    )
    for lead in banner.leads:
        text.append(f"\n• flagged {local(lead.flagged_at)} ({span(now - lead.flagged_at)} ago)")
        if lead.lead_id is None:
            text.append(f", {lead.tab.display_name} tab")
            continue
        text.append(f"  Lead {lead.lead_id}  ")
        text.append_text(literal(display_phone(banner.customer_phone)))
        if lead.customer_name:
            text.append("  ")
            text.append_text(literal(lead.customer_name))
        status = lead.status.display_name if lead.status else ""
        text.append(f"  {status} ({lead.tab.display_name})")
        if lead.reason:
            text.append("\n  Reason: ", style="dim")
            text.append_text(literal(lead.reason))
    if not banner.detailed:
        text.append(
            "\n\nWhich lead and why it was flagged are shown to people with the "
            "View Second Chance Leads permission.",
            style="dim",
        )
    return text
