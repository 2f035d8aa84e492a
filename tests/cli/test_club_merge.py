"""Merging in a club (issue 15): a member merges away only a record no other member has anything on.

jordan adds Maya Chen (an email, a hook) and messages her; sam adds "Maya C." as a second record of her. sam cannot
move jordan's private rows, so merging jordan's Maya away would leave her shared record standing for jordan,
stripped of her hook, beside sam's carrying the same email: refused in one line, before anything changes, saying
to merge the other way round. On SQLite and on a PostgreSQL database that is no club's nothing changes
(tests/cli/test_merge.py runs on both).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest

from tests.club import Club
from tests.tui.conftest import contact_id, open_contact, type_text

MAYA_EMAIL = "maya@example.com"


def everything(club: Club) -> dict[str, list[tuple]]:
    """Every row of every table, read as the superuser (past every member's policies): equal means nothing written."""
    with psycopg.connect(club.cluster.url(club.database), autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")]  # fmt: skip
        return {table: conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall() for table in tables}


def shared_records(club: Club) -> list[tuple]:
    with club.connect("jordan") as conn:
        return conn.execute("SELECT id, name, email, linkedin_url FROM club_contact ORDER BY id").fetchall()


@pytest.fixture
def two_mayas(cli, club: Club) -> tuple[int, int]:
    """jordan's Maya Chen (#maya: an email, a hook, a message) and sam's Maya C. (#mc, sam's alone); returns ids."""

    def run(member: str, *args: str) -> None:
        result = cli("--db", club.url(member), *args)
        assert result.code == 0, (args, result.err)

    run("jordan", "contact", "add", "Maya Chen", "--company", "Spotify", "--email", MAYA_EMAIL)
    run("jordan", "hook", "add", "maya chen", "post on reducing playlist-loading latency", "--date", "2026-10-02")
    run("jordan", "log", "maya chen", "--kind", "message", "--date", "2026-11-20")
    run("jordan", "me", "--name", "Jordan Lee", "--school", "MIT", "--year", "junior", "--major", "Course 6",
        "--target", "product internships")  # fmt: skip
    run("jordan", "project", "add", "Playlist cache", "--result", "cut load time from 3.2s to 1.4s")
    run("sam", "contact", "add", "Maya C.", "--company", "Spotify", "--team", "Personalization")
    run("sam", "log", "Maya C.", "--kind", "note", "--notes", "met at the career fair")
    (maya,), (mc,) = [(row[0],) for row in shared_records(club)]
    return maya, mc


def _jordans_maya_is_whole(cli, club: Club, tmp_path) -> None:
    """jordan's Maya keeps her hook (a nudge drafts), and every export and copy of either member works."""
    jordan, sam = club.url("jordan"), club.url("sam")
    shown = json.loads(cli("--db", jordan, "contact", "show", "Maya Chen", "--json").out)
    assert [h["text"] for h in shown["hooks"]] == ["post on reducing playlist-loading latency"]
    assert [i["kind"] for i in shown["interactions"]] == ["message"]
    nudge = cli("--db", jordan, "draft", "Maya Chen", "--template", "nudge")
    assert nudge.code in (0, 1) and "no research hook" not in nudge.err, nudge.err
    emails = [email for _, _, email, _ in shared_records(club) if email]
    assert len(emails) == len(set(emails)), shared_records(club)
    for who, url in (("jordan", jordan), ("sam", sam)):
        result = cli("--db", url, "export", "json", str(tmp_path / f"{who}.json"))
        assert result.code == 0, result.err
    result = cli("--db", jordan, "db", "copy", jordan, str(tmp_path / "jordan.db"))
    assert result.code == 0, result.err
    result = cli("--db", str(tmp_path / "restored.db"), "restore", str(tmp_path / "jordan.json"))
    assert result.code == 0, result.err


# -- refused: the record another member uses -------------------------------------------------------------------------


@pytest.mark.parametrize("dry_run", [False, True])
def test_merging_away_another_members_alum_is_refused_in_one_line(cli, club, two_mayas, tmp_path, dry_run):
    maya, mc = two_mayas
    before = everything(club)
    result = cli("--db", club.url("sam"), "contact", "merge", "Maya C.", "Maya Chen", *(["--dry-run"] * dry_run))
    assert result.code == 2 and result.out == ""
    assert result.err == (
        f"crm: cannot merge #{maya} Maya Chen into #{mc} Maya C.: another club member has #{maya} Maya Chen in their"
        f" network, so it must stay; merge the other way round, keeping #{maya} Maya Chen:"
        f" `crm contact merge {maya} {mc}`\n"
    )
    assert everything(club) == before
    _jordans_maya_is_whole(cli, club, tmp_path)


def test_when_both_are_in_other_members_networks_no_member_can_merge_them(cli, club, two_mayas):
    maya, mc = two_mayas
    assert cli("--db", club.url("jordan"), "log", "Maya C.", "--kind", "message", "--date", "2026-11-22").code == 0
    before = everything(club)
    for keep, other in (("Maya C.", "Maya Chen"), ("Maya Chen", "Maya C.")):  # jordan has something on both
        for dry_run in ([], ["--dry-run"]):
            result = cli("--db", club.url("sam"), "contact", "merge", keep, other, *dry_run)
            assert result.code == 2 and result.out == "", keep
            assert result.err.count("\n") == 1 and "Traceback" not in result.err
            assert "other club members have both in their networks" in result.err
            assert "you cannot merge these two either way: keep both" in result.err
    assert everything(club) == before


# -- allowed: the other way round, and records nobody else has ------------------------------------------------------


def test_merging_the_other_way_round_keeps_the_shared_alum_and_deletes_only_sams_record(cli, club, two_mayas, tmp_path):
    maya, mc = two_mayas
    sam = club.url("sam")
    result = cli("--db", sam, "contact", "merge", "Maya Chen", "Maya C.")
    assert result.code == 0, result.err
    assert f"Merged #{mc} Maya C. into #{maya} Maya Chen:" in result.out and f"Deleted #{mc} Maya C." in result.out
    assert shared_records(club) == [(maya, "Maya Chen", MAYA_EMAIL, None)]  # sam's record is gone, for everyone
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT team FROM club_contact").fetchone() == ("Personalization",)  # filled in
    kept = json.loads(cli("--db", sam, "contact", "show", "Maya Chen", "--json").out)
    assert [i["notes"] for i in kept["interactions"]] == ["met at the career fair"]  # sam's own history moved
    _jordans_maya_is_whole(cli, club, tmp_path)
    jordans = json.loads(cli("--db", club.url("jordan"), "contact", "show", "Maya Chen", "--json").out)
    assert [i["kind"] for i in jordans["interactions"]] == ["message"]  # nothing of sam's reaches jordan


def test_two_records_nobody_else_has_merge_as_on_a_laptop(cli, club, tmp_path):
    sam = club.url("sam")
    for args in (
        ["contact", "add", "Ivan Petrov", "--company", "Spotify"],
        ["contact", "add", "Ivan P.", "--email", "ivan@example.com", "--linkedin", "linkedin.com/in/ivan-p"],
        ["hook", "add", "Ivan P.", "a talk on ranking"],
        ["log", "Ivan P.", "--kind", "chat", "--date", "2026-11-20", "--notes", "good chat"],
    ):
        assert cli("--db", sam, *args).code == 0, args
    (ivan, _, _, _), (ivan_p, _, _, _) = shared_records(club)
    result = cli("--db", sam, "contact", "merge", "Ivan Petrov", "Ivan P.")
    assert result.code == 0, result.err
    assert "moves 1 interaction, 1 hook" in result.out and f"Deleted #{ivan_p} Ivan P." in result.out
    assert shared_records(club) == [(ivan, "Ivan Petrov", "ivan@example.com", "https://www.linkedin.com/in/ivan-p")]
    shown = json.loads(cli("--db", sam, "contact", "show", "Ivan", "--json").out)
    assert [h["text"] for h in shown["hooks"]] == ["a talk on ranking"] and shown["stage"] == "chatted"
    with club.connect("jordan") as conn:
        assert conn.execute("SELECT contact_id, member, kind FROM touch").fetchall() == [(ivan, "sam", "chat")]
    assert cli("--db", sam, "export", "json", str(tmp_path / "sam.json")).code == 0


def test_if_the_record_is_still_there_after_the_delete_nothing_is_written(cli, club, two_mayas, monkeypatch):
    """Should another member's row appear between the check and the delete, KEEP must not take OTHER's email while
    OTHER's shared record stays: the whole merge is rolled back."""
    import crm.contacts.merge as merge

    maya, mc = two_mayas
    monkeypatch.setattr(merge, "_in_use", lambda *args: False)  # the check misses jordan's rows
    before = everything(club)
    result = cli("--db", club.url("sam"), "contact", "merge", "Maya C.", "Maya Chen")
    assert result.code == 2 and result.out == "" and result.err.count("\n") == 1
    assert f"another club member now has #{maya} Maya Chen in their network" in result.err
    assert everything(club) == before


# -- elsewhere: nothing changes --------------------------------------------------------------------------------------


def test_a_merge_on_sqlite_never_imports_the_club(cli, tmp_path):
    db = str(tmp_path / "laptop.db")
    assert cli("--db", db, "contact", "add", "Maya Chen", "--email", MAYA_EMAIL).code == 0
    assert cli("--db", db, "contact", "add", "Maya C.").code == 0
    code = (
        "import sys, json\nfrom crm.cli import main\n"
        f"try:\n    main(['--db', {db!r}, 'contact', 'merge', 'Maya C.', 'Maya Chen'])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('crm.club'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    assert "Deleted #1 Maya Chen" in done.stdout and json.loads(done.stdout.strip().splitlines()[-1]) == []


# -- the app: the same refusal in the merge dialog -------------------------------------------------------------------


async def test_the_apps_merge_refuses_the_same_way_and_writes_nothing(club, two_mayas):
    from textual.widgets import Button, Static

    from crm.store.store import Store
    from crm.tui.app import CrmApp
    from crm.tui.screens.merge import MergeModal
    from tests.conftest import TODAY

    maya, mc = two_mayas
    before = everything(club)
    store = Store.from_option(club.url("sam"))
    app = CrmApp(store, TODAY)
    try:
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.pause()
            assert contact_id(app, "Maya C.") == mc
            await open_contact(pilot, "Maya C.")
            await pilot.press("m")
            await app.workers.wait_for_complete()
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, MergeModal)
            await type_text(pilot, "maya chen")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            error = str(modal.query_one("#merge-error", Static).render())
            assert error.startswith(f"cannot merge #{maya} Maya Chen into #{mc} Maya C.: another club member")
            assert f"`crm contact merge {maya} {mc}`" in error
            assert modal.query_one("#merge-button", Button).disabled
            await pilot.press("ctrl+s")  # the merge key: there is nothing to merge
            await pilot.pause()
            assert app.screen is modal
    finally:
        store.close()
    assert everything(club) == before
