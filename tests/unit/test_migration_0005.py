"""Migration 0005: hook.question and draft.question, added in place so 0004's search triggers on `hook` survive."""

import sqlite3

from crm.search import search_notes
from crm.store.db import connect, migrate, open_engine, schema_revision

HOOK_TRIGGERS = {"search_hook_insert", "search_hook_update", "search_hook_delete"}


def _columns(conn, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _triggers(conn, table: str) -> set[str]:
    return {
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,))
    }


def _old_database(tmp_path):
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0004", downgrade=True)
    with sqlite3.connect(path) as conn:
        assert "question" not in _columns(conn, "hook") and "question" not in _columns(conn, "draft")
        conn.execute(
            "INSERT INTO contact (id, name, stage, archived, created_at, updated_at)"
            " VALUES (1, 'Maya Chen', 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO hook (id, contact_id, text, date, created_at)"
            " VALUES (2, 1, 'post on playlist-loading latency', '2026-10-02', '2026-11-01 00:00:00')"
        )
    conn.close()
    return path


def test_upgrading_adds_the_questions_and_keeps_the_hook_triggers(tmp_path):
    path = _old_database(tmp_path)
    open_engine(path).dispose()  # back up, then upgrade to head, as every command does
    assert schema_revision(path) >= "0005"  # head: 0005 or a later migration
    conn = connect(path)
    assert "question" in _columns(conn, "hook") and "question" in _columns(conn, "draft")
    assert _triggers(conn, "hook") == HOOK_TRIGGERS
    assert conn.execute("SELECT text, question FROM hook").fetchall() == [("post on playlist-loading latency", None)]
    # The triggers still keep the search index current.
    conn.execute("UPDATE hook SET text = 'talk on cold-start', question = 'why?' WHERE id = 2")
    conn.execute(
        "INSERT INTO hook (id, contact_id, text, question, created_at)"
        " VALUES (3, 1, 'panel on serendipity', 'how much?', '2026-11-02 00:00:00')"
    )
    assert [h.source for h in search_notes(conn, "cold-start")] == ["hook"]
    assert [h.source for h in search_notes(conn, "serendipity")] == ["hook"]
    assert search_notes(conn, "latency") == []
    conn.close()


def test_downgrading_drops_the_questions_and_keeps_the_hook_triggers(tmp_path):
    path = tmp_path / "crm.db"
    open_engine(path).dispose()
    with sqlite3.connect(path) as conn:
        assert _triggers(conn, "hook") == HOOK_TRIGGERS
    conn.close()
    migrate(path, "0004", downgrade=True)
    with sqlite3.connect(path) as conn:
        assert "question" not in _columns(conn, "hook") and "question" not in _columns(conn, "draft")
        assert _triggers(conn, "hook") == HOOK_TRIGGERS
    conn.close()
