"""`crm contact ...`, `crm hook add`, `crm me`, `crm project`: the happy paths and the JSON contract."""

import json

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def test_add_show_and_list_json(cli, demo_net):
    rows = json.loads(cli("contact", "list", "--json").out)
    assert [r["name"] for r in rows] == ["Ivan Petrov", "Jia Song", "Maya Chen"]
    required = {"id", "name", "email", "company", "team", "role", "stage", "last_interaction", "next_follow_up"}
    assert all(required <= set(r) for r in rows)
    by_name = {r["name"]: r for r in rows}
    assert by_name["Maya Chen"]["stage"] == "contacted"
    assert by_name["Maya Chen"]["last_interaction"] == "2026-11-16"
    assert by_name["Ivan Petrov"]["stage"] == "chatted"
    assert by_name["Jia Song"]["stage"] == "identified"
    assert by_name["Jia Song"]["last_interaction"] is None

    shown = json.loads(cli("contact", "show", "maya", "--json").out)
    assert shown["email"] == "maya@example.com"
    assert shown["tags"] == ["mit"]
    assert shown["hooks"] == [
        {"text": "post on reducing playlist-loading latency", "url": None, "date": "2026-10-02", "question": None}
    ]
    assert [i["kind"] for i in shown["interactions"]] == ["message"]


def test_timeline_is_newest_first(cli, demo_net):
    cli("log", "ivan", "--kind", "note", "--date", "2026-11-01", "--notes", "older note")
    cli("log", "ivan", "--kind", "reply", "--date", "2026-11-22")
    shown = json.loads(cli("contact", "show", "ivan", "--json").out)
    assert [i["date"] for i in shown["interactions"]] == ["2026-11-22", "2026-11-20", "2026-11-01"]
    assert shown["interactions"][1]["notes"] == "15 min chat"


def test_resolve_by_id_email_linkedin_and_name_part(cli, demo_net):
    for query in ("1", "#1", "MAYA@example.com", "maya", "chen", "MAYA CHEN"):
        assert json.loads(cli("contact", "show", query, "--json").out)["name"] == "Maya Chen", query
    for query in (
        "linkedin.com/in/ivan-petrov",
        "https://linkedin.com/in/Ivan-Petrov/",
        "http://www.linkedin.com/in/ivan-petrov?trk=x",
    ):
        assert json.loads(cli("contact", "show", query, "--json").out)["name"] == "Ivan Petrov", query


def test_exact_full_name_beats_longer_names(cli):
    cli("contact", "add", "Ana Li")
    cli("contact", "add", "Ana Lima")
    assert json.loads(cli("contact", "show", "ana li", "--json").out)["name"] == "Ana Li"


def test_search_and_tag_filters(cli, demo_net):
    names = lambda *args: [r["name"] for r in json.loads(cli("contact", "list", *args, "--json").out)]  # noqa: E731
    assert names("--search", "spotify") == ["Ivan Petrov", "Maya Chen"]
    assert names("--search", "latency") == ["Maya Chen"]  # hook text
    assert names("--search", "DISCOVERY") == ["Ivan Petrov"]
    assert names("--tag", "mit") == ["Maya Chen"]
    assert names("--search", "nobody-matches") == []
    assert "No contacts match" in cli("contact", "list", "--search", "nobody").out


def test_edit_sets_clears_and_tags(cli, demo_net):
    assert (
        cli("contact", "edit", "maya", "--role", "Senior PM", "--team", "", "--tag", "spotify", "--untag", "mit").code
        == 0
    )
    shown = json.loads(cli("contact", "show", "maya", "--json").out)
    assert shown["role"] == "Senior PM"
    assert shown["team"] is None
    assert shown["tags"] == ["spotify"]


def test_introduced_by_links_two_contacts(cli, demo_net):
    assert cli("contact", "edit", "jia", "--introduced-by", "ivan").code == 0
    assert json.loads(cli("contact", "show", "jia", "--json").out)["introduced_by"]["name"] == "Ivan Petrov"


def test_archive_hides_and_undo_restores(cli, demo_net):
    assert cli("contact", "archive", "jia").code == 0
    assert "Jia Song" not in cli("contact", "list").out
    assert "Jia Song" in cli("contact", "list", "--archived").out
    assert json.loads(cli("contact", "show", "jia", "--json").out)["archived"] is True
    cli("contact", "archive", "jia", "--undo")
    assert "Jia Song" in cli("contact", "list").out


def test_forget_deletes_the_whole_history(cli, demo_net, db_path):
    result = cli("contact", "forget", "maya")
    assert result.code == 2 and "--yes" in result.err
    assert cli("contact", "forget", "maya", "--yes").code == 0
    assert "Maya" not in dump(db_path).split('INSERT INTO "alembic_version"')[0]
    assert "playlist-loading" not in dump(db_path)
    assert cli("contact", "show", "maya").code == 2


def test_human_output_reads_well(cli, demo_net):
    out = cli("contact", "show", "ivan").out
    assert "Ivan Petrov -- Discovery, Spotify" in out
    assert "2026-11-20  chat" in out and "notes: 15 min chat" in out
    listing = cli("contact", "list").out.splitlines()
    assert listing[0].split() == ["id", "name", "company", "team", "stage", "last", "next"]


def test_notes_from_stdin(cli, demo_net):
    assert cli("log", "jia", "--kind", "note", "--notes", "-", stdin="line one\nline two\n").code == 0
    assert json.loads(cli("contact", "show", "jia", "--json").out)["interactions"][0]["notes"] == "line one\nline two"


def test_intro_creates_the_introduced_person(cli, demo_net):
    result = cli("log", "ivan", "--kind", "intro", "--intro-to", "Priya Raman", "--date", "yesterday")
    assert result.code == 0, result.err
    priya = json.loads(cli("contact", "show", "priya", "--json").out)
    assert priya["introduced_by"]["name"] == "Ivan Petrov"
    ivan = json.loads(cli("contact", "show", "ivan", "--json").out)
    assert ivan["stage"] == "advocate"
    assert ivan["interactions"][0]["intro_to"]["name"] == "Priya Raman"
    # An intro to someone already known links them instead of duplicating.
    cli("log", "maya", "--kind", "intro", "--intro-to", "jia song")
    assert len(json.loads(cli("contact", "list", "--search", "jia", "--json").out)) == 1


def test_me_and_projects(cli):
    assert cli("me", "--name", "Sam Rivera", "--school", "MIT", "--year", "junior", "--major", "Course 6-3",
               "--target", "PM at Spotify").code == 0  # fmt: skip
    assert json.loads(cli("me", "--json").out) == {
        "name": "Sam Rivera", "school": "MIT", "year": "junior", "major": "Course 6-3", "target": "PM at Spotify",
    }  # fmt: skip
    assert cli("project", "add", "Campus music app", "--result", "cut load time from 3.2s to 1.4s").code == 0
    projects = json.loads(cli("project", "list", "--json").out)
    assert projects[0]["result"] == "cut load time from 3.2s to 1.4s"


def test_search_matches_every_word_in_any_field(cli, demo_net):
    names = [r["name"] for r in json.loads(cli("contact", "list", "--search", "spotify discovery", "--json").out)]
    assert names == ["Ivan Petrov"]
    names = [r["name"] for r in json.loads(cli("contact", "list", "--search", "latency MIT", "--json").out)]
    assert names == ["Maya Chen"]  # a hook word and a tag


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_contact_list_json_is_the_same_from_sqlite_and_from_python(cli, demo_net, db_path):
    """Piped, `contact list --json` prints SQLite's JSON as it comes; read back it equals the Python rows."""
    import sqlite3

    from crm.contacts.reads import list_contacts
    from tests.conftest import TODAY

    piped = json.loads(cli("contact", "list", "--json").out)
    with sqlite3.connect(db_path) as conn:
        assert piped == list_contacts(conn, today=TODAY) and len(piped) == 3
    assert piped[0]["tags"] == [] and isinstance(piped[0]["archived"], bool)
    assert [r["name"] for r in json.loads(cli("contact", "list", "--tag", "mit", "--json").out)] == ["Maya Chen"]


def test_a_conversation_quiet_for_90_days_reads_dormant_everywhere(cli):
    """One rule (crm.contacts.reads.stage_sql) for the list and the profile alike."""
    assert cli("contact", "add", "Old Friend").code == 0
    assert cli("log", "old", "--kind", "chat", "--date", "2026-08-26", "--notes", "long ago").code == 0  # 91 days
    assert cli("contact", "add", "Recent Friend").code == 0
    assert cli("log", "recent", "--kind", "chat", "--date", "2026-08-27", "--notes", "90 days ago").code == 0
    stages = {r["name"]: r["stage"] for r in json.loads(cli("contact", "list", "--json").out)}
    assert stages == {"Old Friend": "dormant", "Recent Friend": "chatted"}
    assert json.loads(cli("contact", "show", "old", "--json").out)["stage"] == "dormant"
    assert json.loads(cli("contact", "show", "recent", "--json").out)["stage"] == "chatted"


def test_multi_line_notes_are_indented_under_their_entry(cli, demo_net):
    cli("log", "ivan", "--kind", "note", "--date", "2026-11-21", "--notes", "first line\nsecond line\n  third, indented")
    shown = cli("contact", "show", "ivan").out.splitlines()
    at = shown.index("      notes: first line")
    assert shown[at + 1] == "             second line"
    assert shown[at + 2] == "               third, indented"
    assert shown[at + 3].startswith("  2026-11-20")  # the next entry, not a stray line at the margin
