"""`crm export csv FILE`: one row per contact, last interaction and next follow-up, no formula injection."""

from __future__ import annotations

import csv
import io
import json
import stat

import pytest

from crm.contacts.fields import CONTACT_FIELD_NAMES
from crm.formats.contacts_csv import COLUMNS, neutralise

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_contact_with_last_interaction_and_next_follow_up(cli, tmp_path):
    assert cli("demo").code == 0
    assert cli("contact", "archive", "rachel").code == 0
    path = tmp_path / "contacts.csv"
    result = cli("export", "csv", str(path))
    assert result.code == 0 and result.out.strip() == f"Wrote 14 contacts to {path}"
    raw = path.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # RFC 4180 line ends
    rows = read_csv(raw.decode("utf-8"))
    assert list(rows[0]) == list(COLUMNS)
    assert set(CONTACT_FIELD_NAMES) <= set(COLUMNS)  # every profile field, from the one declaration
    listed = {c["id"]: c for c in json.loads(cli("contact", "list", "--archived", "--json").out)}
    listed |= {c["id"]: c for c in json.loads(cli("contact", "list", "--json").out)}
    assert len(rows) == len(listed) == 14
    for row in rows:
        contact = listed[int(row["id"])]
        assert row["name"] == contact["name"] and row["email"] == contact["email"]
        assert row["last_interaction"] == (contact["last_interaction"] or "")
        assert row["next_follow_up"] == (contact["next_follow_up"] or "")
        assert row["stage"] == contact["stage"] and row["tags"] == ", ".join(contact["tags"])
        assert row["archived"] == ("yes" if contact["archived"] else "no")
    maya = next(r for r in rows if r["name"] == "Maya Chen")
    shown = json.loads(cli("contact", "show", "maya", "--json").out)
    assert maya["last_interaction_kind"] == shown["interactions"][0]["kind"]
    assert maya["next_follow_up_reason"] == shown["next_follow_up_reason"]
    olivia = next(r for r in rows if r["name"] == "Olivia Grant")
    assert olivia["introduced_by"] == "Marcus Lee"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


DANGEROUS = ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_neutralise_prefixes_a_quote_to_formula_starts(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Maya", "2026-11-25", "", None, 42, "a=b", " =not at the start", "'quoted"])
def test_neutralise_leaves_the_rest_alone(value):
    assert neutralise(value) == ("" if value is None else str(value))


def test_formula_injection_is_neutralised_in_every_text_cell(cli, tmp_path):
    assert cli("contact", "add", "=cmd|' /C calc'!A0", "--company", "+SUM(1,2)", "--team", "-1+1",
               "--role", "@evil", "--notes", "=1+1 in the notes", "--tag", "x").code == 0  # fmt: skip
    assert cli("log", "1", "--kind", "chat", "--notes", "fine").code == 0
    assert cli("export", "csv", str(tmp_path / "x.csv")).code == 0
    (row,) = read_csv((tmp_path / "x.csv").read_text(encoding="utf-8"))
    assert row["name"] == "'=cmd|' /C calc'!A0"
    assert row["company"] == "'+SUM(1,2)" and row["team"] == "'-1+1" and row["role"] == "'@evil"
    assert row["notes"].startswith("'")
    for value in row.values():
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_dash_writes_to_stdout(cli):
    cli("contact", "add", "Ann One", "--company", "Zürich Labs")
    result = cli("export", "csv", "-")
    assert result.code == 0
    rows = read_csv(result.out)
    assert [(r["name"], r["company"]) for r in rows] == [("Ann One", "Zürich Labs")]
