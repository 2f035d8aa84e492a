"""crm on PostgreSQL: SQL written for sqlite3 runs there, migrations make the same schema, passwords never show."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import crm.models  # noqa: F401
from crm.errors import CrmError
from crm.search import is_index_table
from crm.store.postgres import translate
from crm.store.urls import is_database_url, masked, scrubbed
from tests.postgres import migrate_url


@pytest.mark.parametrize(
    ("sqlite", "psycopg"),
    [
        ("SELECT id FROM contact WHERE id = ?", "SELECT id FROM contact WHERE id = %s"),
        ("SELECT 1 WHERE a = :since AND b < :quiet_since", "SELECT 1 WHERE a = %(since)s AND b < %(quiet_since)s"),
        ("SELECT '?', ':name', '50%' WHERE x LIKE ?", "SELECT '?', ':name', '50%%' WHERE x LIKE %s"),
        ("SELECT 'it''s ?' , \"odd?col\" FROM t", "SELECT 'it''s ?' , \"odd?col\" FROM t"),
        ("SELECT CAST(:start AS date), x::text", "SELECT CAST(%(start)s AS date), x::text"),
        ("SELECT 1 -- why? because\n, ?", "SELECT 1 -- why? because\n, %s"),
        ("SELECT a % 7, b - ?", "SELECT a %% 7, b - %s"),
    ],
)
def test_translate_turns_sqlite_parameters_into_psycopgs(sqlite, psycopg):
    assert translate(sqlite) == psycopg


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://maya:s3cret@db.example:5432/crm", "postgresql://maya:***@db.example:5432/crm"),
        ("postgres://maya:p%40ss@host/crm?sslmode=require", "postgres://maya:***@host/crm?sslmode=require"),
        ("postgresql://host/crm?user=maya&password=s3cret&sslmode=verify-full",
         "postgresql://host/crm?user=maya&password=***&sslmode=verify-full"),
        ("postgresql://maya@/crm?host=/run/pg", "postgresql://maya@/crm?host=/run/pg"),
        ("postgresql+psycopg://:only-pw@host/db", "postgresql+psycopg://:***@host/db"),
    ],
)  # fmt: skip
def test_masked_hides_every_password(url, shown):
    assert masked(url) == shown
    assert "s3cret" not in masked(url) and "p%40ss" not in masked(url)


def test_scrubbed_hides_the_password_in_a_drivers_message():
    url = "postgresql://maya:p%40ss@host/crm"
    assert scrubbed(f"failed for {url}: password p@ss rejected", url) == (
        "failed for postgresql://maya:***@host/crm: password *** rejected"
    )


def test_what_counts_as_a_url():
    assert is_database_url("postgresql://h/db") and is_database_url("POSTGRES://h/db")
    assert not is_database_url("crm.db") and not is_database_url("./postgresql:x") and not is_database_url(None)


def _models_only(name, type_, parent_names) -> bool:
    return not (type_ == "table" and is_index_table(name))


def _compare(url: str) -> list:
    from crm.store.db import make_url_engine

    engine = make_url_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _models_only})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def test_migrations_make_the_models_schema_on_postgresql(pg_empty_url):
    from crm.store.db import HEAD_REVISION, prepare_url, url_revision

    assert prepare_url(pg_empty_url) is None  # it was empty
    assert url_revision(pg_empty_url) == HEAD_REVISION
    assert _compare(pg_empty_url) == []


def test_downgrade_then_upgrade_round_trip_on_postgresql(pg_url):
    from crm.store.db import HEAD_REVISION, upgrade_url, url_revision

    migrate_url(pg_url, "base", downgrade=True)
    assert url_revision(pg_url) is None
    upgrade_url(pg_url)
    assert url_revision(pg_url) == HEAD_REVISION
    assert _compare(pg_url) == []


def test_an_old_postgresql_database_is_upgraded_with_its_rows(pg_url, cli, monkeypatch):
    """Data written at 0007 (search index in its old encoding) comes through 0008 and is searchable."""
    monkeypatch.setenv("CRM_DB", pg_url)
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("log", "maya", "--kind", "chat", "--notes", "playlist latency").code == 0
    migrate_url(pg_url, "0007", downgrade=True)
    assert "0007 (head is" in cli("db", "current").out
    assert cli("search", "latency").out.count("Maya Chen") == 1  # any command upgrades first
    assert "(head)" in cli("db", "current").out


def test_a_database_that_is_not_crms_is_refused_untouched(pg_empty_url, cli, monkeypatch):
    import psycopg

    with psycopg.connect(pg_empty_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    monkeypatch.setenv("CRM_DB", pg_empty_url)
    result = cli("contact", "list")
    assert result.code == 2 and "is a PostgreSQL database but not a crm one" in result.err
    with psycopg.connect(pg_empty_url) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"invoices"}


def test_a_newer_schema_is_refused(pg_url, cli, monkeypatch):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    monkeypatch.setenv("CRM_DB", pg_url)
    result = cli("due")
    assert result.code == 2 and "made by a newer crm (schema 9999)" in result.err


def test_db_commands_and_errors_never_print_the_password(pg_cluster, pg_url, cli, monkeypatch):
    name = pg_url.split("/")[3].split("?")[0]
    with_password = pg_cluster.url(name, password="hunter2-secret")  # trust auth: any password is let in
    monkeypatch.setenv("CRM_DB", with_password)
    for args in (["db", "current"], ["db", "upgrade"], ["contact", "add", "Maya"], ["backup"]):
        result = cli(*args)
        assert "hunter2" not in result.out + result.err, args
        if args[0] != "contact":  # these name the database
            assert "postgres:***@" in result.out + result.err, args
    missing = pg_cluster.url("no_such_database", password="hunter2-secret")
    result = cli("--db", missing, "due")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "hunter2" not in result.err and "cannot reach postgresql://postgres:***@/no_such_database" in result.err
    assert "hunter2" not in cli("--db", missing, "--help").out


def test_a_server_gone_mid_session_is_one_line_and_no_partial_write(pg_cluster, pg_url, cli, monkeypatch):
    """The server ends crm's connection mid-command (a restart): one line, exit 2, nothing half written."""
    import psycopg

    from crm.store.store import Store

    monkeypatch.setenv("CRM_DB", pg_url)
    assert cli("contact", "add", "Maya Chen").code == 0
    store = Store.from_option(pg_url).open()
    try:
        with pytest.raises(CrmError, match="cannot reach .*nothing was written") as caught, store.write() as session:
            session.add(crm.models.Contact(name="Half Written"))
            session.flush()
            pid = session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            with psycopg.connect(pg_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            session.add(crm.models.Contact(name="After the restart"))
            session.flush()
        assert "\n" not in str(caught.value)
    finally:
        store.close()
    assert [r["name"] for r in __import__("json").loads(cli("contact", "list", "--json").out)] == ["Maya Chen"]


@pytest.fixture
def no_ssl_server():
    """A TCP port whose "server" answers PostgreSQL's SSLRequest with N (no SSL here), then hangs up."""
    import socket
    import threading

    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def serve() -> None:
        try:
            while True:
                conn, _ = listener.accept()
                with conn:
                    conn.recv(8)
                    conn.sendall(b"N")
        except OSError:
            return

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()


def test_sslmode_in_the_url_is_honoured(no_ssl_server, cli):
    """sslmode=require against a server without SSL: refused in one line, never sent in the clear."""
    result = cli("--db", f"postgresql://maya:pw@127.0.0.1:{no_ssl_server}/crm?sslmode=require", "due")
    assert result.code == 2 and result.err.count("\n") == 1
    assert "SSL was required" in result.err and "pw@" not in result.err
    result = cli("--db", f"postgresql://maya@127.0.0.1:{no_ssl_server}/crm?sslmode=bogus", "due")
    assert result.code == 2 and 'invalid sslmode value: "bogus"' in result.err


def test_without_postgresqls_programs_its_tests_fail_saying_how_to_install_them(tmp_path):
    """Never a silent skip: the PostgreSQL cases error out, and the message says how to install the server."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CRM_PG_BINDIR": str(tmp_path / "no-postgres-here")}
    env.pop("CI", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA",
         "tests/unit/test_store_engines.py::test_a_url_store_has_no_file"],
        capture_output=True, text=True, env=env, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )  # fmt: skip
    assert result.returncode != 0
    assert "1 error" in result.stdout and "skipped" not in result.stdout
    assert "sudo apt-get install postgresql" in result.stdout


def _loaded_after(args: list[str], db: str) -> set[str]:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import sys, json\nfrom crm.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={**os.environ, "CRM_DB": db}
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["due", "--json"], ["contact", "list", "--json"], ["search", "maya", "--json"]])
def test_sqlite_reads_never_load_psycopg_and_postgresql_reads_never_load_the_orm(args, tmp_path, pg_url, cli):
    sqlite_db = str(tmp_path / "lean.db")
    for db in (sqlite_db, pg_url):
        assert cli("--db", db, "contact", "add", "Maya Chen").code == 0
        assert cli("--db", db, "log", "maya", "--kind", "chat", "--notes", "maya's playlist").code == 0
    assert not _loaded_after(args, sqlite_db) & {"psycopg", "psycopg_binary", "sqlalchemy", "sqlmodel"}
    on_postgresql = _loaded_after(args, pg_url)
    assert "psycopg" in on_postgresql  # (so the check above is not vacuous)
    assert not on_postgresql & {"sqlalchemy", "sqlmodel", "alembic", "textual", "jinja2"}


@pytest.mark.parametrize("migrated", [True, False])
def test_the_store_reads_its_revision_on_its_read_connection_set_up_for_utc_and_iso_dates(migrated, request):
    """open_reader: one connection for the revision and the reads, in UTC and ISO dates whatever the server's or
    the URL's defaults (here New York and SQL-style dates); an empty database (no alembic_version) too."""
    from urllib.parse import quote

    from crm.store.db import HEAD_REVISION
    from crm.store.postgres import open_reader

    url = request.getfixturevalue("pg_url" if migrated else "pg_empty_url")
    url += "&options=" + quote("-c TimeZone=America/New_York -c DateStyle=SQL,DMY")
    reader, revision = open_reader(url)
    try:
        assert revision == (HEAD_REVISION if migrated else None)
        assert reader.execute("SHOW TimeZone").fetchone()[0] == "UTC"
        assert reader.execute("SHOW DateStyle").fetchone()[0] == "ISO, YMD"
        assert reader.execute("SELECT DATE '2026-11-25'").fetchone()[0] == "2026-11-25"
    finally:
        reader.close()
