"""You: your profile and projects, as first messages cite them, with the keys to edit and add."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from crm.profile import Profile, read_profile
from crm.tui import keys
from crm.tui.screens.base import DataScreen
from crm.tui.screens.profile_form import PROFILE_FIELDS
from crm.tui.widgets.footer import CrmFooter


def profile_text(profile: Profile) -> Content:
    """The profile, field by field; what is missing says so, and which key fills it in."""
    lines = [Content.from_markup("[b $text-primary]About you[/]")]
    for field, label, _ in PROFILE_FIELDS:
        value = profile.me.get(field)
        shown = Content(value) if value else Content.from_markup("[$text-muted]not set[/]")
        lines.append(Content.from_markup("  $label", label=f"{label:<8}") + shown)
    if profile.missing:
        lines.append(
            Content.from_markup(
                "[$text-warning]  Missing: $missing. Press [b]e[/b] to fill in.[/]", missing=", ".join(profile.missing)
            )
        )
    lines += [Content(""), Content.from_markup("[b $text-primary]Projects[/]")]
    if not profile.projects:
        lines.append(Content.from_markup("[$text-muted]  None yet: press [b]n[/b] to add one, with its result.[/]"))
    for project in profile.projects:
        lines.append(Content.from_markup("  [b]$name[/]: $result", name=project.name, result=project.result))
        if project.description:
            lines.append(Content.from_markup("    [$text-muted]$text[/]", text=project.description))
    return Content("\n").join(lines)


class ProfileScreen(DataScreen):
    """Read on the UI thread: one row and a handful of projects."""

    BINDINGS = keys.PROFILE_SCREEN

    def compose(self) -> ComposeResult:
        yield Static(Content.from_markup("[b]You[/b]: what your messages say about you"), classes="screen-title")
        with VerticalScroll(id="profile-body"):
            yield Static(id="profile-text")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#profile-body").focus()

    def load(self) -> None:
        self.profile = read_profile(self.context.reader)
        self.query_one("#profile-text", Static).update(profile_text(self.profile))
