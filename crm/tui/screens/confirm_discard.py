"""Ask before throwing typed work away: every form and the draft screen use this one dialog."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from crm.tui import keys
from crm.tui.widgets.footer import CrmFooter


class ConfirmDiscard(ModalScreen[bool]):
    """Dismisses with True to discard, False to keep editing (Esc keeps: a second Esc must not lose work).

    Usage: `self.app.push_screen(ConfirmDiscard("Discard your changes?"), lambda discard: ...)`.
    """

    DEFAULT_CSS = """
    ConfirmDiscard {
        align: center middle;
    }
    ConfirmDiscard > #confirm-dialog {
        width: 50;
    }
    ConfirmDiscard #confirm-message {
        margin: 1 0;
    }
    ConfirmDiscard #confirm-buttons {
        height: 1;
        margin-bottom: 1;
        align-horizontal: right;
    }
    ConfirmDiscard #confirm-buttons Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        *keys.CONFIRM_DISCARD,
        Binding("left,right", "switch", show=False),
    ]

    def __init__(self, message: str = "Discard your changes?", *, discard_label: str = "Discard") -> None:
        super().__init__()
        self.message = message
        self.discard_label = discard_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog") as dialog:
            dialog.border_title = "Unsaved changes"
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button("Keep editing", id="keep-button", compact=True)
                yield Button(self.discard_label, variant="error", id="discard-button", compact=True)
        yield CrmFooter()

    def on_mount(self) -> None:
        # Keeping is the safe default: an Enter pressed out of habit does not lose anything.
        self.query_one("#keep-button", Button).focus()

    def action_discard(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)

    def action_switch(self) -> None:
        self.focus_next(Button)

    @on(Button.Pressed, "#discard-button")
    def _discard_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#keep-button")
    def _keep_pressed(self) -> None:
        self.dismiss(False)
