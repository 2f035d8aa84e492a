"""What every form modal shares: a titled dialog, save and cancel, and inline errors instead of exceptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from crm.errors import CrmError
from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter
from crm.tui.widgets.form import FormField

ResultType = TypeVar("ResultType")
FormValue = Any


class FormModal(ModalScreen[ResultType], Generic[ResultType]):
    """A form whose `save` callback does the write: its CrmError is shown in the form, which stays open.

    Subclasses yield their fields from `compose_fields` and turn them into a value in `collect`
    (None, after marking the bad fields, when something typed is not usable). Cancelling (Esc) a form whose fields
    differ from how it opened asks first (`DISCARD_MESSAGE`): typed work is never lost to a stray key.
    """

    DISCARD_MESSAGE = "Discard your changes?"
    ASKS_BEFORE_DISCARD = True  # off for a form of one short value (a snooze date), where asking costs more

    # The box itself is the shared `.dialog` rule (app.tcss); a form sets only its width.
    DEFAULT_CSS = """
    FormModal {
        align: center middle;
    }
    FormModal > #form-dialog {
        width: 76;
    }
    FormModal #form-body {
        height: auto;
        padding: 1 0 0 0;
    }
    FormModal #form-error {
        dock: bottom;
        margin-bottom: 1;
        display: none;
        color: $text-error;
        padding: 0 0 1 0;
    }
    FormModal #form-error.-shown {
        display: block;
    }
    FormModal #form-buttons {
        dock: bottom;
        height: 1;
        align-horizontal: right;
    }
    FormModal #form-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = keys.FORM

    def __init__(self, title: str, *, save: Callable[[FormValue], ResultType], cancel_label: str = "Cancel") -> None:
        super().__init__()
        self.form_title = title
        self._save = save
        self.cancel_label = cancel_label
        self._opened_with: tuple | None = None
        if cancel_label != keys.CANCEL.description:  # the footer says what the button says ("esc Skip")
            self._bindings.key_to_bindings[keys.CANCEL.key] = [replace(keys.CANCEL, description=cancel_label)]

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog", classes="dialog") as dialog:
            dialog.border_title = self.form_title
            with VerticalScroll(id="form-body"):
                yield from self.compose_fields()
            yield Static("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(self.cancel_label, id="cancel-button", compact=True)
                yield Button("Save", variant="primary", id="save-button", compact=True)
        yield CrmFooter()

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> FormValue | None:
        raise NotImplementedError

    def on_mount(self) -> None:
        # Runs after a subclass's on_mount (Textual calls each class's handler), so prefilled values count as
        # where the form started.
        self._opened_with = self.form_values()

    def form_values(self) -> tuple:
        """What is typed and chosen in the form, to compare with how it opened."""
        chosen = [widget.value for widget in self.query("Input, Select")]  # type: ignore[attr-defined]
        written = [widget.text for widget in self.query("TextArea")]  # type: ignore[attr-defined]
        return (*chosen, *written)

    def has_unsaved_work(self) -> bool:
        """True once something in the form was changed: cancelling then asks before it discards."""
        return self.ASKS_BEFORE_DISCARD and self._opened_with is not None and self.form_values() != self._opened_with

    def show_form_error(self, text: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    def first_invalid(self) -> FormField | None:
        return next((field for field in self.query(FormField) if field.has_class("-invalid")), None)

    def action_save(self) -> None:
        self.show_form_error("")
        value = self.collect()
        if value is None:
            invalid = self.first_invalid()
            if invalid is not None:
                invalid.focus()
            return
        try:
            result = self._save(value)
        except CrmError as err:
            self.show_form_error(str(err))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        if not self.has_unsaved_work():
            self.dismiss(None)
            return
        from crm.tui.screens.confirm_discard import ConfirmDiscard

        self.app.push_screen(ConfirmDiscard(self.DISCARD_MESSAGE), self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#save-button")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
