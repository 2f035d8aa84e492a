"""The keys, screen by screen, listed from the bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter


def help_text() -> Content:
    """Every key, section by section, from the bindings themselves (crm.tui.keys)."""
    lines: list[Content] = []
    sections = list(keys.sections())
    # the key column fits the longest key plus two spaces, so "ctrl+enter" never runs into its description
    width = max((len(key) for _, entries in sections for key, _ in entries), default=0) + 2
    for section, entries in sections:
        if lines:
            lines.append(Content(""))
        lines.append(Content.from_markup("[b $text-primary]$section[/]", section=section))
        for key, what in entries:
            lines.append(
                Content.from_markup(
                    "  [b $text-accent]$key[/]$pad$what", key=key, pad=" " * (width - len(key)), what=what
                )
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

    BINDINGS = keys.CLOSE_HELP

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            yield Static(help_text(), id="help-text")
        yield CrmFooter()

    def action_close(self) -> None:
        self.dismiss(None)
