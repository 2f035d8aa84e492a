"""This week: whose follow-up is overdue or due, with the reason, and who has not answered yet."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static

from crm.followups.reads import Awaiting, awaiting_reply, due_items, end_of_week, other_alumni_suggestions
from crm.followups.rules import add_business_days
from crm.store.settings import load_settings
from crm.tui.formatting import weekday_date
from crm.tui.screens.base import DataScreen
from crm.tui.widgets.due_list import DueList
from crm.tui.widgets.footer import CrmFooter

# The most recent of those awaiting a reply: older ones were nudged long ago and show in Contacts (stage contacted).
AWAITING_SHOWN = 50
IDEAS_SHOWN = 3


class WeekScreen(DataScreen):
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        *DataScreen.CONTACT_BINDINGS,
        Binding("a", "app.add_contact", "Add"),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="week-title", classes="screen-title")
        yield DueList(id="due-list")
        yield CrmFooter()

    def load(self) -> None:
        app = self.crm
        week_end = end_of_week(app.today, load_settings())
        due = due_items(app.conn, today=app.today, through=week_end)
        waiting = awaiting_reply(app.conn)
        ideas = self._ideas(waiting)
        self.query_one(DueList).show(
            today=app.today,
            week_end=week_end,
            due=due,
            awaiting=waiting[-AWAITING_SHOWN:],
            ideas=ideas,
            awaiting_total=len(waiting),
        )
        overdue = sum(item.due < app.today for item in due)
        summary = f"{len(due)} due" + (f", {overdue} overdue" if overdue else "") + f" · {len(waiting)} awaiting reply"
        self.query_one("#week-title", Static).update(
            Content.from_markup(
                "[b]This week[/b]  [$text-muted]$today · $summary[/]",
                today=weekday_date(app.today, today=app.today),
                summary=summary,
            )
        )

    def _ideas(self, waiting: list[Awaiting]) -> list[str]:
        """A few 'write to another alum' ideas, from the most recent unanswered messages.

        Asking for all of them costs a query per person: seconds on a network of thousands.
        """
        ready = [p for p in reversed(waiting) if p.company and add_business_days(p.since, 3) <= self.crm.today]
        return other_alumni_suggestions(self.crm.conn, ready[:IDEAS_SHOWN], today=self.crm.today)

    def selected_contact_id(self) -> int | None:
        return self.query_one(DueList).selected_contact_id()

    @on(OptionList.OptionSelected, "#due-list")
    def _selected_option(self) -> None:
        self.action_open()
