"""Migration 0008: promises, interaction.advice and .suggested, and a search index that learns them, on a database
that already holds a history (made at 0007), and back."""

import sqlite3

from crm.search import search_notes
from crm.store.db import connect, migrate, open_engine, schema_revision
from tests.unit.test_search import assert_index_in_sync

TRIGGERS = {
    "search_interaction_insert", "search_interaction_update", "search_interaction_delete",
    "search_hook_insert", "search_hook_update", "search_hook_delete",
}  # fmt: skip
STAMP = "'2026-11-01 00:00:00'"


def _columns(conn, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _tables(conn) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _triggers(conn) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}


def _database_at_0007(tmp_path):
    """A 0007 database with two contacts, a chat with notes and a next step, and a hook (ids chosen so that the old
    and new rowid encodings would collide if the index were not rebuilt: interaction 2 and hook 1)."""
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0007", downgrade=True)
    with sqlite3.connect(path) as conn:
        assert "promise" not in _tables(conn) and "advice" not in _columns(conn, "interaction")
        conn.execute(
            f"INSERT INTO contact (id, name, stage, archived, created_at, updated_at) VALUES"
            f" (1, 'Maya Chen', 'chatted', 0, {STAMP}, {STAMP}), (2, 'Ivan Petrov', 'identified', 0, {STAMP}, {STAMP})"
        )
        conn.execute(
            f"INSERT INTO interaction (id, contact_id, kind, date, notes, next_step, created_at) VALUES"
            f" (1, 2, 'note', '2026-11-01', 'met at the career fair', NULL, {STAMP}),"
            f" (2, 1, 'chat', '2026-11-20', 'talked about playlist ranking', 'send the skip-rate analysis', {STAMP})"
        )
        conn.execute(
            f"INSERT INTO hook (id, contact_id, text, created_at) VALUES (1, 1, 'post on cold-start latency', {STAMP})"
        )
    conn.close()
    return path


def test_upgrading_keeps_the_history_and_indexes_it_anew(tmp_path):
    path = _database_at_0007(tmp_path)
    open_engine(path).dispose()  # backs up, then upgrades to head, as every command does
    assert schema_revision(path) >= "0008"
    conn = connect(path)
    try:
        assert {"advice", "suggested"} <= _columns(conn, "interaction") and "promise" in _tables(conn)
        assert _triggers(conn) >= TRIGGERS
        assert conn.execute("SELECT id, notes, advice, suggested FROM interaction ORDER BY id").fetchall() == [
            (1, "met at the career fair", None, None), (2, "talked about playlist ranking", None, None),
        ]  # fmt: skip
        assert conn.execute("SELECT count(*) FROM promise").fetchone() == (0,)
        assert_index_in_sync(conn)  # every entry in the new encoding, nothing stale
        assert [(h.name, h.source) for h in search_notes(conn, "playlist")] == [("Maya Chen", "note")]
        assert [(h.name, h.source) for h in search_notes(conn, "skip-rate")] == [("Maya Chen", "next step")]
        assert [(h.name, h.source) for h in search_notes(conn, "cold-start")] == [("Maya Chen", "hook")]
        assert [(h.name, h.source) for h in search_notes(conn, "career")] == [("Ivan Petrov", "note")]
        # The triggers index what is written from now on, advice and suggested names included.
        conn.execute("UPDATE interaction SET advice = 'talk to the podcast team', suggested = 'Jia Song (Spotify)'"
                     " WHERE id = 2")  # fmt: skip
        assert [(h.source, h.date) for h in search_notes(conn, "podcast")] == [("advice", "2026-11-20")]
        assert [h.source for h in search_notes(conn, "jia")] == ["suggested"]
        conn.execute(
            f"INSERT INTO promise (contact_id, interaction_id, text, due, from_next_step, created_at)"
            f" VALUES (1, 2, 'send the skip-rate analysis', '2026-11-27', 1, {STAMP})"
        )
        conn.execute("DELETE FROM hook WHERE id = 1")
        assert_index_in_sync(conn)
        conn.execute("DELETE FROM contact WHERE id = 1")  # forget: the promise goes by cascade
        assert conn.execute("SELECT count(*) FROM promise").fetchone() == (0,)
        assert_index_in_sync(conn)
    finally:
        conn.close()


def test_downgrading_drops_them_and_restores_0004s_index(tmp_path):
    path = _database_at_0007(tmp_path)
    open_engine(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE interaction SET advice = 'talk to the podcast team' WHERE id = 2")
    conn.close()
    migrate(path, "0007", downgrade=True)
    conn = connect(path)
    try:
        assert "promise" not in _tables(conn) and not {"advice", "suggested"} & _columns(conn, "interaction")
        assert _triggers(conn) == TRIGGERS
        index = dict(conn.execute("SELECT rowid, body FROM search_index").fetchall())
        assert index == {
            1 * 4: "met at the career fair", 2 * 4: "talked about playlist ranking",
            2 * 4 + 2: "send the skip-rate analysis", 1 * 4 + 3: "post on cold-start latency",
        }  # fmt: skip
        conn.execute(f"INSERT INTO hook (id, contact_id, text, created_at) VALUES (5, 2, 'talk on encoders', {STAMP})")
        assert conn.execute("SELECT body FROM search_index WHERE rowid = 5 * 4 + 3").fetchone() == ("talk on encoders",)
    finally:
        conn.close()
