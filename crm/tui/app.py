"""The Textual app: screens over the domain layer, one read connection and one engine for writes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from crm.contacts.fields import ContactChanges
from crm.contacts.reads import contact_details
from crm.errors import CrmError
from crm.followups import reads as agenda
from crm.store import db
from crm.tui.commands import ContactsProvider
from crm.tui.formatting import weekday_date
from crm.tui.screens.base import DataScreen
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contact_form import ContactFormModal, initial_values
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.help import HelpModal
from crm.tui.screens.hook_form import HookEntry, HookModal
from crm.tui.screens.log_form import LogEntry, LogInteractionModal
from crm.tui.screens.snooze import SnoozeModal
from crm.tui.screens.week import WeekScreen
from crm.tui.screens.welcome import WelcomeChoice, WelcomeScreen

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from crm.models import Contact

# The ORM (SQLAlchemy, the models, the write-side domain modules) is imported on the first write, not
# at start-up: every screen reads through plain sqlite3, so the first paint never waits for it.

T = TypeVar("T")

# Keys that switch screens or open the help; off while a form or the help is open, so they cannot
# yank the user out of half-typed input (inputs take printable keys anyway, but buttons and selects do not).
_NAVIGATION = {"show_week", "show_contacts", "help", "add_contact", "quit"}


class CrmApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "crm"
    COMMANDS = App.COMMANDS | {ContactsProvider}
    MODES: ClassVar = {"week": WeekScreen, "contacts": ContactsScreen}
    DEFAULT_MODE = "week"
    BINDINGS = [
        Binding("w", "show_week", "Week"),
        Binding("c", "show_contacts", "Contacts"),
        Binding("a", "add_contact", "Add", show=False),  # shown by the week and contacts screens
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
    ]

    # Tests turn this off so the cursor never blinks mid-snapshot.
    cursor_blink: ClassVar[bool] = True

    def __init__(self, *, db_path: Path, today: dt.date, engine: Engine | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.today = today
        self._engine = engine
        self._owns_engine = engine is None
        self.conn: sqlite3.Connection | None = None
        self.data_version = 0

    # -- the store -----------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = db.make_engine(self.db_path)
        return self._engine

    def on_load(self) -> None:
        try:
            db.prepare(self.db_path)
            self.conn = db.connect(self.db_path)
            agenda.ensure_current(self.db_path, self.conn)
        except (CrmError, sqlite3.Error) as err:
            self._open_error: str | None = f"cannot open {self.db_path}: {err}"
            return
        self._open_error = None

    def on_mount(self) -> None:
        if self._open_error is not None:
            self.exit(return_code=2, message=self._open_error)
            return
        if self.conn.execute("SELECT 1 FROM contact LIMIT 1").fetchone() is None:
            self.push_screen(WelcomeScreen(), self._welcome_chosen)

    def on_unmount(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        if self._engine is not None and self._owns_engine:
            self._engine.dispose()
            self._engine = None

    def write(self, change: Callable[[Session], T]) -> T:
        """Run one domain change in one transaction; a CrmError leaves nothing written and propagates."""
        try:
            with db.write_session(self.engine) as session:
                result = change(session)
        except sqlite3.OperationalError as err:  # e.g. the CLI holding the write lock past the busy timeout
            raise CrmError(f"the database is busy or unwritable ({err}): try again") from None
        self.data_changed()
        return result

    def try_write(self, change: Callable[[Session], object], *, done: str | None = None) -> bool:
        """`write`, reporting a CrmError as a notification rather than raising it."""
        try:
            self.write(change)
        except CrmError as err:
            self.notify(str(err), severity="error")
            return False
        if done:
            self.notify(done)
        return True

    def data_changed(self) -> None:
        """Screens reload when next shown; the one in front (if not under a modal) reloads now."""
        self.data_version += 1
        if isinstance(self.screen, DataScreen):
            self.screen.reload()

    @staticmethod
    def contact_in(session: Session, contact_id: int) -> Contact:
        from crm.models import Contact

        contact = session.get(Contact, contact_id)
        if contact is None:
            raise CrmError(f"contact #{contact_id} no longer exists (was it forgotten from the CLI?)")
        return contact

    def _name_or_notify(self, contact_id: int) -> str | None:
        """The contact's name, or None after telling the user they are gone (forgotten from the CLI, say)."""
        try:
            return self.contact_name(contact_id)
        except CrmError as err:
            self.notify(str(err), severity="error")
            return None

    def contact_name(self, contact_id: int) -> str:
        row = self.conn.execute("SELECT name FROM contact WHERE id = ?", (contact_id,)).fetchone()
        if row is None:
            raise CrmError(f"contact #{contact_id} no longer exists (was it forgotten from the CLI?)")
        return row[0]

    # -- navigation ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action in _NAVIGATION and isinstance(self.screen, ModalScreen | WelcomeScreen))

    async def _show_mode(self, mode: str) -> None:
        if self.current_mode != mode:
            await self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def action_show_week(self) -> None:
        await self._show_mode("week")

    async def action_show_contacts(self) -> None:
        await self._show_mode("contacts")

    def action_help(self) -> None:
        self.push_screen(HelpModal())

    def open_contact(self, contact_id: int) -> None:
        if self._name_or_notify(contact_id) is None:
            return
        if isinstance(self.screen, ContactScreen):
            if self.screen.contact_id == contact_id:
                return
            self.switch_screen(ContactScreen(contact_id))
        else:
            self.push_screen(ContactScreen(contact_id))

    def _welcome_chosen(self, choice: WelcomeChoice | None) -> None:
        if choice == "demo":
            self.load_demo()
        elif choice == "add":
            self.action_add_contact()

    # -- actions on contacts (each write is one domain call in one transaction) --------------------

    def load_demo(self) -> None:
        from crm.demo import load_demo

        summary: list[str] = []
        if self.try_write(lambda session: summary.append(load_demo(session=session, today=self.today))):
            self.notify(summary[0].split(". Try:")[0] + ".", title="Sample data loaded")

    def action_add_contact(self) -> None:
        def save(changes: ContactChanges) -> int:
            from crm.contacts.writes import create_contact

            return self.write(lambda session: create_contact(session=session, changes=changes, today=self.today).id)

        self.push_screen(ContactFormModal(today=self.today, save=save), self._contact_saved)

    def _contact_saved(self, contact_id: int | None) -> None:
        if contact_id is not None:
            self.notify(f"Saved {self.contact_name(contact_id)}.")
            self.open_contact(contact_id)

    def edit_contact(self, contact_id: int) -> None:
        try:
            details = contact_details(self.conn, contact_id, today=self.today)
        except CrmError as err:
            self.notify(str(err), severity="error")
            return

        def save(changes: ContactChanges) -> int:
            def change(session: Session) -> int:
                from crm.contacts.writes import edit_contact

                contact = self.contact_in(session, contact_id)
                return edit_contact(session=session, contact=contact, changes=changes, today=self.today).id

            return self.write(change)

        self.push_screen(
            ContactFormModal(
                today=self.today, save=save, initial=initial_values(details), title=f"Edit {details['name']}"
            ),
            lambda saved: self.notify(f"Saved {details['name']}.") if saved is not None else None,
        )

    def draft(self, contact_id: int) -> None:
        """Open the draft screen: template, project, editable text with live checks, copy, save, send."""
        from crm.tui.screens.draft import DraftScreen

        if self._name_or_notify(contact_id) is None:
            return
        self.push_screen(DraftScreen(contact_id, template=self._suggested_template(contact_id)))

    def _suggested_template(self, contact_id: int) -> str:
        """The template that fits what is due: a nudge for a nudge, a thank-you after a chat, ..."""
        row = self.conn.execute("SELECT next_follow_up_key FROM contact WHERE id = ?", (contact_id,)).fetchone()
        key = (row[0] or "") if row else ""
        for prefix, template in (
            ("nudge-", "nudge"), ("chat-", "thank-you"), ("intro-", "intro-thanks"), ("keep-", "keep-in-touch"),
        ):  # fmt: skip
            if key.startswith(prefix):
                return template
        return "first-message"

    def log_interaction(self, contact_id: int) -> None:
        if (name := self._name_or_notify(contact_id)) is None:
            return

        def save(entry: LogEntry) -> LogEntry:
            from crm.contacts.interactions import log_interaction

            self.write(
                lambda session: log_interaction(
                    session=session,
                    contact=self.contact_in(session, contact_id),
                    kind=entry.kind,
                    date=entry.date,
                    today=self.today,
                    notes=entry.notes,
                    takeaways=entry.takeaways,
                    next_step=entry.next_step,
                    follow_up=entry.follow_up,
                    intro_to=entry.intro_to,
                )
            )
            return entry

        def logged(entry: LogEntry | None) -> None:
            if entry is not None:
                self.notify(f"Logged a {entry.kind} with {name}.")

        self.push_screen(LogInteractionModal(contact_name=name, today=self.today, save=save), logged)

    def mark_done(self, contact_id: int) -> None:
        from crm.followups.writes import mark_done

        self.try_write(
            lambda session: mark_done(session=session, contact=self.contact_in(session, contact_id), today=self.today),
            done=f"Done: {self._safe_name(contact_id)}'s follow-up; the next comes by their cadence.",
        )

    def snooze(self, contact_id: int) -> None:
        if (name := self._name_or_notify(contact_id)) is None:
            return

        def save(until: dt.date) -> dt.date:
            from crm.followups.writes import snooze

            self.write(
                lambda session: snooze(
                    session=session, contact=self.contact_in(session, contact_id), until=until, today=self.today
                )
            )
            return until

        def snoozed(until: dt.date | None) -> None:
            if until is not None:
                self.notify(f"Snoozed {name} until {weekday_date(until, today=self.today)}.")

        self.push_screen(SnoozeModal(contact_name=name, today=self.today, save=save), snoozed)

    def add_hook(self, contact_id: int) -> None:
        if (name := self._name_or_notify(contact_id)) is None:
            return

        def save(entry: HookEntry) -> HookEntry:
            from crm.contacts.hooks import add_hook

            self.write(
                lambda session: add_hook(
                    session=session,
                    contact=self.contact_in(session, contact_id),
                    text=entry.text,
                    url=entry.url,
                    date=entry.date,
                )
            )
            return entry

        self.push_screen(
            HookModal(contact_name=name, today=self.today, save=save),
            lambda entry: self.notify(f"Added a hook for {name}.") if entry is not None else None,
        )

    def _safe_name(self, contact_id: int) -> str:
        try:
            return self.contact_name(contact_id)
        except CrmError:
            return f"#{contact_id}"

    # -- the command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("This week", "Overdue and due follow-ups, awaiting reply (w)", self.action_show_week)
        yield SystemCommand("Contacts", "Everyone, sortable, with a live filter (c)", self.action_show_contacts)
        yield SystemCommand("Add a contact", "Open the new-contact form (a)", self.action_add_contact)
        if isinstance(screen, DataScreen):
            selected = screen.selected_contact_id()
            if selected is not None:
                name = self._safe_name(selected)
                yield SystemCommand(
                    f"Log an interaction with {name}",
                    "Message, reply, chat, intro... (l)",
                    lambda: self.log_interaction(selected),
                )
                yield SystemCommand(
                    f"Mark {name}'s follow-up done", "The next comes by cadence (x)", lambda: self.mark_done(selected)
                )
                yield SystemCommand(
                    f"Snooze {name}'s follow-up", "Move it to a later date (s)", lambda: self.snooze(selected)
                )
                yield SystemCommand(
                    f"Draft a message to {name}",
                    "Template, live word count and checks, send (d)",
                    lambda: self.draft(selected),
                )
                if not isinstance(screen, ContactScreen):
                    yield SystemCommand(
                        f"Open {name}", "Profile, hooks, timeline (enter)", lambda: self.open_contact(selected)
                    )
                yield SystemCommand(
                    f"Edit {name}", "Change their profile (e, on their page)", lambda: self.edit_contact(selected)
                )
                yield SystemCommand(
                    f"Add a hook for {name}",
                    "A post, talk or launch to cite (h, on their page)",
                    lambda: self.add_hook(selected),
                )
        if isinstance(screen, ContactsScreen):
            yield SystemCommand(
                "Filter contacts", "By name, company, team, tag or hook (/)", screen.action_focus_filter
            )
            yield SystemCommand(
                "Sort by the next column", "Name, company, team, stage, last, next (o)", screen.action_next_sort
            )
        if self.conn is not None and self.conn.execute("SELECT 1 FROM contact LIMIT 1").fetchone() is None:
            yield SystemCommand("Load sample data", "A fictional network to try crm on", self.load_demo)
        yield SystemCommand("Help", "Every key, screen by screen (?)", self.action_help)
        yield from super().get_system_commands(screen)


def create_app(*, db_path: Path, today: dt.date) -> CrmApp:
    return CrmApp(db_path=db_path, today=today)


def run_tui(db_path: Path, *, create_folder: bool) -> None:
    """Prepare (create or migrate) the database, then run the app until the user quits."""
    from crm.dates import today

    db.prepare(db_path, create_folder=create_folder)
    create_app(db_path=db_path, today=today()).run()
