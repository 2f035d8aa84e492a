"""Full-text search: what it finds, how it ranks and marks matches, and an index that never goes stale."""

import datetime as dt
import json
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from crm.contacts.hooks import add_hook
from crm.contacts.interactions import log_interaction
from crm.contacts.writes import archive_contact, forget_contact
from crm.errors import CrmError
from crm.models import Hook, Interaction
from crm.search import MARK_END, MARK_START, RANKED_AT_MOST, SearchHit, fts_query, search_notes
from crm.store.db import HEAD_REVISION, connect, migrate, open_engine, raw_connection, schema_revision, write_session
from tests.conftest import TODAY

TRIGGERS = {
    "search_interaction_insert", "search_interaction_update", "search_interaction_delete",
    "search_hook_insert", "search_hook_update", "search_hook_delete",
}  # fmt: skip


def log(session, contact, *, notes=None, takeaways=None, next_step=None, date=TODAY, kind="note"):
    return log_interaction(
        session=session, contact=contact, kind=kind, date=date, today=TODAY,
        notes=notes, takeaways=takeaways, next_step=next_step,
    )  # fmt: skip


def search(session, text, **kwargs):
    return search_notes(raw_connection(session), text, **kwargs)


def found(session, text):
    """(contact name, source, snippet without marks) of every hit."""
    return [(h.name, h.source, h.snippet.replace(MARK_START, "").replace(MARK_END, "")) for h in search(session, text)]


def index_entries(conn) -> dict[int, str]:
    return dict(conn.execute("SELECT rowid, body FROM search_index").fetchall())


def expected_entries(conn) -> dict[int, str]:
    """What the index should hold, computed from the tables themselves (see migrations 0004 and 0008)."""
    expected = {}
    for iid, *fields in conn.execute("SELECT id, notes, takeaways, next_step, advice, suggested FROM interaction"):
        for field, body in enumerate(fields):
            if body:
                expected[iid * 8 + field] = body
    for hid, text in conn.execute("SELECT id, text FROM hook"):
        if text:
            expected[hid * 8 + 7] = text
    return expected


def assert_index_in_sync(conn) -> None:
    assert index_entries(conn) == expected_entries(conn)
    conn.execute("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)")


@pytest.fixture
def maya(session, add_contact):
    return add_contact(session, "Maya Chen", company="Spotify")


# -- what it finds ---------------------------------------------------------------------------------


def test_finds_notes_takeaways_next_steps_and_hooks(session, add_contact, maya):
    ivan = add_contact(session, "Ivan Petrov", company="Netflix")
    add_hook(session=session, contact=maya, text="post on reducing playlist-loading latency", date=dt.date(2026, 10, 2))
    log(session, maya, kind="chat", date=dt.date(2026, 11, 20), notes="15 min chat about playlist ranking",
        takeaways="serendipity matters more than accuracy for playlists", next_step="send the playlist write-up")  # fmt: skip
    log(session, ivan, notes="talked about encoding ladders")
    hits = search(session, "playlist")
    assert {(h.name, h.source) for h in hits} == {
        ("Maya Chen", "hook"), ("Maya Chen", "note"), ("Maya Chen", "takeaways"), ("Maya Chen", "next step"),
    }  # fmt: skip
    by_source = {h.source: h for h in hits}
    assert by_source["hook"].date == "2026-10-02" and by_source["note"].date == "2026-11-20"
    assert all(h.contact_id == maya.id and h.company == "Spotify" and not h.archived for h in hits)
    assert [h.name for h in search(session, "encoding")] == ["Ivan Petrov"]
    assert search(session, "spotify") == []  # contact fields are not notes: `contact list --search` finds those


def test_a_hook_without_a_date_has_none(session, maya):
    add_hook(session=session, contact=maya, text="talk at RecSys on cold-start")
    [hit] = search(session, "recsys")
    assert hit.source == "hook" and hit.date is None


def test_words_are_anded_prefixes(session, maya):
    log(session, maya, notes="Playlist latency went from 3.2s to 1.4s")
    log(session, maya, notes="playlist curation by editors")
    log(session, maya, notes="latency budgets for search")
    assert [h.snippet for h in search(session, "play late")] == [
        f"{MARK_START}Playlist{MARK_END} {MARK_START}latency{MARK_END} went from 3.2s to 1.4s"
    ]
    assert len(search(session, "play")) == 2 and len(search(session, "lat")) == 2
    assert len(search(session, "3.2s")) == 1  # punctuation inside a word is part of it, not syntax


def test_quotes_make_a_phrase(session, maya):
    log(session, maya, notes="post on reducing playlist-loading latency")
    log(session, maya, notes="loading the playlist took seconds")
    assert found(session, '"playlist loading"') == [("Maya Chen", "note", "post on reducing playlist-loading latency")]
    assert len(search(session, "playlist loading")) == 2
    # A quote still open is a phrase being typed: its last word is a prefix.
    assert len(search(session, '"playlist loa')) == 1
    assert len(search(session, '"playlist loading" latency')) == 1


def test_diacritics_are_ignored_both_ways(session, add_contact, maya):
    jose = add_contact(session, "José Díaz")
    log(session, maya, notes="Intro to José at the café")
    add_hook(session=session, contact=jose, text="Jose spoke about Malmo")
    assert {h.source for h in search(session, "Jose")} == {"note", "hook"}
    assert {h.source for h in search(session, "josé")} == {"note", "hook"}
    assert len(search(session, "cafe")) == 1 and len(search(session, "Malmö")) == 1
    assert f"{MARK_START}José{MARK_END}" in search(session, "jose")[0].snippet + search(session, "jose")[1].snippet


def test_archived_contacts_are_found_and_marked(session, add_contact, maya):
    old = add_contact(session, "Old Friend")
    log(session, maya, notes="roadmap review")
    log(session, old, notes="roadmap from last year")
    archive_contact(session=session, contact=old)
    hits = {h.name: h.archived for h in search(session, "roadmap")}
    assert hits == {"Maya Chen": False, "Old Friend": True}


def test_json_shape(session, maya):
    log(session, maya, notes="ranking models", date=dt.date(2026, 11, 2))
    [hit] = search(session, "ranking")
    data = hit.as_json()
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"contact_id", "name", "company", "source", "date", "snippet", "rank", "archived"}
    assert data["date"] == "2026-11-02" and data["source"] == "note" and isinstance(data["rank"], float)
    with pytest.raises(AttributeError):
        hit.name = "x"  # frozen


# -- ranking and snippets ----------------------------------------------------------------------------


def test_best_match_first(session, add_contact, maya):
    ivan = add_contact(session, "Ivan Petrov")
    jia = add_contact(session, "Jia Song")
    filler = " ".join(["we also covered hiring, offsites, team rituals and the quarterly planning cycle"] * 4)
    log(session, ivan, notes=f"{filler} and briefly latency")
    log(session, maya, notes="latency, latency, latency: the whole chat was about latency")
    add_hook(session=session, contact=jia, text="talk on tail latency")
    hits = search(session, "latency")
    assert [h.name for h in hits] == ["Maya Chen", "Jia Song", "Ivan Petrov"]
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)  # bm25: lower is better
    assert hits[0].rank < hits[-1].rank


def test_a_rarer_word_weighs_more(session, add_contact, maya):
    ivan = add_contact(session, "Ivan Petrov")
    for _ in range(8):
        log(session, maya, notes="coffee chat")
    log(session, maya, notes="coffee coffee serendipity")
    log(session, ivan, notes="coffee serendipity serendipity")
    # Same length, both words in each: the one repeating the rarer word wins, whatever the order written.
    hits = search(session, "serendipity coffee")
    assert [h.name for h in hits] == ["Ivan Petrov", "Maya Chen"]


def test_snippet_marks_every_match_and_shortens_long_text(session, maya):
    words = [f"word{i}" for i in range(60)]
    words[30] = "serendipity"
    log(session, maya, notes=" ".join(words) + "\nsecond line")
    [hit] = search(session, "serend")
    assert f"{MARK_START}serendipity{MARK_END}" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet.split()) <= 16 and "\n" not in hit.snippet


def test_snippet_keeps_the_whole_of_a_short_text_and_joins_lines(session, maya):
    log(session, maya, takeaways="ask about\nserendipity   in playlists")
    [hit] = search(session, "playlists")
    assert hit.snippet == f"ask about serendipity in {MARK_START}playlists{MARK_END}"


def test_limit(session, maya):
    for i in range(7):
        log(session, maya, notes=f"launch retro {i}")
    assert len(search(session, "launch")) == 7
    assert len(search(session, "launch", limit=3)) == 3
    with pytest.raises(CrmError, match="at least 1"):
        search(session, "launch", limit=0)


def test_broad_searches_rank_the_newest_matches(session, maya, monkeypatch):
    """Past RANKED_AT_MOST matches, bm25 ranks only the most recently written ones (so it stays fast)."""
    import crm.search

    assert RANKED_AT_MOST >= 1000
    for _ in range(3):
        log(session, maya, notes="update, update, update")
    for i in range(3):
        log(session, maya, notes=f"update {i} from the long and winding quarterly planning notes")
    assert [h.snippet.count(MARK_START) for h in search(session, "update", limit=3)] == [3, 3, 3]
    monkeypatch.setattr(crm.search, "RANKED_AT_MOST", 3)
    assert [h.snippet.count(MARK_START) for h in search(session, "update", limit=3)] == [1, 1, 1]
    assert len(search(session, "update")) == 3


# -- what people type --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, query",
    [
        ("play late", '"play"* "late"*'),
        ('"playlist loading"', '"playlist loading"'),
        ('"playlist   lo', '"playlist lo"*'),
        ("AND", '"AND"*'),
        ("a OR b NOT c", '"a"* "OR"* "b"* "NOT"* "c"*'),
        ("NEAR(a b)", '"NEAR(a"* "b)"*'),
        ("body:latency", '"body:latency"*'),
        ("^start -minus +plus", '"^start"* "-minus"* "+plus"*'),
        ('x"y z"w', '"x"* "y z" "w"*'),
        ("* - ^ ( ) : ! ?", ""),
        ('"', ""),
        ('""', ""),
        ('" * "', ""),
        ("", ""),
        ("tab\tand\nnewline\x00nul", '"tab"* "and"* "newline"* "nul"*'),
    ],
)
def test_query_translation(text, query):
    assert fts_query(text) == query


@pytest.mark.parametrize(
    "text",
    ["AND", "OR", "NOT", "a AND", "AND b", "NEAR(", "NEAR(a b, 3)", "(", ")", "(a", 'a"', '"a', "a*b", "**a",
     "body:", ":x", "^", "a - b", "{a b}", "x:y:z", "'", "'quoted'", "\\", "a\u0301", "\ue000", "\udcff latency",
     "🎧 playlist", "ab\x00cd", "-", "+x"],
)  # fmt: skip
def test_no_input_is_a_syntax_error(session, maya, text):
    log(session, maya, notes="a b AND NEAR body x y z cd quoted latency playlist")
    try:
        hits = search(session, text)
    except CrmError as exc:
        assert "\n" not in str(exc) and str(exc)
    else:
        assert isinstance(hits, list) and all(isinstance(h, SearchHit) for h in hits)


@pytest.mark.parametrize("text", ["", "   ", '"', '""', "*", "- ( ) ^", "\n\t"])
def test_nothing_to_search_for_is_a_one_line_error(session, text):
    with pytest.raises(CrmError, match="nothing to search for") as caught:
        search(session, text)
    assert "\n" not in str(caught.value)


def test_operator_words_are_searched_as_words(session, maya):
    log(session, maya, notes="Rock AND roll, NOT jazz")
    assert len(search(session, "and")) == 1 and len(search(session, "rock AND")) == 1
    assert search(session, "NOT") and search(session, "OR") == []


@pytest.fixture(scope="module")
def fuzz_conn(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "crm.db"
    open_engine(path).dispose()
    conn = connect(path)
    conn.execute(
        "INSERT INTO contact (id, name, stage, archived, created_at, updated_at)"
        " VALUES (1, 'Maya Chen', 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
    )
    for i, notes in enumerate(["playlist latency", "José at the café", 'a "quoted" AND (odd) * note', "3.2s → 1.4s"]):
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, notes, created_at) VALUES (1, 'note', ?, ?, '2026-11-01')",
            (f"2026-11-0{i + 1}", notes),
        )
    yield conn
    conn.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40) | st.text(alphabet="\"*^():-+ ANDORNEAR\\'abc", max_size=20))
def test_random_text_raises_nothing_but_crm_error(fuzz_conn, text):
    try:
        hits = search_notes(fuzz_conn, text)
    except CrmError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(MARK_START in h.snippet for h in hits)


# -- the index stays in sync, in the writing transaction --------------------------------------------------


def test_triggers_exist_at_head(engine, db_path):
    conn = connect(db_path)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert names >= TRIGGERS


def test_orm_insert_update_delete(session, maya):
    conn = raw_connection(session)
    chat = log(session, maya, notes="talked about playlists", takeaways="likes data", next_step="send write-up")
    hook = add_hook(session=session, contact=maya, text="blog post on ranking")
    assert [h.source for h in search(session, "playlists")] == ["note"]
    chat.notes = "talked about podcasts"
    chat.takeaways = None
    hook.text = "talk on ranking at RecSys"
    session.add_all([chat, hook])
    session.flush()
    assert search(session, "playlists") == [] and search(session, "likes") == []
    assert [h.source for h in search(session, "podcasts")] == ["note"]
    assert [h.snippet for h in search(session, "recsys")] == [f"talk on ranking at {MARK_START}RecSys{MARK_END}"]
    assert_index_in_sync(conn)
    session.delete(chat)
    session.delete(hook)
    session.flush()
    assert search(session, "podcasts") == [] and search(session, "ranking") == [] and search(session, "write") == []
    assert index_entries(conn) == {}


def test_raw_sql_writes(session, maya):
    conn = raw_connection(session)
    conn.execute(
        "INSERT INTO interaction (id, contact_id, kind, date, notes, created_at)"
        " VALUES (41, ?, 'note', '2026-11-02', 'first draft of the notes', '2026-11-02 00:00:00')",
        (maya.id,),
    )
    conn.execute(
        "INSERT INTO hook (id, contact_id, text, created_at) VALUES (7, ?, 'launch video', '2026-11-02')", (maya.id,)
    )
    assert [h.date for h in search(session, "draft")] == ["2026-11-02"]
    conn.execute("UPDATE interaction SET notes = '', next_step = 'book the next draft review' WHERE id = 41")
    assert [h.source for h in search(session, "draft")] == ["next step"]
    conn.execute("UPDATE interaction SET id = 42 WHERE id = 41")
    conn.execute("UPDATE hook SET text = 'launch keynote' WHERE id = 7")
    assert search(session, "video") == [] and len(search(session, "keynote")) == 1
    assert_index_in_sync(conn)
    # INSERT OR REPLACE deletes the old row without delete triggers: its entries must not survive.
    conn.execute(
        "INSERT OR REPLACE INTO interaction (id, contact_id, kind, date, notes, created_at)"
        " VALUES (42, ?, 'note', '2026-11-03', 'replacement', '2026-11-03 00:00:00')",
        (maya.id,),
    )
    conn.execute(
        "REPLACE INTO hook (id, contact_id, text, created_at) VALUES (7, ?, 'new hook', '2026-11-03')", (maya.id,)
    )
    assert search(session, "draft") == [] and search(session, "keynote") == []
    assert_index_in_sync(conn)
    conn.execute("DELETE FROM interaction")
    conn.execute("DELETE FROM hook")
    assert index_entries(conn) == {}


def test_forget_contact_removes_their_entries_by_cascade(session, add_contact, maya):
    ivan = add_contact(session, "Ivan Petrov")
    for person in (maya, ivan):
        log(session, person, notes="roadmap chat", takeaways="roadmap takeaway", next_step="roadmap next")
        add_hook(session=session, contact=person, text="roadmap talk")
    assert len(search(session, "roadmap")) == 8
    forget_contact(session=session, contact=maya)
    assert session.exec(select(Interaction).where(Interaction.contact_id == maya.id)).all() == []
    assert session.exec(select(Hook).where(Hook.contact_id == maya.id)).all() == []
    assert {h.name for h in search(session, "roadmap")} == {"Ivan Petrov"} and len(search(session, "roadmap")) == 4
    assert_index_in_sync(raw_connection(session))


def test_a_raw_contact_delete_cascades_into_the_index(session, maya):
    log(session, maya, notes="roadmap chat")
    add_hook(session=session, contact=maya, text="roadmap talk")
    conn = raw_connection(session)
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    conn.execute("DELETE FROM contact WHERE id = ?", (maya.id,))
    assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (0,)
    assert index_entries(conn) == {}


def test_a_rolled_back_write_leaves_the_index_as_it_was(engine, db_path, add_contact):
    with write_session(engine) as session:
        maya = add_contact(session, "Maya Chen")
        log(session, maya, notes="kept note")
    with pytest.raises(RuntimeError), write_session(engine) as session:
        log(session, maya, notes="lost note")
        assert len(search(session, "note")) == 2  # the writing transaction sees its own entries
        raise RuntimeError("boom")
    conn = connect(db_path)
    assert [h.snippet for h in search_notes(conn, "note")] == [f"kept {MARK_START}note{MARK_END}"]
    assert_index_in_sync(conn)


WRITES = st.lists(
    st.one_of(
        st.tuples(st.just("log"), st.sampled_from([None, "", "alpha", "beta gamma"]), st.sampled_from([None, "delta"])),
        st.tuples(st.just("hook"), st.sampled_from(["alpha hook", "epsilon"]), st.none()),
        st.tuples(st.just("edit"), st.integers(0, 9), st.sampled_from([None, "", "zeta", "alpha beta"])),
        st.tuples(st.just("edit hook"), st.integers(0, 9), st.sampled_from(["eta", "alpha theta"])),
        st.tuples(st.just("drop"), st.integers(0, 9), st.none()),
        st.tuples(st.just("drop hook"), st.integers(0, 9), st.none()),
        st.tuples(st.just("forget"), st.integers(0, 2), st.none()),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=WRITES)
def test_any_sequence_of_writes_keeps_the_index_exact(tmp_path_factory, writes):
    path = tmp_path_factory.mktemp("sync") / "crm.db"
    open_engine(path).dispose()
    conn = connect(path)
    conn.execute("BEGIN")
    for cid in (1, 2, 3):
        conn.execute(
            "INSERT INTO contact (id, name, stage, archived, created_at, updated_at)"
            " VALUES (?, ?, 'identified', 0, '2026-11-01', '2026-11-01')",
            (cid, f"Contact {cid}"),
        )
    for n, (action, a, b) in enumerate(writes):
        interactions = [r[0] for r in conn.execute("SELECT id FROM interaction ORDER BY id")]
        hooks = [r[0] for r in conn.execute("SELECT id FROM hook ORDER BY id")]
        contacts = [r[0] for r in conn.execute("SELECT id FROM contact ORDER BY id")]
        if action == "log" and contacts:
            conn.execute(
                "INSERT INTO interaction (contact_id, kind, date, notes, takeaways, created_at)"
                " VALUES (?, 'note', '2026-11-01', ?, ?, '2026-11-01')",
                (contacts[n % len(contacts)], a, b),
            )
        elif action == "hook" and contacts:
            conn.execute(
                "INSERT INTO hook (contact_id, text, created_at) VALUES (?, ?, '2026-11-01')",
                (contacts[n % len(contacts)], a),
            )
        elif action == "edit" and interactions:
            conn.execute("UPDATE interaction SET notes = ? WHERE id = ?", (b, interactions[a % len(interactions)]))
        elif action == "edit hook" and hooks:
            conn.execute("UPDATE hook SET text = ? WHERE id = ?", (b, hooks[a % len(hooks)]))
        elif action == "drop" and interactions:
            conn.execute("DELETE FROM interaction WHERE id = ?", (interactions[a % len(interactions)],))
        elif action == "drop hook" and hooks:
            conn.execute("DELETE FROM hook WHERE id = ?", (hooks[a % len(hooks)],))
        elif action == "forget" and contacts:
            conn.execute("DELETE FROM contact WHERE id = ?", (contacts[a % len(contacts)],))
        assert index_entries(conn) == expected_entries(conn)
    conn.execute("COMMIT")
    assert_index_in_sync(conn)
    alpha = {
        r[0] for r in conn.execute("SELECT id FROM interaction WHERE notes LIKE '%alpha%' OR takeaways LIKE '%alpha%'")
    }
    alpha_hooks = {r[0] for r in conn.execute("SELECT id FROM hook WHERE text LIKE '%alpha%'")}
    hits = search_notes(conn, "alpha", limit=1000)
    assert len(hits) == len(alpha) + len(alpha_hooks)
    conn.close()


# -- migration ----------------------------------------------------------------------------------------


def test_migrating_a_0003_database_indexes_what_is_there(tmp_path):
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0003", downgrade=True)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'search%'").fetchone() == (0,)
        conn.execute(
            "INSERT INTO contact (id, name, company, stage, archived, created_at, updated_at)"
            " VALUES (1, 'Maya Chen', 'Spotify', 'chatted', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
        conn.execute(
            "INSERT INTO interaction (id, contact_id, kind, date, notes, takeaways, next_step, created_at)"
            " VALUES (3, 1, 'chat', '2026-11-20', 'playlist latency deep dive', 'José knows the team', NULL,"
            " '2026-11-20 00:00:00')"
        )
        conn.execute(
            "INSERT INTO hook (id, contact_id, text, date, created_at)"
            " VALUES (2, 1, 'post on playlist-loading latency', '2026-10-02', '2026-11-01 00:00:00')"
        )
    conn.close()
    open_engine(path).dispose()  # what every command does: back up, then upgrade to head
    assert schema_revision(path) == HEAD_REVISION
    conn = connect(path)
    hits = search_notes(conn, "latency")
    assert {(h.source, h.date) for h in hits} == {("note", "2026-11-20"), ("hook", "2026-10-02")}
    assert [h.source for h in search_notes(conn, "jose")] == ["takeaways"]
    assert_index_in_sync(conn)
    # ...and the triggers keep it current from then on.
    conn.execute("UPDATE interaction SET notes = 'cold-start' WHERE id = 3")
    assert [h.source for h in search_notes(conn, "latency")] == ["hook"]
    conn.close()


def test_downgrade_removes_the_index_and_its_triggers(engine, db_path):
    engine.dispose()
    migrate(db_path, "0003", downgrade=True)
    with sqlite3.connect(db_path) as conn:
        left = conn.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'search%'").fetchall()
    assert left == []
    migrate(db_path)
    with sqlite3.connect(db_path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert names >= TRIGGERS


def test_searching_a_database_without_the_index_says_how_to_fix_it(tmp_path):
    path = tmp_path / "old.db"
    open_engine(path).dispose()
    migrate(path, "0003", downgrade=True)
    conn = connect(path)
    with pytest.raises(CrmError, match="crm db upgrade"):
        search_notes(conn, "latency")
    conn.close()


def test_the_search_module_loads_no_orm():
    code = "import crm.search, sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {m.split(".")[0] for m in json.loads(out.stdout)}
    assert not loaded & {"sqlalchemy", "sqlmodel", "alembic"}
