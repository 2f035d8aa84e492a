"""Duplicate suggestions in a club (issue 15): `crm contact list --duplicates` suggests only merges that work.

A member may merge away only a record no other member has anything on (crm.contacts.merge, tests/cli/test_club_merge.py).
jordan adds "Maya C." and messages her; sam adds "Maya Chen" at the same company. Off a club the full name would be
the one to keep; here jordan's record must stay, so the suggestion keeps it and merges sam's away, and its command
works. When other members have both records, no way works: the pair is named apart, without a command, and the app's
merge dialog does not offer it. On SQLite and on a PostgreSQL database that is no club's nothing changes, and no
query is added.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.club import Club


def ok(cli, url: str, *args: str) -> None:
    result = cli("--db", url, *args)
    assert result.code == 0, (args, result.err)


def ids(club: Club) -> dict[str, int]:
    with club.connect("jordan") as conn:
        return dict(conn.execute("SELECT name, id FROM club_contact").fetchall())


def duplicates(cli, url: str) -> list[dict]:
    result = cli("--db", url, "contact", "list", "--duplicates", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


@pytest.fixture
def jordans_maya(cli, club: Club) -> tuple[int, int]:
    """jordan's "Maya C." (messaged: jordan's rows on it) and sam's "Maya Chen" (sam's alone); returns their ids."""
    ok(cli, club.url("jordan"), "contact", "add", "Maya C.", "--company", "Spotify", "--email", "maya@example.com")
    ok(cli, club.url("jordan"), "log", "Maya C.", "--kind", "message", "--date", "2026-11-20")
    ok(cli, club.url("sam"), "contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization")
    ok(cli, club.url("sam"), "log", "Maya Chen", "--kind", "note", "--notes", "met at the career fair")
    found = ids(club)
    return found["Maya C."], found["Maya Chen"]


def test_the_suggestion_keeps_the_record_another_member_has_and_its_command_works(cli, club, jordans_maya):
    mc, maya = jordans_maya
    sam = club.url("sam")
    assert duplicates(cli, sam) == [
        {"keep": {"id": mc, "name": "Maya C."}, "other": {"id": maya, "name": "Maya Chen"},
         "reason": "initial form of the name at Spotify", "score": 90},
    ]  # fmt: skip
    out = cli("--db", sam, "contact", "list", "--duplicates").out
    assert f"crm contact merge {mc} {maya}" in out and "1 suggestion: check each" in out
    assert "cannot merge" not in out
    result = cli("--db", sam, "contact", "merge", str(mc), str(maya))  # the command it suggests
    assert result.code == 0, result.err
    assert f"Merged #{maya} Maya Chen into #{mc} Maya C." in result.out
    assert ids(club) == {"Maya C.": mc}
    assert duplicates(cli, sam) == []


def test_for_the_member_who_has_both_records_the_usual_suggestion_stands(cli, club, jordans_maya):
    """For jordan it is the other way round: sam has a note on Maya Chen, so that record stays, and jordan's own
    Maya C., which nobody else has anything on, is the one to merge away."""
    mc, maya = jordans_maya
    (found,) = duplicates(cli, club.url("jordan"))
    assert (found["keep"]["id"], found["other"]["id"]) == (maya, mc)
    result = cli("--db", club.url("jordan"), "contact", "merge", str(maya), str(mc), "--dry-run")
    assert result.code == 0, result.err


def test_a_group_keeps_the_one_record_others_have_so_every_command_runs_in_turn(cli, club, jordans_maya):
    mc, maya = jordans_maya
    sam = club.url("sam")
    ok(cli, sam, "contact", "add", "M. Chen", "--company", "Spotify")
    m_chen = ids(club)["M. Chen"]
    found = duplicates(cli, sam)
    assert [(s["keep"]["id"], s["other"]["id"]) for s in found] == [(mc, maya), (mc, m_chen)]
    for suggestion in found:
        result = cli("--db", sam, "contact", "merge", str(suggestion["keep"]["id"]), str(suggestion["other"]["id"]))
        assert result.code == 0, result.err
    assert ids(club) == {"Maya C.": mc}


def test_when_others_have_both_records_the_pair_is_set_apart_without_a_command(cli, club, jordans_maya):
    mc, maya = jordans_maya
    ok(cli, club.url("jordan"), "log", "Maya Chen", "--kind", "message", "--date", "2026-11-22")
    sam = club.url("sam")
    assert duplicates(cli, sam) == []  # only merges that work
    result = cli("--db", sam, "contact", "list", "--duplicates")
    assert result.code == 0 and "Traceback" not in result.err
    assert result.out == (
        "Likely the same person, but other club members have both records in their networks, so you cannot"
        " merge them either way (keep both):\n"
        f"  #{maya} Maya Chen and #{mc} Maya C.: initial form of the name at Spotify\n"
    )
    assert "crm contact merge" not in result.out and "No likely duplicates" not in result.out
    for keep, other in ((mc, maya), (maya, mc)):  # and indeed neither way works
        assert cli("--db", sam, "contact", "merge", str(keep), str(other), "--dry-run").code == 2


def test_the_apps_merge_dialog_offers_what_works_and_not_a_pair_nobody_can_merge(cli, club, jordans_maya):
    """The app's "likely the same person" list comes from the same suggestions."""
    from crm.contacts.duplicates import find_duplicates
    from crm.contacts.merge import plan_merge
    from crm.store.store import Store
    from crm.tui.actions import likely_duplicates_of

    mc, maya = jordans_maya
    store = Store.from_option(club.url("sam"))
    try:
        offered = likely_duplicates_of(mc, find_duplicates(store.reader))
        assert [c.contact_id for c in offered] == [maya]
        assert plan_merge(store.reader, mc, maya).club  # merging what it offers into Maya C. works
        # From Maya Chen's page the group's keep (Maya C., in jordan's network) cannot be merged into her: not offered
        assert likely_duplicates_of(maya, find_duplicates(store.reader)) == []
        ok(cli, club.url("jordan"), "log", "Maya Chen", "--kind", "message", "--date", "2026-11-22")
        assert find_duplicates(store.reader) == []
        assert likely_duplicates_of(mc, find_duplicates(store.reader)) == []
        assert likely_duplicates_of(maya, find_duplicates(store.reader)) == []
    finally:
        store.close()


# -- elsewhere: nothing changes, and nothing is asked ----------------------------------------------------------------


def _two_mayas(cli, url: str) -> None:
    ok(cli, url, "contact", "add", "Maya C.", "--company", "Spotify", "--email", "maya@example.com")
    ok(cli, url, "log", "Maya C.", "--kind", "message", "--date", "2026-11-20")
    ok(cli, url, "contact", "add", "Maya Chen", "--company", "Spotify")


@pytest.mark.usefixtures("db_url")
def test_off_a_club_the_full_name_is_kept_as_before(cli, db_url):
    _two_mayas(cli, db_url)
    assert duplicates(cli, db_url) == [
        {"keep": {"id": 2, "name": "Maya Chen"}, "other": {"id": 1, "name": "Maya C."},
         "reason": "initial form of the name at Spotify", "score": 90},
    ]  # fmt: skip
    out = cli("--db", db_url, "contact", "list", "--duplicates").out
    assert "crm contact merge 2 1" in out and out.endswith("1 suggestion: check each, then run its command.\n")


def test_a_postgresql_database_that_is_no_clubs_runs_the_same_queries(cli, pg_url, monkeypatch):
    """One query reads everyone (it also says whether the database is a club's), three count the history: nothing
    asks the club's functions."""
    import crm.club
    import crm.contacts.merge
    from crm.contacts.duplicates import look_for_duplicates
    from crm.store.postgres import Reader
    from crm.store.store import Store

    _two_mayas(cli, pg_url)

    def never(*args, **kwargs):
        raise AssertionError("asked the club's rules off a club")

    monkeypatch.setattr(crm.club, "has_club_info", never)
    monkeypatch.setattr(crm.contacts.merge, "club_known", never)
    queries: list[str] = []
    real = Reader.execute
    monkeypatch.setattr(Reader, "execute", lambda self, sql, *a: queries.append(sql) or real(self, sql, *a))
    store = Store.from_option(pg_url)
    try:
        reader = store.reader  # opening it reads the schema's version
        queries.clear()
        found = look_for_duplicates(reader)
    finally:
        store.close()
    assert [(s.keep.name, s.other.name) for s in found.suggestions] == [("Maya Chen", "Maya C.")]
    assert found.unmergeable == []
    assert len(queries) == 4, queries


def test_duplicates_on_sqlite_never_import_the_club(cli, tmp_path):
    db = str(tmp_path / "laptop.db")
    _two_mayas(cli, db)
    code = (
        "import sys, json\nfrom crm.cli import main\n"
        f"try:\n    main(['--db', {db!r}, 'contact', 'list', '--duplicates'])\n"
        "except SystemExit as e:\n    assert e.code in (0, None), e.code\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('crm.club', 'crm.contacts.merge')))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert "crm contact merge 2 1" in done.stdout and json.loads(done.stdout.strip().splitlines()[-1]) == []
