"""`crm contact merge KEEP OTHER` and `crm contact list --duplicates`: one person twice becomes one, in one transaction."""

import json
import sqlite3

import pytest

from tests.conftest import dump, query_db

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def show(cli, query):
    result = cli("contact", "show", query, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def contact_row(db_path, contact_id, *columns):
    rows = query_db(db_path, f"SELECT {', '.join(columns)} FROM contact WHERE id = ?", (contact_id,))
    return rows[0] if rows else None


@pytest.fixture
def pair(cli):
    """#1 Maya Chen (KEEP: messaged, a hook, tag mit) and #2 Maya C. (OTHER: a chat, a hook, tags, other fields)."""
    ok = lambda *args: cli(*args).code == 0  # noqa: E731
    assert ok("contact", "add", "Maya Chen", "--company", "Spotify", "--email", "maya@example.com", "--role", "PM",
              "--tag", "mit")  # fmt: skip
    assert ok("contact", "add", "Maya C.", "--company", "Spotify", "--email", "maya@old.com", "--team",
              "Personalization", "--location", "Stockholm", "--tag", "mit", "--tag", "mentor",
              "--linkedin", "linkedin.com/in/maya-c", "--notes", "met at the career fair")  # fmt: skip
    assert ok("hook", "add", "1", "post on reducing playlist-loading latency", "--date", "2026-10-02")
    assert ok("hook", "add", "2", "talk on podcast discovery")
    assert ok("log", "1", "--kind", "message", "--date", "2026-11-10")
    assert ok("log", "2", "--kind", "chat", "--date", "2026-11-20", "--notes", "walked me through playlist ranking",
              "--takeaways", "measure before you cut")  # fmt: skip


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_merge_moves_everything_into_keep_and_deletes_other(cli, pair, db_path):
    result = cli("contact", "merge", "maya chen", "maya c.")
    assert result.code == 0, result.err
    assert result.out.startswith("Merged #2 Maya C. into #1 Maya Chen:\n")
    assert "  moves 1 interaction, 1 hook\n" in result.out
    assert "  tags added: mentor\n" in result.out
    assert "fields taken from #2: linkedin https://www.linkedin.com/in/maya-c; team Personalization; " in result.out
    assert "conflicts, #1's values kept (#2's go into #1's notes): email maya@old.com\n" in result.out
    assert "Deleted #2 Maya C.\nNext for Maya Chen: 2026-11-21 -- thank Maya for the chat on Nov 20" in result.out

    maya = show(cli, "1")
    assert maya["name"] == "Maya Chen" and maya["email"] == "maya@example.com"  # KEEP wins
    assert (maya["role"], maya["team"], maya["location"]) == ("PM", "Personalization", "Stockholm")  # filled in
    assert maya["linkedin_url"] == "https://www.linkedin.com/in/maya-c"
    assert maya["notes"] == "met at the career fair\nmerged from Maya C. (#2): email maya@old.com"
    assert maya["tags"] == ["mentor", "mit"]
    assert [h["text"] for h in maya["hooks"]] == [
        "post on reducing playlist-loading latency",
        "talk on podcast discovery",
    ]
    assert [(i["kind"], i["date"]) for i in maya["interactions"]] == [("chat", "2026-11-20"), ("message", "2026-11-10")]
    assert maya["stage"] == "chatted"
    assert contact_row(db_path, 1, "next_follow_up", "next_follow_up_reason") == (
        "2026-11-21", "thank Maya for the chat on Nov 20"
    )  # fmt: skip

    gone = cli("contact", "show", "2")
    assert gone.code == 2 and "no contact has id 2" in gone.err
    assert cli("contact", "show", "maya@old.com").code == 2
    # OTHER's email and URL now find KEEP (the URL moved; the email is in the notes, not a lookup)
    assert show(cli, "linkedin.com/in/maya-c")["id"] == 1
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM contact_tag WHERE contact_id = 2").fetchone() == (0,)


def test_search_finds_others_notes_and_hooks_under_keep(cli, pair):
    assert [h["contact_id"] for h in json.loads(cli("search", "ranking", "--json").out)] == [2]
    assert cli("contact", "merge", "1", "2").code == 0
    hits = json.loads(cli("search", "ranking", "--json").out)
    assert [(h["contact_id"], h["name"], h["source"]) for h in hits] == [(1, "Maya Chen", "note")]
    assert [h["contact_id"] for h in json.loads(cli("search", "measure before", "--json").out)] == [1]
    assert [h["contact_id"] for h in json.loads(cli("search", "podcast", "--json").out)] == [1]  # a hook
    assert "#1 Maya Chen (Spotify) · note 2026-11-20" in cli("search", "playlist ranking").out


def test_dry_run_says_what_would_happen_and_writes_nothing(cli, pair, db_path):
    before = dump(db_path)
    result = cli("contact", "merge", "1", "2", "--dry-run")
    assert result.code == 0, result.err
    assert result.out.startswith("Would merge #2 Maya C. into #1 Maya Chen:\n  moves 1 interaction, 1 hook\n")
    assert "email maya@old.com" in result.out
    assert result.out.endswith("Would then delete #2 Maya C. (dry run: nothing was written)\n")
    assert dump(db_path) == before
    # and it says the same as the merge itself
    merged = cli("contact", "merge", "1", "2")
    assert merged.out.splitlines()[1:-2] == result.out.splitlines()[1:-1]


@pytest.mark.parametrize(
    ("keep", "other", "says"),
    [
        ("1", "1", "Maya Chen (#1) is the same contact twice"),
        ("maya chen", "#1", "Maya Chen (#1) is the same contact twice"),
        ("maya@example.com", "MAYA CHEN", "same contact twice"),
        ("1", "99", "no contact has id 99"),
        ("nobody", "1", "no contact matches 'nobody'"),
        ("maya", "2", "'maya' matches 2 contacts"),
        ("1", "ghost@example.com", "no contact has the email ghost@example.com"),
        ("", "2", "no contact given"),
    ],
)
@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_bad_contacts_exit_2_and_write_nothing(cli, pair, db_path, keep, other, says, dry_run):
    before = dump(db_path)
    result = cli("contact", "merge", keep, other, *dry_run)
    assert result.code == 2
    assert says in result.err and result.err.count("\n") == 1
    assert dump(db_path) == before


def test_a_failure_midway_rolls_the_whole_merge_back(cli, pair, db_path, monkeypatch):
    import crm.followups.writes
    from crm.errors import CrmError

    def fail(*args, **kwargs):
        raise CrmError("the disk fell off")

    before = dump(db_path)
    monkeypatch.setattr(crm.followups.writes, "refresh_contact", fail)  # after everything has moved
    result = cli("contact", "merge", "1", "2")
    assert result.code == 2 and "the disk fell off" in result.err
    assert dump(db_path) == before


def test_merging_into_an_archived_contact_keeps_it_archived_and_never_due(cli, pair, db_path):
    assert cli("contact", "archive", "1").code == 0
    result = cli("contact", "merge", "1", "2")
    assert result.code == 0, result.err
    assert "#1 is archived, so nothing will be due: `crm contact archive 1 --undo` brings them back" in result.out
    assert "Next for Maya Chen: nothing scheduled" in result.out
    maya = show(cli, "1")
    assert maya["archived"] and maya["next_follow_up"] is None
    assert len(maya["interactions"]) == 2
    assert json.loads(cli("due", "--json").out) == []
    assert cli("contact", "archive", "1", "--undo").code == 0
    assert contact_row(db_path, 1, "next_follow_up")[0] == "2026-11-21"  # the history came along


def test_an_archived_other_merges_into_an_active_keep(cli, pair):
    assert cli("contact", "archive", "2").code == 0
    assert cli("contact", "merge", "1", "2").code == 0
    maya = show(cli, "1")
    assert not maya["archived"] and maya["next_follow_up"] == "2026-11-21"


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_both_have_the_same_tag(cli, pair, db_path):
    result = cli("contact", "merge", "1", "2")
    assert result.code == 0, result.err
    assert show(cli, "1")["tags"] == ["mentor", "mit"]
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT contact_id, tag FROM contact_tag ORDER BY tag").fetchall() == [
            (1, "mentor"), (1, "mit")
        ]  # fmt: skip


def test_only_shared_tags_add_nothing(cli):
    cli("contact", "add", "A One", "--tag", "x")
    cli("contact", "add", "A Two", "--tag", "x")
    result = cli("contact", "merge", "1", "2")
    assert "tags added" not in result.out and "moves no history" in result.out
    assert show(cli, "1")["tags"] == ["x"]


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_both_have_drafts(cli, db_path):
    cli("me", "--name", "Sam Lee", "--school", "MIT", "--year", "junior", "--major", "Course 6", "--target", "PM")
    cli("project", "add", "Ranking app", "--result", "cut load time by 50%")
    for name in ("Maya Chen", "Maya C."):
        assert cli("contact", "add", name, "--company", "Spotify").code == 0
    for cid, hook in (("1", "post on playlist latency"), ("2", "talk on podcast discovery")):
        assert cli("hook", "add", cid, hook, "--question", "how do you measure it").code == 0
        sent = cli("draft", cid, "--send")
        assert sent.code == 0, sent.out + sent.err
    result = cli("contact", "merge", "1", "2")
    assert result.code == 0, result.err
    assert "moves 1 interaction, 1 hook, 1 draft" in result.out
    with sqlite3.connect(db_path) as conn:
        drafts = conn.execute(
            "SELECT d.contact_id, i.contact_id FROM draft AS d JOIN interaction AS i ON i.id = d.interaction_id"
        ).fetchall()
    assert drafts == [(1, 1), (1, 1)]  # each still tied to the message it logged
    # two first messages and no reply: one nudge was sent (the second message), so nothing more is scheduled
    assert show(cli, "1")["next_follow_up"] is None


def test_other_introduced_keep(cli, db_path):
    """A cycle: OTHER introduced KEEP, so after the merge the person would have introduced themselves."""
    cli("contact", "add", "Lena Park", "--company", "Google")
    cli("contact", "add", "Maya C.", "--company", "Spotify", "--introduced-by", "lena")
    # Maya C. (#2) introduced me to Maya Chen (#3): one person recorded twice
    assert cli("log", "maya c.", "--kind", "intro", "--date", "2026-11-20", "--intro-to", "Maya Chen").code == 0
    assert show(cli, "Maya Chen")["introduced_by"] == {"id": 2, "name": "Maya C."}

    result = cli("contact", "merge", "Maya Chen", "Maya C.")
    assert result.code == 0, result.err
    assert "#3 was introduced by #2, who is #3 now: introduced by Lena Park (#1) instead" in result.out
    assert "1 intro between #3 and #2 point at nobody (they are one person)" in result.out
    maya = show(cli, "Maya Chen")
    assert maya["introduced_by"] == {"id": 1, "name": "Lena Park"}  # who introduced OTHER
    assert [(i["kind"], i["intro_to"]) for i in maya["interactions"]] == [("intro", None)]
    # no "first message to Maya Chen (introduced by Maya Chen)"; the intro itself is a thank-you to give
    assert contact_row(db_path, 3, "next_follow_up_reason")[0] == "thank Maya for the intro"


def test_keep_introduced_other(cli, db_path):
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    assert cli("log", "maya chen", "--kind", "intro", "--date", "2026-11-20", "--intro-to", "Maya C.").code == 0
    assert show(cli, "Maya C.")["introduced_by"]["id"] == 1
    assert cli("contact", "merge", "1", "2").code == 0
    maya = show(cli, "1")
    assert maya["introduced_by"] is None
    assert [i["intro_to"] for i in maya["interactions"]] == [None]


def test_other_introduced_keep_with_nobody_before_them(cli):
    cli("contact", "add", "Maya C.")
    cli("log", "1", "--kind", "intro", "--date", "2026-11-20", "--intro-to", "Maya Chen")
    result = cli("contact", "merge", "Maya Chen", "Maya C.")
    assert "introduced by nobody" in result.out
    assert show(cli, "Maya Chen")["introduced_by"] is None


def test_introductions_by_and_to_other_now_name_keep(cli, db_path):
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    cli("contact", "add", "Maya C.", "--company", "Spotify")
    cli("contact", "add", "Lena Park", "--company", "Google")
    # Lena introduced me to Maya C.; Maya C. introduced me to Ivan (new, #4); Jia was introduced by Maya C. by hand
    assert cli("log", "lena", "--kind", "intro", "--date", "2026-11-18", "--intro-to", "2").code == 0
    assert cli("log", "2", "--kind", "intro", "--date", "2026-11-19", "--intro-to", "Ivan Petrov").code == 0
    cli("contact", "add", "Jia Song", "--introduced-by", "2")
    assert contact_row(db_path, 4, "next_follow_up_reason")[0] == (
        "first message to Ivan Petrov (introduced by Maya C. on Nov 19)"
    )

    result = cli("contact", "merge", "1", "2")
    assert result.code == 0, result.err
    assert "introduced by #1 from now on: #4 Ivan Petrov, #5 Jia Song" in result.out
    assert "intros to #2 become intros to #1: logged on #3 Lena Park" in result.out
    assert show(cli, "jia")["introduced_by"] == {"id": 1, "name": "Maya Chen"}
    assert show(cli, "ivan")["introduced_by"] == {"id": 1, "name": "Maya Chen"}
    assert show(cli, "lena")["interactions"][0]["intro_to"] == {"id": 1, "name": "Maya Chen"}
    # the schedules that name them were recomputed too
    assert contact_row(db_path, 4, "next_follow_up_reason")[0] == (
        "first message to Ivan Petrov (introduced by Maya Chen on Nov 19)"
    )
    assert contact_row(db_path, 3, "next_follow_up_reason")[0] == "thank Lena for the intro to Maya Chen"
    assert "fields taken from #2: introduced by Lena Park (#3)" in result.out  # the intro had set it on Maya C.
    assert show(cli, "1")["introduced_by"] == {"id": 3, "name": "Lena Park"}
    due = {d["name"]: d["reason"] for d in json.loads(cli("due", "--json").out)}
    assert due["Maya Chen"] == "thank Maya for the intro to Ivan Petrov"


@pytest.mark.sqlite_only  # expects SQLite to reuse a deleted id (PostgreSQL's sequences never do)
def test_introduced_by_fills_in_or_conflicts(cli):
    for name in ("Lena Park", "Ivan Petrov", "Maya Chen", "Maya C."):
        cli("contact", "add", name)
    cli("contact", "edit", "Maya C.", "--introduced-by", "lena")
    assert "fields taken from #4: introduced by Lena Park (#1)" in cli("contact", "merge", "3", "4").out
    assert show(cli, "3")["introduced_by"]["name"] == "Lena Park"
    assert cli("contact", "add", "Maya X", "--introduced-by", "ivan").out == "Added #4 Maya X\n"  # ids are reused
    result = cli("contact", "merge", "3", "Maya X")
    assert "conflicts, #3's values kept (#4's go into #3's notes): introduced by Ivan Petrov (#2)" in result.out
    maya = show(cli, "3")
    assert maya["introduced_by"]["name"] == "Lena Park"
    assert maya["notes"] == "merged from Maya X (#4): introduced by Ivan Petrov (#2)"


def test_no_conflict_no_note_and_case_differences_are_no_conflict(cli):
    cli("contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Search")
    cli("contact", "add", "Maya C", "--company", "spotify", "--team", " search ", "--school", "MIT")
    result = cli("contact", "merge", "1", "2")
    assert "conflicts" not in result.out and "fields taken from #2: school MIT" in result.out
    maya = show(cli, "1")
    assert maya["notes"] is None and maya["company"] == "Spotify" and maya["school"] == "MIT"


def test_conflicting_notes_are_kept_in_the_merge_note(cli):
    cli(
        "contact",
        "add",
        "Maya Chen",
        "--notes",
        "likes concise messages",
        "--grad-year",
        "2016",
        "--cadence",
        "monthly",
    )
    cli("contact", "add", "Maya C", "--notes", "met at QCon", "--grad-year", "2017", "--cadence", "quarterly")
    result = cli("contact", "merge", "1", "2")
    assert "notes met at QCon; grad year 2017; cadence quarterly" not in result.out  # listed in field order
    assert "grad year 2017; cadence quarterly; notes met at QCon" in result.out
    maya = show(cli, "1")
    assert (
        maya["notes"]
        == "likes concise messages\nmerged from Maya C (#2): grad year 2017; cadence quarterly; notes met at QCon"
    )
    assert (maya["grad_year"], maya["cadence"]) == (2016, "monthly")


def test_the_same_hook_twice_is_kept_once_with_what_either_knew(cli, db_path):
    cli("contact", "add", "Maya Chen")
    cli("contact", "add", "Maya C")
    cli("hook", "add", "1", "post on playlist latency")
    cli("hook", "add", "2", "Post on  playlist latency", "--date", "2026-10-02", "--question", "how do you measure it")
    cli("hook", "add", "2", "talk at QCon")
    result = cli("contact", "merge", "1", "2")
    assert "moves 1 hook (1 hook #1 already has: dropped)" in result.out
    assert show(cli, "1")["hooks"] == [
        {"text": "post on playlist latency", "url": None, "date": "2026-10-02", "question": "how do you measure it?"},
        {"text": "talk at QCon", "url": None, "date": None, "question": None},
    ]
    hits = json.loads(cli("search", "latency", "--json").out)
    assert len(hits) == 1 and hits[0]["contact_id"] == 1  # the dropped copy left the index


@pytest.mark.sqlite_only  # expects SQLite to reuse a deleted id (PostgreSQL's sequences never do)
def test_keep_takes_others_follow_up_plans(cli, db_path, monkeypatch):
    cli("contact", "add", "Maya Chen")
    cli("contact", "add", "Maya C")
    cli("log", "2", "--kind", "chat", "--date", "2026-11-20", "--follow-up", "2026-12-10")
    result = cli("contact", "merge", "1", "2")
    assert "follow-up date 2026-12-10 taken from #2" in result.out
    assert contact_row(db_path, 1, "next_follow_up")[0] == "2026-12-10"

    # `crm done` on OTHER is not undone by the merge
    cli("contact", "add", "Ivan Petrov")  # #2
    cli("contact", "add", "Ivan P")  # #3
    cli("log", "3", "--kind", "chat", "--date", "2026-11-20")
    assert cli("done", "3").code == 0
    assert "`crm done` of 2026-11-25 taken from #3" in cli("contact", "merge", "2", "3").out
    reason = contact_row(db_path, 2, "next_follow_up_reason")[0]
    assert reason.startswith("keep in touch") and "done on Nov 25" in reason


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_every_reference_to_a_contact_is_handled(cli, db_path):
    """A new table pointing at contacts must be taught to the merge (crm/contacts/merge.py), or OTHER's rows
    would vanish with OTHER (ON DELETE CASCADE) or lose their link (SET NULL)."""
    cli("contact", "add", "Maya Chen")  # creates the schema
    with sqlite3.connect(db_path) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        references = {
            (table, fk[3])
            for table in tables
            for fk in conn.execute(f"PRAGMA foreign_key_list('{table}')")
            if fk[2] == "contact"
        }
    assert references == {
        ("contact", "introduced_by_id"),
        ("contact_tag", "contact_id"),
        ("hook", "contact_id"),
        ("interaction", "contact_id"),
        ("interaction", "intro_to_id"),
        ("draft", "contact_id"),
        ("promise", "contact_id"),  # moved to KEEP (tests/cli/test_promises.py)
    }


# ------------------------------------------------------------------ --duplicates


@pytest.fixture
def dupes(cli):
    """Likely duplicates of every kind, and people who only look alike."""
    rows = [
        ("Maya Chen", "--company", "Spotify", "--email", "maya@example.com"),  # 1
        ("Maya C.", "--company", "Spotify AB"),  # 2: initial form at the same company
        ("Jonathan Smith", "--company", "Google"),  # 3
        ("Jonathon Smith", "--company", "Google Inc."),  # 4: similar name
        ("Jonathan Smith", "--company", "Meta"),  # 5: a namesake elsewhere
        ("Ivan Petrov", "--linkedin", "linkedin.com/in/ivan-petrov"),  # 6
        ("I. Petrov", "--company", "Stripe"),  # 7
        ("Lena Park",),  # 8
        ("Lena Park", "--company", "Figma"),  # 9: same name, one without a company
        ("Kofi Mensah", "--company", "Klarna"),  # 10
        ("Ana Li", "--company", "Klarna"),  # 11: nothing alike
    ]
    for args in rows:
        assert cli("contact", "add", *args).code == 0
    return rows


def test_duplicates_json_shape_and_reasons(cli, dupes, db_path):
    found = json.loads(cli("contact", "list", "--duplicates", "--json").out)
    assert all(set(item) == {"keep", "other", "reason", "score"} for item in found)
    assert all(set(item["keep"]) == {"id", "name"} for item in found)
    pairs = {(d["keep"]["id"], d["other"]["id"]): (d["reason"], d["score"]) for d in found}
    assert pairs == {
        (1, 2): ("initial form of the name at Spotify", 90),
        (3, 4): ("similar names at Google", 93),
        (9, 8): ("same name, only one has a company", 95),
    }
    assert [d["score"] for d in found] == sorted((d["score"] for d in found), reverse=True)


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_duplicates_by_email_or_url_variants(cli, db_path):
    cli("contact", "add", "Maya Chen", "--email", "maya@example.com", "--company", "Spotify")
    cli("contact", "add", "M. Chen-Li", "--company", "Netflix")
    cli("contact", "add", "Ivan Petrov", "--linkedin", "linkedin.com/in/ivan-petrov")
    cli("contact", "add", "Ivan")
    # what imports or older versions may have stored: not in crm's own spelling
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET email = ' Maya@Example.COM ' WHERE id = 2")
        conn.execute("UPDATE contact SET linkedin_url = 'http://LinkedIn.com/in/Ivan-Petrov/?trk=x' WHERE id = 4")
    found = json.loads(cli("contact", "list", "--duplicates", "--json").out)
    assert [(d["keep"]["id"], d["other"]["id"], d["reason"], d["score"]) for d in found] == [
        (3, 4, "same LinkedIn URL https://www.linkedin.com/in/ivan-petrov", 100),
        (1, 2, "same email maya@example.com", 100),
    ]


def test_duplicates_text_offers_ready_to_run_merges(cli, dupes):
    result = cli("contact", "list", "--duplicates")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["keep", "merge", "away", "why", "score", "command"]
    assert any("#1 Maya Chen" in line and "crm contact merge 1 2" in line for line in lines)
    assert lines[-1] == "3 suggestions: check each, then run its command."
    # run every suggestion: nothing is left to suggest
    for item in json.loads(cli("contact", "list", "--duplicates", "--json").out):
        assert cli("contact", "merge", str(item["keep"]["id"]), str(item["other"]["id"])).code == 0
    assert cli("contact", "list", "--duplicates").out == "No likely duplicates.\n"
    assert json.loads(cli("contact", "list", "--duplicates", "--json").out) == []


def test_three_alike_suggest_one_keeper(cli):
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    cli("contact", "add", "Maya C.", "--company", "Spotify")
    cli("log", "2", "--kind", "message", "--date", "2026-11-20")  # #2 has the history: kept
    found = json.loads(cli("contact", "list", "--duplicates", "--json").out)
    assert [(d["keep"]["id"], d["other"]["id"]) for d in found] == [(2, 1), (2, 3)]
    for item in found:
        assert cli("contact", "merge", str(item["keep"]["id"]), str(item["other"]["id"])).code == 0
    assert [r["id"] for r in json.loads(cli("contact", "list", "--json").out)] == [2]


def test_duplicates_leave_archived_contacts_out_unless_asked(cli):
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    cli("contact", "add", "Maya Chen", "--company", "Spotify")
    cli("contact", "archive", "1")
    assert json.loads(cli("contact", "list", "--duplicates", "--json").out) == []
    found = json.loads(cli("contact", "list", "--duplicates", "--archived", "--json").out)
    assert [(d["keep"]["id"], d["other"]["id"]) for d in found] == [(2, 1)]  # the active one is kept


@pytest.mark.parametrize("extra", [("--search", "maya"), ("--tag", "mit")])
def test_duplicates_refuse_filters(cli, dupes, extra):
    result = cli("contact", "list", "--duplicates", *extra)
    assert result.code == 2 and "--duplicates looks at everyone" in result.err


def test_duplicates_on_an_empty_network(cli):
    assert cli("contact", "list", "--duplicates").out == "No likely duplicates.\n"
