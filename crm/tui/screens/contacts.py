"""Contacts: everyone in a sortable table, with a live filter over names, companies, teams, tags and hooks."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from crm.contacts.reads import haystacks, list_contacts, matching
from crm.tui.screens.base import DataScreen
from crm.tui.widgets.contacts_table import COLUMNS, ContactsTable
from crm.tui.widgets.footer import CrmFooter

# Filtering runs one query per pause in typing, not per key, so fast typing stays smooth on big networks.


class ContactsScreen(DataScreen):
    BINDINGS = [
        Binding("enter", "open", "Open"),
        *DataScreen.CONTACT_BINDINGS,
        Binding("slash", "focus_filter", "Filter", key_display="/"),
        Binding("o", "next_sort", "Sort"),
        Binding("O", "reverse_sort", "Reverse", show=False),
        Binding("a", "app.add_contact", "Add"),
        Binding("escape", "leave_filter", "Back"),
        Binding("down", "leave_filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._total = 0
        self._everyone: list[dict] | None = None
        self._haystacks: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="contacts-title", classes="screen-title")
        yield Input(placeholder="/ to filter: name, company, team, tag or hook", id="filter-input", compact=True)
        yield ContactsTable(id="contacts-table")
        yield CrmFooter()

    def on_mount(self) -> None:
        if not getattr(self.app, "cursor_blink", True):
            self.query_one("#filter-input", Input).cursor_blink = False
        self.query_one(ContactsTable).focus()

    @property
    def table(self) -> ContactsTable:
        return self.query_one(ContactsTable)

    @property
    def query_text(self) -> str:
        return self.query_one("#filter-input", Input).value.strip()

    def load(self) -> None:
        """Show the contacts matching the filter; everyone and their search text are read once per change."""
        app = self.crm
        if self._everyone is None:
            self._everyone = list_contacts(app.conn, today=app.today)
            self._haystacks = haystacks(app.conn)
        query = self.query_text
        rows = matching(self._everyone, query, self._haystacks) if query else self._everyone
        self._total = len(self._everyone)
        self.table.show(rows, today=app.today, sized_for=self._everyone)
        shown = f"{len(rows)} of {self._total} match “{query}”" if query else f"{len(rows)} contacts"
        self.query_one("#contacts-title", Static).update(
            Content.from_markup("[b]Contacts[/b]  [$text-muted]$shown[/]", shown=shown)
        )

    def reload(self) -> None:
        self._everyone = None  # the store changed: read it again
        super().reload()

    def selected_contact_id(self) -> int | None:
        return self.table.selected_contact_id()

    def action_focus_filter(self) -> None:
        self.query_one("#filter-input", Input).focus()

    def action_next_sort(self) -> None:
        keys = [column.key for column in COLUMNS]
        following = keys[(keys.index(self.table.sort_column) + 1) % len(keys)]
        self.table.sort_by(following, reverse=False)

    def action_reverse_sort(self) -> None:
        self.table.sort_by(self.table.sort_column, reverse=not self.table.sort_reverse)

    @on(Input.Changed, "#filter-input")
    def _filter_changed(self) -> None:
        # Every keystroke filters at once: the match runs in memory and the table fills a page at a time.
        self.load()

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_filter":  # listed only while there is a filter to leave or clear
            filter_input = self.query_one("#filter-input", Input)
            return filter_input.has_focus or bool(filter_input.value)
        return True

    @on(Input.Changed, "#filter-input")
    def _refresh_keys(self) -> None:
        self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_leave_filter(self) -> None:
        """From the filter back to the table; in the table, escape clears the filter."""
        filter_input = self.query_one("#filter-input", Input)
        if filter_input.has_focus:
            self.table.focus()
        elif filter_input.value:
            filter_input.value = ""

    @on(DataTable.HeaderSelected, "#contacts-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self.table.sort_by(str(event.column_key.value))

    @on(DataTable.RowSelected, "#contacts-table")
    def _row_selected(self) -> None:
        self.action_open()
