"""The draft screen's alumni-fatigue note (issue 15, point 3): on a club's database, before a first message or a
nudge, who else in the club touched the alum lately; nothing on SQLite or before a warm message."""

from __future__ import annotations

import psycopg
import pytest
from textual.widgets import Static

from crm.club import INFO_TABLE
from crm.store.store import Store
from crm.tui.app import CrmApp
from tests.conftest import TODAY
from tests.tui.test_draft import open_draft
from tests.tui.test_flows import SIZE


@pytest.fixture
def club_app(demo_pg):
    """The demo network on PostgreSQL, made to look like a club's to the guard (`club_info` and `touch`, as
    crm.club.schema makes them), where jordan messaged Hannah (due a nudge) and Grace (due a keep-in-touch)."""
    pg_url = demo_pg
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {INFO_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute(
            "CREATE TABLE touch (id serial PRIMARY KEY, contact_id integer, member text NOT NULL DEFAULT current_user,"
            " kind text NOT NULL, date date NOT NULL, interaction_id integer UNIQUE)"
        )
        conn.execute(
            "INSERT INTO touch (contact_id, member, kind, date)"
            " SELECT id, 'jordan', 'message', %s::date - 3 FROM contact WHERE name IN ('Hannah Park', 'Grace Kim')",
            (TODAY,),
        )
    store = Store.from_option(pg_url)
    yield CrmApp(store, TODAY)
    store.close()


def club_note(screen) -> Static:
    return screen.query_one("#draft-club", Static)


async def test_the_draft_screen_shows_who_else_wrote_to_them_before_a_nudge(club_app):
    async with club_app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Hannah Park")
        await pilot.pause()
        note = club_note(screen)
        assert note.display and note.region.height > 0  # on screen, not just in the tree
        assert str(note.render()) == (
            "Club: Jordan messaged Hannah 3 days ago: ask Jordan whether Hannah replied before you write too.\n"
        )


async def test_no_note_before_a_warm_message(club_app):
    async with club_app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Grace Kim")  # jordan wrote to her too, but I keep in touch with her
        assert screen.template_name == "keep-in-touch"
        assert not club_note(screen).display


async def test_no_note_on_sqlite(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Hannah Park")
        assert screen.template_name == "nudge" and screen.rendered is not None
        assert not club_note(screen).display


async def test_this_week_says_who_else_wrote_to_them_under_a_cold_follow_up_only(club_app):
    from crm.tui.widgets.due_list import DueList
    from tests.tui.conftest import contact_id

    async with club_app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        due_list = club_app.screen.query_one(DueList)
        hannah = str(due_list.get_option(f"due-{contact_id(club_app, 'Hannah Park')}").prompt)
        grace = str(due_list.get_option(f"due-{contact_id(club_app, 'Grace Kim')}").prompt)
    assert "Club: Jordan messaged Hannah 3 days ago" in " ".join(hannah.split())  # due a nudge: cold
    assert "Club:" not in grace  # keep in touch with someone I chatted with: warm, no note


async def test_this_week_has_no_club_note_on_sqlite(make_sqlite_app, demo_db):
    from crm.tui.widgets.due_list import DueList

    app = make_sqlite_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prompts = [str(option.prompt) for option in app.screen.query_one(DueList).options]
    assert prompts and not any("Club:" in prompt for prompt in prompts)
