"""The TUI's flows driven with Pilot: each goes through the real domain layer on a temp database."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import DataTable, Input, Select, Static, TextArea

from crm.followups.reads import due_items
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.contact_form import ContactFormModal
from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.snooze import SnoozeModal
from crm.tui.screens.week import WeekScreen
from crm.tui.screens.welcome import WelcomeScreen
from crm.tui.widgets.due_list import DueList
from crm.tui.widgets.form import FormField
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, open_contact, open_log_form, type_text

SIZE = (100, 30)


def due_ids(app) -> list[str]:
    return [option.id for option in app.screen.query_one(DueList).options if option.id]


async def highlight(pilot, option_id: str) -> None:
    due_list = pilot.app.screen.query_one(DueList)
    due_list.highlighted = due_list.get_option_index(option_id)
    await pilot.pause()


async def test_this_week_is_the_first_screen_overdue_first(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        daniel, tom, lena = (contact_id(app, n) for n in ("Daniel Okafor", "Tom Becker", "Lena Fischer"))
        assert due_ids(app)[:3] == [f"due-{daniel}", f"due-{tom}", f"due-{lena}"]
        assert f"awaiting-{tom}" in due_ids(app)
        assert app.screen.selected_contact_id() == daniel


async def test_log_a_chat_from_the_detail_screen_updates_timeline_and_week(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tom = contact_id(app, "Tom Becker")
        await highlight(pilot, f"due-{tom}")
        await pilot.press("enter")
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == tom
        modal = await open_log_form(pilot)
        # Tom has not answered my message: his reply is what usually comes next, so the form offers it.
        assert modal.query_one("#kind", Select).value == "reply"
        modal.query_one("#kind", Select).value = "chat"
        await pilot.pause()
        assert modal.query_one("#notes", TextArea).has_focus
        await type_text(pilot, "15 min chat")
        modal.query_one("#notes", TextArea).insert(" about creator analytics")
        modal.query_one("#date", FormField).value = "yesterday"
        modal.query_one("#takeaways", FormField).value = "Ship small, measure retention"
        modal.query_one("#next-step", FormField).value = "Send the thank-you"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        timeline = app.screen.query_one("#contact-body")
        text = " ".join(str(static.render()) for static in timeline.query(".row-value"))
        assert "15 min chat about creator analytics" in text and "Ship small, measure retention" in text
        rows = app.store.reader.execute(
            "SELECT kind, notes FROM interaction WHERE contact_id = ? ORDER BY id DESC LIMIT 1", (tom,)
        ).fetchall()
        assert [tuple(row) for row in rows] == [("chat", "15 min chat about creator analytics")]  # in the database
        # Newest first: the chat heads the timeline.
        first_entry = app.screen.query(".-spaced .row-value").first()
        assert "chat" in str(first_entry.render())
        # Tom is no longer overdue: a thank-you is due the day after the chat (today).
        await pilot.press("w")
        assert isinstance(app.screen, WeekScreen)
        overdue = {item.contact_id for item in due_items(app.store.reader, today=TODAY, through=TODAY) if item.overdue}
        assert tom not in overdue
        due_list = app.screen.query_one(DueList)
        prompt = str(due_list.get_option(f"due-{tom}").prompt)
        assert "thank" in prompt.lower() and "overdue" not in prompt


async def test_log_form_from_this_week_validates_inline_and_list_updates_at_once(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lena = contact_id(app, "Lena Fischer")
        await highlight(pilot, f"due-{lena}")
        modal = await open_log_form(pilot)
        await pilot.press("ctrl+s")  # no notes
        await pilot.pause()
        assert app.screen is modal
        assert "notes" in str(modal.query_one("#notes-error").render())
        modal.query_one("#notes", TextArea).text = "Answered her question about podcast ads"
        modal.query_one("#kind", Select).value = "message"
        modal.query_one("#date", FormField).value = "next friday please"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        assert "not a date" in modal.query_one("#date", FormField).error
        modal.query_one("#date", FormField).value = "+2d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "future" in modal.query_one("#date", FormField).error
        modal.query_one("#date", FormField).value = "today"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert f"due-{lena}" not in due_ids(app)  # answered her reply: next is keep-in-touch, weeks away


async def test_intro_creates_the_person_introduced(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        modal = await open_log_form(pilot, "Maya Chen")
        intro_field = modal.query_one("#intro-to", FormField)
        assert not intro_field.display
        modal.query_one("#kind", Select).value = "intro"
        await pilot.pause()
        assert intro_field.display
        modal.query_one("#notes", TextArea).text = "Introduced me to a Search PM"
        intro_field.value = "Noor Haddad"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        noor = contact_id(app, "Noor Haddad")
        await pilot.press("w")
        assert f"due-{noor}" in due_ids(app)


async def test_snooze_and_done_from_this_week_change_the_list(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel, tom = contact_id(app, "Daniel Okafor"), contact_id(app, "Tom Becker")
        assert app.screen.selected_contact_id() == daniel
        await pilot.press("x")
        await pilot.pause()
        assert f"due-{daniel}" not in due_ids(app)
        # The cursor stays in place: now on the next person.
        assert app.screen.selected_contact_id() == tom
        await pilot.press("s")
        modal = app.screen
        assert isinstance(modal, SnoozeModal)
        assert modal.query_one("#until", FormField).value == "+3d"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        # Nov 28 is still this week (to Sun Nov 29): Tom moves from overdue to later.
        items = {item.contact_id: item for item in due_items(app.store.reader, today=TODAY, through=None)}
        assert items[tom].due.isoformat() == "2026-11-28" and not items[tom].overdue
        later = due_ids(app)
        assert later.index(f"due-{tom}") > later.index(f"due-{contact_id(app, 'Marcus Lee')}")
        await pilot.press("s")
        app.screen.query_one("#until", FormField).value = "+2w"
        await pilot.press("enter")
        await pilot.pause()
        assert f"due-{tom}" not in due_ids(app)


async def test_snooze_to_the_past_is_an_inline_error(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        modal = app.screen
        modal.query_one("#until", FormField).value = "yesterday"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal
        assert "past" in modal.query_one("#until", FormField).error
        await pilot.press("escape")
        assert isinstance(app.screen, WeekScreen)


async def test_filter_narrows_the_table_as_you_type(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, ContactsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 14
        await pilot.press("slash")
        assert app.screen.query_one("#filter-input", Input).has_focus
        await type_text(pilot, "pod")
        await pilot.pause(0.3)
        podcasts = table.row_count
        assert 0 < podcasts < 14
        await type_text(pilot, "c")  # "podc": still the Podcasts team
        await pilot.pause(0.3)
        assert table.row_count == podcasts
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "latency")  # a hook's text
        await pilot.pause(0.3)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == ["Maya Chen"]
        await pilot.press("enter")  # back to the table, on Maya
        assert table.has_focus
        await pilot.press("enter")
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == contact_id(app, "Maya Chen")


async def test_contacts_sort_by_column(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        await pilot.press("o")  # company
        companies = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert companies == sorted(companies, key=str.lower)
        await pilot.press("O")
        assert [str(table.get_row_at(i)[1]) for i in range(table.row_count)] == sorted(
            companies, key=str.lower, reverse=True
        )
        await pilot.click("#contacts-table", offset=(2, 0))  # the Name header
        await pilot.pause()
        assert table.sort_column == "name"


async def test_add_contact_shows_inline_errors_then_creates(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", "a")
        modal = app.screen
        assert isinstance(modal, ContactFormModal)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        assert modal.query_one("#name", FormField).error == "a contact needs a name"
        await type_text(pilot, "Noor Haddad")
        modal.query_one("#email", FormField).value = "not-an-email"
        modal.query_one("#grad-year", FormField).value = "1850"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not an email" in modal.query_one("#email", FormField).error
        assert "graduation year" in modal.query_one("#grad-year", FormField).error
        assert modal.query_one("#name", FormField).error is None
        # A clash only the store can see is shown in the form too.
        modal.query_one("#email", FormField).value = "maya.chen@example.com"
        modal.query_one("#grad-year", FormField).value = "2019"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal
        assert "Maya Chen" in str(modal.query_one("#form-error").render())
        modal.query_one("#email", FormField).value = "noor@example.com"
        modal.query_one("#company", FormField).value = "Spotify"
        modal.query_one("#tags", FormField).value = "mit, search"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        noor = contact_id(app, "Noor Haddad")
        assert app.screen.contact_id == noor
        row = app.store.reader.execute("SELECT email, company, grad_year FROM contact WHERE id = ?", (noor,)).fetchone()
        assert row == ("noor@example.com", "Spotify", 2019)
        await pilot.press("escape")
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.query_one(DataTable).row_count == 15


async def test_edit_changes_only_what_was_touched(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya = await open_contact(pilot, "Maya Chen")
        await pilot.press("e")
        modal = app.screen
        assert modal.query_one("#name", FormField).value == "Maya Chen"
        assert modal.query_one("#tags", FormField).value == "mit, personalization, referrer"
        modal.query_one("#role", FormField).value = "Director of Product"
        modal.query_one("#tags", FormField).value = "mit, referrer, nyc"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert "Director of Product" in str(app.screen.query_one("#contact-title").render())
        role, email = app.store.reader.execute("SELECT role, email FROM contact WHERE id = ?", (maya,)).fetchone()
        tags = [
            r[0]
            for r in app.store.reader.execute("SELECT tag FROM contact_tag WHERE contact_id = ? ORDER BY tag", (maya,))
        ]
        assert (role, email, tags) == ("Director of Product", "maya.chen@example.com", ["mit", "nyc", "referrer"])


async def test_add_hook(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Arjun Mehta")
        await pilot.press("h")
        modal = app.screen
        modal.query_one("#url", FormField).value = "ftp://nope"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "say what" in modal.query_one("#text", FormField).error
        assert "https://" in modal.query_one("#url", FormField).error
        modal.query_one("#text", FormField).value = "talk on podcast discovery"
        modal.query_one("#url", FormField).value = "https://example.com/talk"
        modal.query_one("#date", FormField).value = "Nov 3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        body = " ".join(str(w.render()) for w in app.screen.query(".row-value"))
        assert "talk on podcast discovery" in body


async def test_command_palette_goes_to_a_contact(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "priya")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == contact_id(app, "Priya Raman")


async def test_command_palette_lists_app_actions(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for expected in ("This week", "Contacts", "Add a contact", "Help", "Quit"):
            assert expected in titles
        assert "Log an interaction with Daniel Okafor" in titles
        assert "Snooze Daniel Okafor's follow-up" in titles
        await pilot.press("ctrl+p")
        await type_text(pilot, "contacts")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactsScreen)


async def test_first_run_offers_sample_data_and_loading_it_fills_this_week(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static, Button"))
        assert "Import LinkedIn connections" in text and "not available" not in text
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        assert len(due_ids(app)) > 5
        assert any("Sample data loaded" in (n.title or "") for n in app._notifications)


async def test_first_run_can_start_with_a_contact(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#add-button")
        await pilot.pause()
        assert isinstance(app.screen, ContactFormModal)
        await type_text(pilot, "Maya Chen")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert "Nothing logged yet" in " ".join(str(w.render()) for w in app.screen.query(".section-empty"))


@pytest.mark.sqlite_only  # another process deletes rows through sqlite3
async def test_errors_become_notifications_not_crashes(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Nothing scheduled for Arjun: `done` is a user error, shown and survived.
        await pilot.press("c")
        table = app.screen.query_one(DataTable)
        assert table.get_row_at(0)[0] == "Arjun Mehta"
        await pilot.press("x")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("nothing is scheduled for Arjun Mehta" in m for m in messages)
        # Someone deleted from the CLI while the app shows them.
        await pilot.press("w")
        daniel = app.screen.selected_contact_id()
        with sqlite3.connect(demo_db) as other:
            other.execute("PRAGMA foreign_keys=ON")
            other.execute("DELETE FROM contact WHERE id = ?", (daniel,))
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert sum(f"#{daniel} no longer exists" in m for m in errors) >= 3
        assert app.is_running


async def test_help_lists_the_keys_and_closes(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        text = str(app.screen.query_one("#help-text").render())
        for key in ("Log an interaction", "Snooze", "Filter", "Command palette", "Quit"):
            assert key in text
        await pilot.press("q")  # closes the help, does not quit
        assert isinstance(app.screen, WeekScreen)
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_long_table_fills_a_page_at_a_time_as_the_cursor_moves(make_app, empty_db):
    from crm.tui.widgets.contacts_table import PAGE

    with sqlite3.connect(empty_db) as conn:
        conn.executemany(
            "INSERT INTO contact (name, company, stage, archived, created_at, updated_at)"
            " VALUES (?, 'Spotify', 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
            [(f"Person {n:04d}",) for n in range(PAGE * 2 + 50)],
        )
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == PAGE
        assert f"{PAGE * 2 + 50} contacts" in str(app.screen.query_one("#contacts-title").render())
        table.move_cursor(row=PAGE - 1)
        await pilot.pause()
        assert table.row_count == PAGE * 2
        table.move_cursor(row=PAGE * 2 - 1)
        await pilot.pause()
        assert table.row_count == PAGE * 2 + 50
        assert (
            app.screen.selected_contact_id()
            == app.store.reader.execute(
                "SELECT id FROM contact WHERE name = ?", (f"Person {PAGE * 2 - 1:04d}",)
            ).fetchone()[0]
        )


async def test_scrolling_without_the_cursor_also_pages_rows_in(make_app, empty_db):
    from crm.tui.widgets.contacts_table import PAGE

    with sqlite3.connect(empty_db) as conn:
        conn.executemany(
            "INSERT INTO contact (name, stage, archived, created_at, updated_at)"
            " VALUES (?, 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
            [(f"Person {n:04d}",) for n in range(PAGE * 3)],
        )
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == PAGE
        table.scroll_end(animate=False)  # the mouse wheel or page keys move the view, not the cursor
        await pilot.pause()
        assert table.row_count > PAGE
        assert table.cursor_row == 0


@pytest.mark.sqlite_only  # holds SQLite's write lock from another connection
async def test_a_write_while_another_process_holds_the_write_lock_is_a_notification(make_app, demo_db, monkeypatch):
    """The CLI (say) holds the lock past the busy timeout: the app says so and carries on; nothing is written."""
    monkeypatch.setattr("crm.store.db.BUSY_TIMEOUT_MS", 50)  # read as connections open: the app has none yet
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        daniel = contact_id(app, "Daniel Okafor")
        assert app.screen.selected_contact_id() == daniel
        other = sqlite3.connect(demo_db, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("x")
            await pilot.pause()
        finally:
            other.execute("ROLLBACK")
            other.close()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("busy" in m and "nothing was written" in m for m in errors), errors
        assert app.is_running and isinstance(app.screen, WeekScreen)
        assert f"due-{daniel}" in due_ids(app)
        await pilot.press("x")  # the lock is gone: the same key now works
        await pilot.pause()
        assert f"due-{daniel}" not in due_ids(app)


async def test_the_filter_also_finds_words_in_notes_and_shows_where(make_app, demo_db):
    pytest.importorskip("crm.search")
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", "slash")
        await type_text(pilot, "skip-rate")  # only in Maya's notes and next steps, none of her fields
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == ["Maya Chen"]
        snippet = app.screen.query_one("#contacts-snippet", Static)
        assert snippet.display
        assert "skip" in str(snippet.render()) and "rate" in str(snippet.render())
        await type_text(pilot, " podcast")  # every word must match, in one note or in her fields
        await pilot.pause()
        assert table.row_count == 0
        assert not snippet.display


async def test_a_query_the_search_index_refuses_is_no_error_while_typing(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("c", "slash")
        await type_text(pilot, '"(*^')  # nothing to search for in the notes: simply no note hits
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ContactsScreen)
        assert not [n for n in app._notifications if n.severity == "error"]


def test_filter_pairs_matches_as_matching_does(demo_db):
    """The app's fast filter keeps the one rule of `matching`: every word, in any field, case-insensitive."""
    from crm.contacts.reads import contact_rows, filter_pairs, haystacks, list_contacts, matching, search_pairs
    from crm.store.store import Store

    store = Store(demo_db).open()
    try:
        rows, hay = contact_rows(store.reader, today=TODAY), haystacks(store.reader)
        assert rows == list_contacts(store.reader, today=TODAY)
        pairs = search_pairs(rows, hay)
        for query in ("", "a", "SPOT", "spotify pod", "pod spotify", "maya.chen@", "mit ", "zzz", "latency chen"):
            assert [row for _, row in filter_pairs(pairs, query)] == matching(rows, query, hay), query
    finally:
        store.close()


async def test_a_long_week_paints_its_top_first_then_the_rest(make_app, demo_db, monkeypatch):
    """Only the rows that fill the screen are built before the first frame; the rest, awaiting reply too, follow."""
    at_first_frame = []
    release = DueList.first_frame_shown

    def first_frame_shown(self):
        at_first_frame.append((self.option_count, self.size.height))
        release(self)

    monkeypatch.setattr(DueList, "first_frame_shown", first_frame_shown)
    app = make_app(demo_db)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        due_list = app.screen.query_one(DueList)
        [(built, height)] = at_first_frame
        assert built <= height and built < due_list.option_count  # (separators are rows, not options)
        ids = due_ids(app)
        assert any(i.startswith("awaiting-") for i in ids)
        assert len(ids) == len(set(ids))


async def test_a_snooze_onto_a_weekend_offers_the_monday_in_one_step(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        who = app.screen.selected_contact_id()
        await pilot.press("s")
        modal = app.screen
        field = modal.query_one("#until", FormField)
        assert field.value == "+3d"  # Sat Nov 28, today being Wed Nov 25
        await pilot.pause()
        monday = modal.query_one("#monday-button")
        assert monday.display and "Mon Nov 30" in str(monday.label)
        field.value = "+2d"  # a Friday: nothing to offer
        await pilot.pause()
        assert not monday.display
        field.value = "+4d"  # a Sunday
        await pilot.pause()
        assert monday.display
        await pilot.click("#monday-button")
        await pilot.pause()
        assert isinstance(app.screen, WeekScreen)
        items = {item.contact_id: item for item in due_items(app.store.reader, today=TODAY, through=None)}
        assert items[who].due.isoformat() == "2026-11-30"
