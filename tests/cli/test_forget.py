"""`crm contact forget`: forget means forget. No byte of the person is left in the live database files (`.db`, `-wal`,
`-shm`), whatever SQLite was built with and whoever else has the file open; crm's own mentions of them on other
contacts go too; the user's own words are left alone and listed; backups that still hold them are listed."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from crm.store import db as store_db
from tests.conftest import dump

NAME = "Zelda Quinlan"
EMAIL = "zelda.quinlan@example.org"
PHRASE = "xylophonic quasar brainstorm"
URL = "https://blog.example.org/zelda-quasar-launch"
# The search index keeps words, lower-cased, apart from the text: each must go as well.
NEEDLES = (NAME, EMAIL, PHRASE, URL, "quinlan", "xylophonic", "quasar", "fjordwick")


def live_files(db_path: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm"))
        if path.exists()
    }


def traces(db_path: Path) -> list[str]:
    """Which needles are still in which live file, case ignored."""
    return [
        f"{needle!r} in {name}"
        for name, data in live_files(db_path).items()
        for needle in NEEDLES
        if needle.lower().encode() in data.lower()
    ]


@pytest.fixture(params=["as built", "off by default"])
def sqlite_build(request, monkeypatch):
    """SQLite as this machine built it (with SECURE_DELETE), and as a build without it: every new connection starts
    with secure_delete off, so only crm's own pragma zeroes what is deleted."""
    if request.param == "off by default":
        real = sqlite3.connect

        def connect(*args, **kwargs):
            conn = real(*args, **kwargs)
            conn.execute("PRAGMA secure_delete=OFF")
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)
        monkeypatch.setattr(sqlite3.dbapi2, "connect", connect)  # what SQLAlchemy's pysqlite dialect calls
        assert sqlite3.connect(":memory:").execute("PRAGMA secure_delete").fetchone() == (0,)
    return request.param


def add_draft(db_path: Path, contact: str, text: str) -> None:
    from crm.models import Draft
    from crm.store.store import Store

    store = Store(db_path).open()
    try:
        with store.write() as session:
            contact_id = (
                session.connection().exec_driver_sql("SELECT id FROM contact WHERE name = ?", (contact,)).scalar_one()
            )
            session.add(Draft(contact_id=contact_id, template="first-message", text=text, words=9, checks="{}"))
    finally:
        store.close()


@pytest.fixture
def zelda(cli, db_path):
    """Zelda in every table that can hold her, crm's own words about her on two other contacts, and others who
    never met her. Her notes are edited twice first, so old versions of them were freed before the forget."""
    ok = lambda *args: cli(*args).code == 0  # noqa: E731
    assert ok("contact", "add", "Ivy Tran", "--company", "Spotify", "--notes", "met at the alumni mixer")
    assert ok("contact", "add", NAME, "--email", EMAIL, "--company", "Fjordwick Labs", "--tag", "fjordwick",
              "--notes", f"first draft of notes: {PHRASE}")  # fmt: skip
    assert ok("contact", "edit", "zelda", "--notes", f"Quinlan, of Fjordwick: {PHRASE}, second version")
    assert ok("contact", "edit", "zelda", "--notes", f"{PHRASE}")
    assert ok("hook", "add", "zelda", f"talk on the {PHRASE}", "--url", URL, "--date", "2026-10-02")
    assert ok("log", "zelda", "--kind", "message", "--date", "2026-11-02", "--notes", f"asked about the {PHRASE}")
    assert ok("log", "zelda", "--kind", "chat", "--date", "2026-11-20", "--notes", f"tea; {PHRASE}",
              "--takeaways", "Fjordwick ships weekly", "--next-step", "send Quinlan the deck")  # fmt: skip
    assert ok("log", "zelda", "--kind", "intro", "--date", "2026-11-24", "--intro-to", "Oscar Pike")
    add_draft(db_path, NAME, f"Hi Zelda, your {PHRASE} talk was great. What did you measure first?")
    # A merge moves a conflicting source into the kept contact's notes, in crm's words: "merged from ...".
    assert ok("contact", "add", "Wes Moon", "--source", "MIT Alumni Directory")
    assert ok("contact", "add", "W. Moon", "--source", f"intro from {NAME}")
    assert ok("contact", "merge", "Wes Moon", "W. Moon")
    assert NAME in cli("contact", "show", "wes", "--json").out
    oscar = json.loads(cli("contact", "show", "oscar", "--json").out)
    assert oscar["source"] == f"intro from {NAME}" and NAME in oscar["next_follow_up_reason"]
    return db_path


def forget_zelda(cli) -> dict:
    result = cli("contact", "forget", "zelda", "--yes", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_forget_needs_yes_and_writes_nothing_without_it(cli, zelda):
    before = dump(zelda)
    result = cli("contact", "forget", "zelda")
    assert result.code == 2 and "--yes" in result.err and NAME in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert dump(zelda) == before


def test_no_byte_of_them_is_left_in_the_live_files(cli, sqlite_build, zelda):
    assert traces(zelda), "the test must find her before the forget"
    forgotten = forget_zelda(cli)
    assert forgotten["wal_cleared"] is True
    assert traces(zelda) == []
    assert cli("contact", "show", "zelda").code == 2
    assert cli("search", "xylophonic").out.startswith("Nothing matches")
    assert {c["name"] for c in json.loads(cli("contact", "list", "--json").out)} == {
        "Ivy Tran",
        "Oscar Pike",
        "Wes Moon",
    }


def test_every_connection_zeroes_what_it_deletes_whatever_the_build(sqlite_build, db_path):
    from crm.store.db import connect, open_engine

    engine = open_engine(db_path)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1
    finally:
        engine.dispose()
    reader = connect(db_path)
    try:
        assert reader.execute("PRAGMA secure_delete").fetchone() == (1,)
    finally:
        reader.close()


def test_an_edited_note_leaves_no_old_copy_in_the_file(cli, sqlite_build, db_path):
    """Not only a forget: what an edit replaces is zeroed too, so old notes do not linger in free space."""
    assert cli("contact", "add", "Ivy Tran", "--notes", f"old words: {PHRASE}").code == 0
    assert cli("contact", "edit", "ivy", "--notes", "new words").code == 0
    assert cli("contact", "list").code == 0  # the last connection to close checkpoints and removes the -wal
    assert traces(db_path) == []


def test_crm_own_mentions_on_others_go_and_their_follow_ups_are_recomputed(cli, zelda):
    forgotten = forget_zelda(cli)
    oscar = json.loads(cli("contact", "show", "oscar", "--json").out)
    assert oscar["source"] == "intro from a forgotten contact"
    assert oscar["introduced_by"] is None
    assert NAME not in (oscar["next_follow_up_reason"] or "")
    wes = json.loads(cli("contact", "show", "wes", "--json").out)
    assert NAME not in wes["notes"] and "merged from W. Moon" in wes["notes"]
    assert "source intro from a forgotten contact" in wes["notes"]
    rewritten = {m["name"]: m["fields"] for m in forgotten["rewritten"]}
    assert rewritten == {"Oscar Pike": ["source"], "Wes Moon": ["notes (merge line)"]}
    assert forgotten["still_named"] == []


def test_the_users_own_words_are_left_alone_and_listed(cli, zelda):
    assert cli("log", "ivy", "--kind", "note", "--notes", "Ivy and zelda quinlan were classmates").code == 0
    assert cli("hook", "add", "ivy", "a talk she gave with Zelda Quinlan").code == 0
    assert cli("contact", "add", "Nina Canada").code == 0  # a name that merely contains hers is not a mention
    forgotten = forget_zelda(cli)
    assert forgotten["still_named"] == [{"id": 1, "name": "Ivy Tran", "fields": ["interaction notes", "hook"]}]
    shown = json.loads(cli("contact", "show", "ivy", "--json").out)
    assert shown["interactions"][0]["notes"] == "Ivy and zelda quinlan were classmates"
    out = cli("contact", "forget", "oscar", "--yes").out
    assert "Your own words" not in out


def test_own_words_naming_them_in_another_case_of_a_non_ascii_letter_are_listed(cli):
    """SQLite's ILIKE ignores case for ASCII letters only: the first pass must still let "émile zola" through."""
    assert cli("contact", "add", "Émile Zola").code == 0
    assert cli("contact", "add", "Ivy Tran").code == 0
    assert cli("log", "ivy", "--kind", "note", "--notes", "she knows émile zola well").code == 0
    assert cli("hook", "add", "ivy", "a panel with ÉMILE ZOLA").code == 0
    forgotten = json.loads(cli("contact", "forget", "Émile Zola", "--yes", "--json").out)
    assert forgotten["still_named"] == [{"id": 2, "name": "Ivy Tran", "fields": ["interaction notes", "hook"]}]

def test_the_human_report_says_what_is_left_to_do(cli, zelda):
    assert cli("log", "ivy", "--kind", "note", "--notes", f"ask {NAME} about Ivy").code == 0
    out = cli("contact", "forget", "zelda", "--yes").out
    lines = out.splitlines()
    assert lines[0] == f"Forgot #2 {NAME} and all their history."
    assert "crm's own mentions of Zelda Quinlan now say 'a forgotten contact': #" in out
    assert f"Your own words still name {NAME}" in out and "#1 Ivy Tran (interaction notes)" in out
    assert lines[-1].startswith("Files you exported earlier (crm export)") and "outside crm's reach" in lines[-1]
    assert "backups" not in out  # there are none


def test_backups_that_still_hold_them_are_listed(cli, db_path, tmp_path):
    assert cli("contact", "add", "Ivy Tran").code == 0
    before_her = cli("backup").out.split(" to ")[-1].strip()  # made before she was added: not listed
    assert cli("contact", "add", NAME, "--email", EMAIL).code == 0
    manual = Path(cli("backup").out.split(" to ")[-1].strip())
    automatic = store_db.backup_database(db_path, revision="0006", destination=None)  # as before an upgrade
    forgotten = forget_zelda(cli)
    assert sorted(forgotten["backups"]) == sorted([str(automatic), str(manual)])
    assert before_her not in forgotten["backups"]
    assert "outside crm's reach" in forgotten["outside_crm"]
    assert cli("contact", "add", NAME).code == 0
    out = cli("contact", "forget", "zelda", "--yes").out
    assert f"These backups still hold {NAME}: delete them if they should forget too:" in out
    assert f"  {manual}" in out.splitlines() and f"  {automatic}" in out.splitlines()


# ------------------------------------------------------------------------- someone else has the file open


@pytest.fixture
def short_wait(monkeypatch):
    monkeypatch.setattr(store_db, "WAL_TRUNCATE_WAIT_S", 0.3)


def reading(db_path: Path) -> sqlite3.Connection:
    """A connection in the middle of a read (the app, say): its snapshot needs the pages as they were."""
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM contact").fetchone()
    return conn


def test_an_open_idle_app_does_not_keep_them_in_the_wal(cli, sqlite_build, zelda):
    """The app open on the database (between reads): crm's own checkpoint empties the -wal, as no close would."""
    app = sqlite3.connect(zelda, isolation_level=None)
    try:
        assert app.execute("SELECT count(*) FROM contact").fetchone()[0] == 4
        assert forget_zelda(cli)["wal_cleared"] is True
        assert traces(zelda) == []
        assert Path(f"{zelda}-wal").stat().st_size == 0
        assert app.execute("SELECT count(*) FROM contact").fetchone()[0] == 3
    finally:
        app.close()


def test_a_reader_holding_old_pages_is_reported_and_its_close_clears_them(cli, sqlite_build, zelda, short_wait):
    app = reading(zelda)
    forgotten = forget_zelda(cli)
    assert forgotten["wal_cleared"] is False
    assert traces(zelda), "the report would be a lie: the old pages should still be there"
    app.execute("COMMIT")
    app.close()  # the last connection to close checkpoints and removes the -wal
    assert traces(zelda) == []


def test_the_report_names_the_open_program(cli, zelda, short_wait):
    app = reading(zelda)
    try:
        out = cli("contact", "forget", "zelda", "--yes").out
    finally:
        app.close()
    assert f"Another program (the crm app, say) was reading the database: the old copies of {NAME}'s pages" in out
    assert "the next crm command clears them" in out


def test_a_read_that_ends_within_the_wait_lets_the_forget_clear_the_wal(cli, zelda, monkeypatch):
    monkeypatch.setattr(store_db, "WAL_TRUNCATE_WAIT_S", 30.0)  # a hang guard only: the read ends in 0.3 s
    app = reading(zelda)
    closer = threading.Timer(0.3, lambda: (app.execute("COMMIT"), app.close()))
    closer.start()
    try:
        forgotten = forget_zelda(cli)
    finally:
        closer.join()
    assert forgotten["wal_cleared"] is True
    assert traces(zelda) == []


def test_after_a_killed_reader_the_next_command_clears_the_old_pages(cli, zelda, short_wait):
    script = (
        "import sqlite3, sys, time\n"
        "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "conn.execute('BEGIN'); conn.execute('SELECT count(*) FROM contact').fetchone()\n"
        "print('reading', flush=True); time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", script, str(zelda)], stdout=subprocess.PIPE, text=True)
    try:
        assert app.stdout.readline().strip() == "reading"
        assert forget_zelda(cli)["wal_cleared"] is False
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert traces(zelda), "killed mid-read: nothing has cleared the old pages yet"
    started = time.monotonic()
    assert cli("contact", "list").code == 0
    assert traces(zelda) == []
    assert time.monotonic() - started < 60  # a hang guard, not a timing claim
