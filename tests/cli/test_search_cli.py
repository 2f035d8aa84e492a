"""`crm search`: the full text of notes, takeaways, next steps and hooks, best match first."""

from __future__ import annotations

import json

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


@pytest.fixture
def notes(cli):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify").code == 0
    assert cli("contact", "add", "Ivan Petrov", "--company", "Netflix").code == 0
    assert cli("hook", "add", "maya", "post on reducing playlist-loading latency").code == 0
    assert cli("log", "ivan", "--kind", "chat", "--date", "2026-11-20", "--notes", "Talked about José's playlist ideas",
               "--takeaways", "measure skip rate first", "--next-step", "send the skip-rate analysis").code == 0  # fmt: skip


def test_json_shape_and_ranking(cli, notes):
    hits = json.loads(cli("search", "playlist", "--json").out)
    assert {h["name"] for h in hits} == {"Maya Chen", "Ivan Petrov"}
    assert set(hits[0]) == {"contact_id", "name", "company", "source", "date", "snippet", "rank", "archived"}
    assert [h["rank"] for h in hits] == sorted(h["rank"] for h in hits)  # bm25: lower is better
    assert all("«" in h["snippet"] and "»" in h["snippet"] for h in hits)


def test_words_are_prefixes_and_all_must_match(cli, notes):
    hits = json.loads(cli("search", "skip analy", "--json").out)
    assert [(h["name"], h["source"]) for h in hits] == [("Ivan Petrov", "next step")]
    assert json.loads(cli("search", "jose", "--json").out)[0]["source"] == "note"  # diacritics folded


def test_human_output(cli, notes):
    out = cli("search", "latency").out
    assert "#1 Maya Chen (Spotify) · hook" in out and "«latency»" in out
    assert "Nothing matches" in cli("search", "kubernetes").out


def test_forgotten_contacts_leave_the_index(cli, notes):
    assert cli("contact", "forget", "ivan", "--yes").code == 0
    assert json.loads(cli("search", "skip", "--json").out) == []


@pytest.mark.parametrize("args", [["search", '"'], ["search", "  "], ["search", "*"], ["search", "x", "--limit", "0"]])
def test_bad_queries_exit_2_with_one_line_and_write_nothing(cli, notes, db_path, args):
    before = dump(db_path)
    result = cli(*args)
    assert result.code == 2 and result.err.count("\n") == 1 and "Traceback" not in result.err
    assert dump(db_path) == before


@pytest.mark.parametrize("query", ['"unclosed phrase', "AND", "NOT OR", "a:b", "(x", "play*"])
def test_query_syntax_never_breaks(cli, notes, query):
    assert cli("search", query, "--json").code == 0
