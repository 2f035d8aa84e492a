"""Two processes (say the TUI and the CLI) writing at once lose nothing."""

import json
import os
import subprocess
import sys

import pytest

WRITER = """
import sys
from crm.cli import main
who, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    try:
        main(["log", who, "--kind", "note", "--notes", f"{who} note {n}"])
    except SystemExit as e:
        if e.code != 0:
            raise
"""


@pytest.mark.slow
def test_parallel_writers_keep_every_interaction(cli, db_path):
    cli("contact", "add", "Maya Chen")
    cli("contact", "add", "Ivan Petrov")
    env = {**os.environ, "CRM_DB": str(db_path)}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, who, "25"], env=env, stderr=subprocess.PIPE, text=True)
        for who in ("maya", "ivan", "maya", "ivan")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    for who in ("maya", "ivan"):
        shown = json.loads(cli("contact", "show", who, "--json").out)
        assert len(shown["interactions"]) == 50
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.slow
def test_a_long_lived_engine_and_cli_writers_coexist(cli, db_path, engine):
    """Like the TUI holding the database open while the CLI logs from another terminal."""
    from sqlalchemy import text

    cli("contact", "add", "Maya Chen")
    env = {**os.environ, "CRM_DB": str(db_path)}
    writer = subprocess.Popen([sys.executable, "-c", WRITER, "maya", "30"], env=env, stderr=subprocess.PIPE, text=True)
    seen: list[int] = []
    rounds = 0
    while writer.poll() is None:
        rounds += 1
        with engine.begin() as conn:  # the long-lived process keeps reading and writing too
            conn.execute(text("UPDATE contact SET notes = :n WHERE id = 1"), {"n": f"touched {rounds}"})
            seen.append(conn.execute(text("SELECT count(*) FROM interaction")).scalar())
    assert writer.returncode == 0, writer.stderr.read()
    assert rounds > 0 and seen == sorted(seen), seen  # each read saw the other process's commits, never fewer
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar() == 30
        assert conn.execute(text("SELECT notes FROM contact WHERE id = 1")).scalar() == f"touched {rounds}"
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
