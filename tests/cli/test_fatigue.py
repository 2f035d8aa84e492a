"""The alumni-fatigue guard (issue 15, point 3): `crm draft`, `crm due` and `crm check --contact` on a club's
database say who else in the club touched an alum lately; SQLite and a database that is no club's pay nothing.

Most tests' club is the demo network on PostgreSQL plus the guard's interface alone (`club_info` and the shared
`touch` table), its rows written as other members (jordan, sam, alex) would have logged them; crm connects as the
superuser, "me" (`postgres`). The last test is a real club (`crm club init`, the `club` fixture) with two member
roles. Today is Wed 2026-11-25. Hannah Park is due a nudge (cold), Arjun Mehta a first message (cold, nothing due),
Grace Kim a keep-in-touch (warm: no note, no fatigue problem).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import psycopg
import pytest

from crm.club import INFO_TABLE
from crm.store.postgres import Reader
from tests.conftest import TODAY

ME = "postgres"  # the role tests/postgres.py connects as


def _days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


@pytest.fixture
def demo_pg(cli, pg_url, monkeypatch) -> str:
    monkeypatch.setenv("CRM_DB", pg_url)
    assert cli("demo").code == 0
    return pg_url


@pytest.fixture
def fake_club(demo_pg):
    """Make the demo database look like a club's to the guard (`club_info`, and the `touch` table as
    crm.club.schema makes it; the rest of the club's schema is not the guard's business); returns
    touch(name, member, kind, days_ago) to log a touch as that member."""
    with psycopg.connect(demo_pg, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE {INFO_TABLE} (key text PRIMARY KEY, value text NOT NULL)")
        conn.execute(
            "CREATE TABLE touch (id serial PRIMARY KEY, contact_id integer, member text NOT NULL DEFAULT current_user,"
            " kind text NOT NULL, date date NOT NULL, interaction_id integer UNIQUE)"
        )

    def touch(name: str, member: str, kind: str, days_ago: int) -> None:
        with psycopg.connect(demo_pg, autocommit=True) as conn:
            conn.execute(
                "INSERT INTO touch (contact_id, member, kind, date) SELECT id, %s, %s, %s FROM contact WHERE name = %s",
                (member, kind, _days_ago(days_ago), name),
            )

    return touch


@pytest.fixture
def queries(monkeypatch) -> list[str]:
    """Every read statement crm sends to PostgreSQL in this test, in order."""
    seen: list[str] = []
    original = Reader.execute

    def counting(self, sql, parameters=()):
        seen.append(sql)
        return original(self, sql, parameters)

    monkeypatch.setattr(Reader, "execute", counting)
    return seen


def _touch_reads(seen: list[str]) -> list[str]:
    return [sql for sql in seen if "FROM touch" in sql]


IS_CLUB = f"SELECT to_regclass('{INFO_TABLE}') IS NOT NULL"  # crm.club.is_club's catalog look-up


def _draft_text(cli, name: str) -> str:
    result = cli("draft", name, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)["text"]


# -- draft ------------------------------------------------------------------------------------------------------------


def test_draft_says_who_else_touched_them_lately_in_words_and_json(cli, fake_club, queries):
    fake_club("Hannah Park", "jordan", "message", 3)
    fake_club("Hannah Park", "sam", "chat", 14)  # the window's first day: still lately
    fake_club("Hannah Park", "alex", "message", 15)  # too long ago
    fake_club("Hannah Park", ME, "message", 1)  # mine: I know what I did
    fake_club("Hannah Park", "sam", "note", 0)  # not a touch

    result = cli("draft", "hannah")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Club: Jordan messaged Hannah 3 days ago; Sam had a chat with Hannah on Nov 11: "
        "ask Sam for a warm intro instead.\n\nHi Hannah,"
    )
    note = result.out.splitlines()[0]
    assert "Alex" not in note and "Postgres" not in note

    queries.clear()
    result = cli("draft", "hannah", "--json")
    data = json.loads(result.out)
    assert {"contact_id", "template", "text", "check"} <= set(data) and data["template"] == "nudge"
    assert data["club_touches"] == [
        {"member": "jordan", "kind": "message", "date": "2026-11-22", "days_ago": 3},
        {"member": "sam", "kind": "chat", "date": "2026-11-11", "days_ago": 14},
    ]
    assert data["fatigue"] == {
        "members": ["jordan"],  # who wrote: a chat is not writing to them
        "limit": 2,
        "days": 14,
        "exceeded": False,
        "note": "Jordan messaged Hannah 3 days ago; Sam had a chat with Hannah on Nov 11: "
        "ask Sam for a warm intro instead",
    }
    assert len(_touch_reads(queries)) == 1 and IS_CLUB in queries


def test_the_note_says_whom_to_ask(cli, fake_club):
    fake_club("Arjun Mehta", "alex", "message", 0)
    result = cli("draft", "arjun")  # a first message
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Club: Alex messaged Arjun today: ask Alex whether Arjun replied before you write too.\n\nHi Arjun,"
    )
    # A warm intro comes from whoever Arjun answered.
    fake_club("Arjun Mehta", "sam", "chat", 5)
    fake_club("Arjun Mehta", "kim", "reply", 8)
    assert cli("draft", "arjun").out.startswith(
        "Club: Alex messaged Arjun today; Sam had a chat with Arjun 5 days ago; Kim heard back from Arjun on Nov 17: "
        "ask Sam or Kim for a warm intro instead.\n\n"
    )
    fake_club("Ethan Brooks", "jordan", "message", 1)
    fake_club("Ethan Brooks", "sam", "message", 4)
    assert cli("draft", "ethan").out.startswith(
        "Club: Jordan messaged Ethan yesterday; Sam messaged Ethan 4 days ago: "
        "ask them whether Ethan replied before you write too.\n\n"
    )


def test_no_note_before_a_warm_message_or_when_nobody_else_touched_them(cli, fake_club):
    fake_club("Grace Kim", "jordan", "message", 2)  # I keep in touch with Grace: no cold message, no note
    result = cli("draft", "grace")
    assert result.code == 0 and "Club:" not in result.out
    data = json.loads(cli("draft", "grace", "--json").out)
    assert data["club_touches"][0]["member"] == "jordan" and data["fatigue"]["note"] is None

    result = cli("draft", "hannah")  # cold, but nobody else touched her
    assert result.code == 0 and "Club:" not in result.out
    data = json.loads(cli("draft", "hannah", "--json").out)
    assert data["club_touches"] == [] and data["fatigue"]["note"] is None and data["fatigue"]["members"] == []


# -- due --------------------------------------------------------------------------------------------------------------


def test_due_notes_under_each_cold_contact_in_one_query_for_all(cli, fake_club, queries):
    fake_club("Hannah Park", "jordan", "message", 3)
    fake_club("Tom Becker", "sam", "reply", 1)
    fake_club("Tom Becker", "alex", "message", 6)
    fake_club("Grace Kim", "jordan", "chat", 2)  # due a keep-in-touch: no note

    queries.clear()
    result = cli("due")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    hannah = next(i for i, line in enumerate(lines) if "Hannah Park" in line)
    assert (
        lines[hannah + 1]
        == "      Club: Jordan messaged Hannah 3 days ago: ask Jordan whether Hannah replied before you write too."
    )
    tom = next(i for i, line in enumerate(lines) if "Tom Becker" in line and "overdue" in line)
    assert lines[tom + 1] == (
        "      Club: Sam heard back from Tom yesterday; Alex messaged Tom 6 days ago: ask Sam for a warm intro instead."
    )
    grace = next(i for i, line in enumerate(lines) if "Grace Kim" in line)
    assert "Club:" not in lines[grace + 1]
    assert result.out.count("Club:") == 2
    assert len(_touch_reads(queries)) == 1  # one read for every due contact together, not one each

    items = json.loads(cli("due", "--json").out)
    by_name = {item["name"]: item for item in items}
    assert {"contact_id", "name", "company", "due", "reason", "overdue"} <= set(by_name["Hannah Park"])
    assert (
        by_name["Hannah Park"]["fatigue"]["note"]
        == "Jordan messaged Hannah 3 days ago: ask Jordan whether Hannah replied before you write too"
    )
    assert by_name["Grace Kim"]["club_touches"] == [
        {"member": "jordan", "kind": "chat", "date": "2026-11-23", "days_ago": 2}
    ]
    assert by_name["Grace Kim"]["fatigue"]["note"] is None
    assert by_name["Daniel Okafor"]["club_touches"] == [] and by_name["Daniel Okafor"]["fatigue"]["note"] is None


# -- check --contact --------------------------------------------------------------------------------------------------


def test_check_reports_fatigue_when_more_than_two_other_members_wrote(cli, fake_club):
    text = _draft_text(cli, "hannah")
    fake_club("Hannah Park", "jordan", "message", 3)
    fake_club("Hannah Park", "sam", "message", 10)
    fake_club("Hannah Park", "alex", "chat", 1)  # a chat is not writing to her
    fake_club("Hannah Park", "kim", "message", 15)  # too long ago
    fake_club("Hannah Park", ME, "message", 2)  # mine

    result = cli("check", "--contact", "hannah", "--json", "-", stdin=text)
    assert result.code == 0, result.out  # two others wrote: not more than two
    assert json.loads(result.out)["ok"] is True

    fake_club("Hannah Park", "alex", "message", 0)
    result = cli("check", "--contact", "hannah", "--json", "-", stdin=text)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["ok"] is False
    assert data["problems"] == [
        {
            "check": "fatigue",
            "message": "3 other club members (Alex, Jordan, Sam) wrote to Hannah Park in the last 14 days, more than 2: "
            "give them a rest, or ask one of those members for a warm intro",
            "start": 0,
            "end": len(text.rstrip()),
        }
    ]

    human = cli("check", "--contact", "hannah", "-", stdin=text)
    assert human.code == 1 and "FAIL: 1 problem" in human.out and "  fatigue: 3 other club members" in human.out

    plain = cli("check", "-", stdin=text)  # no contact, nobody to be tired of it
    assert plain.code == 0 and "fatigue" not in plain.out


def test_check_reports_no_fatigue_for_a_warm_contact(cli, fake_club):
    text = _draft_text(cli, "grace")
    for member in ("jordan", "sam", "alex"):
        fake_club("Grace Kim", member, "message", 1)
    result = cli("check", "--contact", "grace", "--json", "-", stdin=text)
    assert result.code == 0 and json.loads(result.out)["ok"] is True


def test_the_limit_and_the_window_are_settings(cli, fake_club, tmp_path, monkeypatch):
    text = _draft_text(cli, "hannah")
    fake_club("Hannah Park", "jordan", "message", 3)
    fake_club("Hannah Park", "sam", "message", 26)
    assert cli("check", "--contact", "hannah", "-", stdin=text).code == 0
    assert json.loads(cli("draft", "hannah", "--json").out)["fatigue"]["members"] == ["jordan"]

    config = tmp_path / "config.toml"
    config.write_text("[club]\nfatigue_members = 1\nfatigue_days = 30\n")
    monkeypatch.setenv("CRM_CONFIG", str(config))
    result = cli("check", "--contact", "hannah", "--json", "-", stdin=text)
    assert result.code == 1
    (problem,) = json.loads(result.out)["problems"]
    assert problem["check"] == "fatigue"
    assert problem["message"].startswith("2 other club members (Jordan, Sam) wrote to Hannah Park in the last 30 days")
    fatigue = json.loads(cli("draft", "hannah", "--json").out)["fatigue"]
    assert fatigue["members"] == ["jordan", "sam"] and fatigue["limit"] == 1 and fatigue["days"] == 30
    assert fatigue["exceeded"] is True


BAD_CLUB_SETTINGS = [
    ('fatigue_members = "abc"', "[club] fatigue_members 'abc' must be a whole number from 0 to 100; using 2"),
    ("fatigue_members = -1", "[club] fatigue_members -1 must be a whole number from 0 to 100; using 2"),
    ("fatigue_members = true", "[club] fatigue_members true must be a whole number from 0 to 100; using 2"),
    ("fatigue_days = 'two weeks'", "[club] fatigue_days 'two weeks' must be a whole number from 1 to 365; using 14"),
    ("fatigue_days = 0", "[club] fatigue_days 0 must be a whole number from 1 to 365; using 14"),
    ("fatigue_weeks = 2", "unknown [club] setting 'fatigue_weeks' ignored"),
]


@pytest.mark.parametrize("club_section, says", BAD_CLUB_SETTINGS)
def test_a_bad_club_setting_never_stops_crm_on_sqlite(cli, tmp_path, monkeypatch, club_section, says):
    """SQLite never reads the [club] settings: nothing to warn about, everything works."""
    config = tmp_path / "config.toml"
    config.write_text(f"[club]\n{club_section}\n")
    monkeypatch.setenv("CRM_CONFIG", str(config))
    for args in (["demo"], ["due"], ["draft", "hannah", "--json"], ["contact", "list"]):
        result = cli(*args)
        assert result.code == 0 and result.err == "", (args, result.err)


@pytest.mark.parametrize("club_section, says", BAD_CLUB_SETTINGS)
def test_a_bad_club_setting_warns_once_where_the_guard_reads_it_and_uses_the_default(
    cli, fake_club, tmp_path, monkeypatch, club_section, says
):
    for member in ("jordan", "sam", "alex"):  # three others: more than the default limit of 2
        fake_club("Hannah Park", member, "message", 3)
    config = tmp_path / "config.toml"
    config.write_text(f"[club]\n{club_section}\n")
    monkeypatch.setenv("CRM_CONFIG", str(config))

    result = cli("draft", "hannah", "--json")
    assert result.code == 1  # the default limit, exceeded
    assert result.err == f"crm: warning: {config}: {says}" + result.err.split(says, 1)[1]
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    fatigue = json.loads(result.out)["fatigue"]
    assert (fatigue["limit"], fatigue["days"], fatigue["exceeded"]) == (2, 14, True)

    due = cli("due")  # the same file, read again in this process: said once is enough
    assert due.code == 0 and due.err == "" and "Club: Alex messaged Hannah 3 days ago" in due.out


def test_a_club_that_is_no_table_warns_and_uses_the_defaults(cli, fake_club, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("club = 3\n")
    monkeypatch.setenv("CRM_CONFIG", str(config))
    result = cli("draft", "hannah", "--json")
    assert result.code == 0
    assert result.err == (
        f"crm: warning: {config}: club must be a [club] table of settings, not a int; using the defaults until it is"
        " fixed\n"
    )
    assert json.loads(result.out)["fatigue"]["limit"] == 2
    sqlite = cli("--db", str(tmp_path / "other.db"), "due")
    assert sqlite.code == 0 and sqlite.err == ""


# -- draft --send: the limit is a failing check ---------------------------------------------------------------------


def _rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql).fetchall()


def test_draft_send_refuses_when_more_than_two_other_members_wrote(cli, fake_club, demo_pg):
    """What `crm check --contact` fails, `crm draft --send` of the same text does not mark sent (exit 1)."""
    for member in ("jordan", "sam", "alex"):
        fake_club("Hannah Park", member, "message", 2)
    before = _rows(demo_pg, "SELECT id, contact_id, kind, date FROM interaction ORDER BY id")
    drafts = _rows(demo_pg, "SELECT id FROM draft ORDER BY id")

    result = cli("draft", "hannah", "--send", "--json")
    assert result.code == 1, result.err
    data = json.loads(result.out)
    assert data["fatigue"]["exceeded"] is True and data["check"]["ok"] is False
    (problem,) = data["check"]["problems"]
    checked = cli("check", "--contact", "hannah", "--json", "-", stdin=data["text"])
    assert checked.code == 1 and json.loads(checked.out)["problems"] == [problem]
    assert problem["check"] == "fatigue" and problem["message"].startswith("3 other club members (Alex, Jordan, Sam)")

    human = cli("draft", "hannah", "--send")
    assert human.code == 1 and "Marked sent" not in human.out
    assert "  fatigue: 3 other club members" in human.out
    assert "Not sent: the club has written to Hannah Park enough lately" in human.out
    plain = cli("draft", "hannah")  # without --send: the same failing check, exit 1
    assert plain.code == 1 and "FAIL: 1 problem" in plain.out
    assert _rows(demo_pg, "SELECT id, contact_id, kind, date FROM interaction ORDER BY id") == before
    assert _rows(demo_pg, "SELECT id FROM draft ORDER BY id") == drafts


def test_draft_send_of_a_passing_draft_with_the_note_alone_is_sent(cli, fake_club, demo_pg):
    fake_club("Hannah Park", "jordan", "message", 3)
    fake_club("Hannah Park", "sam", "message", 5)  # two others: the note, not the problem
    result = cli("draft", "hannah", "--send")
    assert result.code == 0, result.out + result.err
    assert result.out.startswith("Club: Jordan messaged Hannah 3 days ago; Sam messaged Hannah 5 days ago")
    assert "fatigue" not in result.out and "Marked sent: logged a message to Hannah Park." in result.out
    (sent,) = _rows(demo_pg, "SELECT i.kind FROM interaction i JOIN contact c ON c.id = i.contact_id"
                             " WHERE c.name = 'Hannah Park' AND i.date = '2026-11-25'")  # fmt: skip
    assert sent == ("message",)


def test_a_warm_draft_is_never_too_much(cli, fake_club):
    for member in ("jordan", "sam", "alex"):
        fake_club("Grace Kim", member, "message", 1)
    result = cli("draft", "grace", "--json")  # a keep-in-touch to someone I chatted with
    assert result.code == 0
    data = json.loads(result.out)
    assert data["fatigue"]["exceeded"] is True and data["check"]["ok"] is True and data["fatigue"]["note"] is None


# -- silent and free elsewhere ----------------------------------------------------------------------------------------


def test_a_postgresql_database_that_is_no_club_gets_no_note_for_one_catalog_look_up(cli, demo_pg, queries):
    queries.clear()
    result = cli("draft", "hannah", "--json")
    assert result.code == 0
    assert set(json.loads(result.out)) == {"contact_id", "template", "text", "check"}
    assert IS_CLUB in queries and _touch_reads(queries) == []
    due = json.loads(cli("due", "--json").out)
    assert due and all(set(item) == {"contact_id", "name", "company", "due", "reason", "overdue"} for item in due)
    assert "Club:" not in cli("due").out and "Club:" not in cli("draft", "hannah").out


def test_sqlite_gets_no_note_and_never_imports_the_club(cli, tmp_path):
    assert cli("demo").code == 0
    text = _draft_text(cli, "hannah")
    (tmp_path / "msg.txt").write_text(text)
    for args in (["draft", "hannah", "--json"], ["due", "--json"], ["check", "--contact", "hannah", str(tmp_path / "msg.txt")],
                 ["due"], ["draft", "hannah"]):  # fmt: skip
        code = (
            "import sys, json\nfrom crm.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('crm.club'))))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=dict(os.environ)
        ).stdout
        assert json.loads(out.strip().splitlines()[-1]) == [], args
        assert "Club:" not in out and "club_touches" not in out and "fatigue" not in out


# -- end to end: a real club, two members -----------------------------------------------------------------------------


def test_a_members_message_reaches_another_members_draft_and_check(cli, club, tmp_path, monkeypatch):
    """jordan logs a message to Maya with `crm log`; sam, drafting a first message to her, hears of it; with the
    limit at 0, sam's `crm check --contact` says it is too many. Both connect as their own roles (`crm club init`)."""
    admin, jordan, sam = club.admin_url, club.url("jordan"), club.url("sam")
    for args in (
        ["contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization"],
        ["hook", "add", "maya", "post on reducing playlist-loading latency", "--date", "2026-10-02"],
    ):
        assert cli("--db", admin, *args).code == 0
    assert cli("--db", jordan, "log", "maya", "--kind", "message", "--date", "2026-11-22").code == 0
    me = ["me", "--name", "Sam Student", "--school", "MIT", "--year", "2027", "--major", "CS", "--target", "PM"]
    for args in (me, ["project", "add", "Playlist cache", "--result", "cut load time from 3.2s to 1.4s"]):
        result = cli("--db", sam, *args)
        assert result.code == 0, result.err

    result = cli("--db", sam, "draft", "maya")
    assert result.code == 0, result.err
    assert result.out.startswith(
        "Club: Jordan messaged Maya 3 days ago: ask Jordan whether Maya replied before you write too.\n\nHi Maya,"
    )
    data = json.loads(cli("--db", sam, "draft", "maya", "--json").out)
    assert data["template"] == "first-message"
    assert data["club_touches"] == [{"member": "jordan", "kind": "message", "date": "2026-11-22", "days_ago": 3}]

    (mine,) = json.loads(cli("--db", jordan, "due", "--days", "10", "--json").out)  # jordan's nudge to Maya
    assert mine["name"] == "Maya Chen" and mine["club_touches"] == []  # his own message is no news to him

    config = tmp_path / "config.toml"
    config.write_text("[club]\nfatigue_members = 0\n")
    monkeypatch.setenv("CRM_CONFIG", str(config))
    result = cli("--db", sam, "check", "--contact", "maya", "--json", "-", stdin=data["text"])
    assert result.code == 1
    assert [p["check"] for p in json.loads(result.out)["problems"]] == ["fatigue"]
    assert "1 other club member (Jordan) wrote to Maya Chen" in result.out
