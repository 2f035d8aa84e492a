"""The Textual app: opens on This week over the one Store, and carries out what its screens ask for.

Only This week is imported at start-up: the other screens (Insights and Companies with crm.insights), the forms, the
command palette's contacts, the ORM and the templates load when first used, so the first paint waits for none of them.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable
from contextlib import suppress
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, SystemCommand
from textual.command import Provider
from textual.screen import ModalScreen, Screen

from crm.contacts.reads import contact_name, has_contacts
from crm.errors import CrmError
from crm.store.changes import change_mark
from crm.tui import keys, memory
from crm.tui.context import AppContext
from crm.tui.formatting import show_control_characters
from crm.tui.messages import ContactActionRequested, DataChanged, PromiseDoneRequested
from crm.tui.screens.base import DataScreen
from crm.tui.screens.week import WeekScreen

if TYPE_CHECKING:
    from crm.store.changes import ServerChanges
    from crm.store.store import Store
    from crm.tui.actions import ContactActions
    from crm.tui.profile_actions import ProfileActions
    from crm.tui.screens.welcome import WelcomeChoice

# Keys that switch screens or open the help; off while a form, the help or the welcome is open, so they cannot
# yank the user out of half-typed input (inputs take printable keys anyway, but buttons and selects do not).
_NAVIGATION = {
    "show_week", "show_contacts", "show_insights", "show_companies", "show_profile", "help", "add_contact", "quit",
}  # fmt: skip


# A full collection holds the interpreter for tens of milliseconds: not while the first frame is still being
# written out, nor while the rest of This week is filled in.
SETTLE_AFTER_S = 1.0

# How often the app looks for other programs' writes (`crm log` in a shell, another device) and for a new day.
WATCH_SECONDS = 2.0

# The other screens' rules, added to the stylesheet once the first frame is on screen (or before another screen is
# shown, if sooner): Textual parses an app's CSS three times while it starts, and these style nothing it shows first.
LATER_CSS = Path(__file__).with_name("screens.tcss")
FIRST_PAINT_SCREENS = ("WeekScreen", "WelcomeScreen")  # styled by app.tcss alone


def _contacts_provider() -> type[Provider]:
    from crm.tui.commands import ContactsProvider

    return ContactsProvider


class CrmApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "crm"
    COMMANDS = App.COMMANDS | {_contacts_provider}
    DEFAULT_MODE = "week"
    BINDINGS = keys.APP

    def __init__(self, store: Store, today: dt.date) -> None:
        super().__init__()
        show_control_characters()  # a stored ESC[2J or OSC 52 is shown as text, never obeyed
        self.store = store
        self.context = AppContext(store, today)
        self.add_mode("week", lambda: WeekScreen(self.context))
        self.add_mode("contacts", self._contacts_screen)
        self.add_mode("insights", self._insights_screen)
        self.add_mode("companies", self._companies_screen)
        self.add_mode("you", self._profile_screen)
        self._open_error: str | None = None
        self._change_mark: int | None = None
        self._server_changes: ServerChanges | None = None  # PostgreSQL: the watcher's own connection
        self._looking = False

    @property
    def today(self) -> dt.date:
        """The day the app shows (a new one at midnight: _look_for_changes)."""
        return self.context.today

    @cached_property
    def actions(self) -> ContactActions:
        """What the screens ask for, carried out (loaded on first use: the first paint needs none of it)."""
        from crm.tui.actions import ContactActions

        return ContactActions(self, self.context)

    @cached_property
    def profile_actions(self) -> ProfileActions:
        """The profile and project forms, for the welcome, the You screen, the draft screen and the palette."""
        from crm.tui.profile_actions import ProfileActions

        return ProfileActions(self, self.context, self.actions.write)

    def _profile_screen(self) -> Screen:
        from crm.tui.screens.profile import ProfileScreen

        return ProfileScreen(self.context)

    def _contacts_screen(self) -> Screen:
        from crm.tui.screens.contacts import ContactsScreen

        return ContactsScreen(self.context)

    def _insights_screen(self) -> Screen:
        from crm.tui.screens.insights import InsightsScreen

        return InsightsScreen(self.context)

    def _companies_screen(self) -> Screen:
        from crm.tui.screens.companies import CompaniesScreen

        return CompaniesScreen(self.context)

    # -- the store -----------------------------------------------------------------------------------

    def on_load(self) -> None:
        try:
            self.store.open()  # once per process: a no-op when the CLI has opened it already
        except CrmError as err:
            self._open_error = str(err)

    def on_mount(self) -> None:
        if self._open_error is not None:
            self.exit(return_code=2, message=self._open_error)
            return
        if not has_contacts(self.store.reader):
            self._welcome()

    def _welcome(self) -> None:
        from crm.tui.screens.welcome import WelcomeScreen

        welcome = WelcomeScreen(
            self.context,
            set_up=lambda then: self.profile_actions.walkthrough(then),
            add_project=lambda then: self.profile_actions.add_project(then=lambda _: then()),
        )
        self.push_screen(welcome, self._welcome_chosen)

    def on_ready(self) -> None:
        """The first frame is laid out (Textual's Ready); once it is drawn, the screens fill in what they left out.

        Queued on the screen, behind the refresh that draws the frame, so it does not hold that refresh up.
        """
        self.screen.call_later(self._first_frame_shown)

    def _first_frame_shown(self) -> None:
        self._add_later_css()
        if not gc.isenabled():  # run_tui paused collection for start-up: resume it, and tidy up once idle
            gc.enable()
            self.set_timer(SETTLE_AFTER_S, memory.settle)
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen):
                screen.first_frame_shown()
        self._watch_for_changes()

    def _load_screen_css(self, screen: Screen) -> None:
        """Textual's step as it shows a screen: any but the first paint's brings screens.tcss in first."""
        if type(screen).__name__ not in FIRST_PAINT_SCREENS:
            self._add_later_css()
        super()._load_screen_css(screen)

    def _add_later_css(self) -> None:
        """Add screens.tcss to the stylesheet (once), as Textual adds a screen's CSS_PATH when it is first shown."""
        path = str(LATER_CSS)
        if self.stylesheet.has_source(path, ""):
            return
        if self.css_monitor is not None:  # `textual run --dev` reloads it on change, like app.tcss
            self.css_monitor.add_paths([LATER_CSS])
        self.stylesheet.read(LATER_CSS)
        self.stylesheet.reparse()
        self.stylesheet.update(self)

    def on_unmount(self) -> None:
        memory.thaw()
        if self._server_changes is not None:
            self._server_changes.close()

    def on_data_changed(self, message: DataChanged) -> None:
        """Screens reload when next shown; the one in front (if not under a modal) reloads now."""
        self._reload()

    def _reload(self, mark: int | None = None) -> None:
        """Reload what is on screen; `mark`, when the watcher just read it, is the database's change mark now."""
        if self._change_mark is not None:  # what the reload reads includes every write up to now
            mark = change_mark(self.store.reader) if mark is None else mark
            self._change_mark = self._change_mark if mark is None else mark
        self.context.version += 1
        if isinstance(self.screen, DataScreen):
            self.screen.reload()

    # -- other programs' writes, and midnight --------------------------------------------------------

    def _watch_for_changes(self) -> None:
        """From the first frame on: every WATCH_SECONDS, show what another program wrote, and a new day's week."""
        if self.store.url is not None:
            from crm.store.changes import ServerChanges

            self._server_changes = ServerChanges(self.store.url)
        self._change_mark = change_mark(self.store.reader)
        self.set_interval(WATCH_SECONDS, self._look_for_changes)

    def _look_for_changes(self) -> None:
        from crm import dates

        try:
            today = dates.today()
        except CrmError:  # $CRM_TODAY edited into nonsense under a running app: keep the day it started with
            today = self.context.today
        if today != self.context.today:
            self.context.today = today
            self._reload()
        if self._change_mark is None:
            return
        if self._server_changes is None:
            self._compare_mark(change_mark(self.store.reader))
        elif not self._looking:  # one look at the server at a time, however long it takes to answer
            self._looking = True
            self._look_on_server()

    @work(thread=True, group="change-watch")
    def _look_on_server(self) -> None:
        mark = None
        try:
            mark = self._server_changes.mark()
        finally:
            with suppress(RuntimeError):  # the app closed meanwhile
                self.call_from_thread(self._server_looked, mark)

    def _server_looked(self, mark: int | None) -> None:
        self._looking = False
        self._compare_mark(mark)

    def _compare_mark(self, mark: int | None) -> None:
        if mark is not None and mark != self._change_mark:
            self._reload(mark)

    def on_contact_action_requested(self, message: ContactActionRequested) -> None:
        self.actions.run(message.action, message.contact_id)

    def on_promise_done_requested(self, message: PromiseDoneRequested) -> None:
        self.actions.done_promise(message.promise_id)

    # -- navigation ----------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action not in _NAVIGATION:
            return True
        screen = self.screen
        return not isinstance(screen, ModalScreen) and getattr(screen, "ALLOWS_NAVIGATION", True)

    async def _show_mode(self, mode: str) -> None:
        if self.current_mode != mode:
            await self.switch_mode(mode)
        unsaved = [screen for screen in self.screen_stack[1:] if _unsaved(screen)]
        if unsaved:
            # Going back to this mode's first screen would drop typed work: show it, and ask.
            from crm.tui.screens.confirm_discard import ConfirmDiscard

            def answered(discard: bool | None) -> None:
                if discard:
                    self.call_later(self._pop_to_first)

            message = getattr(unsaved[-1], "DISCARD_MESSAGE", "Discard your changes?")
            self.push_screen(ConfirmDiscard(message), answered)
            return
        await self._pop_to_first()

    async def _pop_to_first(self) -> None:
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    async def action_quit(self) -> None:
        """Quit, unless typed work would be lost: then ask first (ctrl+q from inside a form included)."""
        if not any(_unsaved(screen) for stack in self._screen_stacks.values() for screen in stack):
            self.exit()
            return
        from crm.tui.screens.confirm_discard import ConfirmDiscard

        self.push_screen(
            ConfirmDiscard("Quit and discard your unsaved changes?", discard_label="Quit"),
            lambda discard: self.exit() if discard else None,
        )

    async def action_show_week(self) -> None:
        await self._show_mode("week")

    async def action_show_contacts(self) -> None:
        await self._show_mode("contacts")

    async def action_show_insights(self) -> None:
        await self._show_mode("insights")

    async def action_show_companies(self) -> None:
        await self._show_mode("companies")

    async def action_show_profile(self) -> None:
        await self._show_mode("you")

    def action_edit_profile(self, field: str | None = None) -> None:
        self.profile_actions.edit_profile(field=field)

    def action_add_project(self) -> None:
        self.profile_actions.add_project()

    def action_help(self) -> None:
        from crm.tui.screens.help import HelpModal

        self.push_screen(HelpModal())

    def action_add_contact(self) -> None:
        self.actions.add_contact()

    def action_undo_done(self) -> None:
        self.actions.undo_done()

    def action_import_linkedin(self) -> None:
        self.actions.import_linkedin()

    def _welcome_chosen(self, choice: WelcomeChoice | None) -> None:
        if choice == "demo":
            self.actions.load_demo()
        elif choice == "linkedin":
            self.actions.import_linkedin(cancelled=self._welcome_again)
        elif choice == "add":
            self.actions.add_contact()

    def _welcome_again(self) -> None:
        """Back from an import left undone: the choices again, while the database is still empty."""
        if not has_contacts(self.store.reader):
            self._welcome()

    # -- the command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("This week", "Overdue and due follow-ups, awaiting reply (w)", self.action_show_week)
        yield SystemCommand("Contacts", "Everyone, sortable, with a live filter (c)", self.action_show_contacts)
        yield SystemCommand(
            "Insights", "Funnel, reply rate, weekly trend, reply rate by template (i)", self.action_show_insights
        )
        yield SystemCommand(
            "Companies", "Who you know where, the warmest contact, cold targets (t)", self.action_show_companies
        )
        yield SystemCommand("Add a contact", "Open the new-contact form (a)", self.action_add_contact)
        yield SystemCommand(
            "Edit my profile", "Name, school, year, major, target: what first messages say", self.action_edit_profile
        )
        yield SystemCommand("Add a project", "Something you shipped, with a measured result", self.action_add_project)
        yield SystemCommand("You: my profile and projects", "As first messages cite them (y)", self.action_show_profile)
        yield SystemCommand(
            "Import LinkedIn connections",
            "Your Connections.csv: see what it adds and updates, then import",
            self.action_import_linkedin,
        )
        if isinstance(screen, DataScreen):
            selected = screen.selected_contact_id()
            name = contact_name(self.store.reader, selected) if selected is not None else None
            for command in screen.palette_commands(name):
                yield SystemCommand(*command)
        if not has_contacts(self.store.reader):
            yield SystemCommand("Load sample data", "A fictional network to try crm on", self.actions.load_demo)
        yield SystemCommand("Help", "Every key, screen by screen (?)", self.action_help)
        yield from super().get_system_commands(screen)


def _unsaved(screen: Screen) -> bool:
    """Whether the screen holds typed work that is not saved (forms and the draft screen say)."""
    has_unsaved_work = getattr(screen, "has_unsaved_work", None)
    return bool(has_unsaved_work and has_unsaved_work())


def create_app(*, store: Store, today: dt.date) -> CrmApp:
    return CrmApp(store, today)
