"""Add a hook: research about a contact worth citing (a post, a talk, a launch)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult

from crm.errors import CrmError
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import DateField, FormField


@dataclass(frozen=True)
class HookEntry:
    text: str
    url: str | None
    date: dt.date | None


class HookModal(FormModal[HookEntry]):
    """Returns the hook once `save` has stored it (None when cancelled)."""

    def __init__(self, *, contact_name: str, today: dt.date, save: Callable[[HookEntry], HookEntry]) -> None:
        super().__init__(f"Add a hook for {contact_name}", save=save)
        self.today = today

    def compose_fields(self) -> ComposeResult:
        yield FormField("What", id="text", placeholder="post on reducing playlist-loading latency", required=True)
        yield FormField("URL", id="url", placeholder="https://...")
        yield DateField(
            "Date", id="date", today=self.today, placeholder="when it came out, e.g. Oct 2", facing="past"
        )

    def on_mount(self) -> None:
        self.query_one("#text", FormField).focus()

    def collect(self) -> HookEntry | None:
        text_field = self.query_one("#text", FormField)
        url_field = self.query_one("#url", FormField)
        ok, date = self.query_one("#date", DateField).validated()
        text = text_field.value.strip()
        url = url_field.value.strip()
        if not text:
            text_field.show_error("say what they wrote, said or shipped")
            ok = False
        else:
            text_field.clear_message()
        # Imported here: its module loads the ORM, which saving needs next anyway.
        from crm.contacts.hooks import validate_hook_url

        try:
            link = validate_hook_url(url)
        except CrmError as err:
            url_field.show_error(str(err))
            ok = False
        else:
            url_field.clear_message()
        return HookEntry(text, link, date) if ok else None
