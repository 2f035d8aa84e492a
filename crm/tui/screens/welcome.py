"""First run on an empty database: set up (your profile, a project), then sample data, LinkedIn or a first contact."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from crm.profile import Profile, read_profile
from crm.tui import keys
from crm.tui.context import AppContext
from crm.tui.widgets.footer import CrmFooter

WelcomeChoice = Literal["demo", "linkedin", "add", "skip"]
# Asks the app to run a setup step (the walkthrough, or the project form) and to call back once its forms close.
SetUp = Callable[[Callable[[], None]], None]

INTRO = "[b]Welcome to crm[/b]: your alumni network, who to follow up with, what to say."


def profile_status(profile: Profile) -> Content:
    me = profile.me
    if not any(me.values()):
        return Content.from_markup("[$text-muted]name, school, year, major, target[/]")
    if profile.missing:  # started: what is left, before who (the line is short)
        left = ", ".join(profile.missing)
        return Content.from_markup("$name [$text-warning]· still to add: $left[/]", name=me["name"] or "", left=left)
    return Content.from_markup("[$text-success]✓[/] $who", who=", ".join((me["name"], me["year"], me["school"])))


def project_status(profile: Profile) -> Content:
    if not profile.projects:
        return Content.from_markup("[$text-muted]something you shipped, with a measured result[/]")
    first = profile.projects[0]
    more = f" and {len(profile.projects) - 1} more" if len(profile.projects) > 1 else ""
    return Content.from_markup(
        "[$text-success]✓[/] $name: $result$more", name=first.name, result=first.result, more=more
    )


class WelcomeScreen(Screen[WelcomeChoice]):
    """Walks through the profile and a first project (each skippable), then offers sample data, a LinkedIn import
    or a first contact; returns that choice (the app acts on it). `set_up` and `add_project` run the forms."""

    BINDINGS = keys.WELCOME
    ALLOWS_NAVIGATION = False  # w, c, a, ? and q wait until the user has chosen how to start

    def __init__(self, context: AppContext, *, set_up: SetUp, add_project: SetUp) -> None:
        super().__init__()
        self.context = context
        self._set_up = set_up
        self._add_project = add_project

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="welcome-box"):
            yield Static(INTRO, id="welcome-intro")
            yield Static("[b]1. About you[/b]", id="profile-title", classes="step-title")
            with Horizontal(classes="step"):
                yield Button("Set up (y)", id="profile-button", variant="primary", compact=True)
                yield Static(id="profile-status", classes="step-status")
            yield Static("[b]2. A project[/b]", classes="step-title")
            with Horizontal(classes="step"):
                yield Button("Add (n)", id="project-button", compact=True)
                yield Static(id="project-status", classes="step-status")
            yield Static("[b]3. Your network[/b]", classes="step-title")
            with Horizontal(classes="step"):
                yield Button("LinkedIn (i)", id="linkedin-button", compact=True)
                yield Static("Import LinkedIn connections, previewed first", classes="step-status")
            with Horizontal(classes="step"):
                yield Button("Add a contact (a)", id="add-button", compact=True)
                yield Static("someone you want to reach", classes="step-status")
            yield Static("[b]Just looking?[/b]", classes="step-title")
            with Horizontal(classes="step"):
                yield Button("Sample data (s)", id="demo-button", compact=True)
                yield Static(id="demo-status", classes="step-status")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.refresh_status()
        self.query_one("#profile-button", Button).focus()

    def refresh_status(self) -> None:
        """What is set up so far; sample data only fills an empty database, so it stands aside once you start."""
        profile = read_profile(self.context.reader)
        self.query_one("#profile-status", Static).update(profile_status(profile))
        self.query_one("#project-status", Static).update(project_status(profile))
        started = any(profile.me.values()) or bool(profile.projects)
        self.query_one("#demo-button", Button).disabled = started
        self.query_one("#demo-status", Static).update(
            "needs an empty database: you have started yours" if started else "fictional MIT alumni at Spotify"
        )

    def _after_setup(self) -> None:
        self.refresh_status()
        self.query_one("#linkedin-button", Button).focus()

    def action_setup(self) -> None:
        self._set_up(self._after_setup)

    def action_add_project(self) -> None:
        self._add_project(self._after_setup)

    @on(Button.Pressed, "#profile-button")
    def _profile(self) -> None:
        self.action_setup()

    @on(Button.Pressed, "#project-button")
    def _project(self) -> None:
        self.action_add_project()

    @on(Button.Pressed, "#demo-button")
    def _demo(self) -> None:
        self.action_choose("demo")

    @on(Button.Pressed, "#linkedin-button")
    def _linkedin(self) -> None:
        self.action_choose("linkedin")

    @on(Button.Pressed, "#add-button")
    def _add(self) -> None:
        self.action_choose("add")

    def action_choose(self, choice: WelcomeChoice) -> None:
        if choice == "demo" and self.query_one("#demo-button", Button).disabled:
            self.notify("Sample data only fills an empty database: you have started your own.", severity="warning")
            return
        self.dismiss(choice)
