"""Draft a message: pick template and project, edit the text, watch the word count and checks as you type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import Button, Select, Static, TextArea

from crm.contacts.reads import contact_name
from crm.errors import CrmError
from crm.outreach.checks import CheckResult, check_message
from crm.outreach.render import Template, list_templates, survey_templates
from crm.tui import keys
from crm.tui.context import AppContext
from crm.tui.messages import ContactActionRequested
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.club.fatigue import Fatigue
    from crm.outreach.context import ContactFacts
    from crm.outreach.drafts import DraftResult, Gap, SavedDraft

BEST_MATCH = "__best__"
FALLBACK_TEMPLATE = "first-message"

# Runs one change in one write transaction; True when it was written (a failure has been shown to the user).
Writer = Callable[..., bool]

# How each kind of gap is filled in place: (fill action, button label). Gaps of the same kind share one button.
FILLS = {
    "me": ("profile", "Fill in your profile (y)"),
    "project": ("project", "Add a project (n)"),
    "hook": ("hook", "Add a hook (h)"),
    "contact": ("contact", "Edit their details (e)"),
    "shared": ("contact", "Edit their details (e)"),
    "last_chat": ("log", "Log it (l)"),
    "last_reply": ("log", "Log it (l)"),
    "last_referral": ("log", "Log it (l)"),
    "last_intro": ("log", "Log it (l)"),
    "sent": ("first-message", "Draft a first message"),
}
FILL_ORDER = ("profile", "project", "hook", "contact", "log", "first-message")


@dataclass(frozen=True)
class Rendered:
    """What one render gives the screen: the text, the template's limit, and the contact's check inputs."""

    contact: ContactFacts
    template: Template
    text: str
    check_inputs: dict
    gaps: tuple[Gap, ...] = ()
    placeholders: frozenset[str] = frozenset()  # the "[your school]" stand-ins the render wrote for the gaps


def gaps_text(gaps: tuple[Gap, ...]) -> Text:
    """What is missing, one line per gap, grouped as the buttons below it fill them."""
    out = Text("Missing, so the text has [placeholders]:\n", style="bold")
    profile = [gap.field for gap in gaps if gap.area == "me" and gap.field]
    if profile:
        out.append(f"• your profile: {', '.join(profile)}\n")
    for gap in gaps:
        if gap.area != "me":
            out.append(f"• {gap.what}\n")
    out.rstrip()
    return out


class DraftScreen(Screen[None]):
    """Template and project pickers over an editable text; checks re-run on every change.

    What the template needs and is not on record is listed all at once, each with a way to fill it in here. A saved
    draft of the contact's is offered before a fresh render. Leaving with edits that are not saved asks first.
    `write(change, done=...)` stores the draft (the app's one way to write, handed down).
    """

    BINDINGS = keys.DRAFT_SCREEN
    DISCARD_MESSAGE = "Discard this draft? Your edits are not saved (ctrl+s saves them)."

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
        self.saved_id: int | None = None  # the stored draft this text is (saving again updates it)
        self._baseline = ""  # the text as last rendered, loaded or saved: leaving asks only when it differs
        self._fatigue: Fatigue | None = None  # in a club, before a first message or a nudge: who else wrote lately
        self._club_warned = False  # a bad [club] setting is said once per screen

    def compose(self) -> ComposeResult:
        usable, problems = survey_templates()  # each template file read once
        templates = [t.name for t in usable]
        # A template file of the user's that cannot be used is left out of the picker and named, with its reason.
        broken = {problem.name: problem.reason for problem in problems}
        for name, reason in broken.items():
            self.notify(f"Left out template {name}: {reason}; fix or remove it.", severity="warning", markup=False)
        if self.template_name not in templates:
            if self.template_name in broken:  # what is due wants the user's own version of it, and that is broken
                why = f"your “{self.template_name}” template cannot be used (see above)"
            else:  # what is due wants a template not installed (an older set, or a user's folder without it)
                why = f"no “{self.template_name}” template yet"
            self.notify(f"{why[0].upper()}{why[1:]}: starting from {FALLBACK_TEMPLATE}.", severity="warning")
            self.template_name = FALLBACK_TEMPLATE
        yield Static(id="draft-title", classes="screen-title")
        with Horizontal(id="draft-pickers"):
            yield Select(
                [(name, name) for name in templates], value=self.template_name, allow_blank=False, id="draft-template"
            )
            self.project_options = self._projects()
            yield Select(self.project_options, value=BEST_MATCH, allow_blank=False, id="draft-project")
        with Horizontal(id="draft-main"):
            yield TextArea(id="draft-text", soft_wrap=True, show_line_numbers=False)
            with Vertical(id="draft-side"):
                club = Static(id="draft-club")
                club.display = False  # shown on a club's database, before a first message or a nudge (_show_club)
                yield club
                with Vertical(id="draft-gaps"):
                    yield Static(id="draft-gaps-text")
                    for fill in FILL_ORDER:
                        yield Button("", id=f"fill-{fill}", classes="fill", compact=True)
                yield Static(id="draft-verdict")
                yield Static(id="draft-problems")
                yield Button("Mark sent (ctrl+t)", id="draft-send", variant="primary", compact=True)
                yield Button("Copy & mark sent (ctrl+b)", id="draft-copy-send", compact=True)
        yield CrmFooter()

    def _projects(self) -> list[tuple[str, str]]:
        """My projects, for the picker (read with the draft's facts: crm.profile would load the ORM for them)."""
        from crm.outreach.context import read_facts

        try:
            projects = read_facts(self.context.reader, self.contact_id).projects
        except CrmError:  # gone meanwhile: rendering says so
            projects = []
        return [("best match for them", BEST_MATCH)] + [(project.name, project.name) for project in projects]

    @property
    def contact_label(self) -> str:
        return contact_name(self.context.reader, self.contact_id) or f"#{self.contact_id}"

    def on_mount(self) -> None:
        self._show_title()
        self.render_draft()
        self._focus_next()
        self._offer_saved()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A fill key works while what it fills is missing (its button is shown); otherwise it is just a letter."""
        if action == "fill" and parameters:
            try:
                return bool(self.query_one(f"#fill-{parameters[0]}", Button).display)
            except NoMatches:
                return False
        return True

    def on_key(self, event: events.Key) -> None:
        """A letter typed outside the text (on the list of what is missing) that fills nothing goes into the text."""
        if not event.is_printable or not event.character:
            return
        if isinstance(self.focused, Button):
            active = self.active_bindings.get(event.key)
            if active is not None and active.enabled:  # a key that fills something in (bindings run after this)
                return
        elif not isinstance(self.focused, TextArea):
            return
        # else the text has the focus, yet the key comes from outside it: typed fast behind a letter that moved the
        # focus there, it was already on its way to the button. It is typing too, whatever it is bound to.
        event.stop()
        event.prevent_default()
        area = self.query_one("#draft-text", TextArea)
        self.set_focus(area)  # at once, not later as focus() does: the next key of a fast typist goes there too
        area.insert(event.character)

    def _focus_next(self) -> None:
        """The first way to fill in what is missing, so its key (h, y, n...) works at once; else the text.

        While the text has the focus, those keys are letters in it: tab leaves it for the list of what is missing.
        """
        next_fill = next((button for button in self.query(".fill").results(Button) if button.display), None)
        (next_fill or self.query_one("#draft-text", TextArea)).focus()

    def _show_title(self) -> None:
        saved = f" · saved draft #{self.saved_id}" if self.saved_id is not None else ""
        self.query_one("#draft-title", Static).update(f"Draft to {self.contact_label}{saved}")

    # -- saved drafts --------------------------------------------------------------------------------

    def _offer_saved(self) -> None:
        """Drafts saved for them and not yet sent come back, newest first, before the fresh render is kept."""
        from crm.outreach.drafts import saved_drafts
        from crm.tui.screens.saved_drafts import SavedDraftsModal

        try:
            drafts = saved_drafts(self.context.reader, self.contact_id)
        except CrmError:
            return
        if drafts:
            by_id = {draft.id: draft for draft in drafts}
            self.app.push_screen(
                SavedDraftsModal(contact_name=self.contact_label, drafts=drafts, today=self.context.today),
                lambda chosen: self.resume(by_id[chosen]) if chosen in by_id else None,
            )

    def resume(self, draft: SavedDraft) -> None:
        """Carry on with a saved draft: its template (for the checks), its text, and saving or sending updates it."""
        if draft.template != self.template_name and draft.template in {t.name for t in list_templates()}:
            self.template_name = draft.template
            self.query_one("#draft-template", Select).value = draft.template  # its Changed is then ignored
            self.render_draft()
        self.saved_id = draft.id
        self._load(draft.text)
        self._show_title()

    # -- rendering and checking ------------------------------------------------------------------------

    def render_draft(self) -> None:
        """Fill the text from the chosen template and project (replacing any edits)."""
        try:
            draft = self._fresh_draft()
        except CrmError as err:
            self.notify(str(err), severity="error")
            self.rendered = None
            self._fatigue = None
            self._show_gaps(())
            self.query_one("#draft-club", Static).display = False
            self._show_unavailable(str(err))
            return
        self._adopt(draft)
        self._load(draft.text)

    def _adopt(self, draft: DraftResult) -> None:
        """`draft` is what the text was rendered from now: what is missing, and the club's note, shown from it."""
        self.rendered = Rendered(
            draft.contact, draft.template, draft.text, draft.check_inputs, draft.gaps, draft.placeholders
        )
        self._show_gaps(draft.gaps)
        self._show_club(draft.template)

    def _fresh_draft(self) -> DraftResult:
        self._refresh_projects()
        project = self.project_choice
        return _draft(
            self.context,
            self.contact_id,
            template_name=self.template_name,
            project_name=None if project == BEST_MATCH else str(project),
        )

    def _refresh_projects(self) -> None:
        """A project added from here (or anywhere) joins the picker; the one chosen stays chosen."""
        options = self._projects()
        if options == self.project_options:
            return
        self.project_options = options
        picker = self.query_one("#draft-project", Select)
        if self.project_choice not in {value for _, value in options}:
            self.project_choice = BEST_MATCH
        with picker.prevent(Select.Changed):
            picker.set_options(options)
            picker.value = self.project_choice

    def _load(self, text: str) -> None:
        self._baseline = text
        self.query_one("#draft-text", TextArea).load_text(text)
        self.recheck()

    def _show_gaps(self, gaps: tuple[Gap, ...]) -> None:
        box = self.query_one("#draft-gaps")
        box.display = bool(gaps)
        if gaps:
            self.query_one("#draft-gaps-text", Static).update(gaps_text(gaps))
        wanted = {FILLS[gap.area][0] for gap in gaps if gap.area in FILLS}
        for fill in FILL_ORDER:
            button = self.query_one(f"#fill-{fill}", Button)
            button.display = fill in wanted
            button.label = next(label for action, label in FILLS.values() if action == fill)

    def _show_club(self, template: Template) -> None:
        """Before a first message or a nudge on a club's database: who else in the club touched them lately
        (crm.club.fatigue), so a warm intro can come first; too many of them is a failing check (recheck)."""
        note = None
        self._fatigue = None
        store = self.context.store
        if store.dialect == "postgresql":  # SQLite neither imports nor queries the club's guard
            from crm.club.fatigue import store_fatigue, writes_cold

            if writes_cold(template):
                try:
                    found = store_fatigue(store, [self.contact_id], today=self.context.today)
                except CrmError as err:  # config.toml unreadable since the app started: say so, draft on
                    self.notify(str(err), severity="warning")
                    found = None
                if found is not None:
                    self._fatigue = found[self.contact_id]
                    note = self._fatigue.note(self.context.today)
                    self._warn_club_settings()
        box = self.query_one("#draft-club", Static)
        box.display = note is not None
        if note is not None:
            box.update(Text.assemble(("Club: ", "bold yellow"), f"{note}.\n"))

    def _warn_club_settings(self) -> None:
        """A bad [club] setting is warned about on stderr, which the app's screen hides: say it here instead."""
        from crm.store.settings import load_settings

        if self._club_warned:
            return
        self._club_warned = True
        try:
            warnings = load_settings().club_warnings
        except CrmError:
            return
        for warning in warnings:
            self.notify(warning, severity="warning")

    def _show_unavailable(self, reason: str) -> None:
        self._baseline = ""
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
        try:
            self.result = check_message(text, max_words=self.rendered.template.max_words, **self.rendered.check_inputs)
            if self._fatigue is not None:  # in a club: too many members wrote to them lately fails, as in the CLI
                from crm.club.fatigue import with_fatigue

                self.result = with_fatigue(self.result, self._fatigue, text, cold=True)
        except CrmError as err:  # over the size cap (issue 11): say so instead of crashing the app
            self.result = None
            verdict.update(Text(str(err), style="bold"))
            problems.update("")
            return
        verdict.update(verdict_text(self.result, placeholders=self.rendered.placeholders, text=text))
        problems.update(problems_text(text, self.result, placeholders=self.rendered.placeholders))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.recheck()

    def has_unsaved_work(self) -> bool:
        """Text that was typed or edited and is not saved: leaving, re-rendering or quitting asks first."""
        text = self.query_one("#draft-text", TextArea).text
        return bool(text.strip()) and text != self._baseline

    def on_select_changed(self, event: Select.Changed) -> None:
        """A new template or project re-renders the text (the pickers fire once on mount too: ignored)."""
        if event.select.id == "draft-template":
            if str(event.value) == self.template_name:
                return
            before = ("template", self.template_name)
        elif event.select.id == "draft-project":
            if str(event.value) == self.project_choice:
                return
            before = ("project", self.project_choice)
        else:
            return

        def choose(rerender: bool | None) -> None:
            picker = self.query_one("#draft-template" if before[0] == "template" else "#draft-project", Select)
            if not rerender:
                picker.value = before[1]  # back to what the text was drafted from; its Changed is then ignored
                return
            if before[0] == "template":
                self.template_name = str(event.value)
            else:
                self.project_choice = str(event.value)
            self.render_draft()

        self._unless_unsaved(choose, "Discard your edits and re-draft from the new choice?")

    def on_screen_resume(self) -> None:
        """Back from a form opened from here (or any dialog): what was filled in meanwhile fills the draft."""
        self.refill()

    def refill(self) -> None:
        """Render again and, if something missing was filled in since, show it: the fresh text when the text is
        as rendered; when it was edited, the edits kept and only the filled placeholders replaced in it.

        Read straight from the store, not on the app's DataChanged: that message can arrive after the form is gone.
        """
        before = self.rendered
        if before is None or not before.gaps:
            return
        try:
            draft = self._fresh_draft()
        except CrmError:  # it cannot be drafted any more (the contact gone, say): ctrl+r says why
            return
        if draft.gaps == before.gaps and draft.text == before.text:
            return  # nothing new (a form cancelled, a question answered)
        area = self.query_one("#draft-text", TextArea)
        edited = area.text
        self._adopt(draft)
        if edited == before.text:
            self._load(draft.text)
        else:
            from crm.outreach.drafts import fill_placeholders

            refill = fill_placeholders(edited, before.text, draft.text, before.placeholders - draft.placeholders)
            for start, end, replacement in reversed(refill.edits):  # from the end: earlier offsets stay true
                area.replace(replacement, _location(edited, start), _location(edited, end))
            self.recheck()
            if refill.unplaced:
                left, one = ", ".join(sorted(refill.unplaced)), len(refill.unplaced) == 1
                self.notify(
                    f"Your edits are kept, so {left} {'is' if one else 'are'} still in the text: replace "
                    f"{'it' if one else 'them'} by hand, or press ctrl+r to re-draft (it replaces your edits).",
                    severity="warning", markup=False,
                )  # fmt: skip
        self._focus_next()  # on to the next thing missing, else back to the text

    # -- actions ---------------------------------------------------------------------------------------

    def _unless_unsaved(self, then: Callable[[bool], None], message: str) -> None:
        """`then(True)` at once when nothing is unsaved; else after asking (`then(False)` to keep editing)."""
        if not self.has_unsaved_work():
            then(True)
            return
        from crm.tui.screens.confirm_discard import ConfirmDiscard

        self.app.push_screen(ConfirmDiscard(message), lambda discard: then(bool(discard)))

    def action_back(self) -> None:
        self._unless_unsaved(lambda leave: self.dismiss() if leave else None, self.DISCARD_MESSAGE)

    def action_rerender(self) -> None:
        self._unless_unsaved(
            lambda rerender: self.render_draft() if rerender else None, "Discard your edits and re-draft?"
        )

    def action_copy(self) -> None:
        text = self.query_one("#draft-text", TextArea).text
        self.app.copy_to_clipboard(text)
        self.notify("Copied the draft to the clipboard.")

    def action_save(self) -> None:
        self._store(send=False)

    def action_send(self) -> None:
        self._store(send=True)

    def action_copy_and_send(self) -> None:
        self._store(send=True, copy=True)

    async def action_fill(self, what: str) -> None:
        """Fill in what the draft is missing, here: the profile or project form, a hook, their details, a log."""
        if what == "profile":
            field = next((gap.field for gap in self._gaps() if gap.area == "me" and gap.field), None)
            await self.app.run_action(f"edit_profile({field!r})" if field else "edit_profile")
        elif what == "project":
            await self.app.run_action("add_project")
        elif what in ("hook", "contact", "log"):
            action = {"hook": "add_hook", "contact": "edit", "log": "log"}[what]
            self.post_message(ContactActionRequested(action, self.contact_id))  # type: ignore[arg-type]
        elif what == "first-message":
            self.query_one("#draft-template", Select).value = FALLBACK_TEMPLATE

    def _gaps(self) -> tuple[Gap, ...]:
        return self.rendered.gaps if self.rendered is not None else ()

    @on(Button.Pressed, ".fill")
    async def _fill_pressed(self, event: Button.Pressed) -> None:
        await self.action_fill((event.button.id or "").removeprefix("fill-"))

    @on(Button.Pressed, "#draft-send")
    def _send_pressed(self) -> None:
        self.action_send()

    @on(Button.Pressed, "#draft-copy-send")
    def _copy_send_pressed(self) -> None:
        self.action_copy_and_send()

    def _store(self, *, send: bool, copy: bool = False) -> None:
        if self.rendered is None or self.result is None:
            self.notify("Nothing to save: the draft is empty.", severity="warning")
            return
        if send and not self.result.ok:
            self.notify("Not marked sent: fix the problems first.", severity="error")
            return
        text = self.query_one("#draft-text", TextArea).text
        if copy:
            self.app.copy_to_clipboard(text)
        today = self.context.today
        outcome: list = []
        change = _storing(self.rendered, text, self.result, sent_on=today if send else None, draft_id=self.saved_id)
        if not self.write(lambda session: outcome.append(change(session))):
            return
        if send:
            copied = "Copied it, and marked it sent. " if copy else ""
            self.notify(copied + outcome[0], title="Marked sent")
            self.dismiss()
            return
        self.saved_id = outcome[0]
        self._baseline = text
        self._show_title()
        self.notify(f"Saved the draft: it comes back when you next draft to {self.contact_label}.")


def _location(text: str, offset: int) -> tuple[int, int]:
    """(row, column) in a TextArea of the character at `offset` in its text."""
    row = text.count("\n", 0, offset)
    return row, offset - (text.rfind("\n", 0, offset) + 1)


def _draft(context: AppContext, contact_id: int, *, template_name: str, project_name: str | None) -> DraftResult:
    """The rendered and checked draft, with what is missing listed; CrmError when it cannot be drafted at all."""
    from crm.outreach.drafts import draft_with_gaps

    return draft_with_gaps(
        context.reader, contact_id, template_name=template_name, project_name=project_name, today=context.today
    )


def _storing(rendered: Rendered, text: str, result: CheckResult, *, sent_on, draft_id: int | None):
    """The write that saves the draft (returning its id) or, given `sent_on`, marks it sent: logs the message and
    returns what that did, in words (crm.outreach.drafts.sent_summary)."""
    from crm.outreach.drafts import DraftResult

    draft = DraftResult(rendered.contact, rendered.template, text, result, None, rendered.check_inputs)

    def change(session):
        from crm.outreach.drafts import save_draft, send_draft, sent_summary

        if sent_on is not None:
            contact = send_draft(session, draft, today=sent_on, draft_id=draft_id)
            return sent_summary(contact, rendered.template, today=sent_on)
        return save_draft(session, draft, draft_id=draft_id).id

    return change


def _standing_in(text: str, problem, placeholders: frozenset[str]) -> bool:
    """A placeholder problem over one of the render's own stand-ins (listed under Missing instead)."""
    return problem.check == "placeholder" and text[problem.start : problem.end] in placeholders


def verdict_text(result: CheckResult, *, placeholders: frozenset[str] = frozenset(), text: str = "") -> Text:
    words = f"{result.words} / {result.max_words} words"
    if result.ok:
        return Text.assemble((words, "bold"), " · ", ("all checks pass", "bold green"))
    missing = sum(1 for problem in result.problems if _standing_in(text, problem, placeholders))
    count = len(result.problems) - missing
    parts: list = [(words, "bold")]
    if missing:
        parts += [" · ", (f"{missing} to fill in", "bold yellow")]
    if count:
        parts += [" · ", (f"{count} problem{'s' if count != 1 else ''}", "bold red")]
    return Text.assemble(*parts)


def problems_text(text: str, result: CheckResult, *, placeholders: frozenset[str] = frozenset()) -> Text:
    """Each problem with its offending words highlighted in context, then the advice."""
    out = Text()
    for problem in result.problems:
        if _standing_in(text, problem, placeholders):
            continue
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
