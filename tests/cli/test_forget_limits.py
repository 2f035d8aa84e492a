"""Forgetting someone rewrites crm's own mentions of them with "a forgotten contact", longer than a short name: the
rewritten `source` and notes stay within their limits (crm.contacts.fields.LIMITS), still say someone was forgotten,
name them nowhere, and the database can still be copied and restored."""

from __future__ import annotations

import json

import pytest

from crm.contacts.fields import LIMITS
from crm.contacts.writes import FORGOTTEN
from tests.conftest import dump

both_engines = pytest.mark.usefixtures("db_url")  # the test runs on SQLite and on PostgreSQL (tests/conftest.py)

NAME = "Bo Li"  # shorter than the phrase, and no word of it is in the phrase
EMAIL = "bo@li.io"
LINE = LIMITS["line"][0]
NOTE = LIMITS["text"][0]


def ok(cli, *args: str, stdin: str | None = None) -> None:
    result = cli(*args, stdin=stdin)
    assert result.code == 0, (args[:3], result.err[:300])


def show(cli, who: str) -> dict:
    return json.loads(cli("contact", "show", who, "--json").out)


def _exact(start: str, end: str, most: int) -> str:
    """`start`, words, then `end`: exactly `most` characters."""
    words = " ".join(f"word{i}" for i in range(most))
    middle = words[: most - len(start) - len(end)]
    if middle.endswith(" "):
        middle = middle[:-1] + "x"
    text = start + middle + end
    assert len(text) == most
    return text


def forget_bo(cli) -> dict:
    result = cli("contact", "forget", NAME, "--yes", "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def named_nowhere(text: str) -> bool:
    return NAME.lower() not in text.lower() and EMAIL not in text.lower()


@pytest.fixture
def bo(cli) -> str:
    """Bo Li (a short name, an email); Ivy's source at exactly its limit names them; Wes's notes, at exactly their
    limit, end in a merge line (crm's words) naming them. Returns Wes's notes."""
    ok(cli, "contact", "add", NAME, "--email", EMAIL, "--company", "Spotify")
    ok(cli, "contact", "add", "Ivy Tran", "--source", _exact(f"intro from {NAME} ({EMAIL}): ", "", LINE))
    ok(cli, "contact", "add", "Wes Moon", "--source", "MIT Alumni Directory")
    ok(cli, "contact", "add", "W. Moon", "--source", f"intro from {NAME}")
    ok(cli, "contact", "merge", "Wes Moon", "W. Moon")
    (line,) = [x for x in show(cli, "wes")["notes"].splitlines() if x.startswith("merged from ")]
    notes = _exact("my notes: ", "\n" + line, NOTE)
    ok(cli, "contact", "edit", "wes", "--notes", notes)
    assert len(show(cli, "ivy")["source"]) == LINE and len(show(cli, "wes")["notes"]) == NOTE
    return notes


@both_engines
def test_values_at_their_limit_stay_within_it_say_forgotten_and_name_nobody(cli, bo, db_path):
    forgotten = forget_bo(cli)
    ivy, wes = show(cli, "ivy"), show(cli, "wes")
    assert len(ivy["source"]) <= LINE and len(wes["notes"]) <= NOTE
    assert ivy["source"].startswith(f"intro from {FORGOTTEN} ({FORGOTTEN}): word0 word1")  # the start is kept
    assert ivy["source"].endswith("…")  # and the cut shown
    own = bo.rsplit("\nmerged from ", 1)[0]
    assert wes["notes"].startswith(own + "\nmerged from ")  # the user's own words are not touched
    (line,) = [x for x in wes["notes"].splitlines() if x.startswith("merged from ")]
    # crm's own line is what gives way: its middle (the phrase is longer by 14 characters, with room for "…")
    assert line.startswith("merged from W. Moon (") and line.endswith(f"… from {FORGOTTEN}"), line
    assert named_nowhere(ivy["source"]) and named_nowhere(wes["notes"])
    assert named_nowhere(dump(db_path))
    rewritten = {m["name"]: m["fields"] for m in forgotten["rewritten"]}
    assert rewritten == {"Ivy Tran": ["source shortened to fit"], "Wes Moon": ["notes (merge line) shortened to fit"]}


@both_engines
def test_after_the_forget_the_database_copies_exports_and_restores(cli, bo, db_url, tmp_path, request):
    forget_bo(cli)
    path = tmp_path / "export.json"
    ok(cli, "export", "json", str(path))
    restored = tmp_path / "restored.db"
    ok(cli, "--db", str(restored), "restore", str(path))
    assert show(cli, "ivy") == json.loads(cli("--db", str(restored), "contact", "show", "ivy", "--json").out)
    # To the other engine: SQLite to a new PostgreSQL database, PostgreSQL to a new SQLite file.
    target = str(tmp_path / "copy.db") if db_url.startswith("postgresql") else request.getfixturevalue("pg_url")
    ok(cli, "db", "copy", db_url, target)
    copied = json.loads(cli("--db", target, "contact", "show", "wes", "--json").out)
    assert copied["notes"] == show(cli, "wes")["notes"]


# -- how the words around the phrase are shortened (one engine: this is text, not storage) ---------------------------

SHAPES = {
    # the phrase first: the end of the text goes
    "the name first": (
        _exact(f"intro from {NAME}: ", "", LINE),
        lambda s: s.startswith(f"intro from {FORGOTTEN}: word0 word1 ") and s.endswith("…"),
    ),
    # the phrase last: the middle of the words before it goes, and "intro from" next to it stays
    "the name last": (
        _exact("Met at the alumni mixer: ", f" intro from {NAME}", LINE),
        lambda s: (
            s.startswith("Met at the alumni mixer: word0") and "…" in s and s.endswith(f" intro from {FORGOTTEN}")
        ),
    ),
    # the phrases alone outgrow the limit: the start is kept, with as many whole phrases as fit
    "the name many times": (
        ", ".join([NAME] * 33)[:LINE],
        lambda s: s.startswith(f"{FORGOTTEN}, {FORGOTTEN}, ") and s.endswith(", …") and s.count(FORGOTTEN) == 9,
    ),
    # one long word (a web address) is cut inside, not dropped whole
    "a long word": (
        f"{NAME} via https://example.org/".ljust(LINE, "x"),
        lambda s: s.startswith(f"{FORGOTTEN} via https://example.org/xxxx") and s.endswith("x…") and len(s) == LINE,
    ),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_the_words_around_the_phrase_are_shortened_never_the_phrase(cli, shape):
    source, expected = SHAPES[shape]
    assert len(source) <= LINE
    ok(cli, "contact", "add", NAME)
    ok(cli, "contact", "add", "Ivy Tran", "--source", source)
    forgotten = forget_bo(cli)
    after = show(cli, "ivy")["source"]
    assert len(after) <= LINE and FORGOTTEN in after and named_nowhere(after), after
    assert expected(after), after
    assert forgotten["rewritten"] == [{"id": 2, "name": "Ivy Tran", "fields": ["source shortened to fit"]}]


def test_a_cut_never_leaves_their_name_whole_at_its_edge(cli):
    """A cut right after "Maya C." in "Maya C.xyz" would name her again (nothing follows the dot then): it moves
    before her name."""
    name = "Maya C."
    source = _exact(f"{name} met us at the fair; ", f" {name}" + "x" * 13, LINE)
    ok(cli, "contact", "add", name)
    ok(cli, "contact", "add", "Ivy Tran", "--source", source)
    ok(cli, "contact", "forget", name, "--yes")
    after = show(cli, "ivy")["source"]
    assert len(after) <= LINE and after.startswith(f"{FORGOTTEN} met us at the fair; word0"), after
    assert name not in after and after.endswith(" …"), after


def test_a_short_source_is_rewritten_whole_as_before(cli):
    ok(cli, "contact", "add", NAME)
    ok(cli, "contact", "add", "Ivy Tran", "--source", f"intro from {NAME}")
    forgotten = forget_bo(cli)
    assert show(cli, "ivy")["source"] == f"intro from {FORGOTTEN}"
    assert forgotten["rewritten"] == [{"id": 2, "name": "Ivy Tran", "fields": ["source"]}]


def test_the_report_says_which_values_were_shortened(cli, bo):
    out = cli("contact", "forget", NAME, "--yes").out
    assert (
        f"crm's own mentions of {NAME} now say 'a forgotten contact': #2 Ivy Tran (source shortened to fit),"
        " #3 Wes Moon (notes (merge line) shortened to fit)."
    ) in out


def test_a_value_already_over_its_limit_is_not_made_longer_nor_cut_further(cli, db_path):
    """A database from before the limits may hold a longer source: the forget neither grows it nor shortens the
    user's words past what the phrase added."""
    import sqlite3

    ok(cli, "contact", "add", NAME)
    ok(cli, "contact", "add", "Ivy Tran")
    long = _exact(f"intro from {NAME}: ", "", 250)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET source = ? WHERE name = 'Ivy Tran'", (long,))
    forget_bo(cli)
    after = show(cli, "ivy")["source"]
    assert 230 < len(after) <= 250 and after.startswith(f"intro from {FORGOTTEN}: word0") and named_nowhere(after)
