"""The TUI's layering, proven: no SQL in it, no screen reaching up into the app, a lean first paint."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

TUI = Path(__file__).resolve().parents[2] / "crm" / "tui"

# SQL as it is written in a string, whatever its case; English prose does not take these shapes.
SQL = re.compile(
    r"\bselect\b[^;]*?\bfrom\s+\w+|\binsert\s+into\b|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b"
    r"|\bfrom\s+\w+(\s+as\s+\w+)?\s+where\b|\bpragma\s+\w+",
    re.IGNORECASE,
)


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in the module (docstrings and f-string pieces included), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_the_sql_pattern_catches_sql_and_not_prose():
    for sql in (
        "SELECT 1 FROM contact LIMIT 1",
        "select name from contact where id = ?",
        "INSERT INTO hook (text) VALUES (?)",
        "UPDATE contact SET name = ?",
        "DELETE FROM draft",
        "SELECT id, name, company FROM contact WHERE archived = 0",
    ):
        assert SQL.search(sql), sql
    for prose in ("Select a contact first.", "From the filter to the table; again to clear it", "Update the draft"):
        assert not SQL.search(prose), prose


@pytest.mark.parametrize("path", sorted(TUI.rglob("*.py")), ids=lambda p: str(p.relative_to(TUI)))
def test_no_sql_in_the_tui(path):
    """Every query lives in a named read function of the domain (crm.contacts.reads, crm.followups.reads, ...)."""
    found = [(line, text) for line, text in string_literals(path) if SQL.search(text)]
    assert not found, f"SQL in {path.relative_to(TUI.parent.parent)}: {found}"


@pytest.mark.parametrize(
    "path",
    sorted([*TUI.glob("screens/*.py"), *TUI.glob("widgets/*.py"), TUI / "commands.py"]),
    ids=lambda p: str(p.relative_to(TUI)),
)
def test_screens_and_widgets_do_not_reach_up_into_the_app(path):
    """They are handed what they need (the context, callbacks) and post messages; the app is never re-declared."""
    source = path.read_text(encoding="utf-8")
    assert "crm.tui.app" not in source and "CrmApp" not in source
    assert "self.crm" not in source and "cursor_blink" not in source


FIRST_PAINT = """
import json, sys, datetime as dt
from pathlib import Path
from crm.store.store import Store
from crm.tui.app import create_app

app = create_app(store=Store(Path(sys.argv[1])), today=dt.date(2026, 11, 25))

async def painted(pilot):
    await pilot.pause()
    print(json.dumps(sorted(sys.modules)))
    pilot.app.exit()

app.run(headless=True, size=(100, 30), auto_pilot=painted)
"""

# What This week's first paint must not wait for: the ORM, templates, checks, the other screens and forms, insights.
NOT_AT_FIRST_PAINT = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "jinja2",
    "crm.models",
    "crm.outreach",
    "crm.search",
    "crm.demo",
    "crm.tui.actions",
    "crm.tui.commands",
    "crm.tui.screens.contacts",
    "crm.tui.screens.contact",
    "crm.tui.screens.draft",
    "crm.tui.screens.form_modal",
    "crm.tui.screens.help",
    "crm.tui.screens.welcome",
    "crm.tui.screens.linkedin_import",
    "crm.tui.screens.merge",
    "crm.tui.screens.insights",
    "crm.tui.screens.companies",
    "crm.tui.screens.prep",
    "crm.insights",
    "crm.tui.widgets.path_input",
    "crm.formats",
    "crm.contacts.merge",
    "crm.contacts.duplicates",
    "rapidfuzz",
    "textual.widgets._data_table",
    "textual.widgets._text_area",
    "textual.widgets._sparkline",
)


def test_the_first_paint_loads_only_what_this_week_needs(demo_db):
    out = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(demo_db)], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    early = sorted(m for m in loaded if any(m == name or m.startswith(name + ".") for name in NOT_AT_FIRST_PAINT))
    assert not early, f"loaded before the first paint: {early}"
