"""What the data screens share: reloading after a write, and the actions on the selected contact."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from crm.tui.app import CrmApp


class DataScreen(Screen[None]):
    """A screen over stored data; reloads when it is shown again after the store changed."""

    CONTACT_BINDINGS = [
        Binding("l", "log", "Log"),
        Binding("x", "done", "Done"),
        Binding("s", "snooze", "Snooze"),
        Binding("d", "draft", "Draft"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._loaded_version = -1

    @property
    def crm(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def on_screen_resume(self) -> None:
        if self._loaded_version != self.crm.data_version:
            self.reload()

    def reload(self) -> None:
        self._loaded_version = self.crm.data_version
        self.load()

    def load(self) -> None:
        """Read what the screen shows from `self.crm.conn`."""

    def selected_contact_id(self) -> int | None:
        return None

    def _selected(self) -> int | None:
        contact_id = self.selected_contact_id()
        if contact_id is None:
            self.notify("Select a contact first.", severity="warning")
        return contact_id

    def action_open(self) -> None:
        if (contact_id := self._selected()) is not None:
            self.crm.open_contact(contact_id)

    def action_log(self) -> None:
        if (contact_id := self._selected()) is not None:
            self.crm.log_interaction(contact_id)

    def action_done(self) -> None:
        if (contact_id := self._selected()) is not None:
            self.crm.mark_done(contact_id)

    def action_draft(self) -> None:
        if (contact_id := self._selected()) is not None:
            self.crm.draft(contact_id)

    def action_snooze(self) -> None:
        if (contact_id := self._selected()) is not None:
            self.crm.snooze(contact_id)
