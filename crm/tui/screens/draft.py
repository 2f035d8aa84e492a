"""Draft a message: pick template and project, edit the text, watch the word count and checks as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Select, Static, TextArea

from crm.contacts.reads import contact_name
from crm.errors import CrmError
from crm.outreach.checks import CheckResult, check_message
from crm.outreach.render import Template, list_templates
from crm.tui import keys
from crm.tui.context import AppContext

if TYPE_CHECKING:
    from crm.outreach.context import ContactFacts
    from crm.outreach.drafts import DraftResult

BEST_MATCH = "__best__"
FALLBACK_TEMPLATE = "first-message"

# Runs one change in one write transaction; True when it was written (a failure has been shown to the user).
Writer = Callable[..., bool]


@dataclass(frozen=True)
class Rendered:
    """What one render gives the screen: the text, the template's limit, and the contact's check inputs."""

    contact: ContactFacts
    template: Template
    text: str
    check_inputs: dict


class DraftScreen(Screen[None]):
    """Template and project pickers over an editable text; checks re-run on every change.

    `write(change, done=...)` stores the draft (the app's one way to write, handed down).
    """

    BINDINGS = keys.DRAFT_SCREEN

    def __init__(
        self, context: AppContext, contact_id: int, *, write: Writer, template: str = FALLBACK_TEMPLATE
    ) -> None:
        super().__init__()
        self.context = context
        self.contact_id = contact_id
        self.write = write
        self.template_name = template
        self.project_choice = BEST_MATCH
        self.rendered: Rendered | None = None
        self.result: CheckResult | None = None

    def compose(self) -> ComposeResult:
        templates = [t.name for t in list_templates()]
        if self.template_name not in templates:
            # What is due wants a template that is not installed (an older set, or a user's folder without it).
            self.notify(
                f"No “{self.template_name}” template yet: starting from {FALLBACK_TEMPLATE}.", severity="warning"
            )
            self.template_name = FALLBACK_TEMPLATE
        yield Static(id="draft-title", classes="screen-title")
        with Horizontal(id="draft-pickers"):
            yield Select(
                [(name, name) for name in templates], value=self.template_name, allow_blank=False, id="draft-template"
            )
            yield Select(self._projects(), value=BEST_MATCH, allow_blank=False, id="draft-project")
        with Horizontal(id="draft-main"):
            yield TextArea(id="draft-text", soft_wrap=True, show_line_numbers=False)
            with Vertical(id="draft-side"):
                yield Static(id="draft-verdict")
                yield Static(id="draft-problems")
                yield Button("Send", id="draft-send", variant="primary")
        yield Footer()

    def _projects(self) -> list[tuple[str, str]]:
        """My projects, for the picker (read with the draft's facts: crm.profile would load the ORM for them)."""
        from crm.outreach.context import read_facts

        try:
            projects = read_facts(self.context.reader, self.contact_id).projects
        except CrmError:  # gone meanwhile: rendering says so
            projects = []
        return [("best match for them", BEST_MATCH)] + [(project.name, project.name) for project in projects]

    def on_mount(self) -> None:
        name = contact_name(self.context.reader, self.contact_id) or f"#{self.contact_id}"
        self.query_one("#draft-title", Static).update(f"Draft to {name}")
        self.render_draft()
        self.query_one("#draft-text", TextArea).focus()

    # -- rendering and checking ------------------------------------------------------------------------

    def render_draft(self) -> None:
        """Fill the text from the chosen template and project (replacing any edits)."""
        project = self.project_choice
        try:
            draft = _draft(
                self.context,
                self.contact_id,
                template_name=self.template_name,
                project_name=None if project == BEST_MATCH else str(project),
            )
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.rendered = None
            self._show_unavailable(str(err))
            return
        self.rendered = Rendered(draft.contact, draft.template, draft.text, draft.check_inputs)
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
        if self.rendered is None or self.result is None:
            self.notify("Nothing to save: the draft is empty.", severity="warning")
            return
        if send and not self.result.ok:
            self.notify("Not sent: fix the problems first.", severity="error")
            return
        text = self.query_one("#draft-text", TextArea).text
        change = _storing(self.rendered, text, self.result, sent_on=self.context.today if send else None)
        done = "Sent: logged the message; the nudge is scheduled." if send else "Saved the draft."
        if self.write(change, done=done) and send:
            self.dismiss()


def _draft(context: AppContext, contact_id: int, *, template_name: str, project_name: str | None) -> DraftResult:
    """The rendered and checked draft; CrmError when it cannot be drafted (a missing hook, say)."""
    from crm.outreach.drafts import draft_message

    return draft_message(context.reader, contact_id, template_name=template_name, project_name=project_name)


def _storing(rendered: Rendered, text: str, result: CheckResult, *, sent_on):
    """The write that saves the draft, or (given `sent_on`) sends it: logs the message, schedules the nudge."""
    from crm.outreach.drafts import DraftResult

    draft = DraftResult(rendered.contact, rendered.template, text, result, None, rendered.check_inputs)

    def change(session) -> None:
        from crm.outreach.drafts import save_draft, send_draft

        if sent_on is not None:
            send_draft(session, draft, today=sent_on)
        else:
            save_draft(session, draft)

    return change


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
