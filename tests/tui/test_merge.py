"""Merging a duplicate from the contact screen: pick who (likely duplicates first), see the dry run, confirm."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import OptionList

from crm.contacts.duplicates import Person, Suggestion
from crm.tui.actions import likely_duplicates_of
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.merge import MergeModal
from tests.tui.conftest import contact_id, open_contact, type_text

SIZE = (100, 30)


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def add_maya_twice(db: Path) -> None:
    """Maya Chen recorded a second time, as LinkedIn had her: an initial for a surname and an older email."""
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO contact (name, company, email, stage, archived, created_at, updated_at)"
            " VALUES ('Maya C.', 'Spotify', 'maya@old.example.com', 'identified', 0,"
            " '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )


async def open_merge(pilot, name: str) -> MergeModal:
    await open_contact(pilot, name)
    assert "merge" in {binding.action for _, binding, *_ in pilot.app.screen.active_bindings.values()}
    await pilot.press("m")
    await pilot.app.workers.wait_for_complete()  # the likely duplicates, found in a worker
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, MergeModal)
    return modal


def timeline(screen) -> str:
    return " ".join(str(static.render()) for static in screen.query("#contact-body .row-value"))


async def test_merge_two_contacts_moves_the_others_timeline_under_keep(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        maya, tom = contact_id(app, "Maya Chen"), contact_id(app, "Tom Becker")
        toms_notes = [row[0] for row in app.store.reader.execute(
            "SELECT notes FROM interaction WHERE contact_id = ? AND notes IS NOT NULL", (tom,)
        )]  # fmt: skip
        assert toms_notes
        before = dump(demo_db)
        modal = await open_merge(pilot, "Maya Chen")
        await type_text(pilot, "tom")
        await pilot.pause()
        listed = [o.id for o in modal.query_one(OptionList).options if o.id]
        assert listed == [f"merge-{tom}"]
        await pilot.press("enter")
        await pilot.pause()
        plan = str(modal.query_one("#merge-plan-text").render())
        heading = str(modal.query_one("#merge-heading").render())
        assert f"Merge #{tom} Tom Becker into #{maya} Maya Chen" in heading
        assert f"moves {len(toms_notes)} interaction" in plan and "conflicts" in plan
        assert dump(demo_db) == before, "the dry run wrote to the database"

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen) and app.screen.contact_id == maya
        assert app.store.reader.execute("SELECT count(*) FROM contact WHERE id = ?", (tom,)).fetchone()[0] == 0
        shown = timeline(app.screen)
        assert all(note in shown for note in toms_notes)
        assert f"merged from Tom Becker (#{tom})" in shown  # his conflicting fields, kept in her notes
        assert any(n.title == "Merged" and "Tom Becker" in n.message for n in app._notifications)


async def test_likely_duplicates_come_first_and_back_returns_to_the_list(make_app, demo_db):
    add_maya_twice(demo_db)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = dump(demo_db)
        modal = await open_merge(pilot, "Maya Chen")
        options = modal.query_one(OptionList)
        first = options.highlighted_option
        assert first is not None and first.id == f"merge-{contact_id(app, 'Maya C.')}"
        assert "Likely the same person" in str(options.get_option_at_index(0).prompt)
        assert "initial form of the name" in str(first.prompt)
        await pilot.press("enter")  # from the filter: the highlighted one
        await pilot.pause()
        assert "email maya@old.example.com" in str(modal.query_one("#merge-plan-text").render())
        await pilot.press("escape")  # back to the list, to pick someone else
        await pilot.pause()
        assert app.screen is modal and modal.planned is None
        await pilot.press("ctrl+s")  # nothing picked: nothing to merge
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert dump(demo_db) == before


@pytest.mark.sqlite_only  # compares dumps of the SQLite file, another process deletes through sqlite3
async def test_merge_is_in_the_palette_and_a_vanished_contact_is_an_inline_error(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await open_contact(pilot, "Maya Chen")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Merge a duplicate into Maya Chen…" in titles
        modal = await open_merge(pilot, "Maya Chen")
        arjun = contact_id(app, "Arjun Mehta")
        with sqlite3.connect(demo_db) as other:  # forgotten from the CLI while the list is open
            other.execute("PRAGMA foreign_keys=ON")
            other.execute("DELETE FROM contact WHERE id = ?", (arjun,))
        modal.query_one(OptionList).highlighted = modal.query_one(OptionList).get_option_index(f"merge-{arjun}")
        modal.query_one(OptionList).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal and modal.planned is None
        assert modal.error is not None and f"no contact has id {arjun}" in modal.error
        # Typing while the list has the focus filters it.
        await type_text(pilot, "lena")
        await pilot.pause()
        lena = contact_id(app, "Lena Fischer")
        assert [o.id for o in modal.query_one(OptionList).options if o.id] == [f"merge-{lena}"]


def test_likely_duplicates_of_offers_the_rest_of_the_group_whichever_record_is_on_screen():
    keep, initial, typo = Person(1, "Maya Chen"), Person(7, "Maya C.", company="Spotify"), Person(9, "Maya Chenn")
    suggestions = [
        Suggestion(keep, typo, "similar names at Spotify", 95),
        Suggestion(keep, initial, "initial form of the name at Spotify", 90),
    ]
    assert [(c.contact_id, c.reason) for c in likely_duplicates_of(1, suggestions)] == [
        (9, "similar names at Spotify"),
        (7, "initial form of the name at Spotify"),
    ]
    assert [c.contact_id for c in likely_duplicates_of(7, suggestions)] == [1, 9]
    assert likely_duplicates_of(7, suggestions)[0].company is None
    assert likely_duplicates_of(3, suggestions) == []
