"""Typed work is never lost to a stray key: Esc, re-drafting or quitting with unsaved text asks first."""

from __future__ import annotations

import sqlite3

from textual.widgets import Select, TextArea

from crm.tui.screens.confirm_discard import ConfirmDiscard
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contact_form import ContactFormModal
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.draft import DraftScreen
from crm.tui.screens.hook_form import HookModal
from crm.tui.screens.week import WeekScreen
from crm.tui.widgets.form import FormField
from tests.tui.conftest import app_db, contact_id, open_contact, type_text

SIZE = (80, 24)


def count(db_path, table: str) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


async def test_esc_on_a_typed_contact_form_asks_and_a_second_esc_keeps_the_text(make_app, demo_db):
    app = make_app(demo_db)
    before = count(demo_db, "contact")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContactFormModal)
        await type_text(pilot, "Nadia Park")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard) and app.screen.message == "Discard your changes?"
        await pilot.press("escape")  # the stray second Esc keeps editing
        await pilot.pause()
        assert app.screen is form and form.query_one("#name", FormField).value == "Nadia Park"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # Enter out of habit keeps too: the focused button is "Keep editing"
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
    assert count(demo_db, "contact") == before


async def test_an_untouched_form_closes_at_once_and_an_edit_asks_only_once_changed(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Maya Chen")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormModal)
        await pilot.press("escape")  # prefilled but unchanged: nothing to lose
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#team", FormField).value = "Search"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.click("#discard-button")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)


async def test_the_hook_form_asks_before_dropping_what_was_typed(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.actions.add_hook(contact_id(app, "Maya Chen"))
        await pilot.pause()
        await type_text(pilot, "talk at MIT")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HookModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
    with app_db(app) as conn:
        assert conn.execute("SELECT count(*) FROM hook WHERE text = 'talk at MIT'").fetchone() == (1,)


async def open_draft(pilot, name: str) -> DraftScreen:
    pilot.app.actions.draft(contact_id(pilot.app, name))
    await pilot.pause()
    assert isinstance(pilot.app.screen, DraftScreen)
    return pilot.app.screen


async def edit(screen: DraftScreen, pilot, words: str) -> None:
    text_area = screen.query_one("#draft-text", TextArea)
    text_area.move_cursor(text_area.document.end)
    text_area.insert(words)
    await pilot.pause()


async def test_leaving_an_edited_draft_asks_and_a_saved_one_leaves_at_once(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        await pilot.press("escape")  # as rendered: nothing typed, nothing asked
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        screen = await open_draft(pilot, "Arjun Mehta")
        await edit(screen, pilot, " P.S. Loved the talk.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard) and app.screen.message.startswith("Discard this draft?")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and "P.S. Loved the talk." in screen.query_one("#draft-text", TextArea).text
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")  # saved: leaving loses nothing
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)


async def test_redrafting_over_edits_asks_and_keeping_them_puts_the_picker_back(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        await edit(screen, pilot, " P.S. Loved the talk.")
        picker = screen.query_one("#draft-template", Select)
        picker.value = "keep-in-touch"
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        await pilot.pause()
        assert picker.value == "first-message" and screen.template_name == "first-message"
        assert "P.S. Loved the talk." in screen.query_one("#draft-text", TextArea).text
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("y")
        await pilot.pause()
        assert "P.S." not in screen.query_one("#draft-text", TextArea).text


async def test_quitting_with_an_edited_draft_asks_first(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        await edit(screen, pilot, " P.S.")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard) and app.screen.message.startswith("Quit and discard")
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert not app.is_running


async def test_switching_screens_away_and_back_does_not_drop_an_edited_draft(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")  # the draft opens over Contacts
        await pilot.pause()
        screen = await open_draft(pilot, "Arjun Mehta")
        await edit(screen, pilot, " P.S.")
        screen.query_one("#draft-send").focus()  # off the text, so w and c switch screens
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        await pilot.press("c")  # back: Contacts would go to its first screen, dropping the draft; it asks
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and "P.S." in screen.query_one("#draft-text", TextArea).text
        await pilot.press("w", "c")  # and again, this time letting it go
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen) and len(app.screen_stack) == 1
