"""One contact: profile (with the warm path that led to them), hooks and the timeline, with edit, add-hook, merge,
the prep brief and the follow-up actions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from crm.contacts.reads import contact_details
from crm.errors import CrmError
from crm.insights.paths import path_text, warm_path
from crm.tui import keys
from crm.tui.context import AppContext
from crm.tui.screens.base import DataScreen, PaletteCommand
from crm.tui.widgets.contact_view import ContactView, header
from crm.tui.widgets.footer import CrmFooter


class ContactScreen(DataScreen):
    # Wide terminals show the timeline beside the profile rather than below it.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = keys.CONTACT_SCREEN

    def __init__(self, context: AppContext, contact_id: int) -> None:
        super().__init__(context)
        self.contact_id = contact_id
        self.contact_name = ""

    def compose(self) -> ComposeResult:
        yield Static(id="contact-title", classes="screen-title")
        yield ContactView(today=self.context.today, id="contact-body")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#contact-body").focus()

    def load(self) -> None:
        today = self.context.today
        try:
            details = contact_details(self.context.reader, self.contact_id, today=today)
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.dismiss()
            return
        self.contact_name = details["name"]
        path = warm_path(self.context.reader, self.contact_id)  # one indexed lookup per introduction
        details["warm_path"] = path_text(path) if len(path) > 1 else None
        self.query_one("#contact-title", Static).update(header(details, today=today))
        self.query_one(ContactView).details = details

    def selected_contact_id(self) -> int | None:
        return self.contact_id

    def palette_open(self, name: str, open_contact: Callable[[], None]) -> Iterator[PaletteCommand]:
        yield from ()  # already open

    def action_back(self) -> None:
        self.dismiss()

    def action_edit(self) -> None:
        self.request("edit")

    def action_add_hook(self) -> None:
        self.request("add_hook")

    def action_merge(self) -> None:
        self.request("merge")

    def action_prep(self) -> None:
        self.request("prep")
