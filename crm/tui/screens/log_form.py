"""Log an interaction: what happened, what I learned, what they advised and suggested, what I promised, saved in one
go (and never lost to a stray Esc: the form asks before it discards what was typed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from crm.contacts.fields import KINDS, first_name
from crm.dates import short_date, weekday_date
from crm.errors import CrmError
from crm.followups.promises import PromiseText, read_promise, read_promises
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import DateField, FormField

if TYPE_CHECKING:
    from crm.contacts.interactions import Suggested

KIND_LABELS = {
    "message": "message (I wrote)",
    "reply": "reply (they wrote)",
    "chat": "chat (coffee chat or call)",
    "intro": "intro (they introduced me)",
    "referral": "referral",
    "note": "note",
}
# Advice and suggested people are their words: not asked for a message I sent (crm.contacts.interactions).
THEIR_WORDS_FIELDS = ("#advice", "#suggested", "#suggested-adds")
CHROME_ROWS = 4  # the footer, the dialog's border and its buttons: the rows the scrolling fields leave free


def next_friday(today: dt.date) -> dt.date:
    """The Friday after `today` (a week on, from a Friday): the placeholders' example of a promise's day."""
    return today + dt.timedelta(days=(4 - today.weekday()) % 7 or 7)


@dataclass(frozen=True)
class LogEntry:
    """What the form gathered, dates already parsed; the arguments of crm.contacts.interactions.record_interaction."""

    kind: str
    date: dt.date
    notes: str
    takeaways: str | None = None
    next_step: str | None = None
    follow_up: dt.date | None = None
    intro_to: str | None = None
    advice: str | None = None
    suggested: tuple[Suggested, ...] = ()  # each with `add` as its checkbox says
    next_step_due: dt.date | None = None
    promises: tuple[PromiseText, ...] = ()


class LogInteractionModal(FormModal[LogEntry]):
    """Returns the entry once `save` has stored it (None when cancelled)."""

    DISCARD_MESSAGE = "Discard your notes?"

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
    LogInteractionModal #suggested {
        margin-bottom: 0;
    }
    LogInteractionModal #suggested-adds {
        height: auto;
        padding-left: 14;
        margin-bottom: 1;
    }
    LogInteractionModal #suggested-adds Checkbox {
        width: 1fr;
    }
    LogInteractionModal .-hidden {
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
        self.contact_name = contact_name
        self.today = today
        self.kind = kind
        self._adding: dict[str, bool] = {}  # a suggested name (casefolded) -> its "add as a contact" box, kept on edits

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
            "Date", id="date", today=self.today, placeholder="today, yesterday, Nov 20, -2d", empty_hint="→ today",
            facing="past",
        )
        with Horizontal(id="notes-row"):
            yield Label("Notes *", classes="row-label")
            with Vertical(id="notes-body"):
                yield TextArea(id="notes", compact=True, tab_behavior="focus")
                yield Static("", id="notes-error", markup=False)
        yield FormField("Takeaways", id="takeaways", placeholder="what I learned")
        yield FormField("Advice", id="advice", placeholder="what they advised me to do")
        yield FormField("Suggested", id="suggested", placeholder="people to talk to: Jia Song, Spotify; Lee Park")
        yield Vertical(id="suggested-adds")
        yield FormField("Next step", id="next-step", placeholder="send my skip-rate analysis by Friday")
        # Example dates are true ones, from today: "Fri Nov 27" is a Friday, "+2w" is the date shown beside it.
        friday, fortnight = next_friday(self.today), self.today + dt.timedelta(weeks=2)
        yield DateField(
            "Next step due",
            id="next-step-due",
            today=self.today,
            facing="future",
            placeholder=f"{weekday_date(friday, today=self.today)} (optional: a promise)",
        )
        yield FormField(
            "Also promised",
            id="promises",
            placeholder=f"read her post; send the deck by {short_date(friday, today=self.today)}",
        )
        yield DateField(
            "Follow up",
            id="follow-up",
            today=self.today,
            facing="future",
            placeholder=f"+2w, {short_date(fortnight, today=self.today)} (optional: else by the rules)",
        )
        yield FormField("Introduced to", id="intro-to", placeholder="the person they introduced me to")

    def on_mount(self) -> None:
        self._show_kind_fields(self.kind)
        self.query_one("#notes", TextArea).focus()

    def on_resize(self, event: events.Resize) -> None:
        # The fields scroll inside the dialog once they outgrow the terminal (80x24 shows most of them); on a taller
        # one the dialog stays as tall as its fields.
        self.query_one("#form-body").styles.max_height = max(4, event.size.height - CHROME_ROWS)

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_kind_fields(str(event.value))

    def _show_kind_fields(self, kind: str) -> None:
        self.query_one("#intro-to", FormField).set_class(kind != "intro", "-hidden")
        for selector in THEIR_WORDS_FIELDS:
            self.query_one(selector).set_class(kind == "message", "-hidden")

    @on(TextArea.Changed, "#notes")
    def _notes_changed(self) -> None:
        if self.query_one("#notes", TextArea).text.strip():
            self._notes_error("")

    def _notes_error(self, text: str) -> None:
        error = self.query_one("#notes-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    # -- what is typed, read back as it will be saved ---------------------------------------------------

    def _said_on(self) -> dt.date:
        """The day of the interaction, which a "by Friday" in a promise counts from."""
        try:
            return self.query_one("#date", DateField).parsed() or self.today
        except CrmError:
            return self.today

    @on(Input.Changed, "#next-step-input")
    @on(Input.Changed, "#next-step-due-input")
    @on(Input.Changed, "#date-input")
    def _preview_next_step(self) -> None:
        field = self.query_one("#next-step", FormField)
        step = field.value.strip()
        due_field = self.query_one("#next-step-due", DateField)
        if not step or due_field.value.strip():
            field.clear_message()
            return
        try:
            read = read_promise(step, said_on=self._said_on(), today=self.today)
        except CrmError as err:  # "send it @someday": saving would refuse it too
            field.show_error(str(err))
            return
        if read.due is not None:
            field.show_hint(f"→ a promise, due {weekday_date(read.due, today=self.today)}")
        else:
            field.clear_message()

    @on(Input.Changed, "#promises-input")
    @on(Input.Changed, "#date-input")
    def _preview_promises(self) -> None:
        self._read_promises()

    def _read_promises(self) -> tuple[PromiseText, ...] | None:
        """The promises typed, previewed under the field; None (the problem shown) when one cannot be read."""
        field = self.query_one("#promises", FormField)
        try:
            read = read_promises(field.value, said_on=self._said_on(), today=self.today)
        except CrmError as err:
            field.show_error(str(err))
            return None
        if read:
            field.show_hint("→ " + " · ".join(promise.describe(today=self.today) for promise in read))
        else:
            field.clear_message()
        return tuple(read)

    @on(Input.Changed, "#suggested-input")
    async def _suggested_changed(self) -> None:
        """One "add as a contact" box per name typed; a box keeps its tick while the line is edited around it."""
        people = self._read_suggested()
        box = self.query_one("#suggested-adds", Vertical)
        await box.remove_children()
        first = first_name(self.contact_name)
        if people:
            self.query_one("#suggested", FormField).show_hint(f"tick to add as a contact introduced by {first}")
        await box.mount_all(
            Checkbox(
                f"Add {person.label} as a contact",
                self._adding.get(person.name.casefold(), False),
                compact=True,
                id=f"add-suggested-{number}",
                name=person.name.casefold(),
            )
            for number, person in enumerate(people or ())
        )

    def _read_suggested(self) -> list[Suggested] | None:
        """The suggested people typed, each with its box's tick; None (shown under the field) when one has no name."""
        from crm.contacts.interactions import Suggested, read_suggested_line

        boxes = self.query("#suggested-adds Checkbox").results(Checkbox)
        self._adding.update((box.name or "", box.value) for box in boxes)
        field = self.query_one("#suggested", FormField)
        try:
            people = read_suggested_line(field.value)
        except CrmError as err:
            field.show_error(str(err))
            return None
        field.clear_message()
        return [Suggested(p.name, p.company, self._adding.get(p.name.casefold(), False)) for p in people]

    # -- saving -----------------------------------------------------------------------------------------

    def collect(self) -> LogEntry | None:
        kind = str(self.query_one("#kind", Select).value)
        date_ok, date = self.query_one("#date", DateField).validated()
        follow_ok, follow_up = self.query_one("#follow-up", DateField).validated()
        due_ok, next_step_due = self.query_one("#next-step-due", DateField).validated()
        notes = self.query_one("#notes", TextArea).text.strip()
        intro_field = self.query_one("#intro-to", FormField)
        intro_to = intro_field.value.strip() if kind == "intro" else ""
        theirs = kind != "message"
        advice = self.query_one("#advice", FormField).value.strip() if theirs else ""
        suggested = self._read_suggested() if theirs else []
        promises = self._read_promises()
        next_step = self.query_one("#next-step", FormField).value.strip()
        ok = date_ok and follow_ok and due_ok and suggested is not None and promises is not None
        if next_step_due is not None and not next_step:
            self.query_one("#next-step-due", DateField).show_error("a date for what? write the next step above")
            ok = False
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
            next_step=next_step or None,
            follow_up=follow_up,
            intro_to=intro_to or None,
            advice=advice or None,
            suggested=tuple(suggested or ()),
            next_step_due=next_step_due,
            promises=promises or (),
        )
