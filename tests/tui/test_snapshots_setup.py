"""How setting up, the discard question, a draft with gaps and saved drafts look at 80x24 (today = 2026-11-25)."""

from __future__ import annotations

import sqlite3

from crm.contacts.writes import ContactChanges, create_contact
from crm.store.store import Store
from tests.conftest import TODAY
from tests.tui.conftest import contact_id, type_text

SIZE = (80, 24)


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def test_welcome_profile_step(snap_compare, make_sqlite_app, empty_db):
    async def run_before(pilot):
        await pilot.press("y")
        await type_text(pilot, "Priya Shah")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_welcome_after_setting_up(snap_compare, make_sqlite_app, empty_db):
    async def run_before(pilot):
        await pilot.press("y")
        await type_text(pilot, "Priya Shah")
        pilot.app.screen.query_one("#school").value = "MIT"
        pilot.app.screen.query_one("#year").value = "junior"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.screen.query_one("#project-name").value = "Playlist cache"
        pilot.app.screen.query_one("#result").value = "cut load time from 3.2s to 1.4s"
        await pilot.press("ctrl+s")
        await pilot.pause()
        pilot.app.clear_notifications()
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_discard_question_over_the_contact_form(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("a")
        await type_text(pilot, "Nadia Park")
        await pilot.press("escape")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_draft_listing_what_is_missing(snap_compare, make_sqlite_app, empty_db):
    store = Store(empty_db).open()
    with store.write() as session:
        maya = create_contact(session=session, changes=ContactChanges(name="Maya Chen"), today=TODAY).id
    store.close()

    async def run_before(pilot):
        pilot.app.actions.draft(maya)
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_saved_drafts_offered(snap_compare, make_sqlite_app, demo_db):
    with sqlite3.connect(demo_db) as conn:
        arjun = conn.execute("SELECT id FROM contact WHERE name = 'Arjun Mehta'").fetchone()[0]
        for text, saved in (
            ("Hi Arjun,\n\nYour team blog on audio embeddings stayed with me.", "2026-11-23 12:00:00.000000"),
            ("Hi Arjun,\n\nA shorter try, about the audio embeddings post.", "2026-11-24 12:00:00.000000"),
        ):
            conn.execute(
                "INSERT INTO draft (contact_id, template, text, words, checks, created_at)"
                " VALUES (?, 'first-message', ?, ?, '{}', ?)",
                (arjun, text, len(text.split()), saved),
            )

    async def run_before(pilot):
        pilot.app.actions.draft(contact_id(pilot.app, "Arjun Mehta"))
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_you_screen(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("y")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)
