"""TUI fixtures: migrated temp databases (empty, or with the demo network) and an app built on them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crm.demo import load_demo
from crm.store.db import open_engine, write_session
from crm.tui.app import CrmApp
from tests.conftest import TODAY


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo network, built once per session; each test gets its own copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = open_engine(path)
    try:
        with write_session(engine) as session:
            load_demo(session=session, today=TODAY)
    finally:
        engine.dispose()
    return path


@pytest.fixture
def demo_db(tmp_path, demo_template) -> Path:
    path = tmp_path / "demo.db"
    source, target = sqlite3.connect(demo_template), sqlite3.connect(path)
    try:
        source.backup(target)  # the backup API copies WAL content too
    finally:
        target.close()
        source.close()
    return path


@pytest.fixture
def empty_db(tmp_path) -> Path:
    path = tmp_path / "empty.db"
    open_engine(path).dispose()
    return path


@pytest.fixture
def make_app():
    """Factory: make_app(db_path) -> the app with today fixed and the cursor not blinking."""

    def _make(db_path: Path) -> CrmApp:
        app = CrmApp(db_path=db_path, today=TODAY)
        app.cursor_blink = False
        return app

    return _make


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])
