"""PostgreSQL's search snippets, made in Python as FTS5's snippet() makes them: checked against FTS5 itself."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.search import _WORD, ELLIPSIS, MARK_END, MARK_START, SNIPPET_TOKENS, fts_query, snippet


@pytest.fixture(scope="module")
def fts5():
    """An FTS5 table tokenized as migration 0004's `search_index` is: what the snippets must equal."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
    yield conn
    conn.close()


def fts5_snippet(conn, body: str, text: str) -> str | None:
    """FTS5's snippet of `body` for what the user typed, as crm.search asks for it; None when `body` does not match."""
    conn.execute("DELETE FROM t")
    conn.execute("INSERT INTO t (rowid, body) VALUES (1, ?)", (body,))
    row = conn.execute(
        "SELECT snippet(t, 0, ?, ?, ?, ?) FROM t WHERE t MATCH ?",
        (MARK_START, MARK_END, ELLIPSIS, SNIPPET_TOKENS, fts_query(text)),
    ).fetchone()
    return row and row[0]


NOTES = [
    "Playlist latency went from 3.2s to 1.4s after the cache change",
    "She took 6-3 and 6.036 at MIT, then worked on the v2 API",
    "Joined Spotify in 2025; before that two years at Ørsted in Copenhagen",
    "Email maya@example.com or see linkedin.com/in/maya-chen for the deck",
    "Spotify's ranking team is hiring; ask about Spotify’s approach to cold start",
    "post on reducing playlist-loading latency by 40% (p99 under 200ms)",
    "Met at the café in Malmö with José; he works on GPT-4 evals and k8s",
    "Q3 OKRs: ship the iOS app, cut p95 to 120 ms, rev $1.2M ARR",
    "Next: send the skip-rate analysis and the 2024-11-20 notes",
]
QUERIES = [
    "3.2s", "1.4s", "3.2", "6-3", "6.036", "v2", "2025", "maya@example.com", "maya", "linkedin.com/in/maya-chen",
    "Spotify's", "Spotify’s", "spotify", "Ørsted", "Malmo", "JOSE", "cafe", '"playlist loading"', '"cache change"',
    "play late", "40%", "200ms", "GPT-4", "$1.2M", "2024-11-20", "skip-rate", '"skip rate analysis"', '"went from 3',
    "OKRs", "Q3", "c",
]  # fmt: skip


@pytest.mark.parametrize("text", QUERIES)
def test_realistic_queries_give_fts5s_snippet(fts5, text):
    pairs = [(snippet(note, text), fts5_snippet(fts5, note, text)) for note in NOTES]
    matched = [(ours, theirs) for ours, theirs in pairs if theirs is not None]
    assert matched and all(MARK_START in theirs for _, theirs in matched)
    assert [ours for ours, _ in matched] == [theirs for _, theirs in matched]


@pytest.mark.parametrize(
    "body, text, expected",
    [
        ("Playlist latency went from 3.2s to 1.4s", "3.2s", "Playlist latency went from «3.2s» to 1.4s"),
        ("She took 6-3 at MIT", "6-3", "She took «6-3» at MIT"),
        ("mail maya@example.com today", "maya@exam", "mail «maya@example».com today"),
        ("Spotify's ranking team", "spotify's", "«Spotify's» ranking team"),
        ("post on playlist-loading latency", '"playlist loading"', "post on «playlist-loading» latency"),
        ("Playlist latency", "play late", "«Playlist» «latency»"),  # adjacent matches stay two
        ("two years at Ørsted, then Malmö", "orsted malmo", "two years at «Ørsted», then «Malmö»"),  # as unaccent
        ("ÆTHER and straße", "aether strasse", "«ÆTHER» and «straße»"),
    ],
)
def test_the_words_marked(body, text, expected):
    assert snippet(body, text) == expected


def test_a_long_text_is_cut_around_its_matches():
    words = [f"word{i}" for i in range(60)]
    words[30] = "serendipity"
    assert snippet(" ".join(words), "serendipity") == (
        f"{ELLIPSIS}word23 word24 word25 word26 word27 word28 word29 «serendipity» word31 word32 word33 word34 word35"
        f" word36 word37 word38{ELLIPSIS}"
    )
    # "word5" is also a prefix of word50 to word59, but a window starting the text scores 120 more than one with ten
    # matches of one phrase (1000 for the first, 1 for each other): FTS5 shows the start.
    assert snippet(" ".join(words), "word5") == " ".join(words[:5]) + " «word5» " + " ".join(words[6:16]) + ELLIPSIS


def test_a_long_text_is_cut_at_a_sentence_start_when_one_is_near():
    body = " ".join(f"w{i}" for i in range(20)) + ". Then the offer: " + " ".join(f"x{i}" for i in range(30))
    assert snippet(body, "offer") == f"{ELLIPSIS}Then the «offer»: x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12{ELLIPSIS}"


def test_a_match_the_window_cuts_is_still_closed():
    body = " ".join(f"w{i}" for i in range(60))
    phrase = '"' + " ".join(f"w{i}" for i in range(10, 40)) + '"'  # 30 words: more than the window holds
    assert snippet(body, phrase) == "w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 «w10 w11 w12 w13 w14 w15»" + ELLIPSIS


def test_text_with_no_match_gives_its_start_unmarked():
    """A row PostgreSQL matched by a fold this module does not know: its first words, as FTS5 does with none."""
    body = " ".join(f"w{i}" for i in range(30))
    assert snippet(body, "ǂqx") == " ".join(f"w{i}" for i in range(16)) + ELLIPSIS
    assert snippet("(short) text.", "nothing") == "(short) text."
    assert snippet("!!!", "x") == "!!!"


def test_a_word_is_what_unicode61_takes_for_one():
    """_WORD (a regular expression, for speed) starts at exactly the letters, numbers and private-use characters."""
    in_word = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)).startswith(("L", "N", "Co"))]
    others = [
        chr(c) for c in range(sys.maxunicode + 1) if not unicodedata.category(chr(c)).startswith(("L", "N", "Co"))
    ]
    assert all(_WORD.fullmatch(ch) for ch in in_word)
    assert not any(_WORD.fullmatch(ch) for ch in others)


def test_a_word_goes_on_through_the_accents_unicode61_folds_away(fts5):
    """unicode61 keeps some combining marks in a word ("re\u0301sume\u0301" is one), not others: as FTS5 counts them."""
    marks = [chr(c) for c in range(0x300, 0x370)]
    for mark in marks:
        fts5.execute("DELETE FROM t")
        fts5.execute("INSERT INTO t (rowid, body) VALUES (1, ?)", (f"a{mark}b",))
        one_word = fts5.execute("SELECT count(*) FROM t WHERE t MATCH 'ab'").fetchone()[0] == 1
        assert bool(_WORD.fullmatch(f"a{mark}b")) == one_word, hex(ord(mark))
    assert snippet("her re\u0301sume\u0301 and cafe\u0301s", "resume cafes") == (
        "her «re\u0301sume\u0301» and «cafe\u0301s»"
    )


# Words and separators whose folding both engines agree on (unicode61 leaves "Ø" as it is; unaccent makes it "O").
_WORDS = st.sampled_from(
    ["play", "playlist", "Latency", "3", "2s", "a", "José", "jose", "Jose\u0301", "CAFÉ", "x1", "6", "v2", "ß", "हिंदी"]
)
_GAPS = st.sampled_from(
    [" ", " ", " ", ". ", ": ", ".", "-", "'", "\n", " (", ") ", ", ", ":", "  ", ".\t", "«", " \u0301", "\u0903"]
)


@st.composite
def _bodies(draw) -> str:
    pairs = draw(st.lists(st.tuples(_WORDS, _GAPS), min_size=1, max_size=70))
    return draw(st.sampled_from(["", " ", "(", ". "])) + "".join(word + gap for word, gap in pairs)


@st.composite
def _queries(draw) -> str:
    pieces = []
    for words in draw(st.lists(st.lists(_WORDS, min_size=1, max_size=3), min_size=1, max_size=3)):
        words = [word[: draw(st.integers(1, len(word)))] for word in words]
        pieces.append(draw(st.sampled_from([words[0], '"' + " ".join(words) + '"', '"' + " ".join(words)])))
    return " ".join(pieces)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies(), text=_queries())
def test_any_text_and_query_give_fts5s_snippet(fts5, body, text):
    expected = fts5_snippet(fts5, body, text)
    if expected is not None:  # a hit
        assert snippet(body, text) == expected


def test_a_window_is_centred_as_fts5_centres_it():
    """Matches spanning more than the window: FTS5 moves it back by half the overflow, its C division rounding to 0."""
    body = " ".join(f"w{i}" for i in range(100))
    phrase = " ".join(f"w{i}" for i in range(35, 55))
    assert snippet(body, f'w30 "{phrase}"') == f"{ELLIPSIS}w34 «{' '.join(f'w{i}' for i in range(35, 50))}»{ELLIPSIS}"


def test_postgresql_is_sent_each_piece_composed():
    """A server whose [[:punct:]] is libc's takes a combining accent for punctuation (a decomposed "résumé" is "re
    sume" there, never the "résumé" of a note typed composed): the pieces go composed (NFC), as notes mostly are."""
    from crm.search import search_notes

    class Server:
        dialect = "postgresql"
        sent: dict = {}

        def execute(self, sql, parameters):
            self.sent = parameters
            return self

        def fetchall(self):
            return []

    server = Server()
    assert search_notes(server, 'NAI\u0308VE "re\u0301sume\u0301 draft') == []
    assert server.sent["pieces"] == ["NAÏVE", "résumé draft"] and server.sent["prefixes"] == [True, True]
    assert search_notes(server, '"playlist loading" late') == []
    assert server.sent["pieces"] == ["playlist loading", "late"] and server.sent["prefixes"] == [False, True]
