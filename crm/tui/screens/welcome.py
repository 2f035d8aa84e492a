"""First run on an empty database: sample data, your LinkedIn connections, or a first contact."""

from __future__ import annotations

from typing import Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter

WelcomeChoice = Literal["demo", "linkedin", "add", "skip"]

INTRO = (
    "[b]Welcome to crm[/b]: your alumni network, who to follow up with, and what to say.\n\n"
    "Your database is empty. How would you like to start?"
)


class WelcomeScreen(Screen[WelcomeChoice]):
    """Offers sample data, a LinkedIn import or a first contact; returns the choice (the app acts on it)."""

    BINDINGS = keys.WELCOME
    ALLOWS_NAVIGATION = False  # w, c, a, ? and q wait until the user has chosen how to start

    def compose(self) -> ComposeResult:
        with Center(), Vertical(id="welcome-box"):
            yield Static(INTRO, id="welcome-intro")
            yield Button("Load sample data (s)", id="demo-button", variant="primary")
            yield Static("Fictional MIT alumni at Spotify, with two months of history.", classes="choice-help")
            yield Button("Import LinkedIn connections (i)", id="linkedin-button")
            yield Static("See what your Connections.csv adds before anything is written.", classes="choice-help")
            yield Button("Add a contact (a)", id="add-button")
            yield Static("Start with someone you want to reach.", id="add-help", classes="choice-help")
        yield CrmFooter()

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
        self.dismiss(choice)
