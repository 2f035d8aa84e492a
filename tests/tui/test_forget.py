"""Forgetting a contact from the app: the palette offers it, the name must be typed, the same domain call as
`crm contact forget` runs (nothing of them left in the live files, with the app still open), and the notification
lists the backups that still hold them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crm.store.db import HEAD_REVISION, backup_database, manual_backup_path
from crm.tui.screens.contact import ContactScreen
from crm.tui.screens.forget import ForgetModal
from crm.tui.widgets.form import FormField
from tests.tui.conftest import contact_id, open_contact, type_text

SIZE = (100, 30)
NAME = "Marcus Lee"
NEEDLES = (NAME, "marcus.lee@example.com", "cadenza-post-mortem", "music-tech startup at The Engine", "marcus")


def traces(db: Path) -> list[str]:
    found = []
    for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if path.exists():
            data = path.read_bytes().lower()
            found += [f"{needle!r} in {path.name}" for needle in NEEDLES if needle.lower().encode() in data]
    return found


def dump(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


async def open_forget(pilot, name: str) -> ForgetModal:
    app = pilot.app
    await open_contact(pilot, name)
    titles = {command.title: command for command in app.get_system_commands(app.screen)}
    assert f"Forget {name}…" in titles
    titles[f"Forget {name}…"].callback()
    await pilot.pause()
    assert isinstance(app.screen, ForgetModal)
    return app.screen


@pytest.mark.sqlite_only  # greps the SQLite file, its -wal and backups
async def test_forget_from_the_app_needs_the_name_then_leaves_nothing_and_lists_backups(make_app, demo_db):
    backup = backup_database(demo_db, revision=HEAD_REVISION, destination=manual_backup_path(demo_db))
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        marcus = contact_id(app, NAME)
        before = dump(demo_db)
        modal = await open_forget(pilot, NAME)
        await type_text(pilot, "Marcus")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is modal, "a name that is not theirs must not forget anyone"
        assert modal.query_one("#confirm-name", FormField).error == f"type {NAME} to confirm"
        assert dump(demo_db) == before

        await type_text(pilot, " lee")  # case ignored
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()  # forgotten in a worker thread: the index rewrite can take seconds
        await pilot.pause()
        assert not isinstance(app.screen, ForgetModal | ContactScreen)  # their page closed with them
        assert app.store.reader.execute("SELECT count(*) FROM contact WHERE id = ?", (marcus,)).fetchone() == (0,)
        olivia = app.store.reader.execute("SELECT source FROM contact WHERE name = 'Olivia Grant'").fetchone()
        assert olivia == ("Intro from a forgotten contact (ex-Cadenza Audio)",)
        assert traces(demo_db) == [], "the app is open, and still nothing of them may be left"
        notes = [n for n in app._notifications if n.title.startswith(f"Forgot #{marcus} {NAME}")]
        assert len(notes) == 1 and notes[0].severity == "warning"
        assert f"These backups still hold {NAME}" in notes[0].message and str(backup) in notes[0].message
        assert "outside crm's reach" in notes[0].message
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_cancel_forgets_nobody(make_app, demo_db):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = dump(demo_db)
        await open_forget(pilot, NAME)
        await type_text(pilot, NAME.lower())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ContactScreen)
        assert dump(demo_db) == before
