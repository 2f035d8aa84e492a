"""Forget a contact for good: the user types the name to confirm, since nothing brings them back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Button, Static

from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import FormField


class ForgetModal(FormModal[bool]):
    """Returns True once the name is typed (None when cancelled); the caller does the forgetting."""

    DEFAULT_CSS = """
    ForgetModal #forget-warning {
        margin-bottom: 1;
    }
    """

    def __init__(self, *, contact_name: str) -> None:
        super().__init__(f"Forget {contact_name}", save=lambda confirmed: confirmed)
        self.contact_name = contact_name

    def compose_fields(self) -> ComposeResult:
        yield Static(
            f"This deletes {self.contact_name} and all their history (hooks, interactions, drafts, tags), and crm's "
            "own mentions of them on other contacts. It cannot be undone: type the name to confirm.",
            id="forget-warning",
            markup=False,
        )
        yield FormField("Name", id="confirm-name", placeholder=self.contact_name)

    def on_mount(self) -> None:
        button = self.query_one("#save-button", Button)
        button.label = "Forget"
        button.variant = "error"
        self.query_one("#confirm-name", FormField).focus()

    def has_unsaved_work(self) -> bool:
        return False  # a half-typed name is no work to lose: Esc just closes

    def collect(self) -> bool | None:
        field = self.query_one("#confirm-name", FormField)
        if " ".join(field.value.split()).casefold() != " ".join(self.contact_name.split()).casefold():
            field.show_error(f"type {self.contact_name} to confirm")
            return None
        return True
