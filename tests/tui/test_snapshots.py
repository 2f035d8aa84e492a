"""How each screen looks at 80x24 with the demo network and a fixed clock (today = 2026-11-25)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.conftest import contact_id, open_contact, type_text, with_targets

SIZE = (80, 24)
REPO = Path(__file__).resolve().parents[2]


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


def test_this_week(snap_compare, make_sqlite_app, demo_db):
    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=_settle)


def test_this_week_light_theme(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        pilot.app.theme = "textual-light"
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_contacts(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("c", "down", "down")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_contacts_filtered(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("c", "slash")
        await type_text(pilot, "podcasts")
        await pilot.pause(0.3)
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_draft(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        pilot.app.actions.draft(contact_id(pilot.app, "Maya Chen"))
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_draft_with_problems(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        pilot.app.actions.draft(contact_id(pilot.app, "Maya Chen"))
        await _settle(pilot)
        text_area = pilot.app.screen.query_one("#draft-text")
        text_area.move_cursor(text_area.document.end)
        text_area.insert(" Could you pass my resume along? [Name]")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=(120, 36), run_before=run_before)


def test_contact_detail(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        pilot.app.actions.open(contact_id(pilot.app, "Maya Chen"))
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_log_form(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("l")
        await type_text(pilot, "Coffee chat")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_add_contact_form_with_errors(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("a")
        pilot.app.screen.query_one("#email").value = "maya at spotify"
        await pilot.press("ctrl+s")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_snooze(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("s")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_help(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("question_mark")
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
def test_welcome(snap_compare, make_sqlite_app, empty_db, theme):
    async def run_before(pilot):
        pilot.app.theme = theme
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_linkedin_import_summary(snap_compare, make_sqlite_app, empty_db, monkeypatch):
    """The dry run's summary, shown before anything is written (a path relative to the repository: the same
    on every machine)."""
    monkeypatch.chdir(REPO)

    async def run_before(pilot):
        await pilot.press("i")
        await pilot.pause()
        pilot.app.screen.query_one("#import-path").value = "tests/data/linkedin/Connections-sample.csv"
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(empty_db), terminal_size=SIZE, run_before=run_before)


def test_insights(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await pilot.press("i")
        await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_companies(snap_compare, make_sqlite_app, demo_db):
    with_targets(demo_db, "Figma", "Netflix")

    async def run_before(pilot):
        await pilot.press("t")
        await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)


def test_prep_brief(snap_compare, make_sqlite_app, demo_db):
    async def run_before(pilot):
        await open_contact(pilot, "Maya Chen")
        await pilot.press("p")
        await pilot.app.workers.wait_for_complete()
        await _settle(pilot)

    assert snap_compare(make_sqlite_app(demo_db), terminal_size=SIZE, run_before=run_before)
