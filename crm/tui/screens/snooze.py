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

    def __init__(self, *, contact_name: str, today: dt.date, save: Callable[[dt.date], dt.date]) -> None:
        super().__init__(f"Snooze {contact_name} until…", save=save)
        self.today = today

    def compose_fields(self) -> ComposeResult:
        yield DateField("Until", id="until", today=self.today, value="+3d", placeholder="+3d, +1w, Dec 1")
        # Offered only when the date falls on a weekend (tab to it, or click): the Monday after, in one step.
        yield Button("", id="monday-button", compact=True)

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
            return validate_snooze(until, today=self.today)
        except CrmError as err:
            field.show_error(str(err))
            return None
