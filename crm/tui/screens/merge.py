"""Merge a duplicate into the contact on screen: pick who (likely duplicates first), see what moves, confirm."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, ContentSwitcher, Input, OptionList, Static
from textual.widgets.option_list import Option

from crm.errors import CrmError
from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.contacts.merge import MergePlan

# Everyone else is listed up to this many at a time: typing narrows the list (10,000 options would be slow to draw).
SHOWN = 100


@dataclass(frozen=True)
class Candidate:
    """Someone who could be merged into the contact on screen; `reason` says why they look like the same person."""

    contact_id: int
    name: str
    company: str | None
    reason: str = ""

    @property
    def haystack(self) -> str:
        """What the filter looks in."""
        return f"{self.name} {self.company or ''}".casefold()


def _heading(text: str) -> Option:
    return Option(Content.from_markup("[b $text-primary]$text[/]", text=text), disabled=True)


def _option(candidate: Candidate) -> Option:
    firm = f" · {candidate.company}" if candidate.company else ""
    why = f"\n  {candidate.reason}" if candidate.reason else ""
    return Option(
        Content.assemble((candidate.name, "b"), (firm, "$text-muted"), (why, "$text-muted")),
        id=f"merge-{candidate.contact_id}",
    )


class MergeModal(ModalScreen["MergePlan | None"]):
    """Returns what the merge did once written (None when cancelled).

    `duplicates` (run in a worker thread: it compares everyone) finds the likely duplicates of the contact on
    screen; `plan` is the domain's dry run for the one picked; `merge` writes it (CrmError: nothing written, shown
    here).
    """

    DEFAULT_CSS = """
    MergeModal {
        align: center middle;
    }
    MergeModal > #merge-dialog {
        width: 78;  /* the box itself is the shared .dialog rule (app.tcss) */
    }
    MergeModal #merge-steps, MergeModal #merge-pick, MergeModal #merge-confirm {
        height: auto;
    }
    MergeModal .merge-hint {
        color: $text-muted;
        margin: 1 0;
    }
    MergeModal #merge-filter {
        background: $boost;
        margin-bottom: 1;
    }
    MergeModal #merge-candidates {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
        background: $surface;
    }
    MergeModal #merge-plan {
        height: auto;
        max-height: 14;
    }
    MergeModal #merge-error {
        display: none;
        color: $text-error;
        margin-top: 1;
    }
    MergeModal #merge-error.-shown {
        display: block;
    }
    MergeModal #merge-buttons {
        height: 1;
        margin: 1 0;
        align-horizontal: right;
    }
    MergeModal #merge-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [*keys.MERGE_MODAL, Binding("down", "focus_list", show=False)]

    def __init__(
        self,
        *,
        keep_id: int,
        keep_name: str,
        everyone: Sequence[Candidate],
        duplicates: Callable[[], list[Candidate]],
        plan: Callable[[int], MergePlan],
        merge: Callable[[int], MergePlan],
    ) -> None:
        super().__init__()
        self.keep_id = keep_id
        self.keep_name = keep_name
        # (what the filter looks in, who): made once, since the filter runs over everyone on every keystroke.
        self._everyone = [(c.haystack, c) for c in everyone if c.contact_id != keep_id]
        self._matched: tuple[list[str], list[tuple[str, Candidate]]] = ([], self._everyone)  # the last filter's
        self._find_duplicates = duplicates
        self._plan = plan
        self._merge = merge
        self.duplicates: list[Candidate] | None = None  # None until found
        self.planned: MergePlan | None = None  # the dry run shown for confirmation

    def compose(self) -> ComposeResult:
        with Vertical(id="merge-dialog", classes="dialog") as dialog:
            dialog.border_title = f"Merge a duplicate into {self.keep_name}"
            with ContentSwitcher(initial="merge-pick", id="merge-steps"):
                with Vertical(id="merge-pick"):
                    yield Static(
                        f"Who else is {self.keep_name}? Their history, hooks, drafts and tags move to "
                        f"{self.keep_name}, who stays; then they are deleted.",
                        classes="merge-hint",
                        markup=False,
                    )
                    yield Input(placeholder="type to filter by name or company", id="merge-filter", compact=True)
                    yield OptionList(id="merge-candidates", compact=True)
                with Vertical(id="merge-confirm"):
                    yield Static("", id="merge-heading", classes="merge-hint", markup=False)
                    with VerticalScroll(id="merge-plan"):
                        yield Static("", id="merge-plan-text", markup=False)
            yield Static("", id="merge-error", markup=False)
            with Horizontal(id="merge-buttons"):
                yield Button("Cancel", id="back-button", compact=True)
                yield Button("Merge", variant="primary", id="merge-button", compact=True, disabled=True)
        yield CrmFooter()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#merge-filter", Input).focus()
        self._look_for_duplicates()

    @work(group="merge-duplicates")
    async def _look_for_duplicates(self) -> None:
        try:
            found = await asyncio.to_thread(self._find_duplicates)
        except CrmError:
            found = []  # suggestions are a help, not a must: the list of everyone is still there
        self.duplicates = [c for c in found if c.contact_id != self.keep_id]
        self._fill()

    # -- picking --------------------------------------------------------------------------------------

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#merge-candidates", OptionList)

    def _matching(self, wanted: list[str]) -> list[tuple[str, Candidate]]:
        """Everyone whose name or company holds every word typed.

        Typing on only narrows: whoever matches now matched the last filter too, so only they are looked at again.
        """
        was, matched = self._matched
        narrower = was and len(wanted) >= len(was) and wanted[: len(was) - 1] == was[:-1]
        pool = matched if narrower and wanted[len(was) - 1].startswith(was[-1]) else self._everyone
        for word in wanted:
            pool = [pair for pair in pool if word in pair[0]]
        self._matched = (wanted, pool)
        return pool

    def _options(self, query: str) -> Iterator[Option]:
        wanted = query.casefold().split()
        likely = [c for c in self.duplicates or () if all(word in c.haystack for word in wanted)]
        if self.duplicates is None:
            yield _heading("Looking for likely duplicates…")
        elif likely:
            yield _heading("Likely the same person")
            yield from map(_option, likely)
        suggested = {c.contact_id for c in likely}
        rest = [c for _, c in self._matching(wanted) if c.contact_id not in suggested]
        if likely or self.duplicates is None:
            yield _heading("Everyone else" if rest else "No one else matches")
        elif not rest:
            yield _heading("No one matches: try part of a name or a company")
        yield from map(_option, rest[:SHOWN])
        if len(rest) > SHOWN:
            yield Option(
                Content.from_markup("[$text-muted]and $n more: type to narrow the list[/]", n=f"{len(rest) - SHOWN:,}"),
                disabled=True,
            )

    def _fill(self) -> None:
        """List who matches the filter, the likeliest first and highlighted (enter in the filter picks them)."""
        options = self.option_list
        options.set_options(self._options(self.query_one("#merge-filter", Input).value))
        options.action_first()  # the first person, skipping headings

    def action_focus_list(self) -> None:
        if self.query_one(ContentSwitcher).current == "merge-pick":
            self.option_list.focus()

    def on_key(self, event: events.Key) -> None:
        """Typing in the list types in the filter (the list has no use for letters)."""
        if self.option_list.has_focus and event.is_printable and event.character:
            event.stop()
            filter_input = self.query_one("#merge-filter", Input)
            filter_input.focus()
            filter_input.insert_text_at_cursor(event.character)

    @on(Input.Changed, "#merge-filter")
    def _filter_changed(self) -> None:
        self._fill()

    @on(Input.Submitted, "#merge-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        chosen = self.option_list.highlighted_option
        if chosen is not None and chosen.id is not None:
            self._show_plan(int(chosen.id.removeprefix("merge-")))

    @on(OptionList.OptionSelected, "#merge-candidates")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self._show_plan(int(event.option.id.removeprefix("merge-")))

    # -- confirming -----------------------------------------------------------------------------------

    def _show_plan(self, other_id: int) -> None:
        self._show_error("")
        try:
            plan = self._plan(other_id)
        except CrmError as err:
            self._show_error(str(err))
            return
        self.planned = plan
        self.query_one("#merge-heading", Static).update(
            f"Merge {plan.other.label} into {plan.keep.label}; #{plan.other.id} is then deleted. "
            "Nothing is written until you press Merge (ctrl+s)."
        )
        self.query_one("#merge-plan-text", Static).update("\n".join(line.strip() for line in plan.summary()))
        self.query_one(ContentSwitcher).current = "merge-confirm"
        self.query_one("#back-button", Button).label = "Back"
        merge_button = self.query_one("#merge-button", Button)
        merge_button.disabled = False
        merge_button.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "merge":  # greyed out until someone is picked and what would happen is shown
            return True if self.planned is not None else None
        return True

    def action_merge(self) -> None:
        if self.planned is None:
            return
        try:
            done = self._merge(self.planned.other.id)
        except CrmError as err:
            self._show_error(str(err))
            return
        self.dismiss(done)

    def action_back(self) -> None:
        """From the summary back to the list (to pick someone else); from the list, close."""
        if self.planned is None:
            self.dismiss(None)
            return
        self.planned = None
        self._show_error("")
        self.query_one(ContentSwitcher).current = "merge-pick"
        self.query_one("#back-button", Button).label = "Cancel"
        self.query_one("#merge-button", Button).disabled = True
        self.option_list.focus()
        self.refresh_bindings()

    def _show_error(self, text: str) -> None:
        error = self.query_one("#merge-error", Static)
        error.update(text)
        error.set_class(bool(text), "-shown")

    @property
    def error(self) -> str | None:
        error = self.query_one("#merge-error", Static)
        return str(error.content) if error.has_class("-shown") else None

    @on(Button.Pressed, "#merge-button")
    def _merge_pressed(self) -> None:
        self.action_merge()

    @on(Button.Pressed, "#back-button")
    def _back_pressed(self) -> None:
        self.action_back()
