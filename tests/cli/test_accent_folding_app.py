"""The app finds accented names typed plainly: its `/` filter and its ctrl+p palette, on both engines."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from crm.store.store import Store
from crm.tui.app import CrmApp
from crm.tui.screens.contact import ContactScreen
from tests.conftest import TODAY

pytestmark = pytest.mark.usefixtures("db_url")

SIZE = (100, 30)
PEOPLE = ("Søren Kjær", "Lucía Fernández", "Tomás Villanueva", "Zoë Müller", "Maya Chen")


@pytest.fixture
def app(cli, db_url):
    for name in PEOPLE:
        assert cli("contact", "add", name, "--company", "Spotify").code == 0
    store = Store.from_option(db_url)
    try:
        yield CrmApp(store, TODAY)
    finally:
        store.close()


async def _type(pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])


def _names(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return sorted(str(table.get_row_at(index)[0]) for index in range(table.row_count))


async def test_the_filter_finds_accented_names_typed_plainly(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "slash")
        await _type(pilot, "soren")
        await pilot.pause()
        assert any("Søren Kjær" in name for name in _names(app))
        assert "1 of 5 match" in str(app.screen.query_one("#contacts-title").render())
        for _ in "soren":
            await pilot.press("backspace")
        await _type(pilot, "lucia fernandez")
        await pilot.pause()
        assert "1 of 5 match" in str(app.screen.query_one("#contacts-title").render())


async def test_the_palette_goes_to_an_accented_name_typed_plainly(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await _type(pilot, "soren kjaer")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == 1
