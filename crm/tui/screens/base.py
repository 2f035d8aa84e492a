"""What the data screens share: reloading after a write, and asking for actions on the selected contact."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from textual import work
from textual.screen import Screen

from crm.errors import CrmError
from crm.tui.context import AppContext
from crm.tui.messages import ContactAction, ContactActionRequested

if TYPE_CHECKING:
    from crm.store.store import ReadConnection

T = TypeVar("T")


class PaletteCommand(NamedTuple):
    title: str
    help: str
    callback: Callable[[], object]


class DataScreen(Screen[None]):
    """A screen over stored data; reloads when it is shown again after the store changed.

    The actions on the selected contact are asked of the app with a ContactActionRequested message.
    """

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self._loaded_version = -1

    def on_screen_resume(self) -> None:
        if self._loaded_version != self.context.version:
            self.reload()

    def reload(self) -> None:
        self._loaded_version = self.context.version
        self.load()

    def load(self) -> None:
        """Read what the screen shows from `self.context.reader`."""

    def read_in_thread(self, read: Callable[[ReadConnection], T], show: Callable[[T], None]) -> None:
        """Run `read` on a connection of its own in a worker thread, then `show` its result on the UI thread.

        For reads that grow with the network (every contact, every interaction): the screen stays responsive, and
        a newer read supersedes one still under way. A CrmError (the database busy, say) becomes a notification.
        """
        self._read_worker(read, show)

    @work(exclusive=True, group="data-screen-read")
    async def _read_worker(self, read: Callable[[ReadConnection], T], show: Callable[[T], None]) -> None:
        try:
            found = await asyncio.to_thread(self._read_with, read)
        except CrmError as err:
            self.notify(str(err), severity="error")
            return
        show(found)

    def _read_with(self, read: Callable[[ReadConnection], T]) -> T:
        with self.context.reading_in_thread() as conn:
            return read(conn)

    def first_frame_shown(self) -> None:
        """The app's first frame is on screen: what the screen left out of it to paint sooner can come now."""

    def selected_contact_id(self) -> int | None:
        return None

    def _selected(self) -> int | None:
        contact_id = self.selected_contact_id()
        if contact_id is None:
            self.notify("Select a contact first.", severity="warning")
        return contact_id

    def request(self, action: ContactAction, contact_id: int | None = None) -> None:
        """Ask the app to carry out `action` on `contact_id` (default: the selected contact)."""
        if contact_id is None and (contact_id := self._selected()) is None:
            return
        self.post_message(ContactActionRequested(action, contact_id))

    def action_open(self) -> None:
        self.request("open")

    def action_log(self) -> None:
        self.request("log")

    def action_done(self) -> None:
        self.request("done")

    def action_draft(self) -> None:
        self.request("draft")

    def action_snooze(self) -> None:
        self.request("snooze")

    # -- the command palette -------------------------------------------------------------------------

    def palette_commands(self, name: str | None) -> Iterator[PaletteCommand]:
        """This screen's commands; `name` is the selected contact's (None when nobody is selected)."""
        contact_id = self.selected_contact_id()
        if contact_id is None or name is None:
            return

        def asking(action: ContactAction) -> Callable[[], None]:
            return lambda: self.request(action, contact_id)

        yield PaletteCommand(f"Log an interaction with {name}", "Message, reply, chat, intro... (l)", asking("log"))
        yield PaletteCommand(f"Mark {name}'s follow-up done", "The next comes by cadence (x)", asking("done"))
        yield PaletteCommand(f"Snooze {name}'s follow-up", "Move it to a later date (s)", asking("snooze"))
        yield PaletteCommand(
            f"Draft a message to {name}", "Template, live word count and checks, send (d)", asking("draft")
        )
        yield from self.palette_open(name, asking("open"))
        yield PaletteCommand(
            f"Prep for a coffee chat with {name}",
            "Who they are, how you met, earlier chats, open promises, questions (p, on their page)",
            asking("prep"),
        )
        yield PaletteCommand(f"Edit {name}", "Change their profile (e, on their page)", asking("edit"))
        yield PaletteCommand(
            f"Add a hook for {name}", "A post, talk or launch to cite (h, on their page)", asking("add_hook")
        )
        yield PaletteCommand(
            f"Merge a duplicate into {name}…",
            f"The same person twice: their history moves to {name} (m, on their page)",
            asking("merge"),
        )
        yield PaletteCommand(
            f"Forget {name}…", "Delete them and all their history for good (you type the name to confirm)",
            asking("forget"),
        )  # fmt: skip

    def palette_open(self, name: str, open_contact: Callable[[], None]) -> Iterator[PaletteCommand]:
        yield PaletteCommand(f"Open {name}", "Profile, hooks, timeline (enter)", open_contact)
