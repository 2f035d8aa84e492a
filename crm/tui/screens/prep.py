"""The coffee-chat prep brief: one page to read before the call, from crm.insights.prep."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from crm.errors import CrmError
from crm.tui import keys
from crm.tui.formatting import date_label
from crm.tui.widgets.contact_view import Row, Section
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.insights.prep import Brief

HISTORY = (("message", "messages"), ("reply", "replies"), ("chat", "chats"), ("intro", "intros"),
           ("referral", "referrals"))  # fmt: skip
KEY_WIDTH = 13


def so_far(brief: Brief, *, today: dt.date) -> str:
    """'6 messages, 2 replies, 2 chats; last Nov 24', or that nothing is logged yet."""
    history = brief.history
    parts = []
    for one, many in HISTORY:
        count = history.get(many, 0)
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if not parts:
        return "nothing logged yet"
    last = date_label(brief.contact.get("last_interaction"), today=today)
    return ", ".join(parts) + (f"; last {last}" if last else "")


def how_you_met(brief: Brief) -> str | None:
    from crm.insights.paths import path_text

    source = brief.contact.get("source")
    if brief.introduced:
        return path_text(brief.path) + (f" ({source})" if source else "")
    return source or None


def about_rows(brief: Brief, *, today: dt.date) -> list[Widget]:
    from crm.display import position

    c = brief.contact
    school = " ".join(str(part) for part in (c["school"], c["program"], c["grad_year"]) if part)
    fields = (
        ("Who", " · ".join(position(c["role"], c["team"], c["company"]))),
        ("Background", " · ".join(part for part in (school, c["location"], f"stage {c['stage']}") if part)),
        ("How you met", how_you_met(brief)),
        ("So far", so_far(brief, today=today)),
        ("Notes", c["notes"]),
    )
    return [Row(key, str(value), key_width=KEY_WIDTH) for key, value in fields if value]


def hook_rows(brief: Brief, *, today: dt.date) -> list[Widget]:
    rows: list[Widget] = []
    for hook in brief.hooks:
        text = Content(hook["text"])
        if hook.get("question"):
            text += Content.from_markup("\n[$text-muted]ask:[/] $q", q=hook["question"])
        rows.append(Row(date_label(hook["date"], today=today) or "undated", text, key_width=KEY_WIDTH))
    return rows


def chat_rows(brief: Brief, *, today: dt.date) -> list[Widget]:
    rows: list[Widget] = []
    for chat in brief.chats:
        parts: list[Content] = []
        if chat.notes:
            parts.append(Content(chat.notes))
        if chat.takeaways:
            parts.append(Content.from_markup("[$text-muted]Takeaways:[/] $t", t=chat.takeaways))
        if chat.next_step:
            parts.append(Content.from_markup("[$text-muted]Next step:[/] $t", t=chat.next_step))
        body = Content("\n").join(parts) if parts else Content.from_markup("[$text-muted]no notes[/]")
        rows.append(Row(date_label(chat.date, today=today), body, key_width=KEY_WIDTH))
    return rows


def promise_rows(brief: Brief, *, today: dt.date) -> list[Widget]:
    return [
        Row(
            f"due {date_label(promise.due, today=today)}" if promise.due else date_label(promise.date, today=today),
            promise.next_step,
            key_width=KEY_WIDTH,
        )
        for promise in brief.open_promises
    ]


def project_rows(brief: Brief) -> list[Widget]:
    project = brief.project
    if not project:
        return []
    text = Content.from_markup("[b]$name[/]", name=project["name"])
    for key in ("result", "description"):
        if project.get(key):
            text += Content("\n" + project[key])
    return [Static(text)]


def question_rows(brief: Brief) -> list[Widget]:
    return [Row(f"{n}.", question.text, key_width=3) for n, question in enumerate(brief.questions, 1)]


def brief_sections(brief: Brief, *, today: dt.date) -> list[Widget]:
    """The brief, top to bottom: who, their hooks, earlier chats, promises still open, my project, questions."""
    return [
        Section("Who they are", about_rows(brief, today=today), empty="Only a name so far.", counted=False),
        Section("Their hooks", hook_rows(brief, today=today), empty="No hooks yet: press h on their page to add one."),
        Section("Earlier chats", chat_rows(brief, today=today), empty="No chat yet: this is the first.", spaced=True),
        Section("Still open", promise_rows(brief, today=today), empty="Nothing promised that is not yet done."),
        Section("Your project to mention", project_rows(brief), empty="No project in your profile yet.", counted=False),
        Section("Questions to ask", question_rows(brief), empty="None found.", counted=False, id="prep-questions"),
    ]


class PrepModal(ModalScreen[None]):
    """Read in a worker thread (the brief runs the outreach checks on every question it suggests)."""

    DEFAULT_CSS = """
    PrepModal {
        align: center middle;
    }
    PrepModal > #prep-body {
        width: 100;
        max-width: 100%;
        height: 100%;
        border: round $primary;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    PrepModal #prep-loading {
        color: $text-muted;
    }
    """

    BINDINGS = keys.PREP_MODAL

    def __init__(self, *, contact_name: str, today: dt.date, brief: Callable[[], Brief]) -> None:
        super().__init__()
        self.contact_name = contact_name
        self.today = today
        self._read = brief
        self.brief: Brief | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="prep-body") as body:
            body.border_title = f"Prep: coffee chat with {self.contact_name}"
            yield Static("Putting the brief together…", id="prep-loading")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#prep-body").focus()
        self._load()

    @work(exclusive=True, group="prep")
    async def _load(self) -> None:
        try:
            brief = await asyncio.to_thread(self._read)
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.dismiss(None)
            return
        self.brief = brief
        body = self.query_one("#prep-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(brief_sections(brief, today=self.today))

    def action_close(self) -> None:
        self.workers.cancel_group(self, "prep")
        self.dismiss(None)
