"""Drafts you saved come back: before a fresh render, pick one to carry on with (newest first)."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from crm.dates import weekday_date
from crm.outreach.drafts import SavedDraft
from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter

FRESH = "fresh"


def _option(draft: SavedDraft, *, today: dt.date) -> Option:
    saved = draft.saved_at.astimezone().date()  # the day as the user lived it
    first_line = next((line.strip() for line in draft.text.splitlines()[1:] if line.strip()), draft.text.strip())
    if len(first_line) > 60:
        first_line = first_line[:59] + "…"
    return Option(
        Content.assemble(
            (f"Saved {weekday_date(saved, today=today)}", "b"),
            (f" · {draft.template} · {draft.words} words", "$text-muted"),
            "\n  ",
            (first_line, "$text-muted"),
        ),
        id=f"saved-{draft.id}",
    )


class SavedDraftsModal(ModalScreen["int | None"]):
    """Returns the id of the saved draft to resume, or None for a fresh draft (Esc, or the last option)."""

    DEFAULT_CSS = """
    SavedDraftsModal {
        align: center middle;
    }
    SavedDraftsModal > #saved-dialog {
        width: 76;
    }
    SavedDraftsModal #saved-intro {
        margin: 1 0;
    }
    SavedDraftsModal #saved-list {
        height: auto;
        max-height: 14;
        border: none;
        padding: 0;
        margin-bottom: 1;
        background: $surface;
    }
    """

    BINDINGS = keys.SAVED_DRAFTS

    def __init__(self, *, contact_name: str, drafts: list[SavedDraft], today: dt.date) -> None:
        super().__init__()
        self.contact_name = contact_name
        self.drafts = drafts
        self.today = today

    def compose(self) -> ComposeResult:
        count = len(self.drafts)
        with Vertical(id="saved-dialog", classes="dialog") as dialog:
            dialog.border_title = f"Saved draft{'s' if count != 1 else ''} to {self.contact_name}"
            yield Static(
                f"You saved {'a draft' if count == 1 else f'{count} drafts'} to {self.contact_name} that "
                f"{'is' if count == 1 else 'are'} not sent yet. Carry on with one, or start afresh.",
                id="saved-intro",
            )
            options = [_option(draft, today=self.today) for draft in self.drafts]
            options.append(Option(Content.from_markup("[b]Start a fresh draft[/b] from the template"), id=FRESH))
            yield OptionList(*options, id="saved-list")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#saved-list", OptionList).focus()

    @on(OptionList.OptionSelected, "#saved-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id or FRESH
        self.dismiss(None if option_id == FRESH else int(option_id.removeprefix("saved-")))

    def action_fresh(self) -> None:
        self.dismiss(None)
