"""The contacts table: one row per contact, sorted in Python and loaded with one add_rows call."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import DataTable

from crm.tui.formatting import date_label


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    max_width: int


COLUMNS = (
    Column("name", "Name", 24),
    Column("company", "Company", 18),
    Column("team", "Team", 18),
    Column("stage", "Stage", 10),
    Column("last_interaction", "Last", 11),
    Column("next_follow_up", "Next", 11),
)


# When the columns do not fit, text columns give way in this order, down to these widths; dates never do
# (a date cut mid-token, "Nov 2" for "Nov 27", reads as another date).
SHRINK_ORDER = (("team", 6), ("company", 8), ("name", 12))
CELL_PADDING = 2  # DataTable's one space either side of a cell
SCROLLBAR = 2


def fit_widths(widths: dict[str, int], available: int) -> dict[str, int]:
    """Narrow the text columns until every column fits in `available` cells (0: unknown, keep them)."""
    widths = dict(widths)
    over = sum(w + CELL_PADDING for w in widths.values()) + SCROLLBAR - available
    for key, narrowest in SHRINK_ORDER:
        if available <= 0 or over <= 0:
            break
        cut = min(over, max(0, widths[key] - narrowest))
        widths[key] -= cut
        over -= cut
    return widths


class Cell:
    """A cell drawn as plain text (never markup), with a style.

    DataTable measures every cell of every new row, and parses strings as markup, to size auto-width
    columns: for 10k contacts that is seconds. Our columns have explicit widths, and an object with no
    `__rich_measure__` is measured for free, so only the rows on screen ever get rendered.
    """

    __slots__ = ("text", "style")

    def __init__(self, text: str | None, style: str = "") -> None:
        self.text = text or ""
        self.style = style

    def __rich_console__(self, console, options):
        yield Text(self.text, style=self.style, no_wrap=True, overflow="ellipsis", end="")

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Cell({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.text)


def _sort_key(column: str):
    def key(row: dict):
        value = row.get(column)
        # Empty values sort last whichever the direction; text compares case-insensitively.
        return (value is None or value == "", (value or "").lower() if isinstance(value, str) else value)

    return key


PAGE = 100  # rows added to the table at a time; more as the cursor or the scroll nears the end


class ContactsTable(DataTable):
    """Rows keep the order of `self.rows_shown`, so the cursor row indexes straight into it.

    Only a page of rows is in the table at first, and the next page is added as the cursor comes
    near the end: filling a DataTable costs per row, and a keystroke in the filter must repaint fast
    even when thousands of contacts match.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[dict] = []
        self._head: list[dict] = []  # sorted by the sort column
        self._tail: list[dict] = []  # after them, in the order given
        self.sort_column = "name"
        self.sort_reverse = False
        self.today: dt.date = dt.date.min
        self._labels: dict[str | None, str] = {None: ""}
        self._materialized = 0  # how many of rows_shown are in the table (a prefix)
        self._layout: tuple | None = None  # sort and widths the columns were built for
        self._sized_for: list[dict] | None = None
        self._filling = False
        self._rank: dict[int, int] = {}
        self._rank_source: list[dict] | None = None
        self._rank_order: tuple | None = None
        self._ordered: list[dict] = []  # _sized_for in the current sort order (what _rank numbers)
        self._widths_for: dict[str, int] = {}
        self._widths_key: list[dict] | None = None
        self._raw_widths: dict[str, int] = {}  # before fitting them to the window

    def _widths(self, rows: list[dict]) -> dict[str, int]:
        """Column widths from the text lengths: given to the table, it need not measure every cell (slow for 10k)."""
        widths = {}
        for column in COLUMNS:
            if column.key in ("last_interaction", "next_follow_up"):
                longest = column.max_width  # date labels ("Nov 20", "Nov 20 2025") fit; no need to format them all
            else:
                longest = max((len(row[column.key] or "") for row in rows), default=0)
            widths[column.key] = max(len(column.label) + 2, min(longest, column.max_width))
        return widths

    def _fitted(self, widths: dict[str, int]) -> dict[str, int]:
        return fit_widths(widths, self.size.width or self.app.size.width)

    def on_resize(self) -> None:
        """A narrower or wider window re-fits the columns (the rows stay; only the layout changes)."""
        if self._layout is not None and tuple(self._fitted(self._raw_widths).values()) != self._layout[2]:
            self._fill(self.selected_contact_id())

    def show(
        self,
        rows: list[dict],
        *,
        today: dt.date,
        sized_for: list[dict] | None = None,
        tail: list[dict] = (),
        presorted: bool = False,
    ) -> None:
        """Replace the rows, keeping the cursor on the same contact where it is still shown.

        `sized_for` (everyone, when `rows` are the filter's matches) sets the column widths, so
        they hold still while you type and the table keeps its columns instead of rebuilding them.
        `presorted`: `rows` are already in the table's order (a filter of `in_order(everyone)`).
        `tail` rows follow the sorted ones in the order given (the contacts only their notes match, best first).
        """
        kept = self.selected_contact_id()
        self.today = today
        self._sized_for = sized_for
        self._head = rows if presorted else self._sorted(rows)
        self._tail = list(tail)
        self.rows_shown = self._head + self._tail if self._tail else self._head
        self._fill(kept)

    def in_order(self, everyone: list[dict]) -> list[dict]:
        """`everyone` in the table's current order, sorted once per sort order: filtering it keeps that order."""
        self._sized_for = everyone
        self._ranks()
        return self._ordered

    def sort_by(self, column: str, *, reverse: bool | None = None) -> None:
        kept = self.selected_contact_id()
        if reverse is None:
            reverse = not self.sort_reverse if column == self.sort_column else False
        self.sort_column, self.sort_reverse = column, reverse
        self._head = self._sorted(self._head)
        self.rows_shown = self._head + self._tail if self._tail else self._head
        self._fill(kept)

    def _sorted(self, rows: list[dict]) -> list[dict]:
        if self._sized_for is not None and rows is not self._sized_for:
            # The filter's matches: order them by their place in everyone, sorted once per sort order.
            rank = self._ranks()
            return sorted(rows, key=lambda row: rank[row["id"]])
        return self._sort_fully(rows)

    def _ranks(self) -> dict[int, int]:
        order = (self.sort_column, self.sort_reverse)
        # The cache holds the list itself, so an identity check cannot be fooled by a reused id.
        if self._rank_source is not self._sized_for or self._rank_order != order:
            self._ordered = self._sort_fully(self._sized_for)
            self._rank = {row["id"]: i for i, row in enumerate(self._ordered)}
            self._rank_source, self._rank_order = self._sized_for, order
        return self._rank

    def row_of(self, contact_id: int) -> dict | None:
        """The contact's row among everyone (`in_order`), None when they are not in it (archived, say)."""
        index = self._rank.get(contact_id) if self._rank_source is self._sized_for else None
        return None if index is None else self._ordered[index]

    def _index_of(self, contact_id: int) -> int | None:
        """Where the contact is in rows_shown: a binary search by rank in the sorted rows, then the tail."""
        head = self._head
        if self._sized_for is not None and self._rank_source is self._sized_for:
            rank = self._rank
            if contact_id in rank:
                i = bisect_left(head, rank[contact_id], key=lambda row: rank.get(row["id"], -1))
                if i < len(head) and head[i]["id"] == contact_id:
                    return i
            found = next((i for i, row in enumerate(self._tail) if row["id"] == contact_id), None)
            return None if found is None else len(head) + found
        return next((i for i, row in enumerate(self.rows_shown) if row["id"] == contact_id), None)

    def _sort_fully(self, rows: list[dict]) -> list[dict]:
        filled = [row for row in rows if row.get(self.sort_column) not in (None, "")]
        empty = [row for row in rows if row.get(self.sort_column) in (None, "")]
        filled.sort(key=_sort_key(self.sort_column), reverse=self.sort_reverse)
        empty.sort(key=_sort_key("name"))
        return filled + empty

    def _fill(self, kept: int | None) -> None:
        if self._sized_for is None:
            widths = self._widths(self.rows_shown)
        else:  # everyone's widths, measured once per load rather than on every keystroke
            if self._widths_key is not self._sized_for:
                self._widths_for, self._widths_key = self._widths(self._sized_for), self._sized_for
            widths = self._widths_for
        self._raw_widths = widths
        widths = self._fitted(widths)
        layout = (self.sort_column, self.sort_reverse, tuple(widths.values()))
        self._filling = True  # the cursor moves while rows are cleared: do not page in the middle of it
        self._materialized = 0
        if layout == self._layout:
            self.clear()  # same columns: keep them, and the table need not lay itself out again
        else:
            self.clear(columns=True)
            for column in COLUMNS:
                arrow = (" ▼" if self.sort_reverse else " ▲") if column.key == self.sort_column else ""
                self.add_column(Text(column.label + arrow), key=column.key, width=widths[column.key])
            self._layout = layout
        self._filling = False
        self._labels: dict[str | None, str] = {None: ""}  # dates repeat a lot across 10k rows
        index = None if kept is None else self._index_of(kept)
        self._extend_to((index or 0) + PAGE)
        if index is not None:
            self.move_cursor(row=index, animate=False)

    def _extend_to(self, count: int) -> None:
        """Make sure the first `count` rows (or all of them) are in the table."""
        have = self._materialized
        if self._filling or not self.columns or have >= count or have >= len(self.rows_shown):
            return  # (no columns: the table is being rebuilt, and _fill adds the first page)
        today = self.today.isoformat()
        page = self.rows_shown[have:count]
        self._materialized += len(page)
        self.add_rows([self._cells(row, today, self._labels) for row in page])

    def watch_cursor_coordinate(self, old, new) -> None:
        super().watch_cursor_coordinate(old, new)
        if new.row >= self._materialized - PAGE // 4:
            self._extend_to(self._materialized + PAGE)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        # Scrolled (wheel, page down) near the end; the header row takes one line.
        if new + self.size.height >= self._materialized - PAGE // 4:
            self._extend_to(self._materialized + PAGE)

    def _cells(self, row: dict, today: str, labels: dict[str | None, str]) -> tuple:
        due, last = row["next_follow_up"], row["last_interaction"]
        for value in (due, last):
            if value not in labels:
                labels[value] = date_label(value, today=self.today)
        next_style = "bold" if due is not None and due <= today else ""
        return (
            Cell(row["name"]),
            Cell(row["company"]),
            Cell(row["team"]),
            Cell(row["stage"]),
            Cell(labels[last]),
            Cell(labels[due], next_style),
        )

    def selected_contact_id(self) -> int | None:
        if not self.rows_shown or self.cursor_row is None or not 0 <= self.cursor_row < len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]["id"]
