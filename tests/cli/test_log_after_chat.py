"""`crm log` after a coffee chat: --advice, --suggested/--add-suggested, --promise, a next step with a date, and how
those promises are due (`crm due`), listed (`crm contact show`, `crm prep`), kept (`crm done --promise`), searched,
merged, exported and restored. Bad input exits 2 and writes nothing."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

CHAT = ("log", "maya", "--kind", "chat", "--date", "yesterday", "--notes", "15 min on playlist ranking")


@pytest.fixture
def people(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0  # 1
    assert cli("contact", "add", "Lee Park").code == 0  # 2
    return cli


def _json(cli, *args):
    result = cli(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_chat_with_everything_it_leaves_behind(people, db_path):
    cli = people
    result = cli(
        *CHAT, "--advice", "talk to the podcast team", "--suggested", "Jia Song, Spotify", "--suggested", "Lee Park",
        "--add-suggested", "--next-step", "send the skip-rate analysis by Friday", "--promise", "read her post",
        "--promise", "intro her to Sam @Dec 3",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "Logged chat with Maya Chen on 2026-11-24",
        "Promise #1: send the skip-rate analysis, due Fri Nov 27 (once kept: crm done 1 --promise 1)",
        "Promise #2: read her post, no date (once kept: crm done 1 --promise 2)",
        "Promise #3: intro her to Sam, due Thu Dec 3 (once kept: crm done 1 --promise 3)",
        "Added #3 Jia Song (Spotify), introduced by Maya Chen",
        "Linked #2 Lee Park: introduced by Maya Chen",
        "Next for Maya Chen: 2026-11-25 -- thank Maya for the chat on Nov 24",
    ]
    # Due: the thank-you today, the promise on Friday (the JSON shape of every due item).
    assert _json(cli, "due") == [
        {"contact_id": 1, "name": "Maya Chen", "company": "Spotify", "due": "2026-11-25",
         "reason": "thank Maya for the chat on Nov 24", "overdue": False},
        {"contact_id": 1, "name": "Maya Chen", "company": "Spotify", "due": "2026-11-27",
         "reason": "promise: send the skip-rate analysis", "overdue": False},
    ]  # fmt: skip
    assert "  #1  Maya Chen (Spotify)  Fri Nov 27  promise: send the skip-rate analysis" in cli("due").out
    assert [i["reason"] for i in _json(cli, "due", "--days", "10")][-1] == "promise: intro her to Sam"
    # Listed under the contact, dated first, with the ids `crm done --promise` takes.
    show = cli("contact", "show", "maya").out
    assert (
        "Open promises:\n  #1 due 2026-11-27: send the skip-rate analysis\n  #3 due 2026-12-03: intro her to Sam\n"
        "  #2 no date: read her post\n" in show
    )
    assert "      advice: talk to the podcast team\n" in show
    assert "      suggested: Jia Song (Spotify), Lee Park" in show
    data = _json(cli, "contact", "show", "maya")
    assert data["promises"][0] == {"id": 1, "text": "send the skip-rate analysis", "due": "2026-11-27",
                                   "noted_on": "2026-11-24"}  # fmt: skip
    assert data["interactions"][0]["advice"] == "talk to the podcast team"
    assert data["interactions"][0]["suggested"] == ["Jia Song (Spotify)", "Lee Park"]
    # Jia is a contact introduced by Maya: on her warm path.
    jia = _json(cli, "contact", "show", "jia")
    assert jia["source"] == "suggested by Maya Chen" and [s["name"] for s in jia["path"]] == ["Maya Chen", "Jia Song"]
    assert [s["name"] for s in _json(cli, "contact", "show", "lee")["path"]] == ["Maya Chen", "Lee Park"]
    # The prep brief lists the same open promises.
    prep = _json(cli, "prep", "maya")["open_promises"]
    assert [(p["next_step"], p["due"], p["id"]) for p in prep] == [
        ("send the skip-rate analysis", "2026-11-27", 1), ("intro her to Sam", "2026-12-03", 3), ("read her post", None, 2),
    ]  # fmt: skip
    assert "  - send the skip-rate analysis" in cli("prep", "maya").out
    # Advice and suggested names are searched.
    assert [(h["name"], h["source"]) for h in _json(cli, "search", "podcast")] == [("Maya Chen", "advice")]
    assert [h["source"] for h in _json(cli, "search", "jia")] == ["suggested"]


def test_done_with_a_promise_keeps_only_that_promise(people, db_path):
    cli = people
    assert cli(*CHAT, "--promise", "send the deck @fri").code == 0
    before = _json(cli, "contact", "show", "maya")["next_follow_up"]
    result = cli("done", "maya", "--promise", "1")
    assert result.code == 0, result.err
    assert result.out.startswith("Done: promise #1 to Maya Chen (send the deck).")
    assert [i["reason"] for i in _json(cli, "due", "--days", "30")] == ["thank Maya for the chat on Nov 24"]
    assert _json(cli, "contact", "show", "maya")["next_follow_up"] == before  # the follow-up is untouched
    assert _json(cli, "contact", "show", "maya")["promises"] == []
    # `crm done CONTACT` still completes the follow-up, as before.
    assert cli("done", "maya").out.startswith("Done. Next for Maya Chen:")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("done", "maya", "--promise", "7"), "no promise to Maya Chen has id 7: Maya Chen's open promises: 1 'send"),
        (("done", "lee", "--promise", "1"), "no promise to Lee Park has id 1: Lee Park has no open promises"),
        (("done", "maya", "--promise", "x"), "'x' is not a valid integer"),
    ],
)
def test_done_with_a_wrong_promise(people, db_path, args, message):
    cli = people
    assert cli(*CHAT, "--promise", "send the deck @fri").code == 0
    before = dump(db_path)
    result = cli(*args)
    assert result.code == 2 and message in result.err and len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_a_promise_kept_twice(people):
    cli = people
    assert cli(*CHAT, "--promise", "send the deck").code == 0
    assert cli("done", "maya", "--promise", "1").code == 0
    result = cli("done", "maya", "--promise", "1")
    assert result.code == 2 and "was done on 2026-11-25" in result.err


def test_suggested_names_without_adding_them_are_only_noted(people):
    cli = people
    result = cli(*CHAT, "--suggested", "Jia Song (Spotify)")
    assert result.code == 0
    assert "Suggested: Jia Song (Spotify) (--add-suggested adds them as contacts introduced by Maya Chen)" in result.out
    assert cli("contact", "show", "jia").code == 2  # nobody was added


BAD = [
    (("--next-step-due", "someday", "--next-step", "x"), "'someday' is not a date I understand"),
    (("--promise", "send the deck @someday"), "after ' @' comes the date it is due"),
    (("--promise", "send the deck @2026-11-01"), "before it was promised (2026-11-24)"),
    (("--promise", ""), "a promise needs some text"),
    (("--promise", " @fri"), "a promise needs some text"),
    (("--next-step-due", "fri"), "--next-step-due needs a --next-step"),
    (("--next-step", "x", "--next-step-due", "2026-11-01"), "before it was promised"),
    (("--add-suggested",), "--add-suggested adds the --suggested people"),
    (("--suggested", ", Spotify"), "names nobody"),
    (("--suggested", "Jia Song", "--add-suggested"), "'Jia Song' names 2 contacts: #3 Jia Song (Spotify); #4 Jia Song"),
    (("--suggested", "Maya Chen", "--add-suggested"), "cannot suggest talking to themselves"),
]


@pytest.mark.parametrize(("extra", "message"), BAD, ids=[b[1][:30] for b in BAD])
def test_bad_input_exits_2_and_writes_nothing(people, db_path, extra, message):
    cli = people
    assert cli("contact", "add", "Jia Song", "--company", "Spotify").code == 0
    assert cli("contact", "add", "Jia Song", "--company", "Netflix").code == 0
    before = dump(db_path)
    result = cli(*CHAT, *extra)
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_advice_is_not_for_a_message_i_sent(people, db_path):
    before = dump(db_path)
    result = people("log", "maya", "--kind", "message", "--advice", "be concise")
    assert result.code == 2 and "--advice is what they said" in result.err
    assert dump(db_path) == before


def test_log_help_documents_the_syntax(cli):
    out = cli("log", "--help").out
    for text in ("--advice", "--suggested 'NAME[, COMPANY]'", "--add-suggested", "--promise 'TEXT[ @DATE]'",
                 "--next-step-due DATE", "crm done CONTACT --promise ID", "'by next Friday'"):  # fmt: skip
        assert text in " ".join(out.split()), text
    assert "--promise ID" in " ".join(cli("done", "--help").out.split())


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_promises_merge_export_restore_and_ics(people, tmp_path, db_path):
    cli = people
    assert cli(*CHAT, "--advice", "ship small", "--suggested", "Jia Song", "--promise", "send the deck @fri").code == 0
    assert cli("contact", "add", "Maya C.").code == 0  # 3
    assert cli("log", "3", "--kind", "chat", "--notes", "n", "--promise", "read her post").code == 0
    merged = cli("contact", "merge", "1", "3")
    assert merged.code == 0 and "moves 1 interaction, 1 promise" in merged.out
    assert [p["text"] for p in _json(cli, "contact", "show", "1")["promises"]] == ["send the deck", "read her post"]
    # The JSON export has them, and a restore brings every row back.
    exported = tmp_path / "all.json"
    assert cli("export", "json", str(exported)).code == 0
    data = json.loads(exported.read_text())
    assert [(p["text"], p["due"], p["contact_id"]) for p in data["promises"]] == [
        ("send the deck", "2026-11-27", 1), ("read her post", None, 1),
    ]  # fmt: skip
    assert data["interactions"][0]["advice"] == "ship small" and data["interactions"][0]["suggested"] == "Jia Song"
    restored = tmp_path / "restored.db"
    assert cli("--db", str(restored), "restore", str(exported)).code == 0
    for table in ("promise", "interaction"):
        with sqlite3.connect(db_path) as a, sqlite3.connect(restored) as b:
            query = f"SELECT * FROM {table} ORDER BY id"
            assert a.execute(query).fetchall() == b.execute(query).fetchall()
    assert [h["source"] for h in _json(cli, "--db", str(restored), "search", "ship")] == ["advice"]
    # A dated promise is a to-do in the calendar export too.
    ics = tmp_path / "f.ics"
    assert cli("export", "ics", str(ics)).code == 0
    text = ics.read_text()
    assert "SUMMARY:Maya Chen: promise: send the deck" in text and "UID:follow-up-1-promise-1@crm" in text
    # Forgetting Maya deletes her promises with her.
    assert cli("contact", "forget", "maya", "--yes").code == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM promise").fetchone() == (0,)


def test_an_undated_next_step_is_listed_until_i_write_again(people):
    cli = people
    assert cli(*CHAT, "--next-step", "send the deck by next Friday", "--promise", "read her post").code == 0
    show = cli("contact", "show", "maya").out
    assert "  #1 no date: read her post\n" in show
    assert "  next step of the chat on 2026-11-24: send the deck by next Friday (open until you next write)\n" in show
    prep = cli("prep", "maya").out
    assert "  - read her post (promised Nov 24)\n" in prep and "  - send the deck by next Friday (chat on Nov 24)" in prep
    assert [p["id"] for p in _json(cli, "contact", "show", "maya")["promises"]] == [None, 1]  # the next step first
    assert cli("log", "maya", "--kind", "message").code == 0  # my next message keeps the undated next step
    assert [p["text"] for p in _json(cli, "contact", "show", "maya")["promises"]] == ["read her post"]
    assert [i["reason"] for i in _json(cli, "due", "--days", "30") if i["reason"].startswith("promise")] == []
