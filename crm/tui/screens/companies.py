"""Companies: who I know where, the warmest way in, and the target companies where I have reached no one yet."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static

from crm.tui import keys
from crm.tui.formatting import date_label
from crm.tui.screens.base import DataScreen, PaletteCommand
from crm.tui.widgets.footer import CrmFooter

if TYPE_CHECKING:
    from crm.insights.companies import Company

TARGET_MARK = "★"
COLUMNS = (("target", ""), ("company", "Company"), ("contacts", "People"), ("warmest", "Warmest contact"),
           ("last", "Last"), ("next", "Next follow-up"))  # fmt: skip


def company_cells(company: Company, *, today) -> tuple[str, ...]:
    """One row of the table: the warmest contact with their stage, the next follow-up with whose it is (first name:
    the table fits 80 columns)."""
    warmest = f"{company.warmest.name} ({company.warmest.stage})" if company.warmest else "no one yet"
    following = company.next_person
    upcoming = f"{date_label(company.next_follow_up, today=today)} {following.name.split()[0]}" if following else ""
    return (
        TARGET_MARK if company.target else "",
        company.company,
        str(company.contacts),
        warmest,
        date_label(company.last_touch, today=today),
        upcoming,
    )


class CompaniesScreen(DataScreen):
    """Read in a worker thread: grouping every contact by company grows with the network."""

    BINDINGS = keys.COMPANIES_SCREEN

    def __init__(self, context) -> None:
        super().__init__(context)
        self.companies: list[Company] = []

    def compose(self) -> ComposeResult:
        yield Static(id="companies-title", classes="screen-title")
        table = DataTable(id="companies-table", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Static(id="companies-cold")
        yield CrmFooter()

    def on_mount(self) -> None:
        self.query_one("#companies-title", Static).update(Content.from_markup("[b]Companies[/b]"))
        self.query_one("#companies-cold").display = False
        self.table.focus()

    @property
    def table(self) -> DataTable:
        return self.query_one("#companies-table", DataTable)

    def load(self) -> None:
        from crm.insights.companies import companies

        today = self.context.today
        self.read_in_thread(lambda conn: companies(conn, today=today), self.show)

    def show(self, found: list[Company]) -> None:
        today = self.context.today
        kept = self.selected_company()
        self.companies = found
        table = self.table
        table.clear()
        table.add_rows(company_cells(company, today=today) for company in found)
        if kept is not None:
            names = [company.company for company in found]
            if kept.company in names:
                table.move_cursor(row=names.index(kept.company), animate=False)
        targets = sum(company.target for company in found)
        summary = f"{len(found)} companies" + (f" · {targets} target{'s' if targets != 1 else ''} ({TARGET_MARK})"
                                               if targets else "")  # fmt: skip
        self.query_one("#companies-title", Static).update(
            Content.from_markup("[b]Companies[/b]  [$text-muted]$summary[/]", summary=summary)
        )
        cold = [note for company in found if (note := company.note())]
        notes = self.query_one("#companies-cold", Static)
        notes.display = bool(cold)
        notes.update(
            Content.from_markup("[b $text-warning]Targets still cold[/]\n")
            + Content("\n").join(Content(f"  {note}") for note in cold)
        )
        if not found:
            notes.display = True
            notes.update(
                Content.from_markup(
                    "[$text-muted]No companies yet: give contacts a company (e to edit), or add a target with"
                    " crm target add COMPANY.[/]"
                )
            )

    def selected_company(self) -> Company | None:
        table = self.table
        if not self.companies or not 0 <= table.cursor_row < len(self.companies):
            return None
        return self.companies[table.cursor_row]

    def selected_contact_id(self) -> int | None:
        company = self.selected_company()
        return company.warmest.id if company is not None and company.warmest is not None else None

    def action_open(self) -> None:
        company = self.selected_company()
        if company is not None and company.warmest is None:
            self.notify(company.note() or f"no one at {company.company} yet", severity="warning")
            return
        self.request("open")

    def palette_open(self, name: str, open_contact: Callable[[], None]) -> Iterator[PaletteCommand]:
        company = self.selected_company()
        at = f" at {company.company}" if company is not None else ""
        yield PaletteCommand(f"Open {name}", f"The warmest contact{at} (enter)", open_contact)

    @on(DataTable.RowSelected, "#companies-table")
    def _row_selected(self) -> None:
        self.action_open()
