"""Import LinkedIn connections: choose the Connections.csv, see what the import would do, then import it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from crm.errors import CrmError
from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter
from crm.tui.widgets.path_input import PathInput, typed_path

if TYPE_CHECKING:
    from crm.formats.linkedin import ImportSummary, LinkedInExport

Progress = Callable[[int, int], None]  # (rows done, rows in all), called from the worker's thread

INTRO = (
    "The Connections.csv from your LinkedIn data export (Settings, Data privacy, Get a copy of your data). "
    "You see what it would change before anything is written."
)


@dataclass(frozen=True)
class ImportPreview:
    """The file as read and the dry run's summary of what importing it would do."""

    export: LinkedInExport
    summary: ImportSummary


class LinkedInImportModal(ModalScreen["ImportSummary | None"]):
    """Returns the summary of the import once written (None when cancelled).

    `preview` reads the file and dry-runs the import; `apply` writes it (CrmError: nothing written). Both run
    in a worker thread, so a 30,000-row export keeps the screen responsive; their progress is shown as it comes.
    """

    DEFAULT_CSS = """
    LinkedInImportModal {
        align: center middle;
    }
    LinkedInImportModal > #import-dialog {
        width: 78;  /* the box itself is the shared .dialog rule (app.tcss) */
    }
    LinkedInImportModal #import-intro {
        color: $text-muted;
        margin: 1 0;
    }
    LinkedInImportModal #import-path-row {
        height: 1;
    }
    LinkedInImportModal #import-path-row Label {
        width: 6;
        color: $text-muted;
    }
    LinkedInImportModal #import-path-row:focus-within Label {
        color: $text;
        text-style: bold;
    }
    LinkedInImportModal #import-path {
        width: 1fr;
        background: $boost;
    }
    LinkedInImportModal #import-status {
        height: auto;
        color: $text-muted;
        padding-left: 6;
    }
    LinkedInImportModal #import-status.-error {
        color: $text-error;
    }
    LinkedInImportModal #import-summary {
        height: auto;
        max-height: 12;
        margin-top: 1;
        display: none;
    }
    LinkedInImportModal #import-summary.-shown {
        display: block;
    }
    LinkedInImportModal #import-buttons {
        height: 1;
        margin: 1 0;
        align-horizontal: right;
    }
    LinkedInImportModal #import-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = keys.IMPORT_MODAL

    class ProgressMade(Message):
        """Rows done so far, posted from the worker thread (posting a message is thread-safe)."""

        def __init__(self, verb: str, done: int, total: int) -> None:
            super().__init__()
            self.verb = verb
            self.done = done
            self.total = total

    def __init__(
        self,
        *,
        preview: Callable[[Path, Progress], ImportPreview],
        apply: Callable[[LinkedInExport, Progress], ImportSummary],
    ) -> None:
        super().__init__()
        self._preview = preview
        self._apply = apply
        self.previewed: ImportPreview | None = None
        self.reading = False
        self.importing = False

    @property
    def busy(self) -> bool:
        return self.reading or self.importing

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog") as dialog:
            dialog.border_title = "Import LinkedIn connections"
            yield Static(INTRO, id="import-intro", markup=False)
            with Horizontal(id="import-path-row"):
                yield Label("File")
                yield PathInput(
                    suffixes=(".csv",),
                    placeholder="~/Downloads/Connections.csv",
                    compact=True,
                    id="import-path",
                )
            yield Static(
                "tab completes the path; enter shows what the import would do", id="import-status", markup=False
            )
            with VerticalScroll(id="import-summary"):
                yield Static("", id="import-summary-text", markup=False)
            with Horizontal(id="import-buttons"):
                yield Button("Cancel", id="cancel-button", compact=True)
                yield Button("Preview", id="preview-button", compact=True)
                yield Button("Import", variant="primary", id="import-button", compact=True, disabled=True)
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    # -- what the dialog shows ------------------------------------------------------------------------

    def show_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @property
    def status(self) -> str:
        return str(self.query_one("#import-status", Static).content)

    @property
    def error(self) -> str | None:
        status = self.query_one("#import-status", Static)
        return self.status if status.has_class("-error") else None

    def _show_summary(self, preview: ImportPreview | None) -> None:
        self.previewed = preview
        summary = self.query_one("#import-summary")
        summary.set_class(preview is not None, "-shown")
        if preview is None:
            self.query_one("#import-summary-text", Static).update("")
        else:
            self.query_one("#import-summary-text", Static).update("\n".join(preview.summary.lines()))
        self._set_import_enabled()

    def _set_import_enabled(self) -> None:
        ready = self.previewed is not None and self._writes_something(self.previewed.summary) and not self.busy
        button = self.query_one("#import-button", Button)
        if button.has_focus and not ready:  # back to the path (focus would otherwise move on to a button)
            self.query_one("#import-path", Input).focus()
        button.disabled = not ready
        self.query_one("#preview-button", Button).disabled = self.importing
        self.refresh_bindings()

    @staticmethod
    def _writes_something(summary: ImportSummary) -> bool:
        return bool(summary.added or summary.updated)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "import":  # shown greyed out until there is a summary to confirm
            return None if self.query_one("#import-button", Button).disabled else True
        if action == "cancel":  # a read may be dropped half-way; an import runs to its end
            return None if self.importing else True
        return True

    @on(ProgressMade)
    def _progress_made(self, event: ProgressMade) -> None:
        if self.busy and event.total:
            self.show_status(f"{event.verb} {event.done:,} of {event.total:,} connections…")

    def _progress(self, verb: str) -> Progress:
        return lambda done, total: self.post_message(self.ProgressMade(verb, done, total))

    # -- checking the file ------------------------------------------------------------------------------

    def action_preview(self) -> None:
        text = self.query_one("#import-path", Input).value
        if not text.strip():
            self.show_status("give the path of Connections.csv (tab completes it)", error=True)
            return
        if not self.importing:  # a read under way gives way to this one
            self._check(typed_path(text))

    @work(exclusive=True, group="linkedin-import")
    async def _check(self, path: Path) -> None:
        self.reading = True
        self._show_summary(None)
        self.show_status(f"Reading {path.name}…")
        try:
            preview = await asyncio.to_thread(self._preview, path, self._progress("Checking"))
        except CrmError as err:
            self.reading = False
            self._set_import_enabled()
            self.show_status(str(err), error=True)
            return
        self.reading = False
        self._show_summary(preview)
        summary = preview.summary
        if self._writes_something(summary):
            self.show_status(f"Nothing is written yet: {self._what_import_does(summary)}.")
            self.query_one("#import-button", Button).focus()
        else:
            self.show_status("Nothing to import: everyone in the file is here already, unchanged.")

    @staticmethod
    def _what_import_does(summary: ImportSummary) -> str:
        parts = []
        if summary.added:
            parts.append(f"adds {summary.added:,}")
        if summary.updated:
            parts.append(f"updates {summary.updated:,}")
        return "Import (ctrl+s) " + " and ".join(parts)

    # -- importing it ---------------------------------------------------------------------------------

    def action_import(self) -> None:
        if self.previewed is None or self.busy or not self._writes_something(self.previewed.summary):
            return
        self._import(self.previewed.export)

    @work(exclusive=True, group="linkedin-import")
    async def _import(self, export: LinkedInExport) -> None:
        self.importing = True
        self._set_import_enabled()
        self.show_status(f"Importing {export.name}…")
        try:
            summary = await asyncio.to_thread(self._apply, export, self._progress("Importing"))
        except CrmError as err:
            # The database busy, say: nothing was written, and the same file can be imported again.
            self.importing = False
            self._set_import_enabled()
            self.notify(str(err), severity="error")
            self.show_status("Nothing was written: Import (ctrl+s) tries again.", error=True)
            return
        self.importing = False
        self.dismiss(summary)

    def action_cancel(self) -> None:
        if not self.importing:  # a read may be dropped half-way (its thread's result is ignored); an import not
            self.workers.cancel_group(self, "linkedin-import")
            self.dismiss(None)

    # -- events ---------------------------------------------------------------------------------------

    @on(Input.Changed, "#import-path")
    def _path_changed(self) -> None:
        if self.previewed is not None and not self.busy:  # the summary was of another file
            self._show_summary(None)
            self.show_status("enter shows what importing this file would do")
        elif self.error:
            self.show_status("")

    @on(Input.Submitted, "#import-path")
    def _path_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    @on(Button.Pressed, "#preview-button")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-button")
    def _import_pressed(self) -> None:
        self.action_import()

    @on(Button.Pressed, "#cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
