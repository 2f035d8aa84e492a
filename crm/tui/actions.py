"""What can be done to a contact from anywhere in the app: open, log, done, snooze, draft, edit, add a hook.

The app carries these out when a screen asks (ContactActionRequested). Each write is one domain call in one
transaction of the store; a CrmError (the database busy included) becomes a notification or a message in the
form, never a crash. Forms, the draft screen and the ORM are imported when first used, not at start-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from crm.contacts.reads import contact_name
from crm.dates import weekday_date
from crm.errors import CrmError
from crm.tui.context import AppContext
from crm.tui.messages import ContactAction, DataChanged

if TYPE_CHECKING:
    from sqlmodel import Session
    from textual.app import App

    from crm.contacts.fields import ContactChanges
    from crm.models import Contact
    from crm.tui.screens.hook_form import HookEntry
    from crm.tui.screens.log_form import LogEntry

T = TypeVar("T")


def gone(contact_id: int) -> CrmError:
    return CrmError(f"contact #{contact_id} no longer exists (was it forgotten from the CLI?)")


def contact_in(session: Session, contact_id: int) -> Contact:
    """The contact as the ORM has it, for a write; CrmError when they are gone."""
    from crm.models import Contact

    contact = session.get(Contact, contact_id)
    if contact is None:
        raise gone(contact_id)
    return contact


class ContactActions:
    """Carries out what the user asks for, on the app's behalf: pushes forms and screens, writes, notifies."""

    def __init__(self, app: App, context: AppContext) -> None:
        self.app = app
        self.context = context

    @property
    def today(self) -> dt.date:
        return self.context.today

    def run(self, action: ContactAction, contact_id: int) -> None:
        {
            "open": self.open,
            "log": self.log,
            "done": self.done,
            "snooze": self.snooze,
            "draft": self.draft,
            "edit": self.edit,
            "add_hook": self.add_hook,
        }[action](contact_id)

    # -- writing ----------------------------------------------------------------------------------------

    def write(self, change: Callable[[Session], T]) -> T:
        """Run one domain change in one transaction; a CrmError leaves nothing written and propagates."""
        with self.context.store.write() as session:
            result = change(session)
        self.app.post_message(DataChanged())
        return result

    def try_write(self, change: Callable[[Session], object], *, done: str | None = None) -> bool:
        """`write`, reporting a CrmError (the database busy, say) as a notification rather than raising it."""
        try:
            self.write(change)
        except CrmError as err:
            self.app.notify(str(err), severity="error")
            return False
        if done:
            self.app.notify(done)
        return True

    def name_or_notify(self, contact_id: int) -> str | None:
        """The contact's name, or None after telling the user they are gone (forgotten from the CLI, say)."""
        name = contact_name(self.context.reader, contact_id)
        if name is None:
            self.app.notify(str(gone(contact_id)), severity="error")
        return name

    # -- the actions --------------------------------------------------------------------------------------

    def open(self, contact_id: int) -> None:
        from crm.tui.screens.contact import ContactScreen

        if self.name_or_notify(contact_id) is None:
            return
        screen = self.app.screen
        if isinstance(screen, ContactScreen):
            if screen.contact_id != contact_id:
                self.app.switch_screen(ContactScreen(self.context, contact_id))
        else:
            self.app.push_screen(ContactScreen(self.context, contact_id))

    def load_demo(self) -> None:
        from crm.demo import load_demo

        summary: list[str] = []
        if self.try_write(lambda session: summary.append(load_demo(session=session, today=self.today))):
            self.app.notify(summary[0].split(". Try:")[0] + ".", title="Sample data loaded")

    def add_contact(self) -> None:
        from crm.tui.screens.contact_form import ContactFormModal

        def save(changes: ContactChanges) -> int:
            from crm.contacts.writes import create_contact

            return self.write(lambda session: create_contact(session=session, changes=changes, today=self.today).id)

        def saved(contact_id: int | None) -> None:
            if contact_id is not None:
                self.app.notify(f"Saved {contact_name(self.context.reader, contact_id)}.")
                self.open(contact_id)

        self.app.push_screen(ContactFormModal(today=self.today, save=save), saved)

    def edit(self, contact_id: int) -> None:
        from crm.contacts.reads import contact_details
        from crm.tui.screens.contact_form import ContactFormModal, initial_values

        try:
            details = contact_details(self.context.reader, contact_id, today=self.today)
        except CrmError as err:
            self.app.notify(str(err), severity="error")
            return

        def save(changes: ContactChanges) -> int:
            def change(session: Session) -> int:
                from crm.contacts.writes import edit_contact

                contact = contact_in(session, contact_id)
                return edit_contact(session=session, contact=contact, changes=changes, today=self.today).id

            return self.write(change)

        self.app.push_screen(
            ContactFormModal(
                today=self.today, save=save, initial=initial_values(details), title=f"Edit {details['name']}"
            ),
            lambda saved: self.app.notify(f"Saved {details['name']}.") if saved is not None else None,
        )

    def draft(self, contact_id: int) -> None:
        """Open the draft screen on the template that fits what is due for them."""
        from crm.followups.reads import fitting_template
        from crm.tui.screens.draft import DraftScreen

        if self.name_or_notify(contact_id) is None:
            return
        template = fitting_template(self.context.reader, contact_id)
        self.app.push_screen(DraftScreen(self.context, contact_id, template=template, write=self.try_write))

    def log(self, contact_id: int) -> None:
        from crm.tui.screens.log_form import LogInteractionModal

        if (name := self.name_or_notify(contact_id)) is None:
            return

        def save(entry: LogEntry) -> LogEntry:
            from crm.contacts.interactions import log_interaction

            self.write(
                lambda session: log_interaction(
                    session=session,
                    contact=contact_in(session, contact_id),
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
                self.app.notify(f"Logged a {entry.kind} with {name}.")

        self.app.push_screen(LogInteractionModal(contact_name=name, today=self.today, save=save), logged)

    def done(self, contact_id: int) -> None:
        def change(session: Session) -> None:
            from crm.followups.writes import mark_done

            mark_done(session=session, contact=contact_in(session, contact_id), today=self.today)

        name = contact_name(self.context.reader, contact_id) or f"#{contact_id}"
        self.try_write(change, done=f"Done: {name}'s follow-up; the next comes by their cadence.")

    def snooze(self, contact_id: int) -> None:
        from crm.tui.screens.snooze import SnoozeModal

        if (name := self.name_or_notify(contact_id)) is None:
            return

        def save(until: dt.date) -> dt.date:
            from crm.followups.writes import snooze

            self.write(
                lambda session: snooze(
                    session=session, contact=contact_in(session, contact_id), until=until, today=self.today
                )
            )
            return until

        def snoozed(until: dt.date | None) -> None:
            if until is not None:
                self.app.notify(f"Snoozed {name} until {weekday_date(until, today=self.today)}.")

        self.app.push_screen(SnoozeModal(contact_name=name, today=self.today, save=save), snoozed)

    def add_hook(self, contact_id: int) -> None:
        from crm.tui.screens.hook_form import HookModal

        if (name := self.name_or_notify(contact_id)) is None:
            return

        def save(entry: HookEntry) -> HookEntry:
            from crm.contacts.hooks import add_hook

            self.write(
                lambda session: add_hook(
                    session=session, contact=contact_in(session, contact_id), text=entry.text, url=entry.url,
                    date=entry.date,
                )
            )  # fmt: skip
            return entry

        self.app.push_screen(
            HookModal(contact_name=name, today=self.today, save=save),
            lambda entry: self.app.notify(f"Added a hook for {name}.") if entry is not None else None,
        )
