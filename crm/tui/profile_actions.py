"""Setting up in the app: the profile and project forms, on their own or as the first-run walkthrough.

The app carries these out for the welcome screen, the You screen, the draft screen and the palette. Each save is
one domain call (crm.profile) in one write transaction; its CrmError is shown in the form, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from crm.tui.context import AppContext

if TYPE_CHECKING:
    from sqlmodel import Session
    from textual.app import App

    from crm.tui.screens.profile_form import ProjectEntry

T = TypeVar("T")
Write = Callable[[Callable[["Session"], T]], T]
Then = Callable[[bool], None]  # called once the form closes: True when something was saved


class ProfileActions:
    """Pushes the profile and project forms and writes what they return; `write` is the app's one way to write."""

    def __init__(self, app: App, context: AppContext, write: Write) -> None:
        self.app = app
        self.context = context
        self.write = write

    def edit_profile(
        self, *, then: Then | None = None, title: str = "Your profile", skip: bool = False, field: str | None = None
    ) -> None:
        """The profile form, prefilled; `field` is focused first (what a draft found missing)."""
        from crm.profile import read_profile
        from crm.tui.screens.profile_form import ProfileModal

        def save(values: dict) -> dict:
            from crm.profile import update_me

            self.write(lambda session: update_me(session=session, **values))
            return values

        def saved(values: dict | None) -> None:
            if values is not None:
                self.app.notify("Saved your profile.")
            if then is not None:
                then(values is not None)

        modal = ProfileModal(
            save=save,
            initial=read_profile(self.context.reader).me,
            title=title,
            cancel_label="Skip" if skip else "Cancel",
            highlight=field,
        )
        self.app.push_screen(modal, saved)

    def add_project(self, *, then: Then | None = None, title: str = "Add a project", skip: bool = False) -> None:
        from crm.tui.screens.profile_form import ProjectModal

        def save(entry: ProjectEntry) -> ProjectEntry:
            from crm.profile import add_project

            self.write(
                lambda session: add_project(
                    session=session, name=entry.name, result=entry.result, description=entry.description
                )
            )
            return entry

        def saved(entry: ProjectEntry | None) -> None:
            if entry is not None:
                self.app.notify(f"Added your project {entry.name}: drafts can cite it now.")
            if then is not None:
                then(entry is not None)

        self.app.push_screen(
            ProjectModal(save=save, title=title, cancel_label="Skip" if skip else "Cancel"), saved
        )

    def walkthrough(self, then: Callable[[], None]) -> None:
        """Step 1, the profile; step 2, a project (each skippable with Esc or Skip); then `then`."""
        self.edit_profile(
            title="Step 1 of 3 · About you",
            skip=True,
            then=lambda _: self.add_project(
                title="Step 2 of 3 · A project you shipped", skip=True, then=lambda _: then()
            ),
        )
