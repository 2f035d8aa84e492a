"""Snooze a follow-up: ask for the new date ('+3d', 'Monday', 'Dec 1')."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual.app import ComposeResult

from crm.errors import CrmError
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import DateField


class SnoozeModal(FormModal[dt.date]):
    """Returns the date the follow-up moved to (None when cancelled)."""

    DEFAULT_CSS = """
    SnoozeModal > #form-dialog {
        width: 60;
    }
    """

    def __init__(self, *, contact_name: str, today: dt.date, save: Callable[[dt.date], dt.date]) -> None:
        super().__init__(f"Snooze {contact_name} until…", save=save)
        self.today = today

    def compose_fields(self) -> ComposeResult:
        yield DateField("Until", id="until", today=self.today, value="+3d", placeholder="+3d, +1w, Dec 1")

    def on_mount(self) -> None:
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
