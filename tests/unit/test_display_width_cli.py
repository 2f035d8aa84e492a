"""`crm contact list` and `crm due` line up CJK names (the tester's defect 14), and `--archived` marks the archived."""

from __future__ import annotations

import json
import unicodedata


def columns(text: str) -> int:
    """An independent count of terminal columns (the tests' own, so a broken `text_width` cannot hide a
    misaligned table): wide and fullwidth characters 2, marks and format characters 0."""
    return sum(
        0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def network(cli):
    for args in (
        ("contact", "add", "陈静", "--company", "Spotify", "--team", "Podcast Search"),
        ("contact", "add", "Maya Chen", "--company", "Spotify", "--team", "Personalization"),
        ("contact", "add", "Zoë Müller", "--company", "Spotify", "--team", "Growth"),
        ("log", "陈静", "--kind", "message", "--date", "2026-11-12"),
        ("log", "maya", "--kind", "message", "--date", "2026-11-12"),
        ("log", "zoë", "--kind", "message", "--date", "2026-11-12"),
    ):
        result = cli(*args)
        assert result.code == 0, result.err


def starts_of(lines: list[str], marker: str) -> set[int]:
    return {columns(line[: line.index(marker)]) for line in lines}


def test_contact_list_lines_up_cjk_names(cli):
    network(cli)
    lines = cli("contact", "list").out.splitlines()
    assert len(lines) == 4
    assert len(starts_of(lines[1:], "Spotify")) == 1, lines
    assert len(starts_of(lines[1:], "contacted")) == 1, lines
    assert starts_of(lines[:1], "company") == starts_of(lines[1:], "Spotify"), lines


def test_due_lines_up_cjk_names(cli):
    network(cli)
    out = cli("due").out
    rows = [line for line in out.splitlines() if "overdue" in line]
    assert len(rows) == 3, out
    assert len(starts_of(rows, "days overdue")) == 1, out
    assert len(starts_of(rows, "nudge")) == 1, out


def test_contact_list_archived_marks_who_is_archived(cli):
    network(cli)
    assert cli("contact", "archive", "maya").code == 0
    listed = cli("contact", "list", "--archived").out.splitlines()
    marked = [line for line in listed if "[archived]" in line]
    assert len(marked) == 1 and "Maya Chen [archived]" in marked[0], listed
    assert len(starts_of(listed[1:], "Spotify")) == 1, listed  # the marker is part of the cell: still aligned
    assert "[archived]" not in cli("contact", "list").out  # archived contacts are not listed without --archived
    # The JSON says it in its own field, and the name stays the name.
    rows = json.loads(cli("contact", "list", "--archived", "--json").out)
    assert {r["name"]: r["archived"] for r in rows} == {"Maya Chen": True, "Zoë Müller": False, "陈静": False}
    searched = json.loads(cli("contact", "list", "--archived", "--search", "maya", "--json").out)
    assert [(r["name"], r["archived"]) for r in searched] == [("Maya Chen", True)]


def test_a_name_that_ends_in_the_marker_is_not_taken_for_archived(cli):
    assert cli("contact", "add", "Odd [archived]").code == 0
    assert cli("contact", "add", "Real One").code == 0
    assert cli("contact", "archive", "real").code == 0
    listed = cli("contact", "list", "--archived").out
    assert "Real One [archived]" in listed
    assert "Odd [archived] [archived]" not in listed
