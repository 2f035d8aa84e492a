"""The store: migrations are the only schema source, files are private, connections are safe."""

import sqlite3
import stat

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

import crm.models  # noqa: F401
from crm.errors import CrmError
from crm.search import is_index_table
from crm.store.db import HEAD_REVISION, alembic_config, make_engine, migrate, open_engine, schema_revision


def test_head_constant_matches_the_migrations():
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD_REVISION]


def test_empty_database_upgrades_to_head(engine, db_path):
    assert schema_revision(db_path) == HEAD_REVISION
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    assert {"contact", "hook", "interaction", "me", "project", "contact_tag", "alembic_version"} <= tables


def _models_only(name, type_, parent_names) -> bool:
    """As migrations/env.py: the FTS5 search index (raw SQL in 0004) and its shadow tables are not models."""
    return not (type_ == "table" and is_index_table(name))


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "render_as_batch": True, "include_name": _models_only}
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_only_the_search_index_is_left_out_of_the_comparison(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        removed = {diff[1].name for diff in compare_metadata(context, SQLModel.metadata)}
    assert removed == {"search_index", *(f"search_index_{s}" for s in ("data", "idx", "content", "docsize", "config"))}


def test_downgrade_then_upgrade_round_trip(engine, db_path):
    engine.dispose()
    migrate(db_path, "base", downgrade=True)
    assert schema_revision(db_path) is None
    migrate(db_path)
    assert schema_revision(db_path) == HEAD_REVISION
    with make_engine(db_path).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _models_only})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_every_connection_is_wal_with_foreign_keys_and_busy_timeout(engine, db_path):
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_new_database_is_private(tmp_path):
    path = tmp_path / "fresh" / "deeper" / "crm.db"
    open_engine(path, create_folder=True).dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_loose_permissions_are_tightened(engine, db_path):
    engine.dispose()
    db_path.chmod(0o644)
    open_engine(db_path).dispose()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_user_chosen_path_needs_an_existing_folder(tmp_path):
    with pytest.raises(CrmError, match="does not exist"):
        open_engine(tmp_path / "missing" / "crm.db")
    assert not (tmp_path / "missing").exists()


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n")
    with pytest.raises(CrmError, match="not a SQLite database"):
        open_engine(path)
    assert path.read_text() == "these are my notes, not a database\n"


def test_a_foreign_sqlite_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    with pytest.raises(CrmError, match="not a crm one"):
        open_engine(path)


def test_a_database_from_a_newer_crm_is_refused(engine, db_path):
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(CrmError, match="newer crm"):
        open_engine(db_path)


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(CrmError, match="is a folder"):
        open_engine(tmp_path)


def test_importing_the_store_opens_nothing(tmp_path):
    import subprocess
    import sys

    code = "import crm.store.db, crm.cli, crm.models, crm.contacts.writes, crm.contacts.interactions; import os; print(os.listdir('.'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_older_database_is_backed_up_then_upgraded(tmp_path, cli):
    """Opening a database at an older revision copies it beside itself first, then migrates it."""
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0001", downgrade=True)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO contact (id, name, stage, archived, created_at, updated_at)"
            " VALUES (1, 'Maya Chen', 'contacted', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (1, 'message', '2026-11-16', '2026-11-16 00:00:00')"
        )
        conn.execute(
            "INSERT INTO hook (contact_id, text, created_at) VALUES (1, 'latency post', '2026-11-01 00:00:00')"
        )
    result = cli("--db", str(path), "due", "--json")
    assert result.code == 0, result.err
    backups = list(tmp_path.glob("old.db.bak-0001-*"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Maya Chen",)]
    assert schema_revision(path) == HEAD_REVISION
    # Data survived, children included (batch rebuilds must not cascade-delete), and the schedule was computed.
    import json

    assert json.loads(result.out)[0]["reason"] == "nudge: no reply to your message of Nov 16"
    shown = json.loads(cli("--db", str(path), "contact", "show", "maya", "--json").out)
    assert shown["hooks"][0]["text"] == "latency post" and len(shown["interactions"]) == 1


def test_db_current_and_upgrade_commands(tmp_path, cli):
    path = tmp_path / "c.db"
    assert cli("--db", str(path), "db", "current").code == 2
    assert "head" in cli("--db", str(path), "db", "upgrade").out
    assert cli("--db", str(path), "db", "current").out.startswith(f"{HEAD_REVISION} (head)")
    migrate(path, "0001", downgrade=True)
    assert "run `crm db upgrade`" in cli("--db", str(path), "db", "current").out
    out = cli("--db", str(path), "db", "upgrade").out
    assert "backup" in out and schema_revision(path) == HEAD_REVISION


def test_backup_command_copies_privately_and_never_overwrites(tmp_path, cli):
    cli("contact", "add", "Maya Chen")
    target = tmp_path / "copy.db"
    assert cli("backup", str(target)).code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Maya Chen",)]
    result = cli("backup", str(target))
    assert result.code == 2 and "already exists" in result.err
    default = cli("backup")  # `crm.db.backup-<timestamp>`: not an automatic backup, so never pruned
    assert default.code == 0 and list(tmp_path.glob("crm.db.backup-*")) and not list(tmp_path.glob("crm.db.bak-*"))
