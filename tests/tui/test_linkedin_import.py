"""Importing LinkedIn connections in the app: the dry run's summary first, nothing written until Import."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.widgets import DataTable

from crm.tui.screens.contacts import ContactsScreen
from crm.tui.screens.linkedin_import import LinkedInImportModal
from crm.tui.screens.week import WeekScreen
from crm.tui.screens.welcome import WelcomeScreen
from crm.tui.widgets.path_input import PathInput, complete_path, typed_path
from tests.tui.conftest import type_text

SIZE = (100, 30)
DATA = Path(__file__).resolve().parents[1] / "data" / "linkedin"
SAMPLE = DATA / "Connections-sample.csv"
SAMPLE_NAMES = {"Harriet Okafor", "Tomás Villanueva", "Grace Liu, PhD"}


def dump(path: Path) -> list[str]:
    """Every statement that would rebuild the database: equal dumps, equal databases."""
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


async def settled(pilot) -> None:
    """Wait for the dialog's worker (reading, checking or importing the file) and what it shows after."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def preview(pilot, path: Path | str) -> LinkedInImportModal:
    modal = pilot.app.screen
    assert isinstance(modal, LinkedInImportModal)
    modal.query_one(PathInput).value = str(path)
    modal.query_one(PathInput).focus()
    await pilot.press("enter")
    await settled(pilot)
    return modal


@pytest.mark.sqlite_only  # compares dumps of the SQLite file
async def test_import_from_the_welcome_shows_the_summary_and_writes_only_when_confirmed(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = " ".join(str(w.render()) for w in app.screen.query("Static, Button"))
        assert "Import LinkedIn connections" in text and "not available" not in text
        before = dump(empty_db)
        await pilot.press("i")
        await pilot.pause()
        modal = await preview(pilot, SAMPLE)
        summary = str(modal.query_one("#import-summary-text").render())
        assert "5 added, 0 updated, 0 unchanged, 1 skipped" in summary
        assert "line 7: blank but for the date" in summary
        assert "Nothing is written yet" in modal.status and "adds 5" in modal.status
        assert dump(empty_db) == before, "the preview wrote to the database"
        assert app.screen is modal

        await pilot.press("ctrl+s")
        await settled(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert dump(empty_db) != before
        names = {row[0] for row in app.store.reader.execute("SELECT name FROM contact")}
        assert len(names) == 5 and names >= SAMPLE_NAMES
        assert any(n.title == "Imported Connections-sample.csv" and "5 added" in n.message for n in app._notifications)
        await pilot.press("c")
        assert isinstance(app.screen, ContactsScreen)
        assert app.screen.query_one(DataTable).row_count == 5


async def test_the_palette_offers_the_import_and_a_second_import_updates(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # start empty
        assert "Import LinkedIn connections" in [c.title for c in app.get_system_commands(app.screen)]
        for export in ("Connections-sample.csv", "Connections-later.csv"):
            await pilot.press("ctrl+p")
            await type_text(pilot, "import linkedin")
            await pilot.pause(0.5)
            await pilot.press("enter")
            await pilot.pause()
            modal = await preview(pilot, DATA / export)
            await pilot.press("ctrl+s")
            await settled(pilot)
            assert isinstance(app.screen, WeekScreen)
        summary = [n.message for n in app._notifications if n.title == "Imported Connections-later.csv"]
        assert summary and "1 added, 2 updated" in summary[0], summary
        assert modal.previewed is not None
        assert [c.note for c in modal.previewed.summary.job_changes] == ["moved from Spotify to SoundCloud"]


async def test_a_file_that_is_not_the_export_is_a_one_line_error_in_the_dialog(make_app, demo_db, tmp_path):
    binary = tmp_path / "photo.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = dump(demo_db)
        app.action_import_linkedin()
        await pilot.pause()
        for path, words in (
            (DATA / "contact.vcf", "is a vCard"),
            (DATA / "google-contacts.csv", "has no LinkedIn header"),
            (tmp_path / "missing.csv", "does not exist"),
            (tmp_path, "is a folder"),
            (binary, "photo.csv"),
        ):
            modal = await preview(pilot, path)
            assert app.screen is modal and app.is_running
            assert modal.error is not None and words in modal.error, (path, modal.error)
            assert "\n" not in modal.error and "Traceback" not in modal.error
            assert modal.previewed is None and modal.query_one("#import-button").disabled
        await pilot.press("ctrl+s")  # nothing to import: the key does nothing
        await pilot.pause()
        assert app.screen is modal
        # Typing again clears the error; an empty path is refused before anything is read.
        modal.query_one(PathInput).value = ""
        await pilot.press("enter")
        await pilot.pause()
        assert "give the path" in modal.error
        await pilot.press("escape")
        assert isinstance(app.screen, WeekScreen)
        assert dump(demo_db) == before


@pytest.mark.sqlite_only  # holds SQLite's write lock from another connection
async def test_a_busy_database_at_import_is_a_notification_and_the_dialog_stays(make_app, empty_db, monkeypatch):
    monkeypatch.setattr("crm.store.db.BUSY_TIMEOUT_MS", 50)
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        modal = await preview(pilot, SAMPLE)
        before = dump(empty_db)
        other = sqlite3.connect(empty_db, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            await pilot.press("ctrl+s")
            await settled(pilot)
        finally:
            other.execute("ROLLBACK")
            other.close()
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert any("busy" in m and "nothing was written" in m for m in errors), errors
        assert app.screen is modal and "tries again" in modal.status
        assert dump(empty_db) == before
        await pilot.press("ctrl+s")  # the lock is gone: the same key now imports
        await settled(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert app.store.reader.execute("SELECT count(*) FROM contact").fetchone()[0] == 5


async def test_cancelling_the_import_from_the_welcome_offers_the_choices_again(make_app, empty_db):
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click("#linkedin-button")
        await pilot.pause()
        assert isinstance(app.screen, LinkedInImportModal)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)


async def test_tab_completes_the_path_from_the_disk(make_app, empty_db, tmp_path):
    folder = tmp_path / "Basic_LinkedInDataExport"
    folder.mkdir()
    (folder / "Connections.csv").write_bytes(SAMPLE.read_bytes())
    (folder / "Invitations.csv").write_text("x")
    app = make_app(empty_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        path_input = app.screen.query_one(PathInput)
        path_input.value = f"{tmp_path}/Basic"
        await pilot.pause(0.2)
        await pilot.press("tab")
        assert path_input.value == f"{folder}/"
        await type_text(pilot, "Co")
        await pilot.pause(0.2)
        await pilot.press("tab")
        assert path_input.value == f"{folder}/Connections.csv"
        await pilot.press("tab")  # nothing left to complete: tab moves on
        assert not path_input.has_focus
        path_input.focus()
        await pilot.press("enter")
        await settled(pilot)
        assert "5 added" in str(app.screen.query_one("#import-summary-text").render())


def test_completion_prefers_folders_and_csv_files_and_stops_where_names_part(tmp_path, monkeypatch):
    for name in ("Connections-2019.csv", "Connections-sample.csv", "notes.txt", "numbers.csv", ".hidden.csv"):
        (tmp_path / name).write_text("x")
    (tmp_path / "Downloads").mkdir()
    (tmp_path / "nested").mkdir()
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert complete_path("Conn") == "Connections-"  # what the two share, as a shell completes
    assert complete_path("Connections-s") == "Connections-sample.csv"
    assert complete_path("n", suffixes=(".csv",)) == "nested/"  # folders and .csv files before other files
    assert complete_path("no") == "notes.txt"
    assert complete_path("down") == "Downloads/"  # a match ignoring case corrects the case
    assert complete_path("~") == "~/"
    assert complete_path("~/Dow") == "~/Downloads/"
    assert complete_path(f"{tmp_path}/Connections-2") == f"{tmp_path}/Connections-2019.csv"
    assert complete_path(".h") == ".hidden.csv" and complete_path("") is None
    assert complete_path("Connections-sample.csv") is None  # complete already
    assert complete_path("nowhere/x") is None and complete_path("zzz") is None


def test_a_pasted_or_dragged_path_is_understood(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert typed_path("'/tmp/my exports/Connections.csv'") == Path("/tmp/my exports/Connections.csv")
    assert typed_path('"/tmp/a.csv" ') == Path("/tmp/a.csv")
    assert typed_path("/tmp/my\\ exports/Connections.csv") == Path("/tmp/my exports/Connections.csv")
    assert typed_path("~/Downloads/Connections.csv") == tmp_path / "Downloads" / "Connections.csv"
