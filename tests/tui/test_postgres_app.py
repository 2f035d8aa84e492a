"""The app on PostgreSQL: the same first screen, and a chat logged from it lands in the database (issue 15)."""

from __future__ import annotations

import pytest

from crm.followups.reads import due_items
from crm.store.store import Store
from crm.tui.app import CrmApp
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.week import WeekScreen
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, open_log_form, type_text
from tests.tui.test_flows import SIZE, due_ids, highlight


@pytest.fixture
def pg_app(demo_pg):
    store = Store.from_option(demo_pg)
    yield CrmApp(store, TODAY)
    store.close()


async def test_this_week_reads_the_same_on_postgresql(pg_app, make_app, demo_db):
    sqlite_app = make_app(demo_db)
    async with sqlite_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        on_sqlite = due_ids(sqlite_app)
    async with pg_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pg_app.screen, WeekScreen)
        assert due_ids(pg_app) == on_sqlite and len(on_sqlite) > 3


async def test_log_a_chat_in_the_app_on_postgresql(pg_app):
    app = pg_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tom = contact_id(app, "Tom Becker")
        await highlight(pilot, f"due-{tom}")
        await pilot.press("enter")
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == tom
        await open_log_form(pilot, kind="chat")
        await type_text(pilot, "15 min chat")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        rows = app.store.reader.execute(
            "SELECT kind, notes FROM interaction WHERE contact_id = ? ORDER BY id DESC LIMIT 1", (tom,)
        ).fetchall()
        assert rows == [("chat", "15 min chat")]
        overdue = {item.contact_id for item in due_items(app.store.reader, today=TODAY, through=TODAY) if item.overdue}
        assert tom not in overdue
