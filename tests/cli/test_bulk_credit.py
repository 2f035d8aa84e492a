"""`crm restore` and `crm db copy` credit each contact's replies once, after the rows are in (crm.store.bulk), not once
per message or reply restored; and leave exactly the credit that logging the same rows one by one (the per-row
triggers of migration 0009) leaves. On both engines; in a club, a member (who does not own the tables) loads through
the per-row triggers as before. The triggers are back and working after a restore, and untouched by one that fails.
No timings here: the run time is measured apart (the brief's script)."""

from __future__ import annotations

import random
import sqlite3
from contextlib import closing, contextmanager

import psycopg
import pytest

from crm.store.urls import is_database_url, libpq_url
from tests.conftest import dump_db
from tests.unit.test_reply_credit import expected_credit

# (contact, kind, date) in the order logged: they write first; my message then their reply on the same day, and
# their reply then my message on the same day; a message logged after the reply it came before; a contact with
# replies only, one with messages only, one with nothing; notes and chats between.
HISTORY = [
    ("Ana Lind", "reply", "2026-10-28"),
    ("Ana Lind", "message", "2026-11-01"),
    ("Ben Okafor", "message", "2026-11-05"),
    ("Ana Lind", "note", "2026-11-02"),
    ("Ana Lind", "reply", "2026-11-03"),
    ("Ben Okafor", "reply", "2026-11-02"),
    ("Ana Lind", "message", "2026-11-04"),
    ("Ana Lind", "reply", "2026-11-04"),
    ("Ben Okafor", "message", "2026-10-30"),
    ("Ana Lind", "reply", "2026-11-10"),
    ("Ana Lind", "message", "2026-11-10"),
    ("Cal Mensah", "reply", "2026-11-01"),
    ("Ben Okafor", "reply", "2026-11-06"),
    ("Cal Mensah", "reply", "2026-11-01"),
    ("Dee Park", "message", "2026-11-08"),
    ("Dee Park", "chat", "2026-11-09"),
    ("Ben Okafor", "reply", "2026-11-05"),
    ("Dee Park", "message", "2026-11-08"),
]
PEOPLE = ["Ana Lind", "Ben Okafor", "Cal Mensah", "Dee Park", "Eve Berg", "Fay One", "Gus Two", "Hal Three"]


def random_history(seed: int = 11, rows: int = 150) -> list[tuple[str, str, str]]:
    """Many same-day ties among three contacts, in a random order of logging."""
    rng = random.Random(seed)
    return [
        (
            rng.choice(PEOPLE[5:]),
            rng.choice(("message", "reply", "reply", "note", "chat")),
            f"2026-10-0{rng.randint(1, 5)}",
        )
        for _ in range(rows)
    ]


@contextmanager
def connected(db: str):
    """A connection to a SQLite file or a PostgreSQL URL (autocommit, `?` parameters, rows as sqlite3's)."""
    if is_database_url(db):
        from crm.store.postgres import reader

        conn = reader(db)
        try:
            yield conn
        finally:
            conn.close()
    else:
        with closing(sqlite3.connect(db, isolation_level=None)) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn


def rows_of(db: str, sql: str, params=()) -> list[tuple]:
    with connected(db) as conn:
        return [tuple(row) for row in conn.execute(sql, params).fetchall()]


def admin_sql(url: str, sql: str) -> None:
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(sql)


def ok(result) -> str:
    assert result.code == 0, result.err
    return result.out


def log_one_by_one(cli, db: str, history) -> None:
    """Contacts through crm, then each interaction in its own INSERT: the per-row triggers credit as they go."""
    for name in PEOPLE:
        ok(cli("--db", db, "contact", "add", name))
    ids = dict(rows_of(db, "SELECT name, id FROM contact"))
    with connected(db) as conn:
        for name, kind, day in history:
            conn.execute(
                "INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (?, ?, ?, '2026-11-20 10:00:00')",
                (ids[name], kind, day),
            )


def credit(db: str) -> dict[int, tuple]:
    """Every interaction's (replies_to_id, days_to_reply), replies or not."""
    return {
        rid: (to, days) for rid, to, days in rows_of(db, "SELECT id, replies_to_id, days_to_reply FROM interaction")
    }


def credit_by_the_rule(db: str) -> dict[int, tuple]:
    rows = rows_of(db, "SELECT id, contact_id, kind, date FROM interaction")
    found = dict.fromkeys((row[0] for row in rows), (None, None))
    found.update(expected_credit(rows))
    return found


def credit_triggers(db: str) -> list[tuple]:
    """The reply-credit triggers as the database holds them: SQLite's text, PostgreSQL's definition and state."""
    if is_database_url(db):
        return rows_of(
            db,
            "SELECT tgname, tgenabled, pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgrelid = 'interaction'::regclass AND tgname LIKE 'reply_credit%' ORDER BY tgname",
        )
    return rows_of(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'reply_credit%'"
                       " ORDER BY name")  # fmt: skip


@pytest.fixture
def loads(monkeypatch):
    """What each bulk load did: (the triggers were set aside, replies credited when the last row was in). Set aside,
    nothing is credited row by row: the credit comes after, once per contact."""
    from crm.store import bulk

    seen: list[tuple[bool, int]] = []
    real = bulk.reply_credit_once

    @contextmanager
    def watched(connection):
        with real(connection) as set_aside:
            yield set_aside
            credited = connection.exec_driver_sql(
                "SELECT count(*) FROM interaction WHERE replies_to_id IS NOT NULL"
            ).scalar()
            seen.append((set_aside, credited))

    monkeypatch.setattr(bulk, "reply_credit_once", watched)
    return seen


def empty_database(request, tmp_path, like: str) -> str:
    """A database to restore into, on the engine of `like`."""
    return request.getfixturevalue("pg_empty_url") if is_database_url(like) else str(tmp_path / "restored.db")


def engine_of(db: str) -> str:
    return "postgresql" if is_database_url(db) else "sqlite"


# ---------------------------------------------------------------- the same credit as logging one by one


def test_a_restore_credits_every_contact_once_as_the_per_row_triggers_do(cli, db_url, tmp_path, request, loads):
    log_one_by_one(cli, db_url, HISTORY + random_history())
    logged = credit(db_url)
    assert logged == credit_by_the_rule(db_url)
    assert sum(to is not None for to, _ in logged.values()) > 40 and any(d for _, d in logged.values())
    exported = tmp_path / "all.json"
    ok(cli("--db", db_url, "export", "json", str(exported)))

    restored = empty_database(request, tmp_path, db_url)
    ok(cli("--db", restored, "restore", str(exported)))
    assert loads == [(True, 0)]  # no reply credited while the rows went in
    assert credit(restored) == logged
    assert ok(cli("--db", restored, "stats", "--json")) == ok(cli("--db", db_url, "stats", "--json"))


def test_db_copy_both_ways_gives_the_credit_of_logging_one_by_one(cli, tmp_path, pg_empty_url, loads):
    laptop = str(tmp_path / "laptop.db")
    log_one_by_one(cli, laptop, HISTORY + random_history(seed=5))
    logged = credit(laptop)
    ok(cli("db", "copy", laptop, pg_empty_url))
    assert credit(pg_empty_url) == logged
    back = str(tmp_path / "back.db")
    ok(cli("db", "copy", pg_empty_url, back))
    assert credit(back) == logged
    assert loads == [(True, 0), (True, 0)]


# ---------------------------------------------------------------- the triggers after a restore


def test_after_a_restore_the_triggers_are_as_made_and_credit_what_is_logged_next(cli, db_url, tmp_path, request):
    log_one_by_one(cli, db_url, HISTORY)
    exported = tmp_path / "all.json"
    ok(cli("--db", db_url, "export", "json", str(exported)))
    restored = empty_database(request, tmp_path, db_url)
    ok(cli("--db", restored, "contact", "list"))  # made and migrated: its triggers as the migration made them
    made = credit_triggers(restored)
    assert len(made) == (2 if is_database_url(restored) else 3)
    ok(cli("--db", restored, "restore", str(exported)))
    assert credit_triggers(restored) == made  # the same text (SQLite), the same definition and enabled (PostgreSQL)

    ok(cli("--db", restored, "log", "eve", "--kind", "message", "--date", "2026-11-12"))
    ok(cli("--db", restored, "log", "eve", "--kind", "reply", "--date", "2026-11-15"))
    ok(cli("--db", restored, "log", "eve", "--kind", "message", "--date", "2026-11-14"))  # later, an earlier date
    ok(cli("--db", restored, "log", "dee", "--kind", "reply", "--date", "2026-11-09"))
    eve = rows_of(restored, "SELECT i.id, i.kind, i.replies_to_id, i.days_to_reply FROM interaction AS i JOIN contact"
                            " AS c ON c.id = i.contact_id WHERE c.name = 'Eve Berg' ORDER BY i.id")  # fmt: skip
    (first, _, _, _), (_, _, to, days), (second, _, _, _) = eve
    assert (to, days) == (second, 3)  # the message logged last is the latest before the reply; 3 days from Nov 12
    assert first != second
    assert credit(restored) == credit_by_the_rule(restored)


# ---------------------------------------------------------------- a restore that fails late changes nothing


REFUSE = {  # a rule of the database's own that crm's checks do not know of, on drafts (restored after interactions)
    "sqlite": "CREATE TRIGGER refuse_{table} BEFORE {event} ON {table}"
    " BEGIN SELECT RAISE(ABORT, 'refused by this database'); END",
    "postgresql": "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " RAISE EXCEPTION 'refused by this database' USING ERRCODE = 'check_violation'; END $$;"
    " CREATE TRIGGER refuse_{table} BEFORE {event} ON {table} FOR EACH ROW EXECUTE FUNCTION refuse()",
}


def add_rule(db: str, table: str, event: str) -> None:
    sql = REFUSE[engine_of(db)].format(table=table, event=event)
    if is_database_url(db):
        admin_sql(db, sql)
    else:
        with connected(db) as conn:
            conn.execute(sql)


@pytest.mark.parametrize(
    ("table", "event", "section"),
    [
        ("draft", "INSERT", "drafts"),  # while the rows go in, after every interaction is in
        ("interaction", "UPDATE OF replies_to_id", "interactions"),  # while the contacts are credited, at the end
    ],
    ids=["inserting-drafts", "crediting"],
)
def test_a_restore_failing_late_leaves_the_triggers_and_writes_nothing(
    cli, db_url, tmp_path, request, table, event, section
):
    log_one_by_one(cli, db_url, HISTORY)
    with connected(db_url) as conn:
        conn.execute(
            "INSERT INTO draft (contact_id, template, text, words, checks, created_at) SELECT id, 'nudge', 'Hello',"
            " 1, '{}', '2026-11-20 10:00:00' FROM contact WHERE name = 'Ana Lind'"
        )
    exported = tmp_path / "all.json"
    ok(cli("--db", db_url, "export", "json", str(exported)))
    restored = empty_database(request, tmp_path, db_url)
    ok(cli("--db", restored, "contact", "list"))
    add_rule(restored, table, event)
    triggers, before = credit_triggers(restored), dump_db(restored)

    result = cli("--db", restored, "restore", str(exported))
    assert result.code == 2, result.out
    assert result.err.startswith(f"crm: {section}: the rows cannot be restored (") and "refused by this database" in (
        result.err
    )
    assert "nothing was written" in result.err and len(result.err.strip().splitlines()) == 1
    assert dump_db(restored) == before  # SQLite: the schema too (every trigger's text, in its place)
    assert credit_triggers(restored) == triggers

    # Still the database it was: without the rule the same file restores, credited as logged.
    if is_database_url(restored):
        admin_sql(restored, f"DROP TRIGGER refuse_{table} ON {table}")
    else:
        with connected(restored) as conn:
            conn.execute(f"DROP TRIGGER refuse_{table}")
    ok(cli("--db", restored, "restore", str(exported)))
    assert credit(restored) == credit(db_url)


# ---------------------------------------------------------------- a club


@pytest.mark.parametrize("who", ["jordan", "admin"])
def test_into_a_club_a_member_loads_through_the_triggers_and_its_owner_sets_them_aside(cli, club, tmp_path, loads, who):
    """A member does not own `interaction` (ALTER TABLE is refused): the per-row triggers credit as before. The club's
    admin owns it; either way the credit is the one logged, and the member's rows are the member's alone."""
    laptop = str(tmp_path / "laptop.db")
    log_one_by_one(cli, laptop, HISTORY + random_history(seed=3, rows=60))
    logged = credit(laptop)
    url = club.admin_url if who == "admin" else club.url(who)
    made = credit_triggers(url)
    ok(cli("db", "copy", laptop, url))
    [(set_aside, credited)] = loads
    assert set_aside is (who == "admin")
    assert (credited > 0) is (who != "admin")  # the member's rows credited one by one, as they went in
    assert credit(url) == logged
    assert credit_triggers(url) == made and {state for _, state, _ in made} == {"O"}
    with club.connect("sam") as conn:
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (0,)
