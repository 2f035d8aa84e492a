"""Log an interaction: what happened, what I learned, and what comes next, saved in one go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Select, Static, TextArea

from crm.contacts.fields import KINDS
from crm.errors import CrmError
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import DateField, FormField

KIND_LABELS = {
    "message": "message (I wrote)",
    "reply": "reply (they wrote)",
    "chat": "chat (coffee chat or call)",
    "intro": "intro (they introduced me)",
    "referral": "referral",
    "note": "note",
}


@dataclass(frozen=True)
class LogEntry:
    """What the form gathered, dates already parsed; the arguments of crm.contacts.interactions.log_interaction."""

    kind: str
    date: dt.date
    notes: str
    takeaways: str | None = None
    next_step: str | None = None
    follow_up: dt.date | None = None
    intro_to: str | None = None


class LogInteractionModal(FormModal[LogEntry]):
    """Returns the entry once `save` has stored it (None when cancelled)."""

    DEFAULT_CSS = """
    LogInteractionModal #kind-row, LogInteractionModal #notes-row {
        height: auto;
        margin-bottom: 1;
    }
    LogInteractionModal .row-label {
        width: 14;
        padding-right: 1;
        color: $text-muted;
    }
    LogInteractionModal #kind-row:focus-within .row-label,
    LogInteractionModal #notes-row:focus-within .row-label {
        color: $text;
        text-style: bold;
    }
    LogInteractionModal #kind {
        width: 1fr;
    }
    LogInteractionModal #notes-body {
        width: 1fr;
        height: auto;
    }
    LogInteractionModal #notes {
        height: 4;
        background: $boost;
    }
    LogInteractionModal #notes-error {
        display: none;
        color: $text-error;
    }
    LogInteractionModal #notes-error.-shown {
        display: block;
    }
    LogInteractionModal #intro-to.-hidden {
        display: none;
    }
    """

    def __init__(
        self,
        *,
        contact_name: str,
        today: dt.date,
        save: Callable[[LogEntry], LogEntry],
        kind: str = "chat",
    ) -> None:
        super().__init__(f"Log an interaction with {contact_name}", save=save)
        self.today = today
        self.kind = kind

    def compose_fields(self) -> ComposeResult:
        with Horizontal(id="kind-row"):
            yield Label("Kind *", classes="row-label")
            yield Select(
                [(KIND_LABELS[kind], kind) for kind in KINDS],
                value=self.kind,
                allow_blank=False,
                compact=True,
                id="kind",
            )
        yield DateField(
            "Date", id="date", today=self.today, placeholder="today, yesterday, Nov 20, -2d", empty_hint="→ today"
        )
        with Horizontal(id="notes-row"):
            yield Label("Notes *", classes="row-label")
            with Vertical(id="notes-body"):
                yield TextArea(id="notes", compact=True, tab_behavior="focus")
                yield Static("", id="notes-error", markup=False)
        yield FormField("Takeaways", id="takeaways", placeholder="what I learned")
        yield FormField("Next step", id="next-step", placeholder="send my skip-rate analysis")
        yield DateField(
            "Follow up", id="follow-up", today=self.today, placeholder="+2w, Dec 3 (optional: else by the rules)"
        )
        yield FormField("Introduced to", id="intro-to", placeholder="the person they introduced me to")

    def on_mount(self) -> None:
        self._show_intro_field(self.kind)
        self.query_one("#notes", TextArea).focus()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_intro_field(str(event.value))

    def _show_intro_field(self, kind: str) -> None:
        self.query_one("#intro-to", FormField).set_class(kind != "intro", "-hidden")

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self.query_one("#notes", TextArea).text.strip():
            self._notes_error("")

    def _notes_error(self, text: str) -> None:
        error = self.query_one("#notes-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    def collect(self) -> LogEntry | None:
        kind = str(self.query_one("#kind", Select).value)
        date_ok, date = self.query_one("#date", DateField).validated()
        follow_ok, follow_up = self.query_one("#follow-up", DateField).validated()
        notes = self.query_one("#notes", TextArea).text.strip()
        intro_field = self.query_one("#intro-to", FormField)
        intro_to = intro_field.value.strip() if kind == "intro" else ""
        ok = date_ok and follow_ok
        if not notes:
            self._notes_error("add a line of notes: what happened?")
            ok = False
        if date is not None:
            # Imported here: its module loads the ORM, which saving needs next anyway.
            from crm.contacts.interactions import validate_log_date

            try:
                validate_log_date(date, today=self.today)
            except CrmError as err:
                self.query_one("#date", DateField).show_error(str(err))
                ok = False
        if not ok:
            if not notes and date_ok and follow_ok:
                self.query_one("#notes", TextArea).focus()
            return None
        return LogEntry(
            kind=kind,
            date=date or self.today,
            notes=notes,
            takeaways=self.query_one("#takeaways", FormField).value.strip() or None,
            next_step=self.query_one("#next-step", FormField).value.strip() or None,
            follow_up=follow_up,
            intro_to=intro_to or None,
        )
