"""Draft a message: pick template and project, edit the text, watch the word count and checks as you type."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Select, Static, TextArea

from crm.errors import CrmError
from crm.outreach.checks import CheckResult, check_message
from crm.outreach.render import Template, list_templates

if TYPE_CHECKING:
    from crm.tui.app import CrmApp

BEST_MATCH = "__best__"


@dataclass(frozen=True)
class Rendered:
    """What one render gives the screen: the text, the template's limit, and the contact's check inputs."""

    template: Template
    text: str
    check_inputs: dict


class DraftScreen(Screen[None]):
    """Template and project pickers over an editable text; checks re-run on every change."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        # Priority: the text area would otherwise take these keys (ctrl+y is its redo).
        Binding("ctrl+y", "copy", "Copy", priority=True),
        Binding("ctrl+s", "save", "Save draft", priority=True),
        Binding("ctrl+enter", "send", "Send", key_display="ctrl+enter", priority=True),
        Binding("ctrl+r", "rerender", "Re-render"),
    ]

    def __init__(self, contact_id: int, *, template: str = "first-message") -> None:
        super().__init__()
        self.contact_id = contact_id
        self.template_name = template
        self.project_choice = BEST_MATCH
        self.rendered: Rendered | None = None
        self.result: CheckResult | None = None

    @property
    def crm(self) -> CrmApp:
        return cast("CrmApp", self.app)

    def compose(self) -> ComposeResult:
        yield Static(id="draft-title", classes="screen-title")
        with Horizontal(id="draft-pickers"):
            templates = [(t.name, t.name) for t in list_templates()]
            yield Select(templates, value=self.template_name, allow_blank=False, id="draft-template")
            yield Select(self._projects(), value=BEST_MATCH, allow_blank=False, id="draft-project")
        with Horizontal(id="draft-main"):
            yield TextArea(id="draft-text", soft_wrap=True, show_line_numbers=False)
            with Vertical(id="draft-side"):
                yield Static(id="draft-verdict")
                yield Static(id="draft-problems")
                yield Button("Send", id="draft-send", variant="primary")
        yield Footer()

    def _projects(self) -> list[tuple[str, str]]:
        rows = self.crm.conn.execute("SELECT name FROM project ORDER BY id").fetchall()
        return [("best match for them", BEST_MATCH)] + [(name, name) for (name,) in rows]

    def on_mount(self) -> None:
        self.query_one("#draft-title", Static).update(f"Draft to {self.crm.contact_name(self.contact_id)}")
        self.render_draft()
        self.query_one("#draft-text", TextArea).focus()

    # -- rendering and checking ------------------------------------------------------------------------

    def render_draft(self) -> None:
        """Fill the text from the chosen template and project (replacing any edits)."""
        from crm.outreach.drafts import draft_message
        from crm.store.db import read_session

        project = self.project_choice
        try:
            with read_session(self.crm.engine) as session:
                contact = self.crm.contact_in(session, self.contact_id)
                draft = draft_message(
                    session,
                    contact,
                    template_name=self.template_name,
                    project_name=None if project == BEST_MATCH else str(project),
                )
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.rendered = None
            self._show_unavailable(str(err))
            return
        self.rendered = Rendered(draft.template, draft.text, draft.check_inputs)
        self.query_one("#draft-text", TextArea).load_text(draft.text)
        self.recheck()

    def _show_unavailable(self, reason: str) -> None:
        self.query_one("#draft-text", TextArea).load_text("")
        self.query_one("#draft-verdict", Static).update(Text("Cannot draft with this template", style="bold"))
        self.query_one("#draft-problems", Static).update(reason)

    def recheck(self) -> None:
        text = self.query_one("#draft-text", TextArea).text
        verdict = self.query_one("#draft-verdict", Static)
        problems = self.query_one("#draft-problems", Static)
        if self.rendered is None:
            return
        if not text.strip():
            self.result = None
            verdict.update(Text(f"0 / {self.rendered.template.max_words} words: write something", style="bold"))
            problems.update("")
            return
        self.result = check_message(text, max_words=self.rendered.template.max_words, **self.rendered.check_inputs)
        verdict.update(verdict_text(self.result))
        problems.update(problems_text(text, self.result))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.recheck()

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new template or project re-renders the text (the pickers fire once on mount too: ignored)."""
        if event.select.id == "draft-template":
            if str(event.value) == self.template_name:
                return
            self.template_name = str(event.value)
        elif event.select.id == "draft-project":
            if str(event.value) == self.project_choice:
                return
            self.project_choice = str(event.value)
        self.render_draft()

    # -- actions ---------------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_rerender(self) -> None:
        self.render_draft()

    def action_copy(self) -> None:
        text = self.query_one("#draft-text", TextArea).text
        self.app.copy_to_clipboard(text)
        self.notify("Copied the draft to the clipboard.")

    def action_save(self) -> None:
        self._store(send=False)

    def action_send(self) -> None:
        self._store(send=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "draft-send":
            self.action_send()

    def _store(self, *, send: bool) -> None:
        from crm.outreach.drafts import DraftResult, save_draft, send_draft

        if self.rendered is None or self.result is None:
            self.notify("Nothing to save: the draft is empty.", severity="warning")
            return
        if send and not self.result.ok:
            self.notify("Not sent: fix the problems first.", severity="error")
            return
        text = self.query_one("#draft-text", TextArea).text
        template, result = self.rendered.template, self.result

        def change(session) -> None:
            contact = self.crm.contact_in(session, self.contact_id)
            draft = DraftResult(contact, template, text, result, None, self.rendered.check_inputs)
            if send:
                send_draft(session, draft, today=self.crm.today)
            else:
                save_draft(session, draft)

        done = "Sent: logged the message; the nudge is scheduled." if send else "Saved the draft."
        if self.crm.try_write(change, done=done) and send:
            self.dismiss()


def verdict_text(result: CheckResult) -> Text:
    words = f"{result.words} / {result.max_words} words"
    if result.ok:
        return Text.assemble((words, "bold"), " · ", ("all checks pass", "bold green"))
    count = len(result.problems)
    return Text.assemble((words, "bold"), " · ", (f"{count} problem{'s' if count != 1 else ''}", "bold red"))


def problems_text(text: str, result: CheckResult) -> Text:
    """Each problem with its offending words highlighted in context, then the advice."""
    out = Text()
    for problem in result.problems:
        out.append(f"{problem.check}: ", style="bold")
        out.append(problem.message + "\n")
        start, end = problem.start, problem.end
        before = text[max(0, start - 25) : start].replace("\n", " ")
        span = text[start:end].replace("\n", " ")
        if len(span) > 70:
            span = span[:50] + "…" + span[-15:]
        after = text[end : end + 25].replace("\n", " ")
        out.append("  …" + before, style="dim")
        out.append(span, style="bold reverse red")
        out.append(after + "…\n\n", style="dim")
    for advice in result.advice:
        out.append("advice: ", style="italic")
        out.append(advice.message + "\n", style="italic dim")
    return out
