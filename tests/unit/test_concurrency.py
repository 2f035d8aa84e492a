"""Two processes (say the TUI and the CLI) writing at once lose nothing."""

import json
import os
import subprocess
import sys
import time

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
        # A person at the app writes now and then, not back to back: without a pause, on a loaded machine the
        # other process's busy handler can miss every gap between these commits for 5 s (a starved writer).
        time.sleep(0.005)
    assert writer.returncode == 0, writer.stderr.read()
    assert rounds > 0 and seen == sorted(seen), seen  # each read saw the other process's commits, never fewer
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM interaction")).scalar() == 30
        assert conn.execute(text("SELECT notes FROM contact WHERE id = 1")).scalar() == f"touched {rounds}"
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"


# Each process imports crm first, then waits for the "go" file, so all of them open the database at once.
AT_ONCE = """
import os, sys, time
import crm.cli, crm.store.db, crm.store.store, sqlalchemy, alembic.command  # noqa: E401 (the slow part, before the start)
go, ready = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
crm.cli.main(sys.argv[3:])
"""


def _at_once(tmp_path, db_path, commands: list[list[str]]) -> list[subprocess.CompletedProcess]:
    """Run `crm COMMAND` for each command in its own process, all released at the same moment."""
    go = tmp_path / "go"
    env = {**os.environ, "CRM_DB": str(db_path)}
    ready = [tmp_path / f"ready-{n}" for n in range(len(commands))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", AT_ONCE, str(go), str(flag), *args],
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for flag, args in zip(ready, commands, strict=True)
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = []
    for proc, args in zip(procs, commands, strict=True):
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
    for path in (go, *ready):
        path.unlink()
    return results


@pytest.mark.slow
def test_eight_writers_on_a_missing_file_all_succeed(tmp_path, db_path):
    """Creating the database queues like any write: nobody gets "database is locked" and loses their contact."""
    assert not db_path.exists()
    results = _at_once(tmp_path, db_path, [["contact", "add", f"Person {n}"] for n in range(8)])
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        names = sorted(row[0] for row in conn.execute("SELECT name FROM contact"))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert names == sorted(f"Person {n}" for n in range(8))
    assert not list(tmp_path.glob("crm.db.bak-*"))  # a new database has nothing to back up


@pytest.mark.slow
@pytest.mark.parametrize("revision", ["0003", "0004"])
def test_four_writers_on_an_older_schema_all_succeed_and_one_backs_up(cli, tmp_path, db_path, revision):
    """Upgrading takes the write lock first and checks the revision again under it: one process backs up and
    migrates; the others wait their turn, find the database current, and log."""
    import sqlite3

    from crm.store.db import HEAD_REVISION, migrate, schema_revision

    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("log", "maya", "--kind", "message", "--date", "2026-11-16").code == 0
    migrate(db_path, revision, downgrade=True)
    assert schema_revision(db_path) == revision
    results = _at_once(tmp_path, db_path, [["log", "maya", "--kind", "note", "--notes", f"note {n}"] for n in range(4)])
    assert [r.returncode for r in results] == [0] * 4, [r.stderr for r in results]
    assert schema_revision(db_path) == HEAD_REVISION
    with sqlite3.connect(db_path) as conn:
        notes = sorted(row[0] for row in conn.execute("SELECT notes FROM interaction WHERE kind = 'note'"))
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert notes == [f"note {n}" for n in range(4)]
    backups = list(tmp_path.glob(f"crm.db.bak-{revision}-*"))
    assert len(backups) == 1, backups
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (revision,)
