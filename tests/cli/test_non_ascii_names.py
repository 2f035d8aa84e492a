"""Names and companies whose capitals are not ASCII: found, linked and completed, case ignored, on both engines.

SQLite's lower() and LIKE fold ASCII letters only, and PostgreSQL's follow the server's locale (in the C locale, ASCII
only too): crm decides in Python (crm.store.dialect.fold) and lets SQL only narrow the rows down, so both engines,
whatever the server's locale, give the same answers.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm.contacts.reads import find_by_name, find_exact_name, names_like
from crm.store.dialect import FOLDS_APART, _folding_into, fold, fold_accents, fold_in
from crm.store.store import Store
from tests.conftest import dump, query_db
from tests.names import expected_find
from tests.postgres import SUPERUSER

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

# The tester's people, and the words each is found by (every one has a non-ASCII capital somewhere).
PEOPLE = {
    "Émile Zola": ("Émile Zola", "émile zola", "ÉMILE ZOLA", "Émile", "ÉMILE", "émile", "zola"),
    "Ünal Öztürk": ("Ünal Öztürk", "ÜNAL", "ünal", "ÖZTÜRK", "öztürk"),
    "Pilar Ñúñez": ("ñúñez", "ÑÚÑEZ", "Ñúñez", "pilar ñ"),
    "Jan Łukasiewicz": ("łukasiewicz", "ŁUKASIEWICZ", "jan ł"),
}


def _add_people(cli) -> dict[str, int]:
    ids = {}
    for name in PEOPLE:
        result = cli("contact", "add", name, "--company", "Deezer")
        assert result.code == 0, result.err
        ids[name] = int(result.out.split("#", 1)[1].split()[0])
    return ids


def _shown_id(cli, query: str) -> int:
    result = cli("contact", "show", query, "--json")
    assert result.code == 0, (query, result.err)
    return json.loads(result.out)["id"]


def _check_the_testers_cases(cli, db_path) -> None:
    ids = _add_people(cli)
    for name, queries in PEOPLE.items():
        for query in queries:
            assert _shown_id(cli, query) == ids[name], query
    assert cli("contact", "add", "Maya Chen").code == 0
    before = query_db(db_path, "SELECT count(*) FROM contact")
    result = cli("log", "Maya", "--kind", "intro", "--intro-to", "ÉMILE ZOLA")
    assert result.code == 0, result.err
    assert f"Émile Zola (#{ids['Émile Zola']}) is introduced by Maya Chen" in result.out
    assert query_db(db_path, "SELECT count(*) FROM contact") == before  # linked, not a second Émile
    assert query_db(db_path, "SELECT introduced_by_id FROM contact WHERE id = ?", (ids["Émile Zola"],)) != [(None,)]


def test_a_name_with_a_non_ascii_capital_is_found_in_any_case(cli, db_path):
    _check_the_testers_cases(cli, db_path)


def test_draft_and_hook_find_them_too(cli):
    assert cli("me", "--name", "Sam Student", "--school", "MIT", "--year", "junior", "--major", "Course 6",
               "--target", "PM at Deezer").code == 0  # fmt: skip
    assert cli("project", "add", "Campus app", "--result", "cut load time from 3.2s to 1.4s").code == 0
    _add_people(cli)
    assert cli("hook", "add", "ÉMILE", "talk on recommending books", "--date", "2026-11-01").code == 0
    result = cli("draft", "émile", "--json")
    assert result.code == 0, result.err
    assert "Émile" in json.loads(result.out)["text"]


def test_mixed_case_ascii_names_work_as_before(cli, demo_net):
    for query, name in [("maya", "Maya Chen"), ("MAYA CHEN", "Maya Chen"), ("mAyA  cHeN", "Maya Chen"),
                        ("IVAN", "Ivan Petrov"), ("song", "Jia Song"), ("%", None), ("_", None)]:  # fmt: skip
        result = cli("contact", "show", query, "--json")
        if name is None:
            assert result.code == 2 and "no contact matches" in result.err
        else:
            assert result.code == 0 and json.loads(result.out)["name"] == name
    assert cli("contact", "add", "Maya").code == 0
    assert json.loads(cli("contact", "show", "MAYA", "--json").out)["name"] == "Maya"  # an exact name wins


def test_an_exact_non_ascii_name_wins_over_longer_ones(cli):
    assert cli("contact", "add", "Ólafur Arnalds").code == 0
    assert cli("contact", "add", "Ólafur").code == 0
    assert json.loads(cli("contact", "show", "ÓLAFUR", "--json").out)["name"] == "Ólafur"
    assert json.loads(cli("contact", "show", "ólafur a", "--json").out)["name"] == "Ólafur Arnalds"


def test_an_ambiguous_non_ascii_part_lists_the_candidates_and_writes_nothing(cli, db_path):
    ids = _add_people(cli)
    assert cli("contact", "add", "Ümit Özdemir", "--company", "Ørsted").code == 0
    before = dump(db_path)
    for query in ("öz", "ÖZ", "Ö"):
        result = cli("contact", "show", query)
        assert result.code == 2 and result.out == ""
        assert result.err.count("\n") == 1 and "Traceback" not in result.err
        assert f"{query!r} matches 2 contacts: #{ids['Ünal Öztürk']} Ünal Öztürk (Deezer); #" in result.err
        assert "Ümit Özdemir (Ørsted); use an id or more of the name" in result.err
    result = cli("log", "ÖZ", "--kind", "message")
    assert result.code == 2 and "matches 2 contacts" in result.err
    result = cli("contact", "show", "ÑÑ")
    assert result.code == 2 and "no contact matches 'ÑÑ'" in result.err
    assert dump(db_path) == before


def test_two_contacts_with_one_name_in_other_cases_make_an_intro_ambiguous(cli, db_path):
    assert cli("contact", "add", "Maya Chen").code == 0
    assert cli("contact", "add", "Émile Zola").code == 0
    assert cli("contact", "add", "ÉMILE ZOLA").code == 0
    before = dump(db_path)
    result = cli("log", "Maya", "--kind", "intro", "--intro-to", "émile zola")
    assert result.code == 2 and "'émile zola' names 2 contacts: #2 Émile Zola; #3 ÉMILE ZOLA" in result.err
    assert dump(db_path) == before


def test_the_other_alum_idea_matches_a_non_ascii_company_in_any_case(cli):
    # Awaiting a reply for 4 business days (Thursday to Wednesday): others at the same company are an idea.
    assert cli("contact", "add", "Astrid Berg", "--company", "Ørsted").code == 0
    assert cli("contact", "add", "Søren Holm", "--company", "ØRSTED").code == 0
    assert cli("contact", "add", "Ida Lund", "--company", "ørsted").code == 0
    assert cli("contact", "add", "Per Ås", "--company", "Orsted").code == 0  # another company
    assert cli("log", "astrid", "--kind", "message", "--date", "2026-11-19").code == 0
    result = cli("due")
    assert result.code == 0, result.err
    assert "Idea: no reply from Astrid Berg for 3+ business days: write to another Ørsted alum too" in result.out
    assert "(Ida Lund, Søren Holm)" in result.out and "Per Ås" not in result.out.split("Idea:", 1)[1]


def test_completion_offers_non_ascii_names_in_any_case(db_url, cli):
    for name in ("Émile Zola", "Éva Émond", "Zoé Émery", "Ünal Öztürk", "Maya Chen", "Marcus Lee", "Strauß Ida"):
        assert cli("contact", "add", name).code == 0
    store = Store.from_option(db_url)
    try:
        reader = store.reader
        assert names_like(reader, "É") == ["Émile Zola", "Éva Émond", "Zoé Émery"]  # prefix matches first
        # then by name as every list sorts (ASCII folded, by code point: 'Z' before 'É')
        assert names_like(reader, "ém") == ["Émile Zola", "Zoé Émery", "Éva Émond"]
        assert names_like(reader, "ÉM", limit=2) == ["Émile Zola", "Zoé Émery"]
        assert names_like(reader, "ünal ö") == ["Ünal Öztürk"]
        assert names_like(reader, "ma") == ["Marcus Lee", "Maya Chen"]  # ASCII: as before
        assert names_like(reader, "MA", limit=1) == ["Marcus Lee"]
        assert names_like(reader, "STRAUSS") == ["Strauß Ida"]  # 'ß' folds to "ss"
        assert names_like(reader, "s") == ["Strauß Ida", "Marcus Lee"]  # 'ß' lets SQL's LIMIT off: still cut
        assert names_like(reader, "S", limit=1) == ["Strauß Ida"]
    finally:
        store.close()


def test_shell_completion_of_a_non_ascii_name(db_url, cli):
    import os
    import subprocess
    import sys

    assert cli("contact", "add", "Émile Zola").code == 0
    words = "crm contact show ém"
    out = subprocess.run(
        [sys.executable, "-m", "crm"],
        env={**os.environ, "CRM_DB": db_url, "_CRM_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": "3"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [line.split(",", 1)[1] for line in out.splitlines() if "," in line] == ["Émile\\ Zola"]


# Names whose folding is the hard case: several characters ('ß', 'ﬁ', 'İ'), an ASCII letter from a non-ASCII one
# (the Kelvin sign, the long s), Greek final sigma and iota subscript, and LIKE's own wildcards.
TRICKY_NAMES = [
    "Émile Zola", "ÉMILE ZOLA", "Strauß", "STRAUSS", "Straẞe", "Ǆemal", "ﬁnn ﬂores", "Finn Flores",
    "İsmail Kaya", "Ismail Kaya", "\u212aelvin Park", "Kelvin Park", "Mi\u017fs Long", "ΟΔΥΣΣΕΥΣ", "Οδυσσεύς",
    "ᾼλφα", "Αιλφα", "100% Sure", "a_b c", "back\\slash", "Łukasz", "Ørsted Ida", "Rosé (Ro) [x]*?.^$|+{}\\",
    "µ Ohm \u2126", "Μ Ωhm", "Straße Zoé", "Иван Петров", "иван", "ǅemal",
]  # fmt: skip
NEEDLES = [
    "é", "É", "émile", "ss", "STRASS", "strauss", "ß", "ẞ", "ǆ", "ǅ", "fi", "FINN", "ﬁ", "i", "İ", "i̇s", "k", "KELVIN",
    "\u212a", "s", "ſ", "miss", "σ", "ς", "Σ", "ΣΣ", "ευς", "αι", "ᾳ", "%", "_", "\\", "a_b", "ł", "Ł", "ø", "Ø", "",
    "Kel", "zola", "e\u0301mile", "é (", "é (ro) [x]*?.^$|+{}\\", "(", "[x]", ".", "$", "^", "*", "?", "μ", "Μ", "ω",
    "OHM Ω", "SSE ZOÉ", "ße", "ИВАН", "иван п", "в", "ǆe", "Ǆ", "é\\",
]  # fmt: skip


def _expected_like(names: dict[int, str], text: str, limit: int) -> list[str]:
    case, loose = fold(text), fold_accents(text)
    lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    if loose != case:
        found = [name for name in names.values() if case in fold(name)]
        if found or not loose:
            found.sort(key=lambda name: (not fold(name).startswith(case), name.translate(lower), name))
            return found[:limit]
    found = [name for name in names.values() if loose in fold_accents(name)]
    found.sort(key=lambda name: (not fold_accents(name).startswith(loose), name.translate(lower), name))
    return found[:limit]


def _check_reader_agrees_with_python(reader, names: dict[int, str]) -> None:
    for text in NEEDLES:
        assert [cid for cid, _, _ in find_by_name(reader, text)] == expected_find(names, text), text
        exact = [cid for cid, name in sorted(names.items()) if fold(name) == fold(" ".join(text.split()))]
        assert find_exact_name(reader, text) == exact, text
        for limit in (1, 3, 50):
            assert names_like(reader, text, limit=limit) == _expected_like(names, text, limit), (text, limit)


def _check_tricky_names(cli, url: str) -> None:
    for name in TRICKY_NAMES:
        assert cli("contact", "add", name).code == 0, name
    store = Store.from_option(url)
    try:
        names = dict(store.reader.execute("SELECT id, name FROM contact").fetchall())
        assert sorted(names.values()) == sorted(unicodedata.normalize("NFC", n) for n in TRICKY_NAMES)
        _check_reader_agrees_with_python(store.reader, names)
    finally:
        store.close()


def test_tricky_foldings_give_python_s_answers(db_url, cli):
    _check_tricky_names(cli, db_url)


# -- A PostgreSQL server in the C locale (lower() folds ASCII only there, as SQLite's does) -------------------------


@pytest.fixture
def c_locale_url(pg_cluster, monkeypatch, tmp_path):
    """A migrated PostgreSQL database whose locale is C (LC_CTYPE 'C': lower() leaves 'É' alone); CRM_DB points at
    it."""
    from crm.store.db import prepare_url

    name = f"fold_c_{tmp_path.name}"[:60].replace("-", "_").lower()
    pg_cluster.admin(
        f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc"
        " LC_COLLATE 'C' LC_CTYPE 'C'"
    )
    url = pg_cluster.url(name)
    try:
        prepare_url(url)
        import psycopg

        with psycopg.connect(host=str(pg_cluster.root), user=SUPERUSER, dbname=name) as conn:
            assert conn.execute("SELECT lower('ÉMILE'), 'É' ILIKE 'é'").fetchone() == ("Émile", False)
        (tmp_path / "crm.db").mkdir(exist_ok=True)  # as `db_url` does: `dump(db_path)` reads the database
        monkeypatch.setenv("CRM_DB", url)
        yield url
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.sqlite_only  # the fixture below is its own PostgreSQL database
def test_a_c_locale_server_gives_the_same_answers(c_locale_url, cli, db_path):
    _check_the_testers_cases(cli, db_path)
    result = cli("contact", "show", "ü", "--json")
    assert result.code == 0 and json.loads(result.out)["name"] == "Ünal Öztürk"
    store = Store.from_option(c_locale_url)
    try:
        assert names_like(store.reader, "ł") == ["Jan Łukasiewicz"]
    finally:
        store.close()


@pytest.mark.sqlite_only
def test_a_c_locale_server_folds_the_tricky_names_and_companies(c_locale_url, cli):
    _check_tricky_names(cli, c_locale_url)
    assert cli("contact", "add", "Astrid Berg", "--company", "Ørsted").code == 0
    assert cli("contact", "add", "Søren Holm", "--company", "ØRSTED").code == 0
    assert cli("log", "astrid", "--kind", "message", "--date", "2026-11-19").code == 0
    assert "write to another Ørsted alum too (Søren Holm)" in cli("due").out


@pytest.mark.sqlite_only
def test_a_c_locale_server_finds_what_python_finds(c_locale_url):
    """Random names and needles (seeded) over the tricky alphabet, regular-expression specials too."""
    import random

    from crm.store.postgres import Reader, connect

    conn = connect(c_locale_url)
    try:
        conn.execute("CREATE TEMP TABLE contact (id serial PRIMARY KEY, name text NOT NULL, company text,"
                     " archived boolean NOT NULL DEFAULT false)")  # fmt: skip
        reader = Reader(conn)
        alphabet = ALPHABET + ".()$|+{}"
        rng = random.Random(2026)
        for _ in range(60):
            conn.execute("DELETE FROM contact")
            for _ in range(rng.randint(1, 10)):
                name = unicodedata.normalize("NFC", "".join(rng.choices(alphabet, k=rng.randint(1, 8))))
                conn.execute("INSERT INTO contact (name, company) VALUES (%s, %s)", (name, name))
            stored = dict(conn.execute("SELECT id, name FROM contact").fetchall())
            for _ in range(5):
                needle = "".join(rng.choices(alphabet, k=rng.randint(0, 4)))
                assert [cid for cid, _, _ in find_by_name(reader, needle)] == expected_find(stored, needle), needle
                exact = [cid for cid, name in sorted(stored.items()) if fold(name) == fold(" ".join(needle.split()))]
                assert find_exact_name(reader, needle) == exact, needle
                assert names_like(reader, needle, limit=3) == _expected_like(stored, needle, 3), needle
                wanted = {fold(needle) or "x"}
                condition, params = fold_in(reader, "company", wanted)
                through = {cid for (cid,) in reader.execute(f"SELECT id FROM contact WHERE {condition}", params)}
                assert {cid for cid, name in stored.items() if fold(name) in wanted} <= through, needle
    finally:
        conn.close()


# -- The narrowing in SQL never loses a row Python would match (SQLite in memory; any names and needles) ----------


@pytest.mark.sqlite_only  # no database: once is enough
def test_folds_apart_is_every_character_whose_folding_breaks_one_for_one():
    """Recomputed from this Python's Unicode tables: a newer Python may fold more characters apart."""
    apart = "".join(
        chr(cp)
        for cp in range(0x80, 0x110000)
        if len(chr(cp).casefold()) > 1 or (chr(cp).casefold() != chr(cp) and chr(cp).casefold().isascii())
    )
    assert apart == FOLDS_APART
    assert not set(FOLDS_APART) & set("[]^-*?\\")  # safe inside a GLOB or regular-expression bracket


@pytest.mark.sqlite_only  # no database: once is enough
def test_every_character_folding_into_one_is_found():
    """`_folding_into` finds, for each folded character, every character folding to it (its cases and _ODD_FOLDS)."""
    into: dict[str, set[str]] = {}
    for cp in range(0x110000):
        folded = chr(cp).casefold()
        assert folded.casefold() == folded  # folding twice changes nothing: a folded needle's characters are folded
        if len(folded) == 1:
            into.setdefault(folded, set()).add(chr(cp))
    for ch, chars in into.items():
        assert set(_folding_into(ch)) == chars, ch
        assert len(chars) == 1 or not chars & set("[]^-\\*?")  # a set is safe inside a GLOB or regex bracket


ALPHABET = "aAsSkKiIfFlLtTnNeEyYmM éÉßẞİı\u212a\u017fﬁﬀΣσςᾳᾼιΙöÖøØ\u0301\u0307%_\\*?[]^-µμΜ\u2126ωǄǅǆиИ"


def _memory_db(names: list[str], companies: list[str | None]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT NOT NULL, company TEXT, archived INTEGER)")
    conn.executemany(
        "INSERT INTO contact (name, company, archived) VALUES (?, ?, 0)",
        [(unicodedata.normalize("NFC", n), c) for n, c in zip(names, companies, strict=True)],
    )
    return conn


@pytest.mark.sqlite_only
@given(
    names=st.lists(st.text(ALPHABET, min_size=1, max_size=8), min_size=1, max_size=12),
    needle=st.text(ALPHABET, max_size=4),
)
def test_sqlite_finds_what_python_finds(names, needle):
    conn = _memory_db(names, [None] * len(names))
    stored = dict(conn.execute("SELECT id, name FROM contact"))
    assert [cid for cid, _, _ in find_by_name(conn, needle)] == expected_find(stored, needle)
    exact = [cid for cid, name in sorted(stored.items()) if fold(name) == fold(" ".join(needle.split()))]
    assert find_exact_name(conn, needle) == exact
    for limit in (1, 3):
        assert names_like(conn, needle, limit=limit) == _expected_like(stored, needle, limit)


@pytest.mark.sqlite_only
@given(
    companies=st.lists(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=12),
    wanted=st.lists(st.text(ALPHABET, min_size=1, max_size=6), min_size=1, max_size=3),
)
def test_sqlite_company_lookup_lets_through_every_company_python_matches(companies, wanted):
    conn = _memory_db(["x"] * len(companies), companies)
    folded = {fold(w) for w in wanted}
    condition, params = fold_in(conn, "company", folded)
    through = {cid for (cid,) in conn.execute(f"SELECT id FROM contact WHERE {condition}", params)}
    stored = conn.execute("SELECT id, company FROM contact").fetchall()
    assert {cid for cid, company in stored if fold(company) in folded} <= through
