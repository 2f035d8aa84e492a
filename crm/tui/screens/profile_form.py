"""The profile and project forms: what first messages say about you, filled in without leaving the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Static

from crm.profile import ME_FIELDS, ProjectFieldError, clean_project
from crm.tui.screens.form_modal import FormModal
from crm.tui.widgets.form import FormField

# (field, label, placeholder): the order a first message introduces you in.
PROFILE_FIELDS = (
    ("name", "Name", "Priya Shah"),
    ("school", "School", "MIT"),
    ("year", "Year", "junior, or 2027"),
    ("major", "Major", "Course 6 (computer science)"),
    ("target", "Target", "PM at Spotify: the role and company you aim at"),
)
assert tuple(field for field, _, _ in PROFILE_FIELDS) == ME_FIELDS


@dataclass(frozen=True)
class ProjectEntry:
    name: str
    result: str
    description: str | None


class ProfileModal(FormModal[dict]):
    """Returns the profile fields as saved (None when cancelled or skipped); a cleared field clears the profile's."""

    DEFAULT_CSS = """
    ProfileModal #form-intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        *,
        save: Callable[[dict], dict],
        initial: dict[str, str | None] | None = None,
        title: str = "Your profile",
        cancel_label: str = "Cancel",
        highlight: str | None = None,
    ) -> None:
        super().__init__(title, save=save, cancel_label=cancel_label)
        self.initial = {key: value or "" for key, value in (initial or {}).items()}
        self.highlight = highlight

    def compose_fields(self) -> ComposeResult:
        yield Static("Every first message introduces you with these.", id="form-intro")
        for field, label, placeholder in PROFILE_FIELDS:
            yield FormField(label, id=field, value=self.initial.get(field, ""), placeholder=placeholder)

    def on_mount(self) -> None:
        # Straight to what a draft found missing; else the first empty field, so a half-filled profile resumes.
        wanted = self.highlight or next((f for f, _, _ in PROFILE_FIELDS if not self.initial.get(f)), "name")
        self.query_one(f"#{wanted}", FormField).focus()

    def collect(self) -> dict | None:
        return {field.id: field.value for field in self.query(FormField) if field.id in ME_FIELDS}


class ProjectModal(FormModal[ProjectEntry]):
    """Returns the project once `save` has stored it (None when cancelled or skipped)."""

    DEFAULT_CSS = """
    ProjectModal #form-intro {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    def __init__(
        self,
        *,
        save: Callable[[ProjectEntry], ProjectEntry],
        title: str = "Add a project",
        cancel_label: str = "Cancel",
    ) -> None:
        super().__init__(title, save=save, cancel_label=cancel_label)

    def compose_fields(self) -> ComposeResult:
        yield Static("Something you shipped. First messages cite its measured result.", id="form-intro")
        yield FormField("Name", id="project-name", placeholder="Playlist cache", required=True)
        yield FormField("Result", id="result", placeholder="cut load time from 3.2s to 1.4s", required=True)
        yield FormField("What it is", id="description", placeholder="one line, optional")

    def on_mount(self) -> None:
        self.query_one("#project-name", FormField).focus()

    def collect(self) -> ProjectEntry | None:
        fields = {"name": self.query_one("#project-name", FormField), "result": self.query_one("#result", FormField)}
        for field in fields.values():
            field.clear_message()
        try:
            name, result = clean_project(fields["name"].value, fields["result"].value)
        except ProjectFieldError as err:
            fields[err.field].show_error(str(err))
            return None
        description = self.query_one("#description", FormField).value.strip() or None
        return ProjectEntry(name, result, description)
