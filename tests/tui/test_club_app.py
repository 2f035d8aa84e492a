"""The app as a club member (issue 15.2): one shared PostgreSQL database, each member on their own role. Each member's
app shows the shared alum and her research, their own history and schedule, and never another member's notes."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable, Select, Static, TextArea

from crm.store.store import Store
from crm.tui.app import CrmApp
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.log_form import LogInteractionModal
from crm.tui.screens.week import WeekScreen
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, type_text
from tests.tui.test_flows import SIZE, due_ids

SECRET = "SECRET-NOTE-J"


@pytest.fixture
def jordans_maya(cli, club):
    """jordan adds Maya with a hook, has a chat (private notes) and is due to follow up with her this week."""
    jordan = club.url("jordan")
    follow_up = (TODAY + dt.timedelta(days=1)).isoformat()
    for args in (
        ("contact", "add", "Maya Chen", "--company", "Spotify"),
        ("hook", "add", "maya", "Her talk on playlist ranking"),
        ("log", "maya", "--kind", "chat", "--notes", SECRET, "--takeaways", "SECRET-TAKEAWAY-J",
         "--follow-up", follow_up),
    ):  # fmt: skip
        result = cli("--db", jordan, *args)
        assert result.code == 0, result.err
    return club


@pytest.fixture
def member_app():
    """Factory: member_app(url) -> the app on that member's connection, today fixed."""
    stores: list[Store] = []

    def _make(url: str) -> CrmApp:
        store = Store.from_option(url)
        stores.append(store)
        return CrmApp(store, TODAY)

    yield _make
    for store in stores:
        store.close()


def screen_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def open_maya(pilot) -> ContactScreen:
    await pilot.press("c")
    assert isinstance(pilot.app.screen, ContactsScreen)
    table = pilot.app.screen.query_one(DataTable)
    assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Maya Chen"]
    table.focus()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ContactScreen)
    return pilot.app.screen


async def test_jordans_app_shows_jordans_history_and_schedule(member_app, jordans_maya):
    app = member_app(jordans_maya.url("jordan"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert f"due-{contact_id(app, 'Maya Chen')}" in due_ids(app)
        await open_maya(pilot)
        text = screen_text(app)
        assert SECRET in text and "Her talk on playlist ranking" in text


async def test_sams_app_shows_the_shared_alum_and_hook_but_none_of_jordans_notes(member_app, jordans_maya):
    app = member_app(jordans_maya.url("sam"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert f"due-{contact_id(app, 'Maya Chen')}" not in due_ids(app)  # jordan's schedule is jordan's
        await open_maya(pilot)
        text = screen_text(app)
        assert "Her talk on playlist ranking" in text  # the club's research
        assert "SECRET" not in text

        # sam logs a chat of their own from the app: it is sam's, and the club sees only that it happened.
        await pilot.press("l")
        modal = app.screen
        assert isinstance(modal, LogInteractionModal)
        modal.query_one("#kind", Select).value = "chat"
        await pilot.pause()
        modal.query_one("#notes", TextArea).focus()
        await type_text(pilot, "sams own chat")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        text = screen_text(app)
        assert "sams own chat" in text and "SECRET" not in text

    with jordans_maya.connect("jordan") as conn:
        notes = {row[0] for row in conn.execute("SELECT notes FROM interaction")}
        touches = conn.execute("SELECT member, kind FROM touch ORDER BY id").fetchall()
    assert notes == {SECRET}  # jordan cannot read sam's notes either
    assert touches == [("jordan", "chat"), ("sam", "chat")]
