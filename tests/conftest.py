"""Shared fixtures: every test gets its own database, clock and config dirs under tmp_path."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from dataclasses import dataclass

import pytest
from hypothesis import settings

from crm.contacts.writes import ContactChanges, create_contact
from crm.store.db import open_engine, read_session, write_session

TODAY = dt.date(2026, 11, 25)  # a Wednesday

# In CI every property test draws the same examples on every run (and no example fails on the clock alone when the
# machine is loaded): a red CI then means a real regression, never a new random draw. Locally they stay random.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path, monkeypatch):
    """Keep the developer's own database, config and clock out of every test."""
    for var in ("CRM_DB", "CRM_TEMPLATES", "CRM_TODAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRM_DB", str(tmp_path / "crm.db"))
    monkeypatch.setenv("CRM_TODAY", TODAY.isoformat())
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "crm.db"


@pytest.fixture
def engine(db_path):
    """A migrated, empty database."""
    engine = open_engine(db_path)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with write_session(engine) as session:
        yield session


@pytest.fixture
def reader(engine):
    def _open():
        return read_session(engine)

    return _open


@pytest.fixture
def add_contact():
    """Factory: add_contact(session, "Maya Chen", company="Spotify", ...)."""

    def _add(session, name, **fields):
        tags = fields.pop("tags", [])
        return create_contact(session=session, changes=ContactChanges(name=name, add_tags=tags, **fields), today=TODAY)

    return _add


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run `crm ARGS...` in-process; returns exit code, stdout and stderr."""
    from crm.cli import main

    def _run(*args: str, stdin: str | None = None) -> CliResult:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return _run


def dump(db_path) -> str:
    """The whole database as SQL text: equal dumps mean nothing was written."""
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return "\n".join(conn.iterdump())


@pytest.fixture
def demo_net(cli):
    """A small network through the CLI: Maya (messaged), Ivan (chatted), Jia (never contacted)."""
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization",
               "--email", "maya@example.com", "--tag", "mit").code == 0  # fmt: skip
    assert cli("contact", "add", "Ivan Petrov", "--company", "Spotify", "--team", "Discovery",
               "--linkedin", "https://www.linkedin.com/in/ivan-petrov/").code == 0  # fmt: skip
    assert cli("contact", "add", "Jia Song", "--company", "Netflix").code == 0
    assert cli("hook", "add", "maya", "post on reducing playlist-loading latency", "--date", "2026-10-02").code == 0
    assert cli("log", "maya", "--kind", "message", "--date", "2026-11-16").code == 0
    assert cli("log", "ivan", "--kind", "chat", "--date", "2026-11-20", "--notes", "15 min chat").code == 0


# -- PostgreSQL (issue 15): a throwaway cluster for the session, a fresh database per test ---------------------------
#
# Tests that run on both engines take the `db_url` fixture (directly, or `pytest.mark.usefixtures("db_url")` on a
# module): its "postgresql" case points CRM_DB at a new database of the session's cluster (tests/postgres.py). A test
# of such a module that only makes sense on SQLite (it reads the file, say) is marked `sqlite_only` and runs once.
# Without PostgreSQL's binaries those cases fail (with how to install them): they are never skipped in silence.
# CRM_TEST_ENGINE=postgresql runs every test's `cli` on PostgreSQL: a way to see what does not work there yet.


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: a test of a both-engines module that runs on SQLite alone")


@pytest.hookimpl(tryfirst=True)  # first: pytest lets a parametrize mark, not a call, override the fixture's params
def pytest_generate_tests(metafunc):
    if not metafunc.definition.get_closest_marker("sqlite_only"):
        return
    for name in ("db_url", "make_app"):  # make_app: the app's tests (tests/tui/conftest.py)
        if name in metafunc.fixturenames:
            metafunc.definition.add_marker(pytest.mark.parametrize(name, ["sqlite"], indirect=True))


@pytest.fixture(scope="session")
def pg_cluster():
    """The session's PostgreSQL cluster, with a migrated template database; stopped at the end."""
    from tests.postgres import Cluster, PostgresMissing

    try:
        cluster = Cluster()
    except PostgresMissing as missing:
        message = str(missing)
    else:
        message = None
    if message is not None:
        pytest.fail(message, pytrace=False)
    try:
        cluster.start()
        cluster.make_template()
    except BaseException:
        cluster.stop()
        raise
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh, migrated PostgreSQL database (a copy of the template), dropped after the test."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_empty_url(pg_cluster):
    """A fresh PostgreSQL database with nothing in it (not migrated)."""
    name = pg_cluster.create_database(template=None)
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def club(pg_cluster):
    """A club database (crm club init) whose members jordan and sam (and m01..m20) connect as their own roles:
    `club.url("jordan")`, `club.admin_url` (tests/club.py)."""
    from tests.club import club_database

    yield from club_database(pg_cluster)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, monkeypatch, tmp_path):
    """The database of a test that runs on both engines (CRM_DB points at it): a SQLite file, or a PostgreSQL URL.

    On PostgreSQL, tmp_path/crm.db is made a folder, so a SQLite-only check of the file (`dump(db_path)`) fails
    loudly instead of passing on an empty file."""
    if request.param == "sqlite":
        return str(tmp_path / "crm.db")
    url = request.getfixturevalue("pg_url")
    (tmp_path / "crm.db").mkdir(exist_ok=True)
    monkeypatch.setenv("CRM_DB", url)
    return url


@pytest.fixture(autouse=True)
def _engine_from_environment(request, isolated_env, monkeypatch):
    """CRM_TEST_ENGINE=postgresql: every test's CRM_DB is a PostgreSQL database (to see what fails there)."""
    if os.environ.get("CRM_TEST_ENGINE") != "postgresql" or "db_url" in request.fixturenames:
        return
    monkeypatch.setenv("CRM_DB", request.getfixturevalue("pg_url"))
    tmp_path = request.getfixturevalue("tmp_path")
    (tmp_path / "crm.db").mkdir(exist_ok=True)  # as in `db_url`: a SQLite-only check fails, never passes empty


def dump_url(url: str) -> str:
    """A PostgreSQL database's rows as text, every table in a stable order: equal dumps mean nothing was written."""
    import psycopg

    lines = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' ORDER BY table_name")]  # fmt: skip
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                lines.append(f"{table}: {row!r}")
    # Not the sequences behind the ids: PostgreSQL advances them for inserts rolled back too (never reused ids).
    return "\n".join(lines)


def dump_db(db: str) -> str:
    """`dump` for either engine: a SQLite file's path or a PostgreSQL URL (what `db_url` gives)."""
    from crm.store.urls import is_database_url

    return dump_url(db) if is_database_url(db) else dump(db)


_dump_sqlite = dump


def dump(db_path) -> str:  # noqa: F811  (the SQLite dump above, made to see PostgreSQL too)
    """The whole database as text: equal dumps mean nothing was written. On the PostgreSQL case of `db_url` (where
    tmp_path/crm.db is a folder standing in for the database), the PostgreSQL database CRM_DB names."""
    from pathlib import Path

    from crm.store.urls import is_database_url

    url = os.environ.get("CRM_DB", "")
    if is_database_url(url) and Path(db_path).is_dir():
        return dump_url(url)
    return _dump_sqlite(db_path)


def query_db(db_path, sql: str, params=()) -> list[tuple]:
    """The rows of one query (`?` parameters) on the test's database, either engine: as `dump`, the PostgreSQL case
    of `db_url` reads the database CRM_DB names (through crm's own reader, so rows look as sqlite3's do)."""
    import sqlite3
    from pathlib import Path

    from crm.store.urls import is_database_url

    url = os.environ.get("CRM_DB", "")
    if is_database_url(url) and Path(db_path).is_dir():
        from crm.store.postgres import reader

        conn = reader(url)
        try:
            return [tuple(row) for row in conn.execute(sql, params).fetchall()]
        finally:
            conn.close()
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()
