"""The reply credit stored on each reply (migration 0009: `replies_to_id`, `days_to_reply`), kept by triggers through
every write that can change it: logging in any order, deleting and editing rows, merging contacts, restoring an
archive, and migrating a database that already holds a history. Checked against the rule written out in Python
(`expected_credit`) and against `crm stats` figures counted by hand."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from crm.insights.funnel import funnel
from crm.insights.templates_ab import NO_TEMPLATE
from crm.store.db import connect, migrate, open_engine, schema_revision
from crm.store.urls import is_database_url
from tests.conftest import query_db
from tests.postgres import migrate_url
from tests.unit.test_insights_funnel import Net

TODAY = dt.date(2026, 11, 25)  # CRM_TODAY in every test (tests/conftest.py)


# ---------------------------------------------------------------- the rule, written out


def expected_credit(rows) -> dict[int, tuple[int | None, int | None]]:
    """{reply id: (message credited, days to reply)} from (id, contact_id, kind, date) rows, by the rule: a reply is
    credited to the latest message to that contact before it (date, then id); the contact's first credited reply
    carries the days since the contact's first message."""
    found: dict[int, tuple[int | None, int | None]] = {}
    by_contact: dict[int, list] = {}
    for row in rows:
        by_contact.setdefault(row[1], []).append(row)
    for history in by_contact.values():
        latest = first_day = None
        answered_once = False
        for rid, _, kind, day in sorted(history, key=lambda r: (str(r[3]), r[0])):
            day = dt.date.fromisoformat(str(day))
            if kind == "message":
                latest = rid
                first_day = first_day or day
            elif kind == "reply":
                days = None
                if latest is not None and not answered_once:
                    answered_once, days = True, (day - first_day).days
                found[rid] = (latest, days)
    return found


def stored_credit(db) -> dict[int, tuple[int | None, int | None]]:
    return {
        rid: (to, days)
        for rid, to, days in query_db(
            db, "SELECT id, replies_to_id, days_to_reply FROM interaction WHERE kind = 'reply'"
        )
    }


def assert_credit_follows_the_rule(db) -> None:
    rows = query_db(db, "SELECT id, contact_id, kind, date FROM interaction")
    assert stored_credit(db) == expected_credit(rows)
    stray = query_db(db, "SELECT count(*) FROM interaction WHERE kind <> 'reply' AND"
                         " (replies_to_id IS NOT NULL OR days_to_reply IS NOT NULL)")  # fmt: skip
    assert stray == [(0,)]


def execute(db, sql: str, params=()) -> None:
    """One write with raw SQL, as another program would make it, on either engine (foreign keys on in SQLite)."""
    url = os.environ.get("CRM_DB", "")
    if is_database_url(url) and Path(db).is_dir():
        from crm.store.postgres import reader

        conn = reader(url)
        try:
            conn.execute(sql, params)
        finally:
            conn.close()
        return
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(sql, params)


def stats(cli) -> dict:
    result = cli("stats", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def ids(db, name: str) -> list[int]:
    """Interaction ids of the contact named `name`, in the order logged."""
    return [row[0] for row in query_db(
        db, "SELECT i.id FROM interaction AS i JOIN contact AS c ON c.id = i.contact_id WHERE c.name = ? ORDER BY i.id",
        (name,))]  # fmt: skip


def credit_of(db, name: str) -> list[tuple]:
    return [
        (kind, str(day), to, days)
        for kind, day, to, days in query_db(
            db,
            "SELECT i.kind, i.date, i.replies_to_id, i.days_to_reply FROM interaction AS i JOIN contact AS c"
            " ON c.id = i.contact_id WHERE c.name = ? ORDER BY i.id",
            (name,),
        )
    ]


def log(cli, who: str, kind: str, day: str) -> None:
    result = cli("log", who, "--kind", kind, "--date", day)
    assert result.code == 0, result.err


# ---------------------------------------------------------------- through crm's commands, on both engines


@pytest.mark.usefixtures("db_url")
def test_each_reply_is_credited_to_the_latest_message_before_it_as_logged(cli, db_path):
    assert cli("contact", "add", "Ana Lind").code == 0
    log(cli, "ana", "reply", "2026-10-28")  # they wrote first: credited to nothing
    log(cli, "ana", "message", "2026-11-01")
    log(cli, "ana", "reply", "2026-11-03")  # the first reply after my first message: 2 days
    log(cli, "ana", "message", "2026-11-04")
    log(cli, "ana", "reply", "2026-11-04")  # logged after my message of the same day: answers it
    log(cli, "ana", "reply", "2026-11-10")
    log(cli, "ana", "message", "2026-11-10")  # logged after their reply of the same day: not what they answered
    _, m1, _, m2, _, _, _ = ids(db_path, "Ana Lind")
    assert credit_of(db_path, "Ana Lind") == [
        ("reply", "2026-10-28", None, None),
        ("message", "2026-11-01", None, None),
        ("reply", "2026-11-03", m1, 2),
        ("message", "2026-11-04", None, None),
        ("reply", "2026-11-04", m2, None),
        ("reply", "2026-11-10", m2, None),
        ("message", "2026-11-10", None, None),
    ]
    assert_credit_follows_the_rule(db_path)
    figures = stats(cli)
    assert (figures["messages_sent"], figures["contacts_messaged"], figures["contacts_replied"]) == (3, 1, 1)
    assert figures["median_days_to_reply"] == 2.0 and figures["funnel"]["by_kind"]["reply"] == 4
    assert [(t["template"], t["sent"], t["replied"]) for t in figures["templates"]] == [(NO_TEMPLATE, 3, 2)]


@pytest.mark.usefixtures("db_url")
def test_a_message_logged_later_with_an_earlier_date_takes_the_credit(cli, db_path):
    assert cli("contact", "add", "Ben Okafor").code == 0
    log(cli, "ben", "message", "2026-11-01")
    log(cli, "ben", "reply", "2026-11-05")
    first, _ = ids(db_path, "Ben Okafor")
    assert credit_of(db_path, "Ben Okafor")[1] == ("reply", "2026-11-05", first, 4)
    log(cli, "ben", "message", "2026-11-03")  # logged late: it was the latest message before their reply
    later = ids(db_path, "Ben Okafor")[-1]
    assert credit_of(db_path, "Ben Okafor")[1] == ("reply", "2026-11-05", later, 4)  # still 4 days from Nov 1
    log(cli, "ben", "message", "2026-10-30")  # an even earlier first message: the days count from it
    assert credit_of(db_path, "Ben Okafor")[1] == ("reply", "2026-11-05", later, 6)
    log(cli, "ben", "reply", "2026-10-29")  # before every message of mine: credited to nothing
    assert credit_of(db_path, "Ben Okafor")[-1] == ("reply", "2026-10-29", None, None)
    assert credit_of(db_path, "Ben Okafor")[1] == ("reply", "2026-11-05", later, 6)
    assert_credit_follows_the_rule(db_path)
    figures = stats(cli)
    assert (figures["contacts_replied"], figures["median_days_to_reply"]) == (1, 6.0)
    assert [(t["template"], t["sent"], t["replied"]) for t in figures["templates"]] == [(NO_TEMPLATE, 3, 1)]


@pytest.mark.usefixtures("db_url")
def test_merging_two_contacts_credits_their_interleaved_history_again(cli, db_path):
    assert cli("contact", "add", "Dee Park", "--email", "dee@a.com").code == 0
    assert cli("contact", "add", "Dee P.", "--email", "dee@b.com").code == 0
    log(cli, "dee@a.com", "message", "2026-11-01")
    log(cli, "dee@a.com", "reply", "2026-11-06")
    log(cli, "dee@b.com", "message", "2026-11-03")
    log(cli, "dee@b.com", "reply", "2026-11-04")
    m_a, r_a, m_b, r_b = ids(db_path, "Dee Park") + ids(db_path, "Dee P.")
    assert stored_credit(db_path) == {r_a: (m_a, 5), r_b: (m_b, 1)}
    before = stats(cli)
    assert (before["contacts_messaged"], before["contacts_replied"], before["median_days_to_reply"]) == (2, 2, 3.0)

    result = cli("contact", "merge", "dee@a.com", "dee@b.com")
    assert result.code == 0, result.err
    # One person now: Nov 1 message, Nov 3 message, their Nov 4 reply (to Nov 3: 3 days after Nov 1), Nov 6 reply.
    assert stored_credit(db_path) == {r_b: (m_b, 3), r_a: (m_b, None)}
    assert_credit_follows_the_rule(db_path)
    after = stats(cli)
    assert (after["contacts_messaged"], after["contacts_replied"], after["median_days_to_reply"]) == (1, 1, 3.0)
    assert [(t["template"], t["sent"], t["replied"]) for t in after["templates"]] == [(NO_TEMPLATE, 2, 1)]


@pytest.mark.usefixtures("db_url")
def test_deleting_or_editing_rows_with_raw_sql_credits_again(cli, db_path):
    """No crm command edits or deletes one interaction; another program may: the triggers still keep the credit."""
    assert cli("contact", "add", "Cal Mensah").code == 0
    assert cli("contact", "add", "Eve Berg").code == 0
    log(cli, "cal", "message", "2026-11-01")
    log(cli, "cal", "message", "2026-11-03")
    log(cli, "cal", "reply", "2026-11-04")
    log(cli, "eve", "message", "2026-11-02")
    log(cli, "eve", "reply", "2026-11-02")
    m1, m2, reply = ids(db_path, "Cal Mensah")
    assert stored_credit(db_path)[reply] == (m2, 3)

    execute(db_path, "DELETE FROM interaction WHERE id = ?", (m2,))
    assert stored_credit(db_path)[reply] == (m1, 3)
    execute(db_path, "UPDATE interaction SET kind = 'note' WHERE id = ?", (reply,))
    assert reply not in stored_credit(db_path)
    assert_credit_follows_the_rule(db_path)  # a note keeps no credit
    execute(db_path, "UPDATE interaction SET kind = 'reply' WHERE id = ?", (reply,))
    assert stored_credit(db_path)[reply] == (m1, 3)
    execute(db_path, "UPDATE interaction SET date = '2026-11-05' WHERE id = ?", (m1,))
    assert stored_credit(db_path)[reply] == (None, None)  # no message of mine before it any more
    eve = query_db(db_path, "SELECT id FROM contact WHERE name = 'Eve Berg'")[0][0]
    execute(db_path, "UPDATE interaction SET contact_id = ? WHERE id = ?", (eve, m1))  # moved to Eve: Eve's now
    assert_credit_follows_the_rule(db_path)
    execute(db_path, "DELETE FROM contact WHERE name = 'Cal Mensah'")  # forgetting: the rows go, nothing dangles
    assert_credit_follows_the_rule(db_path)
    assert stats(cli)["contacts_replied"] == 1


@pytest.mark.usefixtures("db_url")
def test_a_restored_archive_has_the_same_credit_without_carrying_it(cli, db_path, tmp_path, request, monkeypatch):
    assert cli("demo").code == 0
    assert cli("draft", "hannah", "--send").code == 0
    assert cli("contact", "add", "Ana Lind").code == 0
    log(cli, "ana", "message", "2026-11-02")
    log(cli, "ana", "reply", "2026-11-02")
    log(cli, "ana", "message", "2026-11-02")
    assert_credit_follows_the_rule(db_path)
    credit, figures = stored_credit(db_path), stats(cli)
    assert any(days is not None for _, days in credit.values())  # the demo has replies credited

    exported = tmp_path / "all.json"
    assert cli("export", "json", str(exported)).code == 0
    data = json.loads(exported.read_text())
    assert data["interactions"] and not {"replies_to_id", "days_to_reply"} & set(data["interactions"][0])
    if is_database_url(os.environ.get("CRM_DB", "")):
        restored = request.getfixturevalue("pg_empty_url")
        monkeypatch.setenv("CRM_DB", restored)  # for stored_credit below
    else:
        restored = str(tmp_path / "restored.db")
    result = cli("--db", restored, "restore", str(exported))
    assert result.code == 0, result.err
    again = cli("--db", restored, "stats", "--json")
    assert again.code == 0 and json.loads(again.out) == figures
    if not is_database_url(restored):
        with closing(sqlite3.connect(restored)) as conn:
            rows = conn.execute("SELECT id, replies_to_id, days_to_reply FROM interaction WHERE kind = 'reply'")
            assert {rid: (to, days) for rid, to, days in rows} == credit
    else:
        assert stored_credit(db_path) == credit  # CRM_DB: the restored database


@pytest.mark.sqlite_only
@pytest.mark.usefixtures("db_url")
def test_a_file_carrying_the_credit_is_refused_as_not_crms(cli, db_path, tmp_path):
    assert cli("contact", "add", "Ana Lind").code == 0
    log(cli, "ana", "message", "2026-11-02")
    log(cli, "ana", "reply", "2026-11-03")
    exported = tmp_path / "all.json"
    assert cli("export", "json", str(exported)).code == 0
    data = json.loads(exported.read_text())
    data["interactions"][1]["replies_to_id"] = data["interactions"][0]["id"]
    exported.write_text(json.dumps(data))
    result = cli("--db", str(tmp_path / "restored.db"), "restore", str(exported))
    assert result.code == 2 and "interactions[1].replies_to_id: unknown field" in result.err


# ---------------------------------------------------------------- any write, in any order (SQLite)


def test_random_writes_keep_the_credit_by_the_rule(engine, db_path):
    """Two hundred inserts, deletes, moves and edits in a random order, same-day ties included: after each one, the
    stored credit is what the rule gives for the rows as they are."""
    rng = random.Random(13)
    net = Net(db_path)
    with closing(net.conn):
        net.conn.execute("PRAGMA foreign_keys = ON")
        people = [net.contact(f"P{n}") for n in range(4)]
        days = [f"2026-11-0{d}" for d in range(1, 6)]  # few days: many ties
        for _ in range(200):
            rows = net.conn.execute("SELECT id FROM interaction").fetchall()
            action = rng.random()
            if action < 0.6 or len(rows) < 3:
                net.log(rng.choice(people), rng.choice(("message", "reply", "reply", "note")), rng.choice(days))
            elif action < 0.75:
                net.conn.execute("DELETE FROM interaction WHERE id = ?", rng.choice(rows))
            elif action < 0.85:
                net.conn.execute(
                    "UPDATE interaction SET contact_id = ? WHERE id = ?", (rng.choice(people), *rng.choice(rows))
                )
            elif action < 0.95:
                net.conn.execute("UPDATE interaction SET date = ? WHERE id = ?", (rng.choice(days), *rng.choice(rows)))
            else:
                net.conn.execute(
                    "UPDATE interaction SET kind = ? WHERE id = ?",
                    (rng.choice(("message", "reply", "chat")), *rng.choice(rows)),
                )
            assert_credit_follows_the_rule(db_path)


# ---------------------------------------------------------------- migrating a history made before 0009


def _history_at_0008(tmp_path) -> Path:
    """A database at 0008 holding a history (written as crm 0008 wrote it): the credit is for the migration to fill.

    Ana   first-message Nov 2 -> reply Nov 5 (3 days); a message by hand Nov 6
    Ben   first-message-v2 Nov 10, no reply
    Dee   they wrote first Sep 1; my message Sep 2 -> reply Sep 10 (8 days); same-day: reply then my message Sep 12
    """
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0008", downgrade=True)
    assert schema_revision(path) == "0008"
    net = Net(path)
    with closing(net.conn):
        assert "replies_to_id" not in {row[1] for row in net.conn.execute("PRAGMA table_info(interaction)")}
        ana = net.contact("Ana", stage="replied")
        net.send(ana, "first-message", "2026-11-02")
        net.log(ana, "reply", "2026-11-05")
        net.log(ana, "message", "2026-11-06")
        ben = net.contact("Ben", stage="contacted")
        net.send(ben, "first-message-v2", "2026-11-10")
        dee = net.contact("Dee", stage="advocate")
        net.log(dee, "reply", "2026-09-01")
        net.log(dee, "message", "2026-09-02")
        net.log(dee, "reply", "2026-09-10")
        net.log(dee, "reply", "2026-09-12")
        net.log(dee, "message", "2026-09-12")
    return path


def test_migrating_a_0008_database_credits_the_history_it_holds(tmp_path):
    path = _history_at_0008(tmp_path)
    open_engine(path).dispose()  # upgrades to head, as every command does
    assert schema_revision(path) >= "0009"
    with closing(connect(path)) as conn:
        rows = conn.execute("SELECT id, contact_id, kind, date FROM interaction").fetchall()
        stored = {rid: (to, days) for rid, to, days in
                  conn.execute("SELECT id, replies_to_id, days_to_reply FROM interaction WHERE kind = 'reply'")}  # fmt: skip
        assert stored == expected_credit(rows)
        # Ana's reply (2) answers her message (1); Dee's Sep 1 reply (5) nothing; Sep 10 (7) and Sep 12 (8) answer Sep 2.
        assert stored == {2: (1, 3), 5: (None, None), 7: (6, 8), 8: (6, None)}
        f = funnel(conn, today=TODAY)
        assert (f.messages_sent, f.contacts_messaged, f.contacts_replied, f.median_days_to_reply) == (5, 3, 2, 5.5)
        assert {t.template: (t.sent, t.replied) for t in f.templates} == {
            "first-message": (1, 1), "first-message-v2": (1, 0), NO_TEMPLATE: (3, 1),
        }  # fmt: skip
        since = funnel(conn, today=TODAY, since=dt.date(2026, 11, 1))
        assert (since.contacts_messaged, since.contacts_replied, since.median_days_to_reply) == (2, 1, 3.0)
        # The triggers are in place for what comes next.
        conn.execute("INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (2, 'reply', '2026-11-12',"
                     " '2026-11-12 00:00:00')")  # fmt: skip
        conn.commit()
        assert funnel(conn, today=TODAY).contacts_replied == 3


def test_downgrading_to_0008_drops_the_credit_and_keeps_search(tmp_path):
    from crm.search import search_notes

    path = _history_at_0008(tmp_path)
    open_engine(path).dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE interaction SET notes = 'talked about playlist ranking' WHERE id = 2")
        conn.commit()
    migrate(path, "0008", downgrade=True)
    with closing(connect(path)) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(interaction)")}
        assert not {"replies_to_id", "days_to_reply"} & columns
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert not any(name.startswith("reply_credit") for name in triggers)
        assert [h.name for h in search_notes(conn, "playlist")] == ["Ana"]
        conn.execute("INSERT INTO interaction (contact_id, kind, date, notes, created_at) VALUES (1, 'note',"
                     " '2026-11-12', 'skip-rate analysis', '2026-11-12 00:00:00')")  # fmt: skip
        assert [h.name for h in search_notes(conn, "skip-rate")] == ["Ana"]


def test_migrating_a_0008_postgresql_database_credits_its_history(pg_url):
    from crm.store.db import upgrade_url, url_revision
    from crm.store.postgres import reader

    migrate_url(pg_url, "0008", downgrade=True)
    assert url_revision(pg_url) == "0008"
    conn = reader(pg_url)
    try:
        stamp = "2026-11-01 00:00:00+00"
        conn.execute("INSERT INTO contact (id, name, stage, archived, created_at, updated_at) VALUES"
                     f" (1, 'Ana', 'replied', false, '{stamp}', '{stamp}'), (2, 'Dee', 'advocate', false, '{stamp}',"
                     f" '{stamp}')")  # fmt: skip
        conn.execute(
            "INSERT INTO interaction (id, contact_id, kind, date, created_at) VALUES"
            f" (1, 1, 'message', '2026-11-02', '{stamp}'), (2, 1, 'reply', '2026-11-05', '{stamp}'),"
            f" (3, 2, 'reply', '2026-09-01', '{stamp}'), (4, 2, 'message', '2026-09-02', '{stamp}'),"
            f" (5, 2, 'reply', '2026-09-10', '{stamp}'), (6, 2, 'reply', '2026-09-12', '{stamp}'),"
            f" (7, 2, 'message', '2026-09-12', '{stamp}')"
        )
        conn.execute("SELECT setval(pg_get_serial_sequence('interaction', 'id'), 7)")
    finally:
        conn.close()
    upgrade_url(pg_url)
    assert url_revision(pg_url) >= "0009"
    conn = reader(pg_url)
    try:
        stored = dict((rid, (to, days)) for rid, to, days in conn.execute(
            "SELECT id, replies_to_id, days_to_reply FROM interaction WHERE kind = 'reply'"))  # fmt: skip
        assert stored == {2: (1, 3), 3: (None, None), 5: (4, 8), 6: (4, None)}
        f = funnel(conn, today=TODAY)
        assert (f.contacts_messaged, f.contacts_replied, f.median_days_to_reply) == (2, 2, 5.5)
        conn.execute(f"INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (2, 'message',"
                     f" '2026-09-05', '{stamp}')")  # fmt: skip
        assert dict(conn.execute("SELECT id, replies_to_id FROM interaction WHERE id = 5").fetchall()) == {5: 8}
    finally:
        conn.close()


# ---------------------------------------------------------------- a club: each member's replies, their own messages


def test_in_a_club_each_member_s_replies_are_credited_to_their_own_messages(cli, club):
    """The triggers run as the member writing, so row-level security limits them to that member's rows."""

    def as_member(member: str, *args: str) -> str:
        result = cli("--db", club.url(member), *args)
        assert result.code == 0, (member, args, result.err)
        return result.out

    as_member("jordan", "contact", "add", "Maya Chen", "--email", "maya@example.com")
    as_member("jordan", "log", "maya", "--kind", "message", "--date", "2026-11-02")
    as_member("sam", "log", "maya", "--kind", "message", "--date", "2026-11-04")  # later than jordan's
    as_member("jordan", "log", "maya", "--kind", "reply", "--date", "2026-11-05")
    as_member("sam", "log", "maya", "--kind", "reply", "--date", "2026-11-09")
    for member, days in (("jordan", 3.0), ("sam", 5.0)):
        figures = json.loads(as_member(member, "stats", "--json"))
        assert (figures["messages_sent"], figures["contacts_replied"], figures["median_days_to_reply"]) == (1, 1, days)
        with club.connect(member) as conn:  # the member's own rows, each credited to the member's own message
            rows = conn.execute("SELECT kind, id, replies_to_id FROM interaction ORDER BY id").fetchall()
        [(_, message, _)] = [row for row in rows if row[0] == "message"]
        assert [row[2] for row in rows if row[0] == "reply"] == [message]
