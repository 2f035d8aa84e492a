"""This week: whose follow-up is overdue or due, the promises I made that are due, and who has not answered yet."""

from __future__ import annotations

from functools import cache

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import OptionList, Static

from crm.contacts.reads import has_contacts
from crm.dates import weekday_date
from crm.followups.reads import (
    awaiting_reply,
    awaiting_reply_count,
    due_items,
    end_of_week,
    other_alumni_suggestions,
)
from crm.store.settings import load_settings
from crm.tui import keys
from crm.tui.messages import PromiseDoneRequested
from crm.tui.screens.base import DataScreen
from crm.tui.widgets.due_list import Below, DueList
from crm.tui.widgets.footer import CrmFooter

_ON_A_CONTACT = {binding.action for binding in (keys.OPEN, *keys.ON_CONTACT) if "." not in binding.action}

# The most recent of those awaiting a reply: older ones were nudged long ago and show in Contacts (stage contacted).
AWAITING_SHOWN = 50


class WeekScreen(DataScreen):
    BINDINGS = keys.WEEK_SCREEN

    _prefer: str | None = None  # the row to put the cursor on at the next load (highlight_after_reload)
    _nobody = False  # nobody listed: neither due nor awaiting a reply

    def compose(self) -> ComposeResult:
        yield Static(id="week-title", classes="screen-title")
        yield DueList(id="due-list")
        yield CrmFooter()

    def load(self) -> None:
        today, conn = self.context.today, self.context.reader
        week_end = end_of_week(today, load_settings())
        due = due_items(conn, today=today, through=week_end)
        waiting = awaiting_reply_count(conn)
        prefer, self._prefer = self._prefer, None
        self.query_one(DueList).show(
            today=today,
            week_end=week_end,
            due=due,
            awaiting_total=waiting,
            below=cache(self._below),
            empty_network=not due and not has_contacts(conn),
            prefer=prefer,
            club_notes=self._club_notes(due) if getattr(conn, "dialect", "sqlite") == "postgresql" else None,
        )
        overdue = sum(item.due < today for item in due)
        summary = f"{len(due)} due" + (f", {overdue} overdue" if overdue else "") + f" · {waiting} awaiting reply"
        self.query_one("#week-title", Static).update(
            Content.from_markup(
                "[b]This week[/b]  [$text-muted]$today · $summary[/]",
                today=weekday_date(today, today=today),
                summary=summary,
            )
        )
        if self._nobody != (nobody := not due and not waiting):
            self._nobody = nobody
            self.refresh_bindings()  # the contact keys dim or light up as the list empties or fills

    def _club_notes(self, due) -> dict[int, str]:
        """On a club's database, who else touched each due alum lately, before a first message or a nudge (as
        `crm due` says it). Only ever called on PostgreSQL: SQLite never loads crm.club."""
        from crm.club.fatigue import club_fatigue, due_notes

        today = self.context.today
        fatigue = club_fatigue(self.context.reader, [item.contact_id for item in due], today=today,
                               settings=load_settings())  # fmt: skip
        return due_notes(fatigue, due, today=today)

    def _below(self) -> Below:
        """Under the follow-ups: the newest of those awaiting a reply, and a few 'write to another alum' ideas."""
        today, conn = self.context.today, self.context.reader
        waiting = awaiting_reply(conn)
        return Below(waiting[-AWAITING_SHOWN:], other_alumni_suggestions(conn, waiting, today=today))

    def first_frame_shown(self) -> None:
        self.query_one(DueList).first_frame_shown()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The keys for a contact are dimmed while nobody is listed (an empty week says what to press instead)."""
        return None if action in _ON_A_CONTACT and self._nobody else True

    def highlight_after_reload(self, option_id: str) -> None:
        """Put the cursor on `option_id` once the list is read again (the row an undo brought back)."""
        self._prefer = option_id

    def selected_contact_id(self) -> int | None:
        return self.query_one(DueList).selected_contact_id()

    def selected_promise_id(self) -> int | None:
        """The promise on the highlighted row (`promise-P-N`), None on a contact's own follow-up."""
        option = self.query_one(DueList).highlighted_option
        if option is None or option.disabled or not (option.id or "").startswith("promise-"):
            return None
        return int(option.id.split("-")[1])

    def action_done(self) -> None:
        """`x` on a promise marks that promise kept; on a follow-up, the follow-up done (next by cadence)."""
        promise_id = self.selected_promise_id()
        if promise_id is None:
            super().action_done()
        else:
            self.post_message(PromiseDoneRequested(promise_id))

    @on(OptionList.OptionSelected, "#due-list")
    def _selected_option(self) -> None:
        self.action_open()
