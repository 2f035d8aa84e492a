"""`crm search` marks the same words on SQLite and PostgreSQL: numbers with units, versions, emails, phrases."""

from __future__ import annotations

import json

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

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


@pytest.fixture
def notes(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    for note in NOTES:
        assert cli("log", "maya", "--kind", "note", "--date", "2026-11-20", "--notes", note).code == 0


def snippets(cli, text: str) -> list[str]:
    """The snippets of every hit, sorted (the engines rank alike, not identically: bm25 and ts_rank)."""
    result = cli("search", text, "--json")
    assert result.code == 0, result.err
    return sorted(hit["snippet"] for hit in json.loads(result.out))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("3.2s", ["Playlist latency went from «3.2s» to 1.4s after the cache change"]),
        ("1.4s", ["Playlist latency went from 3.2s to «1.4s» after the cache change"]),
        ("6-3", ["She took «6-3» and 6.036 at MIT, then worked on the v2 API"]),
        ("6.036", ["She took 6-3 and «6.036» at MIT, then worked on the v2 API"]),
        ("v2", ["She took 6-3 and 6.036 at MIT, then worked on the «v2» API"]),
        ("2025", ["Joined Spotify in «2025»; before that two years at Ørsted in Copenhagen"]),
        ("2024-11-20", ["Next: send the skip-rate analysis and the «2024-11-20» notes"]),
        ("$1.2M", ["Q3 OKRs: ship the iOS app, cut p95 to 120 ms, rev $«1.2M» ARR"]),
        ("200ms", ["post on reducing playlist-loading latency by 40% (p99 under «200ms»)"]),
        ("GPT-4", ["Met at the café in Malmö with José; he works on «GPT-4» evals and k8s"]),
        ("maya@example.com", ["Email «maya@example.com» or see linkedin.com/in/maya-chen for the deck"]),
        ("linkedin.com/in/maya-chen", ["Email maya@example.com or see «linkedin.com/in/maya-chen» for the deck"]),
        ("maya", ["Email «maya»@example.com or see linkedin.com/in/«maya»-chen for the deck"]),
        ("Spotify's", ["«Spotify's» ranking team is hiring; ask about «Spotify’s» approach to cold start"]),
        (
            "spotify",
            [
                "Joined «Spotify» in 2025; before that two years at Ørsted in Copenhagen",
                "«Spotify»'s ranking team is hiring; ask about «Spotify»’s approach to cold start",
            ],
        ),
        ("Ørsted", ["Joined Spotify in 2025; before that two years at «Ørsted» in Copenhagen"]),
        ("Malmo jose", ["Met at the café in «Malmö» with «José»; he works on GPT-4 evals and k8s"]),
        ('"playlist loading"', ["post on reducing «playlist-loading» latency by 40% (p99 under 200ms)"]),
        ('"skip rate analysis"', ["Next: send the «skip-rate analysis» and the 2024-11-20 notes"]),
        ('"went from 3', ["Playlist latency «went from 3».2s to 1.4s after the cache change"]),  # still typing
        (
            "play late",
            [
                "post on reducing «playlist»-loading «latency» by 40% (p99 under 200ms)",
                "«Playlist» «latency» went from 3.2s to 1.4s after the cache change",
            ],
        ),
    ],
)
def test_both_engines_mark_the_same_words(cli, notes, text, expected):
    assert snippets(cli, text) == expected


def test_a_long_note_is_cut_around_its_match_the_same_way(cli, notes):
    words = [f"word{i}" for i in range(60)]
    words[30] = "serendipity"
    assert cli("log", "maya", "--kind", "chat", "--date", "2026-11-21", "--takeaways", " ".join(words)).code == 0
    assert snippets(cli, "serendipity") == [
        "…word23 word24 word25 word26 word27 word28 word29 «serendipity» word31 word32 word33 word34 word35 word36 word37"
        " word38…"
    ]
    out = cli("search", "serendipity").out
    assert "#1 Maya Chen (Spotify) · takeaways 2026-11-21" in out and "«serendipity»" in out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("हिंदी", "«हिंद»ी में बात की; her résumé and a naïve Bayes demo"),  # unicode61 cuts at the vowel signs
        ("बात", "हिंदी में «बात» की; her résumé and a naïve Bayes demo"),
        ('"हिंदी में"', "«हिंदी म»ें बात की; her résumé and a naïve Bayes demo"),
        ("re\u0301sume\u0301", "हिंदी में बात की; her «résumé» and a naïve Bayes demo"),  # typed decomposed
        ("NAI\u0308VE", "हिंदी में बात की; her résumé and a «naïve» Bayes demo"),
    ],
)
def test_words_with_marks_are_found_and_marked_on_both(cli, notes, text, expected):
    """PostgreSQL reads the query's words as it read the notes' (its parser keeps "हिंदी" whole; it found nothing)."""
    note = "हिंदी में बात की; her résumé and a naïve Bayes demo"
    assert cli("log", "maya", "--kind", "note", "--date", "2026-11-22", "--notes", note).code == 0
    assert snippets(cli, text) == [expected]


def test_hooks_are_marked_too(cli, notes):
    assert cli("hook", "add", "maya", "Talk: cutting p99 from 3.2s to 900ms at Spotify's edge").code == 0
    assert snippets(cli, "900ms 3.2s") == ["Talk: cutting p99 from «3.2s» to «900ms» at Spotify's edge"]


@pytest.mark.parametrize(
    "text", ["it's", "a\\b", "x:*", "!x | y", "a <-> b", "'); DROP TABLE contact; --", "'«x»'", "3.2s:*", "Ørsted's"]
)
def test_quotes_and_tsquery_syntax_are_only_text(cli, notes, db_path, text):
    before = dump(db_path)
    result = cli("search", text, "--json")
    assert result.code == 0 and result.err == "" and isinstance(json.loads(result.out), list)
    assert dump(db_path) == before


@pytest.mark.parametrize("text", ["'", "«»", ".-.", "'\\'"])
def test_nothing_to_search_for_exits_2_on_one_line(cli, notes, db_path, text):
    before = dump(db_path)
    result = cli("search", text)
    assert result.code == 2 and result.err.count("\n") == 1 and "nothing to search for" in result.err
    assert "Traceback" not in result.err and dump(db_path) == before
