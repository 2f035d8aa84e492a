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
