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
from tests.tui.test_draft import open_draft, verdict
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
        assert "all checks pass" in verdict(screen) and screen.result.ok  # one other member: a note, no problem


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql).fetchall()


async def test_the_draft_screen_fails_the_fatigue_check_and_will_not_mark_it_sent(club_app, demo_pg):
    """Three other members wrote to Hannah lately: the same failing `fatigue` check as `crm check --contact`."""
    with psycopg.connect(demo_pg, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO touch (contact_id, member, kind, date) SELECT id, m, 'message', %s::date - 2"
            " FROM contact, unnest(ARRAY['sam', 'alex']) AS m WHERE name = 'Hannah Park'",
            (TODAY,),
        )
    before = _rows(demo_pg, "SELECT id, contact_id, kind, date FROM interaction ORDER BY id")
    async with club_app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Hannah Park")
        await pilot.pause()
        assert club_note(screen).display
        assert not screen.result.ok and [p.check for p in screen.result.problems] == ["fatigue"]
        assert "1 problem" in verdict(screen)
        shown = str(screen.query_one("#draft-problems", Static).render())
        assert "fatigue: 3 other club members (Alex, Jordan, Sam) wrote to Hannah Park in the last 14 days" in shown
        await pilot.press("end", "space", "x")  # an edit re-checks: the problem stays
        await pilot.pause()
        assert [p.check for p in screen.result.problems] == ["fatigue"]
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert club_app.screen is screen
        assert any("Not marked sent" in n.message for n in club_app._notifications)
    assert _rows(demo_pg, "SELECT id, contact_id, kind, date FROM interaction ORDER BY id") == before


async def test_a_bad_club_setting_is_said_on_the_draft_screen_and_the_default_used(
    club_app, demo_pg, tmp_path, monkeypatch
):
    config = tmp_path / "config.toml"
    config.write_text('[club]\nfatigue_members = "abc"\n')
    monkeypatch.setenv("CRM_CONFIG", str(config))
    async with club_app.run_test(size=SIZE) as pilot:
        screen = await open_draft(pilot, "Hannah Park")
        await pilot.pause()
        assert club_note(screen).display and screen.result.ok  # one other member, within the default limit of 2
        warnings = [n.message for n in club_app._notifications if "fatigue_members" in n.message]
        assert warnings == [f"{config}: [club] fatigue_members 'abc' must be a whole number from 0 to 100; using 2"
                            " until it is fixed"]  # fmt: skip


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
