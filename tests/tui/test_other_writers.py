"""The app open all day: what another program writes (`crm done` in a shell, another device on the same server)
shows without a restart, and a new day moves This week on. Its own writes reload once, not twice."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from crm.cli import main
from crm.store.changes import change_mark
from crm.store.store import Store
from crm.tui import app as app_module
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.due_list import DueList
from tests.conftest import TODAY
from tests.tui.conftest import contact_id

SIZE = (100, 30)
PATIENCE_S = 15.0  # PostgreSQL's counters arrive within about a second; the wait ends as soon as they do


@pytest.fixture(autouse=True)
def watch_often(monkeypatch):
    monkeypatch.setattr(app_module, "WATCH_SECONDS", 0.05)


def due_ids(app) -> list[str]:
    return [option.id for option in app.screen.query_one(DueList).options if option.id]


def run_cli(app, *args: str) -> None:
    """Another program: the CLI on its own connection to the app's database."""
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(app.store.url or app.store.path), *args])
    assert exited.value.code == 0


async def until(pilot, condition, *, patience: float = PATIENCE_S) -> bool:
    """Let the app run until `condition()` holds (True) or the patience runs out (False)."""
    for _ in range(int(patience / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_a_follow_up_done_in_a_shell_leaves_this_week_without_a_restart(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = f"due-{contact_id(app, 'Daniel Okafor')}"
        assert daniel in due_ids(app)
        run_cli(app, "done", "Daniel Okafor")
        assert await until(pilot, lambda: daniel not in due_ids(app)), "the app never showed the shell's change"
        assert isinstance(app.screen, WeekScreen)


async def test_contacts_keep_the_cursor_and_the_filter_when_another_program_adds_someone(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        await pilot.press("down", "down", "down")
        await pilot.pause()
        chosen = screen.selected_contact_id()
        total = len(screen.table.rows_shown)
        run_cli(app, "contact", "add", "Aaron Abel", "--company", "Spotify")  # sorts first: every row moves down
        assert await until(pilot, lambda: len(screen.table.rows_shown) == total + 1)
        assert screen.selected_contact_id() == chosen
        await pilot.press("slash", *"spot")
        await pilot.pause()
        matched = len(screen.table.rows_shown)
        run_cli(app, "contact", "add", "Zoe Spotswood")
        assert await until(pilot, lambda: len(screen.table.rows_shown) == matched + 1)
        assert screen.query_text == "spot"


async def test_a_change_made_while_a_form_is_open_shows_once_the_form_closes(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = f"due-{contact_id(app, 'Daniel Okafor')}"
        await pilot.press("question_mark")  # the help: a modal over This week
        await pilot.pause()
        assert not isinstance(app.screen, WeekScreen)
        version = app.context.version
        run_cli(app, "done", "Daniel Okafor")
        assert await until(pilot, lambda: app.context.version > version)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert await until(pilot, lambda: daniel not in due_ids(app), patience=1.0)


async def test_a_new_day_moves_this_week_on(make_app, demo_db, monkeypatch):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = due_ids(app)
        next_week = TODAY + dt.timedelta(days=7)
        monkeypatch.setenv("CRM_TODAY", next_week.isoformat())  # as midnight does to the real clock
        assert await until(pilot, lambda: app.context.today == next_week)
        await pilot.pause()
        assert app.actions.today == next_week
        title = str(app.screen.query_one("#week-title").render())
        assert next_week.strftime("%b") in title and str(next_week.day) in title, title
        assert due_ids(app) != before  # a week later, more is due


async def test_a_nonsense_crm_today_under_a_running_app_keeps_its_day(make_sqlite_app, demo_db, monkeypatch):
    app = make_sqlite_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setenv("CRM_TODAY", "tomorrow-ish")
        await pilot.pause(0.3)
        assert app.context.today == TODAY and isinstance(app.screen, WeekScreen)


async def test_nothing_written_means_nothing_reloaded(make_sqlite_app, demo_db):
    app = make_sqlite_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        version = app.context.version
        await pilot.pause(0.5)  # ten looks
        assert app.context.version == version


async def test_the_apps_own_write_reloads_once(make_sqlite_app, demo_db):
    app = make_sqlite_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        version = app.context.version
        await pilot.press("x")  # done, on the highlighted follow-up
        await pilot.pause(0.5)
        assert app.context.version == version + 1


# -- the mark itself ----------------------------------------------------------------------------------


def test_sqlite_mark_changes_with_another_connections_commit_only(demo_db):
    reader = Store(demo_db).open().reader
    before = change_mark(reader)
    assert before is not None
    reader.execute("SELECT count(*) FROM contact").fetchall()
    assert change_mark(reader) == before  # reading is not a change
    other = sqlite3.connect(demo_db)
    with other:
        other.execute("UPDATE contact SET notes = 'met at the fair' WHERE id = (SELECT min(id) FROM contact)")
    other.close()
    assert change_mark(reader) != before


def test_postgresql_mark_changes_when_another_connection_commits(pg_url):
    import time

    store = Store.from_option(pg_url).open()
    try:
        before = change_mark(store.reader)
        assert before is not None
        with pytest.raises(SystemExit):
            main(["--db", pg_url, "contact", "add", "Maya Chen", "--company", "Spotify"])
        deadline = time.monotonic() + PATIENCE_S
        while change_mark(store.reader) == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert change_mark(store.reader) != before
    finally:
        store.close()


def test_a_mark_that_cannot_be_read_is_none_and_other_errors_are_not_hidden():
    class Broken:
        def __init__(self, error: Exception) -> None:
            self.error = error

        def execute(self, *args):
            raise self.error

    assert change_mark(Broken(sqlite3.OperationalError("database is locked"))) is None
    with pytest.raises(ZeroDivisionError):
        change_mark(Broken(ZeroDivisionError()))


def test_a_server_that_does_not_answer_is_no_mark_and_is_tried_again(tmp_path, pg_url):
    from crm.store.changes import ServerChanges

    away = ServerChanges(f"postgresql://postgres@/crm?host={tmp_path}")  # no server listens there
    assert away.mark() is None and away.mark() is None
    watch = ServerChanges(pg_url)
    try:
        assert watch.mark() is not None
        watch._reader.connection.close()  # the connection dropped (a server restart)
        assert watch.mark() is None  # said as nothing to compare, never raised at the app
        assert watch.mark() is not None  # and connected afresh
    finally:
        watch.close()
