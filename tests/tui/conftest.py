"""TUI fixtures: migrated temp databases (empty, or with the demo network) and an app built on them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input, Select, TextArea

from crm.demo import load_demo
from crm.store.store import Store
from crm.tui.app import CrmApp
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.log_form import LogInteractionModal
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def steady_cursors(monkeypatch):
    """Cursors never blink in tests, so a snapshot never catches one mid-blink (harlequin's habit)."""
    for widget in (Input, TextArea):

        def init(self, *args, _original=widget.__init__, **kwargs):
            _original(self, *args, **kwargs)
            self.cursor_blink = False

        monkeypatch.setattr(widget, "__init__", init)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo network, built once per session; each test gets its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = Store(path).open()
    try:
        with store.write() as session:
            load_demo(session=session, today=TODAY)
    finally:
        store.close()
    return path


@pytest.fixture
def demo_db(tmp_path, demo_template) -> Path:
    path = tmp_path / "demo.db"
    source, target = sqlite3.connect(demo_template), sqlite3.connect(path)
    try:
        source.backup(target)  # the backup API copies WAL content too
    finally:
        target.close()
        source.close()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "empty.db"
    Store(path).open().close()
    return path


@pytest.fixture
def make_app():
    """Factory: make_app(db_path) -> the app on a Store of that file (not yet opened), today fixed."""
    stores: list[Store] = []

    def _make(db_path: Path) -> CrmApp:
        store = Store(db_path)
        stores.append(store)
        return CrmApp(store, TODAY)

    yield _make
    for store in stores:
        store.close()


def contact_id(app: CrmApp, name: str) -> int:
    return app.store.reader.execute("SELECT id FROM contact WHERE name = ?", (name,)).fetchone()[0]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])


async def open_contact(pilot, name: str) -> int:
    """Open `name`'s page straight away (as the palette does), for tests about what comes after; returns their id."""
    contact = contact_id(pilot.app, name)
    pilot.app.actions.open(contact)
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContactScreen) and pilot.app.screen.contact_id == contact
    return contact


async def open_log_form(pilot, name: str | None = None, *, kind: str | None = None) -> LogInteractionModal:
    """Press l on `name`'s page, or with no name on whatever screen is showing (This week's row, a page already open).

    With `kind`, pick it in the form and put the cursor back in the notes, whatever the form offered first.
    """
    if name is not None:
        await open_contact(pilot, name)
    await pilot.press("l")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, LogInteractionModal)
    if kind is not None:
        modal.query_one("#kind", Select).value = kind
        await pilot.pause()
        modal.query_one("#notes", TextArea).focus()
    return modal


def with_targets(db_path: Path, *companies: str) -> None:
    """Make `companies` target companies in the database at `db_path`, through the domain's one write for it."""
    from crm.insights.targets import add_target

    store = Store(db_path).open()
    try:
        with store.write() as session:
            for company in companies:
                add_target(session, company)
    finally:
        store.close()


@pytest.fixture
def demo_pg(demo_db, pg_url) -> str:
    """The demo network, copied into a fresh PostgreSQL database (`crm db copy`'s machinery)."""
    from crm.formats.archive import copy_database

    source, target = Store(demo_db), Store.from_option(pg_url)
    try:
        copy_database(source, target)
    finally:
        source.close()
        target.close()
    return pg_url
