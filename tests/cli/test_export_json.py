"""`crm export json FILE`: everything, with a format version, its columns taken from the table definitions."""

from __future__ import annotations

import json
import sqlite3

import pytest

from crm.formats.archive import FORMAT_VERSION, SECTIONS, columns_of, section_of, tables

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def export(cli, tmp_path) -> dict:
    path = tmp_path / "all.json"
    result = cli("export", "json", str(path))
    assert result.code == 0, result.err
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_layout_and_format_version(cli, tmp_path, db_path):
    assert cli("demo").code == 0
    data = export(cli, tmp_path)
    assert data["format"] == "crm" and data["format_version"] == FORMAT_VERSION == 1
    with sqlite3.connect(db_path) as conn:
        assert data["schema_revision"] == conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    assert data["settings"] == {"default_cadence": "every 4 weeks", "nudge_business_days": 7, "week_start": "monday"}
    assert list(data)[6 : 6 + len(SECTIONS)] == list(SECTIONS.values())  # me, projects, contacts, tags, hooks, ...
    assert data["me"][0]["name"] == "Alex Rivera"
    assert len(data["contacts"]) == 14 and len(data["interactions"]) == 45 and len(data["hooks"]) == 16
    assert {"contact_id": 1, "tag": "mit"} in data["tags"]
    assert any(row["key"] == "follow_up_settings" for row in data["meta"])


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_every_table_and_every_column_is_exported_as_the_schema_declares_them(cli, tmp_path, db_path):
    """New columns (a migration's) and new tables flow through without touching the exporter."""
    assert cli("demo").code == 0
    data = export(cli, tmp_path)
    with sqlite3.connect(db_path) as conn:
        for table in tables():
            stored = [row[1] for row in conn.execute(f"PRAGMA table_info({table.name})")]
            assert [c.name for c in table.columns] == stored or set(stored) == {c.name for c in table.columns}
            rows = data[section_of(table)]
            assert len(rows) == conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]
            for row in rows:  # but the derived ones (the reply credit), which the triggers make again on restore
                assert list(row) == [c.name for c in columns_of(table)]


def test_values_are_json_types_dates_iso_and_timestamps_utc(cli, tmp_path):
    assert cli("demo").code == 0
    maya = next(c for c in export(cli, tmp_path)["contacts"] if c["name"] == "Maya Chen")
    assert maya["archived"] is False and isinstance(maya["grad_year"], int)
    assert len(maya["next_follow_up"]) == 10 and maya["created_at"].endswith("+00:00")


def test_dash_writes_the_same_document_to_stdout(cli, tmp_path):
    assert cli("contact", "add", "Zoë Ångström").code == 0
    result = cli("export", "json", "-")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["contacts"][0]["name"] == "Zoë Ångström"


def test_an_empty_database_exports_empty_sections(cli, tmp_path):
    data = export(cli, tmp_path)
    assert data["contacts"] == [] and data["me"] == [] and data["format_version"] == 1
