"""Hostile database URLs: malformed, another tool's, a password in every form libpq takes; a lost connection and a
sequence run out. Each is one line on stderr, exit 2, the password nowhere, nothing created or written."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crm.store.urls import is_database_url, libpq_url, masked, scrubbed, secrets, url_problem

SECRET = "Hunter2"  # in every password below, so one check finds any of them in clear


def _hostile(host: str) -> list[str]:
    """URLs crm must refuse or fail on in one line; `{host}` is the test cluster's socket folder."""
    return [
        # libpq cannot parse them (psycopg raised ProgrammingError: a traceback quoting the password)
        "postgresql://postgres:Hunter2pw@[::1/crm",
        f"postgresql://postgres:Hunter2%ZZpw@/x?host={host}",
        f"postgresql://postgres:Hunter2 pw@/x?host={host}",
        f"postgresql://postgres:Hunter2pw@/x?host={host}&bogus=1",
        f"postgresql://postgres:Hunter2pw@/x?host={host}&connect_timeout=abc",
        f"postgresql://postgres:Hunter2pw@/x?host={host}&options=-c%20a=b",
        f"postgresql://postgres@/x?host={host}&PASSWORD=Hunter2pw",
        f"postgresql://postgres@/x?host={host}&password=Hunter2&pw",  # a raw `&` libpq splits the password at
        # parsed, but the server or the options refuse them
        f"POSTGRESQL://postgres:Hunter2pw@/no_such_db?host={host}",
        f"postgresql://postgres:Hunter2#pw@/no_such_db?host={host}",
        f"postgresql://postgres:Hunter2?pw@/no_such_db?host={host}",
        f"postgresql://postgres:Hunter2%41pw@/no_such_db?host={host}",
        f"postgresql://postgres@/no_such_db?host={host}&password=Hunter2pw",
        f"postgresql://postgres@/no_such_db?host={host}&pass%77ord=Hunter2pw",
        f"postgresql+psycopg2://postgres:Hunter2pw@/no_such_db?host={host}",
        f"postgresql://postgres:Hunter2pw@/x?host={host}&port=abc",
        f"postgresql://postgres:Hunter2pw@/x?host={host}&sslpassword=Hunter2pw&sslmode=bogus",
        # a raw `@` or `/` in the password: libpq would send the rest of it to the server as a host or a database
        f"postgresql://postgres:Hunter2@pw@/x?host={host}",
        "postgresql://postgres:Hunter2/pw@db.example/x",
        # not crm's schemes: never a file path, never echoed whole
        f"pg://postgres:Hunter2pw@/x?host={host}",
        "mysql://root:Hunter2pw@localhost/crm",
        "sqlite:///crm.db",
    ]


def _clean(result, where: str) -> None:
    assert result.code == 2, (where, result)
    assert result.out == "" and result.err.count("\n") == 1 and result.err.startswith("crm: "), (where, result)
    shown = (result.out + result.err).lower()
    assert SECRET.lower() not in shown and "hunter2apw" not in shown, (where, result)
    assert "Traceback" not in result.err and "psycopg." not in result.err, (where, result)


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_every_hostile_url_is_one_line_exit_2_and_shows_no_password(pg_cluster, cli, tmp_path, monkeypatch):
    """Through --db, $CRM_DB and `crm db copy SRC URL`: one line, no password, nothing created anywhere."""
    monkeypatch.chdir(tmp_path)  # a URL taken for a path would create its folders or file here
    source = tmp_path / "source.db"
    assert cli("--db", str(source), "contact", "add", "Maya Chen").code == 0
    monkeypatch.setenv("CRM_DB", str(source))
    before, listed = _files(tmp_path), cli("contact", "list", "--json").out
    for url in _hostile(str(pg_cluster.root)):
        _clean(cli("--db", url, "contact", "add", "Sam"), f"--db {url}")
        _clean(cli("--db", url, "db", "current"), f"db current {url}")
        monkeypatch.setenv("CRM_DB", url)
        _clean(cli("due"), f"$CRM_DB {url}")
        monkeypatch.setenv("CRM_DB", str(source))
        _clean(cli("db", "copy", str(source), url), f"db copy {url}")
        assert _files(tmp_path) == before, url
    assert cli("contact", "list", "--json").out == listed


def test_a_url_of_another_scheme_is_refused_saying_what_crm_takes(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("--db", "pg://maya:Hunter2pw@db.example/crm", "due")
    assert result.err == (
        "crm: pg://maya:***@db.example/crm is not a database crm can open: give a postgresql:// URL (postgres://, "
        "postgresql+psycopg:// and postgresql+psycopg2:// name the same), or a SQLite file's path\n"
    )
    result = cli("--db", "sqlite:///crm.db", "due")
    assert result.code == 2 and "by its file's path (--db ~/crm.db), not by a sqlite:// URL" in result.err
    result = cli("--db", "postgresql://maya:Hunter2@pw@db.example/crm", "due")
    assert result.code == 2 and "write them percent-encoded (%40 for '@', %2F for '/')" in result.err
    assert not (tmp_path / "pg:").exists() and not (tmp_path / "sqlite:").exists()
    monkeypatch.setenv("CRM_DB", "postgresql://maya:Hunter2\udcff@db.example/crm")  # bytes that are not UTF-8
    result = cli("due")
    assert (
        result.err == "crm: the database URL postgresql://maya:***@db.example/crm is not valid UTF-8 text: retype it\n"
    )


@pytest.mark.parametrize(
    "spelling",
    [
        "POSTGRESQL://postgres:Hunter2#pw@/{db}?host={host}",
        "postgres://postgres:Hunter2?pw@/{db}?host={host}",
        "postgresql+psycopg://postgres:Hunter2%20pw@/{db}?host={host}",
        "postgresql+psycopg2://postgres@/{db}?host={host}&password=Hunter2%26pw",
        "postgresql://postgres@/{db}?host={host},{host}&sslpassword=Hunter2pw",  # libpq's host lists
        "postgresql://postgres@:5432,:5432/{db}?host={host},{host}&password=Hunter2pw",
    ],
)
def test_every_spelling_crm_takes_works_for_reads_writes_and_copies_and_masks_the_password(
    spelling, pg_cluster, pg_url, cli, tmp_path
):
    """(The test cluster trusts its socket: any password is let in.) A write goes through the ORM's engine, which
    reads the URL as libpq does too (SQLAlchemy's parser would read `#` or a host list otherwise)."""
    url = spelling.format(db=pg_url.split("/")[3].split("?")[0], host=pg_cluster.root)
    for args in (["contact", "add", "Maya Chen"], ["db", "current"], ["db", "upgrade"], ["contact", "list", "--json"]):
        result = cli("--db", url, *args)
        assert result.code == 0, (args, result)
        assert SECRET.lower() not in (result.out + result.err).lower(), args
    assert [row["name"] for row in json.loads(result.out)] == ["Maya Chen"]
    assert masked(url) in cli("--db", url, "db", "current").out
    copied = tmp_path / "copy.db"
    result = cli("db", "copy", url, str(copied))
    assert result.code == 0 and SECRET.lower() not in result.out.lower()
    assert [row["name"] for row in json.loads(cli("--db", str(copied), "contact", "list", "--json").out)] == [
        "Maya Chen"
    ]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://maya:Hunter2@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2#pw@/crm?host=/run/pg", "postgresql://maya:***@/crm?host=/run/pg"),
        ("postgresql://maya:Hunter2?pw@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2:pw@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2%40pw@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2%ZZpw@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2 pw@db/crm", "postgresql://maya:***@db/crm"),
        ("postgresql://maya:Hunter2@pw@db/crm", "postgresql://maya:***@db/crm"),  # raw `@`: masked whole
        ("postgresql://maya:Hunter2/pw@db/crm", "postgresql://maya:***@db/crm"),  # raw `/`: masked whole
        ("postgresql://maya:Hunter2@[::1]:5432/crm", "postgresql://maya:***@[::1]:5432/crm"),
        ("postgresql://maya:Hunter2@[::1/crm", "postgresql://maya:***@[::1/crm"),
        ("POSTGRESQL://maya:Hunter2@db/crm", "POSTGRESQL://maya:***@db/crm"),
        ("postgresql+psycopg2://maya:Hunter2@db/crm", "postgresql+psycopg2://maya:***@db/crm"),
        ("pg://maya:Hunter2@db/crm", "pg://maya:***@db/crm"),
        ("postgresql://:Hunter2@db/crm", "postgresql://:***@db/crm"),
        ("postgresql://db/crm?password=Hunter2", "postgresql://db/crm?password=***"),
        ("postgresql://db/crm?sslmode=require&password=Hunter2#x&user=m", "postgresql://db/crm?sslmode=require&password=***&user=m"),
        ("postgresql://db/crm?PassWord=Hunter2", "postgresql://db/crm?PassWord=***"),
        ("postgresql://db/crm?pass%77ord=Hunter2&user=m", "postgresql://db/crm?pass%77ord=***&user=m"),
        ("postgresql://db/crm?sslpassword=Hunter2", "postgresql://db/crm?sslpassword=***"),
        ("postgresql://db/crm?password=Hunter2&pw&user=m", "postgresql://db/crm?password=***&user=m"),
        ("postgresql://m:Hunter2@db/crm?password=Hunter2x", "postgresql://m:***@db/crm?password=***"),
        # no password: nothing masked, an `@` elsewhere is no user information
        ("postgresql://maya@/crm?host=/run/pg", "postgresql://maya@/crm?host=/run/pg"),
        ("postgresql://db:5432/crm?user=maya@corp", "postgresql://db:5432/crm?user=maya@corp"),
        ("postgresql://h1:5432,[::1]:5433/crm?user=maya@corp", "postgresql://h1:5432,[::1]:5433/crm?user=maya@corp"),
        ("postgresql://maya:Hunter2@db?user=x@y", "postgresql://maya:***@db?user=x@y"),
    ],
)  # fmt: skip
def test_masked_hides_every_password_form_libpq_accepts(url, shown):
    assert masked(url) == shown
    assert SECRET not in masked(url)


def test_secrets_and_scrubbed_cover_the_decoded_password_and_the_url_as_libpq_got_it():
    url = "POSTGRESQL://maya:Hunter2%41pw@db/crm?password=Hunter2%26x"
    assert secrets(url) == {"Hunter2%41pw", "Hunter2Apw", "Hunter2%26x", "Hunter2&x"}
    message = f'failed: "{libpq_url(url)}" rejected Hunter2Apw and Hunter2&x'
    assert scrubbed(message, url) == f'failed: "{masked(url)}" rejected *** and ***'


def test_what_is_a_url_and_what_crm_refuses():
    for text in ("pg://x", "postgresql+psycopg2://h/db", "sqlite:///x.db", "HTTPS://h", "postgresql://h/db"):
        assert is_database_url(text), text
    for text in ("crm.db", "./pg://x", "C://x", "postgresql:x", "", None):
        assert not is_database_url(text), text
    for text in ("postgresql://h/db", "postgres://h/db", "PostgreSQL+Psycopg://h/db", "postgresql+psycopg2://h/db"):
        assert url_problem(text) is None, text
    for text in ("pg://h/db", "sqlite:///x.db", "postgresql://m:a@b@h/db", "postgresql://m:a/b@h/db"):
        assert url_problem(text) is not None, text
    assert libpq_url("POSTGRES+psycopg2://h/db") == "postgresql://h/db"


_CUT_OFF = textwrap.dedent(
    """
    import logging, sys, threading, time

    import psycopg

    from crm.errors import CrmError
    from crm.store.db import raw_connection
    from crm.store.store import Store

    logged = []
    # A filter, not a handler: it counts psycopg's records without giving Python's last resort a handler to spare.
    logging.getLogger("psycopg").addFilter(lambda record: logged.append(record.getMessage()) or True)
    url = sys.argv[1]
    try:
        with Store.from_option(url).write() as session:
            reader = raw_connection(session)
            pid = reader.execute("SELECT pg_backend_pid()").fetchone()[0]

            def cut_off():  # the server ends crm's connection while it waits on row 100, mid-pipeline
                with psycopg.connect(url, autocommit=True) as admin:
                    for _ in range(500):
                        waiting = admin.execute(
                            "SELECT 1 FROM pg_stat_activity WHERE pid = %s AND wait_event = 'PgSleep'", (pid,)
                        ).fetchone()
                        if waiting:
                            break
                        time.sleep(0.01)
                    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

            threading.Thread(target=cut_off).start()
            rows = [(30.0 if i == 100 else 0.0, "x" * 1000) for i in range(5000)]  # more than the socket holds
            reader.executemany("SELECT pg_sleep(CAST(? AS float)), ?", rows)
    except CrmError as error:
        print(f"crm: {error}", file=sys.stderr)
        print(len(logged))
        sys.exit(2)
    """
)


def test_a_connection_lost_mid_pipeline_is_crms_one_line_without_psycopgs_own(pg_url, tmp_path):
    """psycopg logs "error ignored terminating <psycopg.Pipeline [BAD]>: the connection is lost" as it gives the
    pipeline up; with no logging set up, Python printed it on stderr above crm's line. Run as crm runs: no pytest
    handlers on the root logger."""
    script = tmp_path / "cut_off.py"
    script.write_text(_CUT_OFF)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, str(script), pg_url], capture_output=True, text=True, env=env, timeout=120, cwd=root
    )
    assert result.returncode == 2, result
    assert int(result.stdout.strip()) >= 1  # psycopg did log its line: the case was met
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("crm: cannot reach "), result.stderr


def test_psycopg_and_sqlalchemy_log_records_never_reach_the_terminal():
    code = (
        "import logging\nimport crm.store.postgres\n"
        "logging.getLogger('psycopg').warning('error ignored terminating <psycopg.Pipeline [BAD]>: lost')\n"
        "logging.getLogger('sqlalchemy.pool.impl.QueuePool').error('Exception during reset or similar')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr


@pytest.mark.parametrize(
    ("sequence", "args", "table"),
    [
        ("contact_id_seq", ["contact", "add", "Sam Lee"], "contact"),
        ("interaction_id_seq", ["log", "maya", "--kind", "chat", "--notes", "coffee"], "interaction"),
        ("hook_id_seq", ["hook", "add", "maya", "Wrote about playlists"], "hook"),
    ],
)
def test_a_sequence_at_its_maximum_is_one_line_naming_the_table_and_writes_nothing(
    sequence, args, table, pg_url, cli, monkeypatch
):
    import psycopg

    from tests.conftest import dump_url

    monkeypatch.setenv("CRM_DB", pg_url)
    assert cli("contact", "add", "Maya Chen").code == 0
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT setval(%s, 2147483647)", (sequence,))
    before = dump_url(pg_url)
    result = cli(*args)
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1, result
    assert f"the table {table} has run out of ids (its sequence {sequence} is at its maximum)" in result.err
    assert result.err.endswith("nothing was written\n")
    assert dump_url(pg_url) == before
