"""`crm restore FILE.json`: an exact round trip into an empty database; anything else exits 2 with nothing written."""

from __future__ import annotations

import copy
import itertools
import json
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def all_rows(db) -> dict[str, list[tuple]]:
    """Every row of every table, sorted; not the search index's FTS tables (compared by their results)."""
    with sqlite3.connect(db) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name NOT LIKE 'search_index%' ORDER BY name"
            )
        ]
        return {name: sorted(conn.execute(f"SELECT * FROM {name}").fetchall(), key=repr) for name in names}


def search_entries(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT rowid, body FROM search_index ORDER BY rowid").fetchall()


@pytest.fixture
def rich_network(cli):
    """The demo, plus drafts sent, a snooze, a done, an archive, tags and a hook question: every table in use."""
    assert cli("demo").code == 0
    assert cli("draft", "hannah", "--send").code == 0
    assert cli("draft", "olivia", "--send").code == 0
    assert cli("snooze", "grace", "+2d").code == 0
    assert cli("done", "dan").code == 0
    assert cli("contact", "archive", "rachel").code == 0
    assert cli("contact", "edit", "olivia", "--tag", "intro", "--introduced-by", "marcus").code == 0
    assert cli("hook", "add", "tom", "talk on creator analytics", "--question", "what do creators ask for?").code == 0
    assert (
        cli("log", "lena", "--kind", "reply", "--notes", "Zoë says «hej» — naïve café", "--follow-up", "+3d").code == 0
    )
    return cli


@pytest.mark.sqlite_only  # reads or plants rows with sqlite3 on the file
def test_the_demo_round_trips_exactly(rich_network, tmp_path, db_path):
    cli = rich_network
    exported = tmp_path / "all.json"
    assert cli("export", "json", str(exported)).code == 0
    restored = tmp_path / "restored.db"
    result = cli("--db", str(restored), "restore", str(exported))
    assert result.code == 0, result.err
    assert result.out.startswith("Restored 14 contacts, 48 interactions, 17 hooks, 2 drafts, 2 projects")
    original, copy_ = all_rows(db_path), all_rows(restored)
    assert set(original) >= {"contact", "contact_tag", "hook", "interaction", "draft", "me", "project", "meta"}
    assert original == copy_
    assert search_entries(db_path) == search_entries(restored)  # rebuilt by the triggers
    for args in (["due", "--json"], ["due", "--days", "60", "--json"], ["contact", "list", "--archived", "--json"],
                 ["contact", "show", "maya", "--json"], ["me", "--json"], ["project", "list", "--json"]):  # fmt: skip
        assert cli(*args).out == cli("--db", str(restored), *args).out, args
    for words in ("playlist", "chat", "thank", "café", "creator analytics", "naive"):
        mine = cli("search", words, "--json")
        assert mine.code == 0 and mine.out == cli("--db", str(restored), "search", words, "--json").out, words
    again = tmp_path / "again.json"
    assert cli("--db", str(restored), "export", "json", str(again)).code == 0
    first, second = json.loads(exported.read_text()), json.loads(again.read_text())
    first.pop("exported_at"), second.pop("exported_at")
    assert first == second


def test_restore_from_stdin(cli, tmp_path):
    assert cli("contact", "add", "Ann One").code == 0
    text = cli("export", "json", "-").out
    result = cli("--db", str(tmp_path / "new.db"), "restore", "-", stdin=text)
    assert result.code == 0, result.err
    assert "Ann One" in cli("--db", str(tmp_path / "new.db"), "contact", "list").out


def test_an_older_file_without_newer_columns_restores_with_their_defaults(rich_network, tmp_path):
    data = json.loads(rich_network("export", "json", "-").out)
    for section, column in (("hooks", "question"), ("drafts", "question"), ("contacts", "source_date"),
                            ("contacts", "stage"), ("contacts", "created_at")):  # fmt: skip
        for row in data[section]:
            row.pop(column, None)
    del data["drafts"]
    data["schema_revision"] = "0004"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    restored = tmp_path / "restored.db"
    result = rich_network("--db", str(restored), "restore", str(path))
    assert result.code == 0, result.err
    with sqlite3.connect(restored) as conn:
        assert conn.execute("SELECT count(*) FROM hook WHERE question IS NOT NULL").fetchone() == (0,)
        assert conn.execute("SELECT DISTINCT stage FROM contact").fetchall() == [("identified",)]
        assert conn.execute("SELECT count(*) FROM contact WHERE created_at IS NULL").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM draft").fetchone() == (0,)


def test_into_a_database_that_is_not_empty_exits_2_and_changes_nothing(cli, tmp_path, db_path):
    assert cli("contact", "add", "Ann One").code == 0
    path = tmp_path / "all.json"
    assert cli("export", "json", str(path)).code == 0
    before = dump(db_path)
    result = cli("restore", str(path))
    assert result.code == 2 and "is not empty (it has 1 contact)" in result.err
    assert len(result.err.strip().splitlines()) == 1 and dump(db_path) == before
    other = tmp_path / "profile-only.db"
    assert cli("--db", str(other), "me", "--name", "Alex").code == 0
    assert "your profile" in cli("--db", str(other), "restore", str(path)).err


def test_a_blank_profile_row_counts_as_empty(cli, tmp_path):
    path = tmp_path / "all.json"
    assert cli("me", "--name", "Alex Rivera").code == 0
    assert cli("export", "json", str(path)).code == 0
    other = tmp_path / "blank.db"
    assert cli("--db", str(other), "me", "--name", "X").code == 0
    assert cli("--db", str(other), "me", "--name", "").code == 0
    result = cli("--db", str(other), "restore", str(path))
    assert result.code == 0, result.err
    assert json.loads(cli("--db", str(other), "me", "--json").out)["name"] == "Alex Rivera"


# ---------------------------------------------------------------- bad files


@pytest.fixture
def small(cli, tmp_path):
    """A small valid export (4 contacts, hooks, interactions, a draft) and an empty database to restore into."""
    for name, extra in (("Maya Chen", ["--email", "maya@example.com"]), ("Ivan Petrov", []),
                        ("Jia Song", ["--email", "jia@example.com"]), ("Tom Becker", ["--tag", "mit"])):  # fmt: skip
        assert cli("contact", "add", name, *extra).code == 0
    assert cli("hook", "add", "maya", "post on reducing playlist-loading latency", "--date", "2026-10-02").code == 0
    assert cli("log", "ivan", "--kind", "chat", "--date", "2026-11-20", "--notes", "15 min chat",
               "--takeaways", "ask about serendipity").code == 0  # fmt: skip
    assert cli("log", "ivan", "--kind", "intro", "--intro-to", "Olga New").code == 0
    assert cli("me", "--name", "Alex Rivera", "--school", "MIT").code == 0
    assert cli("project", "add", "Campus app", "--result", "cut load time from 3.2s to 1.4s").code == 0
    result = cli("draft", "ivan", "--template", "thank-you", "--send")
    assert result.code == 0, result.err
    data = json.loads(cli("export", "json", "-").out)
    empty = tmp_path / "empty.db"
    assert cli("--db", str(empty), "contact", "list").code == 0
    return data, empty


def set_path(doc, path, value):
    *parents, last = path
    for key in parents:
        doc = doc[key]
    doc[last] = value


def delete_path(doc, path):
    *parents, last = path
    for key in parents:
        doc = doc[key]
    del doc[last]


BAD = [
    ("contacts[3].email", lambda d: set_path(d, ["contacts", 3, "email"], 42), "expected text, got the number 42"),
    ("contacts[0].name", lambda d: delete_path(d, ["contacts", 0, "name"]), "missing (required)"),
    ("contacts[0].name", lambda d: set_path(d, ["contacts", 0, "name"], None), "must not be null"),
    ("contacts[1].id", lambda d: set_path(d, ["contacts", 1, "id"], d["contacts"][0]["id"]), "repeats contacts[0]"),
    ("contacts[2].email", lambda d: set_path(d, ["contacts", 2, "email"], "maya@example.com"), "repeats contacts[0]"),
    ("contacts[0].archived", lambda d: set_path(d, ["contacts", 0, "archived"], "no"), "expected true or false"),
    ("contacts[0].grad_year", lambda d: set_path(d, ["contacts", 0, "grad_year"], 1.5), "expected a whole number"),
    ("contacts[0].grad_year", lambda d: set_path(d, ["contacts", 0, "grad_year"], 2**70), "out of range"),
    ("contacts[0].created_at", lambda d: set_path(d, ["contacts", 0, "created_at"], "yesterday"), "not a timestamp"),
    ("contacts[0].nickname", lambda d: set_path(d, ["contacts", 0, "nickname"], "M"), "unknown field of contact"),
    ("contacts[0].notes", lambda d: set_path(d, ["contacts", 0, "notes"], "\ud800"), "not valid Unicode"),
    ("contacts[0].introduced_by_id", lambda d: set_path(d, ["contacts", 0, "introduced_by_id"], 77), "no contacts row"),
    ("hooks[0].date", lambda d: set_path(d, ["hooks", 0, "date"], "2026-02-30"), "is not a real date"),
    ("hooks[0].date", lambda d: set_path(d, ["hooks", 0, "date"], "Nov 20"), "expected a date like 2026-11-25"),
    ("interactions[0].contact_id", lambda d: set_path(d, ["interactions", 0, "contact_id"], 999),
     "no contacts row has id 999 in the file"),
    ("drafts[0].interaction_id", lambda d: set_path(d, ["drafts", 0, "interaction_id"], 12345), "no interactions row"),
    ("tags[0]", lambda d: set_path(d, ["tags", 0], "mit"), "expected an object (one contact_tag row)"),
    ("contacts", lambda d: set_path(d, ["contacts"], {}), "expected a list of rows, got an object"),
    ("targets", lambda d: set_path(d, ["targets"], []), "unknown section"),
    ("format_version", lambda d: set_path(d, ["format_version"], "1"), "expected a whole number"),
    ("format_version", lambda d: set_path(d, ["format_version"], 0), "is not a crm format version"),
    ("settings", lambda d: set_path(d, ["settings"], "x"), "expected an object"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "mutate", "message"), BAD, ids=[f"{w}-{m}" for w, _, m in BAD])
def test_a_bad_file_exits_2_naming_the_first_bad_path(cli, small, tmp_path, where, mutate, message):
    data, empty = small
    assert len(data["contacts"]) >= 4 and data["drafts"] and data["interactions"]
    before = dump(empty)
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("--db", str(empty), "restore", str(path))
    assert result.code == 2, result.out
    assert result.err.startswith(f"crm: {where}: ") and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert dump(empty) == before


WHOLE = [
    (b'{"format": "crm", "format_version": 1,', "is not valid JSON (line 1, column"),
    (b"[1, 2]", "is not a crm export: expected a JSON object, got a list"),
    (b'{"contacts": []}', 'no "format": "crm"'),
    (b'{"format": "crm", "format_version": 2}', "written by a newer crm (format version 2"),
    (b'{"format": "crm", "format_version": 1, "x": NaN}', "is not valid JSON"),
    (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
    (b'{"format": "crm", "format_version": 1, "n": 1' + b"0" * 5000 + b"}", "is not valid JSON"),
    (b"[" * 100000, "nests too deeply"),
]


@pytest.mark.parametrize(("raw", "message"), WHOLE, ids=[m for _, m in WHOLE])
def test_a_file_that_is_not_an_export_exits_2(cli, small, tmp_path, raw, message):
    _, empty = small
    before = dump(empty)
    path = tmp_path / "bad.json"
    path.write_bytes(raw)
    result = cli("--db", str(empty), "restore", str(path))
    assert result.code == 2 and message in result.err, result.err
    assert len(result.err.strip().splitlines()) == 1 and dump(empty) == before


def test_missing_file_and_folder(cli, small, tmp_path):
    _, empty = small
    assert "does not exist" in cli("--db", str(empty), "restore", str(tmp_path / "nope.json")).err
    assert "is a folder" in cli("--db", str(empty), "restore", str(tmp_path)).err


# ---------------------------------------------------------------- property: never a traceback, never half a restore

LEAVES = (
    st.none() | st.booleans() | st.integers() | st.integers(min_value=2**62) | st.floats(allow_nan=False)
    | st.text(max_size=8) | st.sampled_from(["2026-02-30", "2026-11-25", "", "0001-01-01T00:00:00+05:00",
                                             "9999-12-31T23:59:59-01:00", "2026-11-25T10:00:00", "\ud800", "mit"])
)  # fmt: skip
JSON = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                                         max_size=3), max_leaves=8)  # fmt: skip


def node_paths(doc, prefix=()):
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from node_paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from node_paths(value, (*prefix, index))


@st.composite
def mutated(draw, base):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in node_paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        *parents, last = path
        parent = doc
        for key in parents:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "swap"]))
        if action == "replace":
            parent[last] = draw(JSON | st.sampled_from([1, 2, 3, 5, 999, -1, 0]))
        elif action == "delete":
            del parent[last]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        elif action == "swap" and isinstance(parent, dict) and isinstance(parent[last], int | str):
            other = draw(st.sampled_from(paths))
            parent[last] = copy.deepcopy(_get(doc, other)) if _get(doc, other) is not None else None
    return doc


def _get(doc, path):
    try:
        for key in path:
            doc = doc[key]
    except (KeyError, IndexError, TypeError):
        return None
    return doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_and_mutated_files_restore_or_exit_2_with_nothing_written(cli, small, tmp_path, data):
    base, empty = small
    empty_dump = _empty_dump(empty)
    kind = data.draw(st.sampled_from(["mutated", "mutated", "mutated", "random", "bytes"]))
    if kind == "mutated":
        raw = json.dumps(data.draw(mutated(base))).encode("utf-8")
    elif kind == "random":
        raw = json.dumps(data.draw(JSON)).encode("utf-8")
    else:
        text = json.dumps(base).encode("utf-8")
        cut = data.draw(st.integers(0, len(text)))
        raw = text[:cut] + data.draw(st.binary(max_size=4)) + text[cut + data.draw(st.integers(0, 3)) :]
    n = next(COUNTER)
    db = tmp_path / f"try-{n}.db"
    shutil.copyfile(empty, db)
    path = tmp_path / f"try-{n}.json"
    path.write_bytes(raw)
    result = cli("--db", str(db), "restore", str(path))
    assert result.code in (0, 2), (result.out, result.err)
    event(f"{kind}: exit {result.code}")
    if result.code == 2:
        assert result.err.startswith("crm: ") and len(result.err.strip().splitlines()) == 1, result.err
        assert dump(db) == empty_dump
    db.unlink()
    path.unlink()


COUNTER = itertools.count()
_DUMPS: dict = {}


def _empty_dump(path):
    if path not in _DUMPS:
        _DUMPS[path] = dump(path)
    return _DUMPS[path]


def test_a_valid_mutation_still_restores(cli, small, tmp_path):
    """The property above is not vacuous: the unmutated base restores."""
    base, empty = small
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(base))
    assert cli("--db", str(empty), "restore", str(path)).code == 0
