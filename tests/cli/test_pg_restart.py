"""A PostgreSQL server restarted mid-session (issue 15, point 5): one line, nothing half written, and the next
command works, whether it hits a `crm import` in flight or the one store the app keeps open for hours.

The restart is a real one of the session's cluster (`pg_ctl restart -m fast`: every connection ended, every open
transaction rolled back), and returns once the server accepts connections again, so the tests after these find it
as they expect (the suite runs one test at a time). tests/unit/test_postgres.py ends one connection instead.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import psycopg
import pytest

import crm.models
from crm.errors import CrmError
from crm.store.store import Store

PEOPLE = 300


def _crm(*args: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crm", *args], capture_output=True, text=True, env={**os.environ, "CRM_DB": url},
        timeout=120,
    )  # fmt: skip


def _names(url: str) -> list[str]:
    result = _crm("contact", "list", "--json", url=url)
    assert result.returncode == 0, result.stderr
    return sorted(row["name"] for row in json.loads(result.stdout))


def _wait_for(conn: psycopg.Connection, sql: str, what: str, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not conn.execute(sql).fetchone()[0]:
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


def test_a_restart_during_an_import_is_one_line_and_leaves_nothing_of_it(pg_cluster, pg_url, tmp_path):
    """The import has added its contacts and waits to tag them when the server restarts: exit 2, one line, not one
    of its rows kept; then the same import runs whole."""
    assert _crm("contact", "add", "Maya Chen", url=pg_url).returncode == 0
    export = tmp_path / "Connections.csv"
    rows = [f"Person{n},Restart{n},Acme,Engineer,{n % 28 + 1:02d} Oct 2025" for n in range(PEOPLE)]
    export.write_text("First Name,Last Name,Company,Position,Connected On\n" + "\n".join(rows) + "\n")

    # The import reads, adds every contact, then stalls in the server on its first tag (a trigger that sleeps, so
    # no lock wait of crm's runs out meanwhile): in flight, half its work done, when the server restarts.
    admin = psycopg.connect(pg_url, autocommit=True)
    admin.execute(
        "CREATE FUNCTION stall() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(300); RETURN NULL; END $$;"
        " CREATE TRIGGER stall BEFORE INSERT ON contact_tag FOR EACH STATEMENT EXECUTE FUNCTION stall()"
    )
    importing = subprocess.Popen(
        [sys.executable, "-m", "crm", "import", "linkedin", str(export), "--tag", "club"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "CRM_DB": pg_url},
    )  # fmt: skip
    try:
        _wait_for(
            admin,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()",
            "the import to reach its tags",
        )
        stalled = admin.execute("SELECT query FROM pg_stat_activity WHERE wait_event = 'PgSleep'").fetchone()[0]
        assert "INSERT INTO contact_tag" in stalled  # after every contact's INSERT, in the same transaction
        pg_cluster.restart()
        _out, err = importing.communicate(timeout=120)
    finally:
        importing.kill()
        admin.close()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("DROP TRIGGER stall ON contact_tag")
    assert importing.returncode == 2, err
    assert err.count("\n") == 1 and err.startswith("crm: cannot reach ") and "nothing was written" in err, err
    assert "Traceback" not in err
    assert _names(pg_url) == ["Maya Chen"]

    again = _crm("import", "linkedin", str(export), "--tag", "club", url=pg_url)
    assert again.returncode == 0, again.stderr
    assert len(_names(pg_url)) == PEOPLE + 1
    tagged = _crm("contact", "list", "--tag", "club", "--json", url=pg_url)
    assert tagged.returncode == 0 and len(json.loads(tagged.stdout)) == PEOPLE


def _stored(store: Store) -> list[str]:
    return [row[0] for row in store.reader.execute("SELECT name FROM contact ORDER BY id").fetchall()]


def _add(store: Store, name: str) -> None:
    with store.write() as session:
        session.add(crm.models.Contact(name=name))


def test_the_long_lived_store_of_the_app_outlives_a_restart(pg_cluster, pg_url):
    """One Store across restarts, as the app keeps it: reads and writes after a restart just work; a write the
    restart cuts off is one line, and none of it is kept."""
    store = Store.from_option(pg_url).open()
    try:
        _add(store, "Maya Chen")
        assert _stored(store) == ["Maya Chen"]

        pg_cluster.restart()  # between two commands
        assert _stored(store) == ["Maya Chen"]  # the read connection is made again
        _add(store, "Ivan Petrov")  # and the pool's connection, dropped by the restart, is replaced
        assert _stored(store) == ["Maya Chen", "Ivan Petrov"]

        with pytest.raises(CrmError) as caught, store.write() as session:  # during one
            session.add(crm.models.Contact(name="Half Written"))
            session.flush()
            pg_cluster.restart()
            session.add(crm.models.Contact(name="After the restart"))
            session.flush()
        message = str(caught.value)
        assert "\n" not in message and message.startswith("cannot reach ") and "nothing was written" in message
        assert _stored(store) == ["Maya Chen", "Ivan Petrov"]

        _add(store, "Jia Song")  # the next command works
        with store.orm() as session:  # and so do the app's reads in a worker thread (an ORM session)
            assert session.get(crm.models.Contact, 1).name == "Maya Chen"
        assert _stored(store) == ["Maya Chen", "Ivan Petrov", "Jia Song"]
    finally:
        store.close()
    assert _names(pg_url) == ["Ivan Petrov", "Jia Song", "Maya Chen"]


def test_a_read_while_the_server_is_down_is_said_as_such_and_works_once_it_is_back(pg_cluster, pg_url):
    """The read connection is made again only for reads, and only when the server answers: while it is down the
    read fails (said in one line by the CLI and the app), and the same store reads again once it is up."""
    from crm.store.db import said_as_database_problem

    store = Store.from_option(pg_url).open()
    try:
        _add(store, "Maya Chen")
        said = said_as_database_problem(pg_url)  # as the CLI and the app say a database's errors
        with pg_cluster.down(), pytest.raises(CrmError, match=r"^cannot reach .*nothing was written$") as caught, said:
            _stored(store)
        assert "\n" not in str(caught.value)
        assert _stored(store) == ["Maya Chen"]
    finally:
        store.close()
