"""The app on PostgreSQL shows the same first screen as on SQLite (issue 15). Every other Pilot test runs on both
engines already (`make_app` in tests/tui/conftest.py)."""

from __future__ import annotations

import pytest

from crm.store.store import Store
from crm.tui.app import CrmApp
from crm.tui.screens.week import WeekScreen
from tests.conftest import TODAY
from tests.tui.test_flows import SIZE, due_ids


@pytest.fixture
def pg_app(demo_pg):
    store = Store.from_option(demo_pg)
    yield CrmApp(store, TODAY)
    store.close()


async def test_this_week_reads_the_same_on_postgresql(pg_app, make_sqlite_app, demo_db):
    sqlite_app = make_sqlite_app(demo_db)
    async with sqlite_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        on_sqlite = due_ids(sqlite_app)
    async with pg_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(pg_app.screen, WeekScreen)
        assert due_ids(pg_app) == on_sqlite and len(on_sqlite) > 3
