"""THE two-role privacy test (issue 15.2): jordan's notes, schedule, drafts, promises, profile and projects stay
jordan's, through crm and through raw SQL as sam; the alum, the hook and the touch are the club's."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.club import Club

SECRETS = ("SECRET-NOTE-J", "SECRET-TAKE-J", "SECRET-NEXT-J", "SECRET-DRAFT-J", "SECRET-PROMISE-J", "SECRET-PROJ-J",
           "SECRET-ME-J", "SECRET-CNOTE-J", "SECRET-TAG-J")  # fmt: skip
PRIVATE_TABLES = ("interaction", "club_contact", "contact_state", "contact", "draft", "promise", "search_index", "me",
                  "project", "meta", "contact_tag", "target")  # fmt: skip


@pytest.fixture
def jordans(cli, club: Club):
    """jordan's relationship with Maya (and a hook, which is the club's), everything private written once."""

    def jordan(*args: str) -> None:
        result = cli("--db", club.url("jordan"), *args)
        assert result.code == 0, (args, result.err)

    jordan("contact", "add", "Maya Chen", "--company", "Spotify", "--email", "maya@example.com",
           "--tag", "secret-tag-j", "--notes", "SECRET-CNOTE-J")  # fmt: skip
    jordan("hook", "add", "maya", "post on playlist-loading latency", "--date", "2026-10-02")
    jordan("me", "--name", "SECRET-ME-J", "--school", "MIT", "--year", "junior", "--major", "Course 6",
           "--target", "product internships")  # fmt: skip
    jordan("project", "add", "SECRET-PROJ-J", "--result", "cut load time 30%")
    jordan("draft", "maya", "--template", "first-message", "--question", "SECRET-DRAFT-J?", "--send")
    jordan("log", "maya", "--kind", "chat", "--date", "2026-11-20", "--notes", "SECRET-NOTE-J",
           "--takeaways", "SECRET-TAKE-J", "--next-step", "SECRET-NEXT-J", "--follow-up", "2026-11-27")  # fmt: skip
    jordan("target", "add", "Netflix")
    return jordan


def _promise(club: Club) -> None:
    """A dated promise of jordan's (through the ORM's table, as jordan)."""
    with club.connect("jordan") as conn:
        conn.execute(
            "INSERT INTO promise (contact_id, text, due, from_next_step, created_at)"
            " SELECT id, 'SECRET-PROMISE-J', '2026-11-26', false, now() FROM contact WHERE name = 'Maya Chen'"
        )


def _without_secrets(text: str) -> None:
    text = text.replace("«", "").replace("»", "").lower()  # `crm search` marks the words it matched
    found = [secret for secret in SECRETS if secret.lower() in text or secret.lower()[len("secret-") :] in text]
    assert not found, f"sam can read jordan's {found}"


def test_sam_sees_maya_and_her_hook_but_nothing_of_jordans_through_crm(cli, club, jordans, tmp_path):
    _promise(club)

    def sam(*args: str):
        result = cli("--db", club.url("sam"), *args)
        assert result.code == 0, (args, result.err)
        _without_secrets(result.out + result.err)
        return result.out

    shown = json.loads(sam("contact", "show", "Maya", "--json"))
    assert shown["name"] == "Maya Chen" and shown["email"] == "maya@example.com"  # the shared record
    assert [hook["text"] for hook in shown["hooks"]] == ["post on playlist-loading latency"]  # the club's research
    assert shown["interactions"] == [] and shown["promises"] == [] and shown["tags"] == []
    assert shown["stage"] == "identified" and shown["next_follow_up"] is None and shown["notes"] is None
    assert "Nothing matches" in sam("search", "SECRET")
    assert "playlist" in sam("search", "playlist")  # hooks are searchable by every member
    assert json.loads(sam("due", "--json")) == []
    sam("contact", "list")
    sam("me")
    sam("project", "list")
    sam("stats")
    sam("companies")
    sam("draft", "maya", "--saved")
    for fmt in ("json", "csv", "vcard", "ics"):
        target = tmp_path / f"sam.{fmt}"
        sam("export", fmt, str(target))
        files = sorted(target.rglob("*")) if target.is_dir() else [target]  # vCards: a folder of cards
        assert files
        _without_secrets("".join(f.read_text() for f in files if f.is_file()))
    assert "Maya Chen" in (tmp_path / "sam.json").read_text()


def test_jordan_still_sees_everything_of_jordans(cli, club, jordans, tmp_path):
    _promise(club)
    out = cli("--db", club.url("jordan"), "contact", "show", "maya", "--json").out
    shown = json.loads(out)
    assert {i["kind"]: i["notes"] for i in shown["interactions"]}["chat"] == "SECRET-NOTE-J"
    assert shown["notes"] == "SECRET-CNOTE-J" and shown["tags"] == ["secret-tag-j"]
    assert shown["stage"] == "chatted"
    assert any(p["text"] == "SECRET-PROMISE-J" for p in shown["promises"])
    assert "«SECRET»-NOTE-J" in cli("--db", club.url("jordan"), "search", "SECRET").out
    due = json.loads(cli("--db", club.url("jordan"), "due", "--json").out)
    assert {d["name"] for d in due} == {"Maya Chen"} and "SECRET" in json.dumps(due)
    assert "SECRET-ME-J" in cli("--db", club.url("jordan"), "me").out
    assert "SECRET-PROJ-J" in cli("--db", club.url("jordan"), "project", "list").out
    assert cli("--db", club.url("jordan"), "draft", "maya", "--saved").code == 0
    done = cli("--db", club.url("jordan"), "done", "maya")
    assert done.code == 0 and "Next for Maya Chen" in done.out
    assert json.loads(cli("--db", club.url("sam"), "due", "--json").out) == []  # jordan's schedule is still jordan's
    assert cli("--db", club.url("sam"), "hook", "add", "maya", "a podcast on ranking").code == 0  # research is shared
    hooks = json.loads(cli("--db", club.url("jordan"), "contact", "show", "maya", "--json").out)["hooks"]
    assert {h["text"] for h in hooks} == {"post on playlist-loading latency", "a podcast on ranking"}
    cli("--db", club.url("jordan"), "export", "json", str(tmp_path / "jordan.json"))
    exported = (tmp_path / "jordan.json").read_text()
    for secret in ("SECRET-NOTE-J", "SECRET-DRAFT-J", "SECRET-PROMISE-J", "SECRET-PROJ-J", "SECRET-ME-J"):
        assert secret in exported, secret


def test_sams_raw_sql_reads_none_of_jordans_private_text_but_sees_the_touch(club, jordans):
    _promise(club)
    with club.connect("sam") as conn:
        for table in PRIVATE_TABLES:
            rows = conn.execute(f"SELECT * FROM {table}").fetchall()
            _without_secrets(repr(rows))
        touches = conn.execute(
            "SELECT member, kind, date::text FROM touch WHERE contact_id = (SELECT id FROM club_contact"
            " WHERE name = 'Maya Chen') AND member <> current_user ORDER BY date"
        ).fetchall()
        assert touches == [("jordan", "message", "2026-11-25"), ("jordan", "chat", "2026-11-20")][::-1]
        hooks = conn.execute("SELECT text FROM hook").fetchall()
        assert hooks == [("post on playlist-loading latency",)]
    with club.connect("jordan") as conn:  # the same queries as jordan do see it: the test above is not vacuous
        seen = repr([conn.execute(f"SELECT * FROM {t}").fetchall() for t in PRIVATE_TABLES])
        for secret in SECRETS:
            assert secret.lower() in seen.lower(), secret


def test_sam_cannot_change_jordans_rows_lift_the_policies_or_become_jordan(club, jordans):
    _promise(club)
    with club.connect("sam") as conn:
        for sql in (
            "UPDATE interaction SET notes = 'sam was here'",
            "DELETE FROM interaction",
            "UPDATE contact_state SET stage = 'replied'",
            "DELETE FROM contact_state",
            "DELETE FROM promise",
            "DELETE FROM draft",
            "UPDATE me SET name = 'sam'",
            "DELETE FROM project",
            "DELETE FROM search_index WHERE body LIKE 'SECRET%'",
            "UPDATE touch SET kind = 'chat'",
            "DELETE FROM touch",
            "DELETE FROM club_contact",  # jordan has a relationship with Maya: not sam's to delete
        ):
            assert conn.execute(sql).rowcount == 0, sql
        for sql in (
            "ALTER TABLE interaction DISABLE ROW LEVEL SECURITY",
            "ALTER TABLE interaction NO FORCE ROW LEVEL SECURITY",
            "DROP POLICY club_own ON interaction",
            "SET ROLE jordan",
            "SET SESSION AUTHORIZATION jordan",
            "TRUNCATE interaction",
            "INSERT INTO interaction (contact_id, kind, date, created_at, owner)"
            " SELECT id, 'note', '2026-11-25', now(), 'jordan' FROM club_contact",
            "INSERT INTO touch (contact_id, member, kind, date) SELECT id, 'jordan', 'message', '2026-11-25'"
            " FROM club_contact",
            "UPDATE alembic_version SET version_num = '0001'",
        ):
            with pytest.raises(psycopg.Error):
                conn.execute(sql)
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT notes FROM interaction WHERE kind = 'chat'").fetchall() == [("SECRET-NOTE-J",)]
        assert conn.execute("SELECT stage FROM contact_state").fetchall() == [("chatted",)]
        assert conn.execute("SELECT text FROM promise").fetchall() == [("SECRET-PROMISE-J",)]
        assert conn.execute("SELECT count(*) FROM touch").fetchone() == (2,)


def test_sam_forgetting_maya_keeps_jordans_relationship_and_the_shared_record(cli, club, jordans):
    sam = club.url("sam")
    assert cli("--db", sam, "log", "maya", "--kind", "message", "--date", "2026-11-24", "--notes", "sam's").code == 0
    forgot = cli("--db", sam, "contact", "forget", "maya", "--yes")
    assert forgot.code == 0
    assert (
        "Forgot your history with" in forgot.out and "shared record of them (name, company, hooks) stays" in forgot.out
    )
    shown = json.loads(cli("--db", club.url("jordan"), "contact", "show", "maya", "--json").out)
    assert [i["kind"] for i in shown["interactions"]] == ["message", "chat"]  # the draft sent, then the chat
    assert shown["interactions"][1]["notes"] == "SECRET-NOTE-J"
    assert shown["hooks"] and shown["stage"] == "chatted"
    after = json.loads(cli("--db", sam, "contact", "show", "maya", "--json").out)  # the alum is still the club's
    assert after["interactions"] == [] and after["stage"] == "identified"
    with club.connect("sam") as conn:
        assert conn.execute("SELECT member FROM touch ORDER BY id").fetchall() == [("jordan",), ("jordan",)]


def test_a_contact_only_one_member_has_is_deleted_whole(cli, club):
    """(With no hook: hooks are the club's research and any hook keeps the record, tests/cli/test_club_rules.py.)"""
    sam = club.url("sam")
    assert cli("--db", sam, "contact", "add", "Ivan Petrov", "--company", "Spotify").code == 0
    assert cli("--db", sam, "log", "ivan", "--kind", "chat", "--notes", "good chat").code == 0
    forgot = cli("--db", sam, "contact", "forget", "ivan", "--yes", "--json")
    assert forgot.code == 0 and json.loads(forgot.out)["shared_record_kept"] is False
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT count(*) FROM club_contact").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM hook").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM touch").fetchone() == (0,)


def test_merging_through_the_view_keeps_the_other_members_data(cli, club, jordans):
    """sam merges his duplicate "Maya C." into the Maya jordan uses: sam's side moves, jordan's Maya and history stay.
    (Merging jordan's Maya away instead is refused: tests/cli/test_club_merge.py.)"""
    sam = club.url("sam")
    assert cli("--db", sam, "contact", "add", "Maya C.", "--company", "Spotify").code == 0
    assert cli("--db", sam, "log", "Maya C.", "--kind", "note", "--notes", "sam's note").code == 0
    merged = cli("--db", sam, "contact", "merge", "Maya Chen", "Maya C.")
    assert merged.code == 0, merged.err
    kept = json.loads(cli("--db", sam, "contact", "show", "Maya Chen", "--json").out)
    assert [i["notes"] for i in kept["interactions"]] == ["sam's note"]
    shown = json.loads(cli("--db", club.url("jordan"), "contact", "show", "Maya Chen", "--json").out)
    assert "SECRET-NOTE-J" in [i["notes"] for i in shown["interactions"]]
    assert [h["text"] for h in shown["hooks"]] == ["post on playlist-loading latency"]


def test_the_fatigue_guard_reads_jordans_touches_from_the_club_schema(cli, club, jordans):
    """The `touch` table is crm.club.fatigue's interface: sam's first message to Maya hears of jordan's, and no text."""
    sam = club.url("sam")
    assert cli("--db", sam, "me", "--name", "Sam", "--school", "MIT", "--year", "junior", "--major", "Course 6",
               "--target", "product internships").code == 0  # fmt: skip
    assert cli("--db", sam, "project", "add", "Ranker", "--result", "cut churn 5%").code == 0
    result = cli("--db", sam, "draft", "maya", "--template", "first-message")
    assert "Jordan" in result.out + result.err
    _without_secrets(result.out + result.err)
