"""Form fields: a label, a compact input and the validation message shown right under it."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from crm.dates import Facing, parse_date, weekday_date, weekend_note
from crm.errors import CrmError


class FormField(Widget):
    """One labelled line of a form; `show_error` puts a message under the input instead of raising."""

    DEFAULT_CSS = """
    FormField {
        layout: horizontal;
        height: auto;
        margin-bottom: 1;
    }
    FormField > .field-label {
        width: 14;
        padding-right: 1;
        color: $text-muted;
    }
    FormField:focus-within > .field-label {
        color: $text;
        text-style: bold;
    }
    FormField > .field-body {
        width: 1fr;
        height: auto;
    }
    FormField Input {
        background: $boost;
    }
    FormField .field-message {
        display: none;
        color: $text-muted;
    }
    FormField .field-message.-shown {
        display: block;
    }
    FormField .field-message.-error {
        color: $text-error;
    }
    FormField.-invalid Input {
        background-tint: $error 20%;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        id: str,
        value: str = "",
        placeholder: str = "",
        required: bool = False,
    ) -> None:
        super().__init__(id=id)
        self.label = label + (" *" if required else "")
        self._value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label(self.label, classes="field-label")
        with Vertical(classes="field-body"):
            yield Input(self._value, placeholder=self.placeholder, compact=True, id=f"{self.id}-input")
            yield Static("", classes="field-message", markup=False)

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self.input.value = text

    @property
    def error(self) -> str | None:
        message = self.query_one(".field-message", Static)
        return str(message.content) if message.has_class("-error") else None

    def show_error(self, text: str) -> None:
        self._show(text, error=True)

    def show_hint(self, text: str) -> None:
        self._show(text, error=False)

    def clear_message(self) -> None:
        self._show("", error=False)

    def _show(self, text: str, *, error: bool) -> None:
        message = self.query_one(".field-message", Static)
        message.update(text)
        message.set_class(bool(text), "-shown")
        message.set_class(error, "-error")
        self.set_class(error, "-invalid")

    def focus(self, scroll_visible: bool = True) -> FormField:
        self.input.focus(scroll_visible)
        return self


class DateField(FormField):
    """A date typed as people say it ('yesterday', 'Nov 20', '+2d'), read back as it is understood."""

    def __init__(
        self,
        label: str,
        *,
        id: str,
        today: dt.date,
        value: str = "",
        placeholder: str = "",
        empty_hint: str = "",
        facing: Facing = None,
    ) -> None:
        super().__init__(label, id=id, value=value, placeholder=placeholder)
        self.today = today
        self.empty_hint = empty_hint
        self.facing = facing  # which way a bare weekday or "2 weeks" points (crm.dates.Facing)

    def on_mount(self) -> None:
        self._preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview()

    def _preview(self) -> None:
        try:
            day = self.parsed()
        except CrmError as err:
            self.show_error(str(err))
            return
        if day is None:
            self.show_hint(self.empty_hint) if self.empty_hint else self.clear_message()
        else:
            weekend = day > self.today and weekend_note(day, today=self.today) is not None
            self.show_hint(f"→ {weekday_date(day, today=self.today)}" + (f" (a {day:%A})" if weekend else ""))

    def parsed(self) -> dt.date | None:
        """The date typed, None when empty; CrmError when it is not a date."""
        text = self.value.strip()
        return parse_date(text, today=self.today, facing=self.facing) if text else None

    def validated(self) -> tuple[bool, dt.date | None]:
        """(ok, date), showing the problem under the field when not ok."""
        try:
            return True, self.parsed()
        except CrmError as err:
            self.show_error(str(err))
            return False, None
