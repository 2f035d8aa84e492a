"""crm.store.dialect.fold_accents, the one rule by which people are looked up by name, and the SQL that narrows rows
down for it (never losing one Python would match)."""

from __future__ import annotations

import sqlite3
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from crm.contacts.reads import filter_pairs, find_by_name, find_exact_name, matching, names_like
from crm.store.dialect import UNACCENT, accent_match, ascii_lowered, fold, fold_accents
from tests.names import expected_find


def test_the_testers_names_fold_to_what_a_us_keyboard_types():
    for name, typed in [
        ("Lucía Fernández", "lucia fernandez"), ("Søren Kjær", "soren kjaer"), ("Zoë Müller", "zoe muller"),
        ("Nguyễn Văn An", "nguyen van an"), ("Tomás", "tomas"), ("Œuvre Straße", "oeuvre strasse"),
        ("Łukasz Đorđević", "lukasz djordjevic".replace("dj", "d")), ("Þór Ísak", "thor isak"),
        ("Kırmızı", "kirmizi"), ("ÆSIR", "aesir"), ("Ħal Ŧ", "hal t"), ("Guðrún", "gudrun"),
        ("İsmail", "ismail"), ("ﬁnn", "finn"), ("Maya Chen", "maya chen"), ("陈静", "陈静"), ("Иван", "иван"),
    ]:  # fmt: skip
        assert fold_accents(name) == typed, name


def test_every_character_folds_once_for_all_and_loses_no_case_folding():
    """Over all of Unicode: folding twice changes nothing, no accent is left, and two texts equal case aside (`fold`)
    are equal accents aside too (so the exact-name tier is always among the rows SQL lets through)."""
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue
        char = chr(cp)
        folded = fold_accents(char)
        assert fold_accents(folded) == folded, hex(cp)
        assert not any(unicodedata.category(c) == "Mn" for c in folded), hex(cp)
        assert fold_accents(fold(char)) == folded, hex(cp)
        if char.isascii():
            assert folded == char.lower()


def _whole_text_folding(text: str) -> str:
    """fold_accents's steps on the whole text at once (fold_accents folds character by character, remembering)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if unicodedata.category(c) != "Mn")
    return bare.casefold().translate(str.maketrans(UNACCENT))


@given(st.text(max_size=12) | st.text("aeiouAEIOU ǅßİıæøᾳ\u0301\u0308\u0345\u0327ﬁ", max_size=12))
def test_a_text_folds_as_its_characters_do(text):
    assert fold_accents(text) == _whole_text_folding(text)
    assert fold_accents(unicodedata.normalize("NFC", text)) == fold_accents(unicodedata.normalize("NFD", text))


def test_the_unaccent_table_holds_only_letters_nfkd_keeps_whole():
    for letter, bare in UNACCENT.items():
        assert unicodedata.normalize("NFKD", letter) == letter and letter.casefold() == letter, letter
        assert bare.isascii() and bare.isalpha(), letter
        assert fold_accents(letter.upper()) == bare


def test_notes_search_folds_those_letters_alike():
    """crm.search keeps the same table for the notes index (until it takes fold_accents itself)."""
    from crm import search

    assert str.maketrans(UNACCENT) == search._UNACCENT


def test_the_app_filter_and_contact_list_search_ignore_accents():
    from crm.contacts.reads import search_pairs

    rows = [{"id": 1}, {"id": 2}, {"id": 3}]
    hay = {1: fold_accents("Søren Kjær Spotify"), 2: fold_accents("Lucía Fernández Spotify"), 3: "maya chen"}
    assert [row["id"] for row in matching(rows, "soren", hay)] == [1]
    assert [row["id"] for row in matching(rows, "LUCÍA spot", hay)] == [2]
    assert [row["id"] for _, row in filter_pairs(search_pairs(rows, hay), "kjaer")] == [1]
    assert [row["id"] for _, row in filter_pairs(search_pairs(rows, hay), "Kjær")] == [1]


def test_the_palette_marks_the_letters_a_plain_query_matched():
    from textual.fuzzy import Matcher

    from crm.tui.commands import _highlight

    text = "Go to contact: Søren Kjær"
    shown = _highlight(Matcher("soren kjae"), text, fold_accents(text))
    assert shown.plain == text
    assert "".join(text[span.start : span.end] for span in shown.spans) == "SørenKjæ"


# -- SQL narrows, Python decides: the same answers as the rule written out ------------------------------------------

ALPHABET = "aAeEoOsSlLnN éÉèëøØæÆœßłŁıİöÖőñÑ\u0301\u0308%_ǅ"


def _memory_db(names: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT NOT NULL, company TEXT, archived INTEGER)")
    conn.executemany(
        "INSERT INTO contact (name, archived) VALUES (?, 0)", [(unicodedata.normalize("NFC", n),) for n in names]
    )
    return conn


@given(
    names=st.lists(st.text(ALPHABET, min_size=1, max_size=8), min_size=1, max_size=12),
    needle=st.text(ALPHABET, max_size=4),
)
def test_sqlite_finds_what_the_rule_finds(names, needle):
    conn = _memory_db(names)
    stored = dict(conn.execute("SELECT id, name FROM contact"))
    assert [cid for cid, _, _ in find_by_name(conn, needle)] == expected_find(stored, needle)
    spaced = " ".join(needle.split())
    exact = [cid for cid, name in sorted(stored.items()) if fold(name) == fold(spaced)]
    assert find_exact_name(conn, needle) == exact
    loose = [cid for cid, name in sorted(stored.items()) if fold_accents(name) == fold_accents(spaced)]
    assert find_exact_name(conn, needle, accents=False) == loose
    condition, params = accent_match(conn, "name", fold_accents(needle))
    through = {cid for (cid,) in conn.execute(f"SELECT id FROM contact WHERE {condition}", params)}
    assert {cid for cid, name in stored.items() if fold_accents(needle) in fold_accents(name)} <= through
    expected = sorted(
        (name for name in stored.values() if fold_accents(needle) in fold_accents(name)),
        key=lambda name: (not fold_accents(name).startswith(fold_accents(needle)), ascii_lowered(name), name),
    )
    if fold_accents(needle) == fold(needle):  # nothing typed with an accent: accents aside
        assert names_like(conn, needle, limit=3) == expected[:3]
