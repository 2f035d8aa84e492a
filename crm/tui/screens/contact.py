"""One contact: profile, hooks and the timeline, with edit, add-hook and the follow-up actions."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from crm.contacts.reads import contact_details
from crm.errors import CrmError
from crm.tui.screens.base import DataScreen
from crm.tui.widgets.contact_view import ContactView, header
from crm.tui.widgets.footer import CrmFooter


class ContactScreen(DataScreen):
    # Wide terminals show the timeline beside the profile rather than below it.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = [
        Binding("escape", "back", "Back"),
        *DataScreen.CONTACT_BINDINGS,
        Binding("e", "edit", "Edit"),
        Binding("h", "add_hook", "Hook"),
    ]

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        self.contact_name = ""

    def compose(self) -> ComposeResult:
        yield Static(id="contact-title", classes="screen-title")
        yield ContactView(today=self.crm.today, id="contact-body")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#contact-body").focus()

    def load(self) -> None:
        app = self.crm
        try:
            details = contact_details(app.conn, self.contact_id, today=app.today)
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.dismiss()
            return
        self.contact_name = details["name"]
        self.query_one("#contact-title", Static).update(header(details, today=app.today))
        self.query_one(ContactView).details = details

    def selected_contact_id(self) -> int | None:
        return self.contact_id

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        self.crm.edit_contact(self.contact_id)

    def action_add_hook(self) -> None:
        self.crm.add_hook(self.contact_id)
