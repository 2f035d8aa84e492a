"""Snooze a follow-up: ask for the new date ('+3d', 'Monday', 'Dec 1')."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.widgets import Button, Input

from crm.dates import next_weekday, weekday_date
from crm.errors import CrmError
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import DateField


class SnoozeModal(FormModal[dt.date]):
    """Returns the date the follow-up moved to (None when cancelled)."""

    ASKS_BEFORE_DISCARD = False  # one short date: Esc just closes
    DEFAULT_CSS = """
    SnoozeModal > #form-dialog {
        width: 60;
    }
    SnoozeModal #monday-button {
        margin: 0 0 0 13;
    }
    """

    def __init__(
        self,
        *,
        contact_name: str,
        today: dt.date,
        save: Callable[[dt.date], dt.date],
        due: dt.date | None = None,
    ) -> None:
        super().__init__(f"Snooze {contact_name} until…", save=save)
        self.today = today
        self.due = due  # the follow-up's date now: a snooze moves it later (saving checks it again in any case)

    def compose_fields(self) -> ComposeResult:
        # Ahead-facing: "thu" is the next Thursday after today, never today itself.
        yield DateField(
            "Until",
            id="until",
            today=self.today,
            value=self._suggested(),
            placeholder="+3d, +1w, thu, Dec 1",
            facing="future",
        )
        # Offered only when the date falls on a weekend (tab to it, or click): the Monday after, in one step.
        yield Button("", id="monday-button", compact=True)

    def _suggested(self) -> str:
        """+3d, or three days after the follow-up's date when +3d would not move it later."""
        if self.due is None or self.due < self.today + dt.timedelta(days=3):
            return "+3d"
        return (self.due + dt.timedelta(days=3)).isoformat()

    def _weekend_monday(self) -> dt.date | None:
        try:
            day = self.query_one("#until", DateField).parsed()
        except CrmError:
            return None
        return next_weekday(day) if day is not None and day > self.today and day.weekday() >= 5 else None

    @on(Input.Changed)
    def _offer_monday(self) -> None:
        monday = self._weekend_monday()
        button = self.query_one("#monday-button", Button)
        button.display = monday is not None
        if monday is not None:
            button.label = f"Use {weekday_date(monday, today=self.today)} instead"

    @on(Button.Pressed, "#monday-button")
    def _use_monday(self, event: Button.Pressed) -> None:
        event.stop()
        monday = self._weekend_monday()
        if monday is not None:
            self.query_one("#until", DateField).value = monday.isoformat()
            self.action_save()

    def on_mount(self) -> None:
        self._offer_monday()
        field = self.query_one("#until", DateField)
        field.focus()
        field.input.select_all()

    def collect(self) -> dt.date | None:
        field = self.query_one("#until", DateField)
        ok, until = field.validated()
        if ok and until is None:
            field.show_error("give a date: +3d, +1w, Dec 1")
            return None
        if not ok:
            return None
        # Imported here: its module loads the ORM, which saving needs next anyway.
        from crm.followups.writes import validate_snooze

        try:
            return validate_snooze(until, today=self.today, due=self.due)
        except CrmError as err:
            field.show_error(str(err))
            return None
