"""What can be done from anywhere in the app: to a contact (open, log, done, snooze, draft, edit, add a hook,
merge a duplicate into them, read the coffee-chat prep brief, forget them), and to the network (load the sample,
import LinkedIn connections).

The app carries these out when a screen asks (ContactActionRequested). Each write is one domain call in one
transaction of the store; a CrmError (the database busy included) becomes a notification or a message in the
form, never a crash. Forms, the draft screen and the ORM are imported when first used, not at start-up.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from crm.contacts.reads import contact_name
from crm.dates import weekday_date, weekend_note
from crm.errors import CrmError
from crm.tui.context import AppContext
from crm.tui.messages import ContactAction, DataChanged

if TYPE_CHECKING:
    from pathlib import Path

    from sqlmodel import Session
    from textual.app import App

    from crm.contacts.duplicates import Suggestion
    from crm.contacts.fields import ContactChanges
    from crm.contacts.merge import MergePlan
    from crm.followups.promises import PromiseUndo
    from crm.followups.writes import DoneUndo
    from crm.formats.linkedin import ImportSummary, LinkedInExport
    from crm.insights.prep import Brief
    from crm.models import Contact
    from crm.store.store import ReadConnection
    from crm.tui.screens.hook_form import HookEntry
    from crm.tui.screens.linkedin_import import ImportPreview, Progress
    from crm.tui.screens.log_form import LogEntry
    from crm.tui.screens.merge import Candidate

T = TypeVar("T")

# How long `u` can undo an `x`: the undo toast shows as long.
UNDO_SECONDS = 8.0


@dataclass(frozen=True)
class Undo:
    """The last `x`, undoable until `until` (on ContactActions.clock): `undo` writes it back and says what it did."""

    undo: Callable[[Session], str]
    until: float
    option_id: str  # its row in This week


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
        self.clock: Callable[[], float] = time.monotonic  # the undo window's clock (tests move it on)
        self._undo: Undo | None = None

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
            "merge": self.merge,
            "prep": self.prep,
            "forget": self.forget,
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

    def reading_in_thread(self) -> AbstractContextManager[ReadConnection]:
        """A connection for reads in a worker thread, in one snapshot (AppContext.reading_in_thread)."""
        return self.context.reading_in_thread()

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

        def look_alike(changes: ContactChanges) -> str | None:
            """Who they may already be, by the rules of `crm contact list --duplicates` (as `crm contact add` warns)."""
            from crm.contacts.duplicates import duplicate_warning, likely_duplicates

            name = changes.name or ""
            alike = likely_duplicates(self.context.reader, name=name, company=changes.company, email=changes.email,
                                      linkedin_url=changes.linkedin_url)  # fmt: skip
            return duplicate_warning(name, alike) if alike else None

        self.app.push_screen(ContactFormModal(today=self.today, save=save, look_alike=look_alike), saved)

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

        said: list[str] = []

        def save(entry: LogEntry) -> LogEntry:
            from crm.contacts.interactions import record_interaction

            done = self.write(
                lambda session: record_interaction(
                    session=session,
                    contact=contact_in(session, contact_id),
                    kind=entry.kind,
                    date=entry.date,
                    today=self.today,
                    notes=entry.notes,
                    takeaways=entry.takeaways,
                    next_step=entry.next_step,
                    next_step_due=entry.next_step_due,
                    follow_up=entry.follow_up,
                    intro_to=entry.intro_to,
                    advice=entry.advice,
                    suggested=entry.suggested,
                    promises=entry.promises,
                )
            )
            said[:] = logged_summary(done, today=self.today, name=name)
            return entry

        def logged(entry: LogEntry | None) -> None:
            if entry is not None:
                self.app.notify(" ".join([f"Logged a {entry.kind} with {name}.", *said]), markup=False)

        from crm.contacts.likely_kind import likely_kind

        kind = likely_kind(self.context.reader, contact_id)
        self.app.push_screen(LogInteractionModal(contact_name=name, today=self.today, save=save, kind=kind), logged)

    def done(self, contact_id: int) -> None:
        """`x`: the follow-up done (the next comes by cadence), undoable with `u` for UNDO_SECONDS."""

        def change(session: Session) -> DoneUndo:
            from crm.followups.writes import mark_done_undoably

            return mark_done_undoably(session=session, contact=contact_in(session, contact_id), today=self.today)

        self._undo = None  # `u` never reaches past an `x` that did not go through
        try:
            token = self.write(change)
        except CrmError as err:
            self.app.notify(str(err), severity="error")
            return
        due = token.follow_up.due if token.follow_up is not None else None
        after = f"; next due {weekday_date(due, today=self.today)}" if due else "; nothing more is scheduled"

        def undo(session: Session) -> str:
            from crm.followups.writes import undo_done

            back = undo_done(session=session, token=token)
            when = f", due {weekday_date(back.due, today=self.today)}" if back is not None else ""
            return f"Undone: {token.name}'s follow-up is back{when}."

        self._offer_undo(f"Marked {token.name}'s follow-up done{after} · u to undo", undo, f"due-{contact_id}")

    def done_promise(self, promise_id: int) -> None:
        """Mark one promise kept (`x` on it in This week); the contact's own follow-up stays as it is."""

        def change(session: Session) -> PromiseUndo:
            from crm.followups.promises import complete_promise_undoably

            return complete_promise_undoably(session=session, promise_id=promise_id, today=self.today)

        self._undo = None
        try:
            token = self.write(change)
        except CrmError as err:
            self.app.notify(str(err), severity="error")
            return

        def undo(session: Session) -> str:
            from crm.followups.promises import undo_promise_done

            undo_promise_done(session=session, token=token)
            return f"Undone: your promise to {token.name} is open again ({token.text})."

        self._offer_undo(
            f"Done: {token.text} (your promise to {token.name}) · u to undo",
            undo,
            f"promise-{token.promise_id}-{token.contact_id}",
        )

    def _offer_undo(self, message: str, undo: Callable[[Session], str], option_id: str) -> None:
        """Say what `x` did; for UNDO_SECONDS (as long as the toast shows) `u` runs `undo` (undo_done)."""
        self._undo = Undo(undo, self.clock() + UNDO_SECONDS, option_id)
        self.app.notify(message, markup=False, timeout=UNDO_SECONDS)

    def undo_done(self) -> None:
        """`u`: undo the last `x`, if it was moments ago; the domain refuses when the contact changed since."""
        held, self._undo = self._undo, None
        if held is None or self.clock() > held.until:
            self.app.notify(
                f"Nothing to undo: u undoes x (done) for {UNDO_SECONDS:.0f} seconds after.", severity="warning"
            )
            return
        try:
            said = self.write(held.undo)
        except CrmError as err:
            self.app.notify(str(err), severity="error", markup=False)
            return
        from crm.tui.screens.week import WeekScreen

        if isinstance(self.app.screen, WeekScreen):  # the cursor back on the row that came back
            self.app.screen.highlight_after_reload(held.option_id)
        self.app.clear_notifications()  # "u to undo" no longer holds
        self.app.notify(said, markup=False)

    def snooze(self, contact_id: int) -> None:
        from crm.followups.reads import follow_up_date
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
                note = weekend_note(until, today=self.today)
                self.app.notify(
                    f"Snoozed {name} until {weekday_date(until, today=self.today)}" + (f", {note}." if note else ".")
                )

        due = follow_up_date(self.context.reader, contact_id)  # a snooze moves it later
        self.app.push_screen(SnoozeModal(contact_name=name, today=self.today, save=save, due=due), snoozed)

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

    def merge(self, keep_id: int) -> None:
        """Pick a duplicate of `keep_id` (likely ones first), see the domain's dry run, merge it into them."""
        from crm.contacts.reads import contact_names
        from crm.tui.screens.merge import Candidate, MergeModal

        if (name := self.name_or_notify(keep_id)) is None:
            return
        everyone = [Candidate(cid, who, company) for cid, who, company in contact_names(self.context.reader)]

        def duplicates() -> list[Candidate]:  # in a worker thread: it compares everyone
            from crm.contacts.duplicates import find_duplicates

            with self.reading_in_thread() as conn:
                return likely_duplicates_of(keep_id, find_duplicates(conn))

        def plan(other_id: int) -> MergePlan:
            from crm.contacts.merge import plan_merge

            return plan_merge(self.context.reader, keep_id, other_id)

        def merge(other_id: int) -> MergePlan:
            from crm.contacts.merge import merge_contacts

            return self.write(
                lambda session: merge_contacts(
                    session=session, keep=contact_in(session, keep_id), other=contact_in(session, other_id)
                )
            )

        def merged(done: MergePlan | None) -> None:
            if done is not None:
                self.app.notify(f"Merged {done.other.label} into {done.keep.label}.", title="Merged")
                self.open(keep_id)

        modal = MergeModal(
            keep_id=keep_id, keep_name=name, everyone=everyone, duplicates=duplicates, plan=plan, merge=merge
        )
        self.app.push_screen(modal, merged)

    def prep(self, contact_id: int) -> None:
        """The coffee-chat brief, read in a worker thread (it runs the outreach checks on its questions)."""
        from crm.tui.screens.prep import PrepModal

        if (name := self.name_or_notify(contact_id)) is None:
            return

        def brief() -> Brief:
            from crm.insights.prep import prep_brief

            with self.reading_in_thread() as conn:
                return prep_brief(conn, contact_id, today=self.today)

        self.app.push_screen(PrepModal(contact_name=name, today=self.today, brief=brief))

    def forget(self, contact_id: int) -> None:
        """Forget them for good, as `crm contact forget` does (the same domain call), once the name is typed.

        Their page is closed first (it would have nobody to show). The forget runs in a worker thread: on a large
        network rewriting the search index takes seconds. The notification lists the backups that still hold them,
        like the CLI; if another program's read kept the old pages this time, SQLite clears them when the last
        connection closes.
        """
        from crm.tui.screens.contact import ContactScreen
        from crm.tui.screens.forget import ForgetModal

        if (name := self.name_or_notify(contact_id)) is None:
            return

        async def forgetting() -> None:
            import asyncio

            from crm.contacts.writes import forget

            try:
                done = await asyncio.to_thread(forget, self.context.store, contact_id)
            except CrmError as err:
                self.app.notify(str(err), severity="error", markup=False)
                return
            self.app.post_message(DataChanged())
            title, *rest = done.report()
            left_to_do = bool(done.backups) or not done.wal_cleared
            self.app.notify(
                "\n".join(rest), title=title, markup=False,
                severity="warning" if left_to_do else "information", timeout=30 if left_to_do else 10,
            )  # fmt: skip

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            screen = self.app.screen
            if isinstance(screen, ContactScreen) and screen.contact_id == contact_id:
                self.app.pop_screen()
            self.app.run_worker(forgetting(), group="forget")

        self.app.push_screen(ForgetModal(contact_name=name), confirmed)

    def import_linkedin(self, *, cancelled: Callable[[], None] | None = None) -> None:
        """The import dialog: the file is read and previewed, then imported, each in a worker thread."""
        from crm.tui.screens.linkedin_import import ImportPreview, LinkedInImportModal

        def preview(path: Path, progress: Progress) -> ImportPreview:
            from crm.formats.linkedin import preview_import, read_export

            export = read_export(path)
            with self.reading_in_thread() as conn:
                summary = preview_import(conn, export, today=self.today, progress=progress)
            return ImportPreview(export, summary)

        def apply(export: LinkedInExport, progress: Progress) -> ImportSummary:
            from crm.formats.linkedin import apply_import

            return self.write(
                lambda session: apply_import(session=session, export=export, today=self.today, progress=progress)
            )

        def imported(summary: ImportSummary | None) -> None:
            if summary is None:
                if cancelled is not None:
                    cancelled()
                return
            counts = (
                f"{summary.added:,} added, {summary.updated:,} updated, {summary.unchanged:,} unchanged, "
                f"{len(summary.skipped):,} skipped"
            )
            self.app.notify(counts + ".", title=f"Imported {summary.file}")

        self.app.push_screen(LinkedInImportModal(preview=preview, apply=apply), imported)


def logged_summary(logged, *, today: dt.date, name: str) -> list[str]:
    """What logging wrote besides the interaction, a sentence each: promises, and the people added as contacts."""
    lines = []
    dated = [p for p in logged.promises if p.due is not None]
    if dated:
        first = min(dated, key=lambda p: p.due)
        more = f" (and {len(dated) - 1} more)" if len(dated) > 1 else ""
        lines.append(f"Promise due {weekday_date(first.due, today=today)}: {first.text}{more}.")
    if undated := len(logged.promises) - len(dated):
        lines.append(f"{undated} undated promise{'s' if undated != 1 else ''}, listed on their page.")
    if logged.intro_typed and logged.intro_to is not None:
        lines.append(f"Linked {logged.intro_to.name} for '{logged.intro_typed}' (the same name, accents aside).")
    for outcome in logged.suggested:
        if outcome.outcome in ("added", "linked"):
            verb = "Added" if outcome.outcome == "added" else "Linked"
            lines.append(f"{verb} {outcome.contact.name} as a contact introduced by {name}.")
    return lines


def likely_duplicates_of(contact_id: int, suggestions: Sequence[Suggestion]) -> list[Candidate]:
    """Whom the duplicate suggestions take for the same person as `contact_id`, most certain first.

    Suggestions come in groups (one person recorded several times), each merging into the group's best record; the
    rest of `contact_id`'s group is offered, whichever record that is.
    """
    from crm.tui.screens.merge import Candidate

    own = next((s for s in suggestions if s.other.id == contact_id), None)
    group = own.keep.id if own is not None else contact_id
    found: list[Candidate] = []
    # The group's best record is someone else: offer it first, for the reason they pair up; not when other club
    # members have it in their networks, as it can then be kept but never merged away (into this one).
    if own is not None and not own.keep.others_know:
        found.append(Candidate(own.keep.id, own.keep.name, own.keep.company, own.reason))
    found += [
        Candidate(s.other.id, s.other.name, s.other.company, s.reason)
        for s in suggestions  # most certain first
        if s.keep.id == group and s.other.id != contact_id
    ]
    return found
