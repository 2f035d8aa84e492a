"""`crm db copy SRC DST`: a SQLite file into PostgreSQL and back, losslessly; never into a database holding anything."""

from __future__ import annotations

import json

import pytest

from tests.conftest import dump_db


@pytest.fixture
def sqlite_network(cli, tmp_path, monkeypatch):
    """A SQLite database with every table in use: the demo, drafts sent, a snooze, a done, an archive, a promise,
    tags, a hook question, a profile and a project, text in several scripts. Returns its path."""
    path = tmp_path / "laptop.db"
    monkeypatch.setenv("CRM_DB", str(path))
    for args in (
        ["demo"],
        ["draft", "hannah", "--send"],
        ["snooze", "grace", "+2d"],
        ["done", "dan"],
        ["contact", "archive", "rachel"],
        ["contact", "edit", "olivia", "--tag", "intro", "--introduced-by", "marcus"],
        ["hook", "add", "tom", "talk on creator analytics", "--question", "what do creators ask for?"],
        ["log", "lena", "--kind", "chat", "--notes", "Zoë says «hej» — naïve café", "--promise", "send the deck @+3d"],
        ["me", "--name", "Sam Student", "--school", "MIT"],
        ["project", "add", "Skip-rate model", "--result", "cut skips 12%"],
    ):  # fmt: skip
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    return str(path)


def _everything(cli, db: str) -> tuple[dict, list, list]:
    """What a user can see of a database: the full JSON export (less its time stamp), due, and what a search finds
    (not its ranks, which each engine's full-text search computes its own way; snippets are made alike)."""
    exported = json.loads(cli("--db", db, "export", "json", "-").out)
    exported.pop("exported_at")
    due = json.loads(cli("--db", db, "due", "--days", "400", "--json").out)
    found = sorted(
        (h["contact_id"], h["source"], h["date"]) for h in json.loads(cli("--db", db, "search", "café", "--json").out)
    )
    return exported, due, found


def test_sqlite_to_postgresql_and_back_is_lossless(cli, sqlite_network, pg_url, tmp_path):
    before = _everything(cli, sqlite_network)
    assert len(before[0]["contacts"]) > 10 and before[0]["promises"] and before[0]["drafts"] and before[1]

    result = cli("db", "copy", sqlite_network, pg_url)
    assert result.code == 0, result.err
    assert result.out.startswith("Copied ") and pg_url.split("?")[0] in result.out
    assert _everything(cli, pg_url) == before

    back = str(tmp_path / "desktop.db")
    assert cli("db", "copy", pg_url, back).code == 0
    assert _everything(cli, back) == before

    # The copy is a working database: new rows get new ids (PostgreSQL's sequences continue past the copied ones).
    largest = max(c["id"] for c in before[0]["contacts"])
    assert cli("--db", pg_url, "contact", "add", "New Person").out == f"Added #{largest + 1} New Person\n"


def test_a_destination_holding_anything_is_refused_and_left_as_it_was(cli, sqlite_network, pg_url, tmp_path):
    assert cli("--db", pg_url, "contact", "add", "Already Here").code == 0
    before = dump_db(pg_url)
    result = cli("db", "copy", sqlite_network, pg_url)
    assert result.code == 2 and result.err.count("\n") == 1
    assert "is not empty (it has 1 contact)" in result.err
    assert dump_db(pg_url) == before

    other = tmp_path / "other.db"
    assert cli("--db", str(other), "contact", "add", "Someone").code == 0
    before = dump_db(str(other))
    assert cli("db", "copy", pg_url, str(other)).code == 2
    assert dump_db(str(other)) == before


def test_a_missing_source_is_refused_and_nothing_is_created(cli, pg_empty_url, tmp_path):
    missing = tmp_path / "nowhere.db"
    result = cli("db", "copy", str(missing), pg_empty_url)
    assert result.code == 2 and "does not exist: nothing to copy" in result.err
    assert not missing.exists()
    result = cli("db", "copy", pg_empty_url, str(tmp_path / "out.db"))
    assert result.code == 2 and "holds no crm database: nothing to copy" in result.err
    assert not (tmp_path / "out.db").exists()


def test_a_database_is_not_copied_onto_itself(cli, sqlite_network, pg_url):
    assert "both the source and the destination" in cli("db", "copy", sqlite_network, sqlite_network).err
    assert "both the source and the destination" in cli("db", "copy", pg_url, pg_url).err


def test_the_password_in_a_url_is_not_printed(cli, sqlite_network, pg_cluster, pg_empty_url):
    name = pg_empty_url.split("/")[3].split("?")[0]
    result = cli("db", "copy", sqlite_network, pg_cluster.url(name, password="hunter2"))
    assert result.code == 0 and "hunter2" not in result.out and ":***@" in result.out
