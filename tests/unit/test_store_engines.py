"""The Store on both engines: a SQLite file and a PostgreSQL database behave the same to everything above them."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import text

from crm.contacts.reads import contact_details, contacts_json
from crm.errors import CrmError
from crm.models import Contact, Interaction
from crm.store.db import HEAD_REVISION, DatabaseBusy, raw_connection
from crm.store.store import Store
from tests.conftest import TODAY, dump_db
from tests.unit.test_concurrency import WRITER  # one `crm log` loop for both engines' writers


@pytest.fixture
def store(db_url):
    """A Store on a migrated database of either engine (`db_url`: "sqlite" or "postgresql")."""
    store = Store.from_option(db_url)
    yield store.open()
    store.close()


def _add(store, name: str, **fields) -> int:
    with store.write() as session:
        contact = Contact(name=name, **fields)
        session.add(contact)
        session.flush()
        return contact.id


def test_from_option_tells_a_url_from_a_path(tmp_path, monkeypatch):
    url = "postgresql://me:secret@db.example/crm?sslmode=require"
    assert Store.from_option(url).dialect == "postgresql" and Store.from_option(url).path is None
    assert Store.from_option(url).location == "postgresql://me:***@db.example/crm?sslmode=require"
    monkeypatch.setenv("CRM_DB", "postgres://me@db.example/crm")
    assert Store.from_option(None).url == "postgres://me@db.example/crm"
    file_store = Store.from_option(tmp_path / "crm.db")
    assert (file_store.dialect, file_store.url, file_store.location) == ("sqlite", None, str(tmp_path / "crm.db"))


def test_a_url_store_has_no_file(pg_url):
    with pytest.raises(CrmError, match="is a PostgreSQL database, not a file"):
        Store.from_option(pg_url).checked_path()


def test_open_migrates_to_head_and_the_reader_says_its_dialect(store, db_url):
    assert getattr(store.reader, "dialect", "sqlite") == store.dialect
    assert store.reader.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD_REVISION,)


def test_rows_read_the_same_on_both_engines(store):
    """Dates as ISO text, booleans as 0/1, timestamps as SQLite stores them: what the read functions expect."""
    cid = _add(store, "Maya Chen", company="Spotify", archived=True)
    with store.write() as session:
        session.add(Interaction(contact_id=cid, kind="chat", date=dt.date(2026, 11, 20), notes="50% done"))
    row = store.reader.execute(
        "SELECT c.name, c.archived, i.date, i.notes, c.created_at, count(*) OVER (), sum(c.id) OVER ()"
        " FROM contact AS c JOIN interaction AS i ON i.contact_id = c.id WHERE c.id = ? AND i.notes LIKE '%\\%%' ESCAPE '\\'",
        (cid,),
    ).fetchone()
    name, archived, date, notes, created_at, count, total = row
    assert (name, archived, date, notes, count, total) == ("Maya Chen", 1, "2026-11-20", "50% done", 1, cid)
    assert isinstance(archived, int) and isinstance(total, int)
    assert dt.datetime.fromisoformat(created_at).date() <= dt.date.today()
    assert len(created_at) == len("2026-11-25 19:34:58.000000")
    named = store.reader.execute("SELECT name FROM contact WHERE id = :id AND name <> ':id'", {"id": cid}).fetchone()
    assert named == ("Maya Chen",)


def test_contact_json_is_byte_identical_on_both_engines(store):
    cid = _add(store, 'Zoë "Z" O\'Neil', company="Ünïcode\tTabs", archived=False)
    with store.write() as session:
        from crm.models import ContactTag

        session.add_all([ContactTag(contact_id=cid, tag="b-tag"), ContactTag(contact_id=cid, tag="a tag")])
    [text_] = contacts_json(store.reader, today=TODAY)
    expected = {
        "id": cid, "name": 'Zoë "Z" O\'Neil', "email": None, "company": "Ünïcode\tTabs", "team": None, "role": None,
        "stage": "identified", "last_interaction": None, "next_follow_up": None, "tags": ["a tag", "b-tag"],
        "archived": False,
    }  # fmt: skip
    assert json.loads(text_) == expected
    assert text_ == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))  # SQLite's compact text


def test_a_failed_write_leaves_nothing(store, db_url):
    _add(store, "Maya Chen")
    before = dump_db(db_url)
    with pytest.raises(RuntimeError), store.write() as session:
        session.add(Contact(name="Half Written"))
        session.flush()
        raise RuntimeError("boom")
    assert dump_db(db_url) == before
    assert [r[0] for r in store.reader.execute("SELECT name FROM contact")] == ["Maya Chen"]


def test_raw_connection_reads_inside_the_write_transaction(store):
    with store.write() as session:
        session.add(Contact(name="Ivan Petrov", archived=True))
        session.flush()
        conn = raw_connection(session)
        assert getattr(conn, "dialect", "sqlite") == store.dialect
        assert conn.execute("SELECT name, archived FROM contact").fetchall() == [("Ivan Petrov", 1)]
    assert store.reader.execute("SELECT count(*) FROM contact").fetchone() == (1,)


def test_the_reader_sees_each_commit_at_once(store):
    assert store.reader.execute("SELECT count(*) FROM contact").fetchone() == (0,)
    other = Store.from_option(store.url or store.path).open()
    try:
        _add(other, "Maya Chen")
    finally:
        other.close()
    assert store.reader.execute("SELECT count(*) FROM contact").fetchone() == (1,)


def test_details_read_the_same(store):
    cid = _add(store, "Maya Chen", company="Spotify")
    with store.write() as session:
        session.add(Interaction(contact_id=cid, kind="message", date=dt.date(2026, 11, 16)))
    shown = contact_details(store.reader, cid, today=TODAY)
    assert shown["interactions"][0]["date"] == "2026-11-16" and shown["archived"] is False
    assert shown["created_at"].endswith("+00:00")


def test_a_writer_waiting_past_the_busy_timeout_is_told_busy(store, monkeypatch):
    """Another process holds the write lock: this one waits the busy timeout, then DatabaseBusy (exit 75)."""
    import crm.store.db

    monkeypatch.setattr(crm.store.db, "BUSY_TIMEOUT_MS", 300)
    holder = Store.from_option(store.url or store.path)
    waiter = Store.from_option(store.url or store.path)
    try:
        with holder.write() as session:
            session.add(Contact(name="Holding the lock"))
            session.flush()
            with pytest.raises(DatabaseBusy, match="busy"), waiter.write() as other:
                other.add(Contact(name="Never written"))
    finally:
        holder.close()
        waiter.close()
    assert [r[0] for r in store.reader.execute("SELECT name FROM contact")] == ["Holding the lock"]


@pytest.mark.slow
def test_parallel_writers_keep_every_interaction(cli, db_url):
    cli("contact", "add", "Maya Chen")
    cli("contact", "add", "Ivan Petrov")
    env = {**os.environ, "CRM_DB": db_url}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, who, "15"], env=env, stderr=subprocess.PIPE, text=True)
        for who in ("maya", "ivan", "maya", "ivan")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
    for who in ("maya", "ivan"):
        assert len(json.loads(cli("contact", "show", who, "--json").out)["interactions"]) == 30


def test_the_search_index_follows_every_write(store):
    from crm.search import search_notes

    cid = _add(store, "José Díaz")
    with store.write() as session:
        session.add(
            Interaction(contact_id=cid, kind="chat", date=dt.date(2026, 11, 20), notes="playlist-loading latency")
        )
    hits = search_notes(store.reader, "playlist loading")
    assert [(h.name, h.source) for h in hits] == [("José Díaz", "note")]
    assert "«" in hits[0].snippet
    assert search_notes(store.reader, '"loading latency"')  # a phrase
    assert not search_notes(store.reader, '"latency loading"')  # in that order only
    with store.write() as session:
        session.execute(text("UPDATE interaction SET notes = 'nothing here'"))
    assert search_notes(store.reader, "latency") == []
    with store.write() as session:
        session.execute(text("DELETE FROM contact"))
    assert store.reader.execute("SELECT count(*) FROM search_index").fetchone() == (0,)


def test_forget_finds_crm_own_mentions_whatever_their_case(cli, db_url):
    """PostgreSQL's LIKE minds case, SQLite's does not: forget finds "MAYA CHEN" in a source on both."""
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("contact", "add", "Ivan Petrov", "--source", "intro from MAYA CHEN").code == 0
    assert cli("contact", "forget", "maya", "--yes").code == 0
    assert json.loads(cli("contact", "show", "ivan", "--json").out)["source"] == "intro from a forgotten contact"


def test_text_sorts_as_on_sqlite_whatever_the_servers_collation(cli, db_url):
    """SQLite orders text by code point (its lower() folds ASCII only); the test cluster sorts as en-US does, so a
    read that does not ask PostgreSQL for SQLite's order gives another order here."""
    assert cli("contact", "add", "Élise Martin", "--tag", "zeta", "--tag", "été", "--tag", "alpha").code == 0
    assert cli("contact", "add", "zed Young").code == 0
    assert cli("contact", "add", "Zoe Adams").code == 0
    assert cli("contact", "add", "_under Score").code == 0
    names = [c["name"] for c in json.loads(cli("contact", "list", "--json").out)]
    assert names == ["_under Score", "zed Young", "Zoe Adams", "Élise Martin"]
    shown = json.loads(cli("contact", "show", "1", "--json").out)
    assert shown["tags"] == ["alpha", "zeta", "été"]
    assert json.loads(cli("contact", "list", "--json").out)[-1]["tags"] == ["alpha", "zeta", "été"]
