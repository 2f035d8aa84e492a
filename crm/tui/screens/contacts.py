"""Contacts: everyone in a sortable table, with a live filter over their fields, hooks and notes."""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Input, Static

from crm.contacts.reads import contact_rows, filter_pairs, haystacks, matching, search_pairs
from crm.errors import CrmError
from crm.store.dialect import fold_accents
from crm.tui import keys, memory
from crm.tui.context import AppContext
from crm.tui.screens.base import DataScreen, PaletteCommand
from crm.tui.widgets.contacts_table import COLUMNS, ContactsTable
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.search import SearchHit

# Notes are searched from this many characters on: a one- or two-letter prefix matches most of a big
# network's notes, and says little.
NOTE_SEARCH_MIN_CHARS = 3
NOTE_HITS = 50
# From this many contacts on, the heap is settled after reading them (crm.tui.memory): below, it is not worth it.
SETTLE_FROM = 5_000


def note_search(conn, text: str) -> list[SearchHit]:
    """Notes, takeaways, next steps and hooks matching `text`, best first; [] when search is unavailable.

    A query the index cannot take is no error while typing: it simply finds nothing in the notes.
    """
    if len(text.strip()) < NOTE_SEARCH_MIN_CHARS:
        return []
    try:
        from crm.search import search_notes
    except ImportError:  # an older crm without the search index
        return []
    try:
        return search_notes(conn, text, limit=NOTE_HITS)
    except CrmError:
        return []


def snippet_content(hit: SearchHit) -> Content:
    """'chat note, Nov 20: …talked about creator analytics…' with the matched words highlighted."""
    from crm.search import MARK_END, MARK_START

    parts: list[str | tuple[str, str]] = [(f"{hit.source}{', ' + hit.date if hit.date else ''}: ", "$text-muted")]
    rest = hit.snippet
    while MARK_START in rest:
        before, _, rest = rest.partition(MARK_START)
        match, _, rest = rest.partition(MARK_END)
        parts += [before, (match, "b $text-accent")]
    parts.append(rest)
    return Content.assemble(*parts)


class ContactsScreen(DataScreen):
    BINDINGS = keys.CONTACTS_SCREEN

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self._everyone: list[dict] | None = None
        self._haystacks: dict[int, str] = {}
        self._note_hits: dict[int, SearchHit] = {}
        # Everyone's (search text, row) in the table's order, and the last query's matches among them.
        self._pairs: tuple[list[dict], list[tuple[str, dict]]] | None = None
        self._matched: tuple[list[dict], str, list[tuple[str, dict]]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="contacts-title", classes="screen-title")
        yield Input(placeholder="/ to filter: name, company, team, tag, hook or notes", id="filter-input", compact=True)
        yield ContactsTable(id="contacts-table")
        yield Static(id="contacts-snippet")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one(ContactsTable).focus()

    @property
    def table(self) -> ContactsTable:
        return self.query_one(ContactsTable)

    @property
    def query_text(self) -> str:
        return self.query_one("#filter-input", Input).value.strip()

    def load(self) -> None:
        """Show the contacts matching the filter; everyone and their search text are read once per change.

        Those whose fields match come first, in the table's order; then those only their notes match, best first.
        """
        today, conn = self.context.today, self.context.reader
        if self._everyone is None:
            self._everyone = contact_rows(conn, today=today)
            self._haystacks = haystacks(conn)
        ordered = self.table.in_order(self._everyone)
        if self._pairs is None or self._pairs[0] is not ordered:
            self._search_pairs(ordered)
            if len(self._everyone) >= SETTLE_FROM:
                memory.settle()  # everyone just read lives until the next write: collections need not walk it
        query = self.query_text
        rows, by_notes = ordered, []
        self._note_hits = {}
        if query:
            pairs = filter_pairs(self._narrowest(ordered, query), query)
            self._matched = (ordered, query, pairs)
            rows = list(map(itemgetter(1), pairs))  # (in C: this runs on every keystroke)
            for hit in note_search(conn, query):
                if self.table.row_of(hit.contact_id) is not None:  # archived contacts are not in the table
                    self._note_hits.setdefault(hit.contact_id, hit)
            hit_rows = [self.table.row_of(cid) for cid in self._note_hits]
            matched = {row["id"] for row in matching(hit_rows, query, self._haystacks)}
            by_notes = [row for row in hit_rows if row["id"] not in matched]
        self.table.show(rows, today=today, sized_for=self._everyone, tail=by_notes, presorted=True)
        found = len(rows) + len(by_notes)
        total = len(self._everyone)
        shown = f"{found} of {total} match “{query}”" if query else f"{found} contacts"
        self.query_one("#contacts-title", Static).update(
            Content.from_markup("[b]Contacts[/b]  [$text-muted]$shown[/]", shown=shown)
        )
        self._show_snippet()

    def _narrowest(self, ordered: list[dict], query: str) -> list[tuple[str, dict]]:
        """Where to look for `query`'s matches: typing on at the end of the last query only narrows its matches."""
        if self._matched is not None:
            was_ordered, was_query, was_pairs = self._matched
            if was_ordered is ordered and fold_accents(query).startswith(fold_accents(was_query)):
                return was_pairs
        return self._search_pairs(ordered)

    def _search_pairs(self, ordered: list[dict]) -> list[tuple[str, dict]]:
        """Everyone's (search text, row) in the table's order, built once per order (not on a keystroke)."""
        if self._pairs is None or self._pairs[0] is not ordered:
            self._pairs = (ordered, search_pairs(ordered, self._haystacks))
        return self._pairs[1]

    def _show_snippet(self) -> None:
        """Under the table, what in the highlighted contact's notes matched the filter (when something did)."""
        hit = self._note_hits.get(self.selected_contact_id() or 0)
        snippet = self.query_one("#contacts-snippet", Static)
        snippet.display = hit is not None
        if hit is not None:
            snippet.update(snippet_content(hit))

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

    def palette_commands(self, name: str | None) -> Iterator[PaletteCommand]:
        yield from super().palette_commands(name)
        yield PaletteCommand(
            "Filter contacts", "By name, company, team, tag, hook or notes (/)", self.action_focus_filter
        )
        yield PaletteCommand(
            "Sort by the next column", "Name, company, team, stage, last, next (o)", self.action_next_sort
        )

    @on(Input.Changed, "#filter-input")
    def _filter_changed(self) -> None:
        # Every keystroke filters at once: the match runs in memory and the table fills a page at a time.
        self.load()
        self.refresh_bindings()

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self) -> None:
        self.table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_filter":  # listed only while there is a filter to leave or clear
            filter_input = self.query_one("#filter-input", Input)
            return filter_input.has_focus or bool(filter_input.value)
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_leave_filter(self) -> None:
        """From the filter back to the table; in the table, escape clears the filter."""
        filter_input = self.query_one("#filter-input", Input)
        if filter_input.has_focus:
            self.table.focus()
        elif filter_input.value:
            filter_input.value = ""

    @on(DataTable.RowHighlighted, "#contacts-table")
    def _row_highlighted(self) -> None:
        if self._note_hits:
            self._show_snippet()

    @on(DataTable.HeaderSelected, "#contacts-table")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        self.table.sort_by(str(event.column_key.value))

    @on(DataTable.RowSelected, "#contacts-table")
    def _row_selected(self) -> None:
        self.action_open()
