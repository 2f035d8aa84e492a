"""The keys, screen by screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from crm.tui.widgets.footer import CrmFooter

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("w", "This week: due and overdue follow-ups, awaiting reply"),
            ("c", "Contacts: everyone, sortable, with a filter"),
            ("a", "Add a contact"),
            ("ctrl+p", "Command palette: every action; go to any contact"),
            ("?", "This help"),
            ("q", "Quit"),
        ),
    ),
    (
        "On a selected contact (this week, contacts, detail)",
        (
            ("enter", "Open the contact: profile, hooks, timeline"),
            ("l", "Log an interaction: message, reply, chat, intro..."),
            ("x", "Mark the current follow-up done"),
            ("s", "Snooze the follow-up (+3d, Dec 1, ...)"),
            ("d", "Draft a message: template, live checks, send"),
        ),
    ),
    (
        "Draft",
        (
            ("ctrl+y", "Copy the text to the clipboard"),
            ("ctrl+s", "Save it as a draft"),
            ("ctrl+enter", "Mark it sent: logs the message, schedules the nudge"),
            ("ctrl+r", "Re-render from the template (drops your edits)"),
            ("escape", "Back"),
        ),
    ),
    (
        "Contacts",
        (
            ("/", "Filter as you type: name, company, team, tag, hook"),
            ("o", "Sort by the next column (or click a header)"),
            ("O", "Reverse the sort"),
            ("escape", "From the filter to the table; again to clear it"),
        ),
    ),
    (
        "Contact detail",
        (
            ("e", "Edit the contact"),
            ("h", "Add a hook: their post, talk or launch to cite"),
            ("escape", "Back"),
        ),
    ),
    (
        "Forms",
        (
            ("tab", "Next field (shift+tab: previous)"),
            ("enter", "Save, from a one-line field"),
            ("ctrl+s", "Save"),
            ("escape", "Cancel"),
        ),
    ),
)


def help_text() -> Content:
    lines: list[Content] = []
    for section, keys in KEYS:
        if lines:
            lines.append(Content(""))
        lines.append(Content.from_markup("[b $text-primary]$section[/]", section=section))
        for key, what in keys:
            lines.append(
                Content.from_markup("  [b $text-accent]$key[/]$pad$what", key=key, pad=" " * (10 - len(key)), what=what)
            )
    return Content("\n").join(lines)


class HelpModal(ModalScreen[None]):
    """Lists every key; any of escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpModal {
        align: center middle;
    }
    HelpModal > #help-body {
        width: 78;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static(help_text(), id="help-text")
        yield CrmFooter()

    def action_close(self) -> None:
        self.dismiss(None)
