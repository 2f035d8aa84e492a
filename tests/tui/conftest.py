"""TUI fixtures: migrated temp databases (empty, or with the demo network) and an app built on them."""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext
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


@pytest.fixture(params=["sqlite", "postgresql"])
def make_app(request):
    """Factory: make_app(db_path) -> the app on a Store of that file (not yet opened), today fixed.

    Every app test runs on both engines (issue 15): on "postgresql" the file is first copied into a fresh database
    of the session's cluster (`crm db copy`'s machinery), once per file, and the app runs on that. A test that looks
    at the SQLite file itself afterwards is marked `sqlite_only`."""
    stores: list[Store] = []
    urls: dict[Path, str] = {}
    databases: list[str] = []

    def _make(db_path: Path) -> CrmApp:
        if request.param == "postgresql":
            if db_path not in urls:
                cluster = request.getfixturevalue("pg_cluster")
                databases.append(cluster.create_database())
                urls[db_path] = _copied_to_postgresql(db_path, cluster.url(databases[-1]))
            store = Store.from_option(urls[db_path])
        else:
            store = Store(db_path)
        stores.append(store)
        return CrmApp(store, TODAY)

    yield _make
    for store in stores:
        store.close()
    for name in databases:
        request.getfixturevalue("pg_cluster").drop_database(name)


@pytest.fixture
def make_sqlite_app():
    """make_app on SQLite alone, for the snapshot tests: a snapshot is named after its test, and one picture of each
    screen is enough (the Pilot tests run the app on both engines)."""
    stores: list[Store] = []

    def _make(db_path: Path) -> CrmApp:
        stores.append(Store(db_path))
        return CrmApp(stores[-1], TODAY)

    yield _make
    for store in stores:
        store.close()


def app_db(app: CrmApp):
    """The app's own read connection, for a test's checks on either engine (sqlite3's, or crm's PostgreSQL reader:
    `?` parameters, tuples, ISO dates); a context manager, as `sqlite3.connect(path)` was in these tests."""
    return nullcontext(app.store.reader)


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
    return _copied_to_postgresql(demo_db, pg_url)


def _copied_to_postgresql(db_path: Path, url: str) -> str:
    """Copy what the file holds into the (migrated, empty) PostgreSQL database at `url`; returns the URL."""
    from crm.formats.archive import copy_database

    source, target = Store(db_path), Store.from_option(url)
    try:
        copy_database(source, target)
    finally:
        source.close()
        target.close()
    return url
