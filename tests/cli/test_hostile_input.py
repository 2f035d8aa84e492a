"""Hostile and clumsy input through the command line (issue 11, points 6, 7 and 9).

Each case once ended in a traceback, a hang or a bad stored value. Now each is exit 2, one line on stderr
naming what was wrong, and nothing written.
"""

from __future__ import annotations

import io
import sys

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


@pytest.fixture
def populated(cli, db_path):
    """Three contacts (so '٣', which int() reads as 3, would find one) and a follow-up scheduled for Maya."""
    for args in (
        ["contact", "add", "Maya Chen", "--email", "maya@example.com"],
        ["contact", "add", "Ivan Petrov"],
        ["contact", "add", "Ana Li"],
        ["log", "maya", "--kind", "message", "--date", "2026-11-20"],
    ):
        result = cli(*args)
        assert result.code == 0, (args, result.err)
    return dump(db_path)


def assert_refused(result, *words: str) -> None:
    assert result.code == 2, (result.code, result.out, result.err)
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert "Traceback" not in result.err
    for word in words:
        assert word in result.err, result.err


# -- contact ids: only ASCII digits, only within SQLite's integer range ---------------------------------------------

BAD_IDS = ["²", "٣", "#٣", "3²", "9223372036854775808", "#99999999999999999999", "1" * 5000]


@pytest.mark.parametrize("contact", BAD_IDS, ids=["superscript", "arabic", "hash-arabic", "mixed", "int64+1", "huge",
                                                  "5000-digits"])  # fmt: skip
@pytest.mark.parametrize("command", [["contact", "show"], ["log"], ["done"]], ids=["show", "log", "done"])
def test_ids_that_are_not_plain_digits_or_too_large_are_refused(cli, populated, db_path, contact, command):
    args = [*command, contact] + (["--kind", "note"] if command == ["log"] else [])
    result = cli(*args)
    assert_refused(result, "no contact")
    assert result.out == ""
    assert dump(db_path) == populated


def test_an_arabic_indic_digit_is_never_read_as_an_id(cli, populated):
    assert cli("contact", "show", "3").code == 0  # Ana Li is #3
    result = cli("contact", "show", "٣")
    assert result.code == 2 and "Ana Li" not in result.out


def test_the_largest_id_sqlite_holds_is_still_an_id(cli, populated):
    assert_refused(cli("contact", "show", "9223372036854775807"), "no contact has id 9223372036854775807")


# -- bytes that are not UTF-8 ----------------------------------------------------------------------------------------


def test_notes_from_stdin_that_are_not_utf8_are_refused(cli, populated, db_path, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9 and \xff\xfe notes\n"), encoding="utf-8"))
    result = cli("log", "maya", "--kind", "note", "--notes", "-")
    assert_refused(result, "UTF-8", "--notes")
    assert dump(db_path) == populated


def test_notes_from_stdin_decoded_with_surrogateescape_are_refused(cli, populated, db_path):
    """With a C locale Python reads stdin with surrogateescape: the bytes arrive as lone surrogates."""
    result = cli("log", "maya", "--kind", "note", "--notes", "-", stdin="caf\udce9 notes")
    assert_refused(result, "UTF-8")
    assert dump(db_path) == populated


def test_utf8_notes_from_stdin_are_kept(cli, populated, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("café ☕ notes\n".encode()), encoding="utf-8"))
    assert cli("log", "maya", "--kind", "note", "--notes", "-").code == 0
    assert "café ☕ notes" in cli("contact", "show", "maya").out


@pytest.mark.parametrize(
    "args",
    [
        ["contact", "add", "Bad\udcffName"],
        ["contact", "edit", "maya", "--company", "Spot\udcffify"],
        ["contact", "show", "ma\udcffya"],
        ["log", "maya", "--kind", "note", "--notes", "caf\udce9"],
    ],
    ids=["add", "edit", "show", "log"],
)
def test_arguments_that_were_not_utf8_are_refused(cli, populated, db_path, args):
    """Python decodes argv with surrogateescape, so bytes that are not UTF-8 arrive as lone surrogates."""
    assert_refused(cli(*args), "UTF-8")
    assert dump(db_path) == populated


# -- dates past the end of the calendar ------------------------------------------------------------------------------


def test_due_days_beyond_the_calendar_is_refused(cli, populated):
    assert_refused(cli("due", "--days", "3000000"), "--days")
    assert_refused(cli("due", "--days", "99999999999999999999999"), "--days")
    assert cli("due", "--days", "3650").code == 0


@pytest.mark.parametrize("day", ["9999-12-31", "9999-12-30", "0001-01-01", "3000-01-01"])
def test_crm_today_out_of_range_is_refused(cli, populated, db_path, monkeypatch, day):
    monkeypatch.setenv("CRM_TODAY", day)
    assert_refused(cli("done", "maya"), "CRM_TODAY")
    assert dump(db_path) == populated


@pytest.mark.parametrize(
    "args",
    [
        ["log", "maya", "--kind", "note", "--follow-up", "9999-12-31"],
        ["log", "maya", "--kind", "note", "--follow-up", "Dec 31 9999"],
        ["log", "maya", "--kind", "note", "--date", "0001-01-01"],
        ["snooze", "maya", "9999-12-31"],
        ["hook", "add", "maya", "a talk", "--date", "0001-01-01"],
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_refused(cli, populated, db_path, args):
    assert_refused(cli(*args), "1900-01-01")
    assert dump(db_path) == populated


# -- config.toml -----------------------------------------------------------------------------------------------------


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "xdg-config" / "crm" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


@pytest.mark.parametrize("text", ["follow_up = 5\n", 'follow_up = "weekly"\n', "follow_up = [1, 2]\n"])
def test_follow_up_that_is_not_a_table_is_refused(cli, populated, db_path, config, text):
    config.write_text(text)
    assert_refused(cli("due"), "follow_up", "[follow_up]")
    assert dump(db_path) == populated


def test_nudge_days_must_be_a_number_not_true(cli, populated, config):
    config.write_text("[follow_up]\nnudge_business_days = true\n")
    assert_refused(cli("due"), "nudge_business_days")


@pytest.mark.parametrize("cadence", ["whenever", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=SECONDLY", 42])
def test_a_bad_default_cadence_warns_once_and_falls_back(cli, populated, config, cadence):
    value = f'"{cadence}"' if isinstance(cadence, str) else cadence
    config.write_text(f"[follow_up]\ndefault_cadence = {value}\n")
    first = cli("due", "--json")
    assert first.code == 0, first.err
    warning = first.err.strip().splitlines()
    assert len(warning) == 1 and "default_cadence" in warning[0] and "every 4 weeks" in warning[0], first.err
    # ... and the commands that fix things keep working: the fallback is the built-in default
    assert cli("log", "maya", "--kind", "reply").code == 0  # she answered: done then schedules by cadence
    done = cli("done", "maya")
    assert done.code == 0 and "2026-12-23" in done.out  # every 4 weeks from Nov 25
    assert cli("contact", "edit", "maya", "--cadence", "weekly").code == 0
    assert "default_cadence" not in cli("due").err  # reported once


# -- cadences that cannot happen --------------------------------------------------------------------------------------

BAD_CADENCES = {
    "never": ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "two years"),
    "secondly": ("FREQ=SECONDLY", "daily"),
    "hourly": ("FREQ=HOURLY;INTERVAL=24", "daily"),
    "by hour": ("FREQ=DAILY;BYHOUR=9,17", "time of day"),
    "dtstart line": ("FREQ=WEEKLY\nDTSTART:19000101T000000", "one line"),
    "dtstart first": ("DTSTART:19000101T000000\nRRULE:FREQ=WEEKLY", "one line"),
    "exdate": ("FREQ=WEEKLY;EXDATE=20270101", "EXDATE"),
    "too far apart": ("FREQ=YEARLY;INTERVAL=3", "two years"),
    "every 5 years": ("every 5 years", "two years"),
    "carriage return": ("every\r2 weeks", "one line"),
}


@pytest.mark.parametrize(("cadence", "words"), BAD_CADENCES.values(), ids=BAD_CADENCES.keys())
@pytest.mark.parametrize("command", [["contact", "add", "Bo"], ["contact", "edit", "maya"]], ids=["add", "edit"])
def test_cadences_that_cannot_happen_are_refused_at_input(cli, populated, db_path, command, cadence, words):
    assert_refused(cli(*command, "--cadence", cadence), words)
    assert dump(db_path) == populated


# -- templates through the command line --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "{{ 9**(9**9) }}",
        "{{ 'x'*3000000000 }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "{% include 'nowhere' %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    ],
    ids=["loops", "power", "repeat", "recursion", "include", "escape"],
)
def test_hostile_templates_are_one_line_errors_and_send_nothing(cli, populated, db_path, tmp_path, monkeypatch, body):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "evil.j2").write_text(body)
    monkeypatch.setenv("CRM_TEMPLATES", str(folder))
    assert_refused(cli("draft", "maya", "--template", "evil", "--send"), "template evil")
    assert dump(db_path) == populated


@pytest.mark.parametrize(
    "name",
    ["\u200b\u200b", "\u200b \u2060", "\u202e\u200d", " \u00a0 ", "\u0301"],
    ids=["zero-width spaces", "word joiner", "bidi and joiner", "no-break space", "lone combining mark"],
)
def test_a_name_with_nothing_to_see_is_refused(cli, populated, db_path, name):
    """Point 10: such a name looks blank in every list and can never be typed to find them."""
    for args in (["contact", "add", name], ["contact", "edit", "maya", "--name", name]):
        result = cli(*args)
        assert result.code == 2 and "a name you can see" in result.err, (args, result.err)
    assert dump(db_path) == populated


def test_names_are_stored_in_one_unicode_spelling(cli, populated):
    import json
    import unicodedata

    assert cli("contact", "add", "Jose\u0301  Ramírez").code == 0  # e + combining acute, and two spaces
    names = [r["name"] for r in json.loads(cli("contact", "list", "--json").out)]
    assert "Jos\u00e9 Ramírez" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert cli("contact", "show", "josé", "--json").code == 0  # found by the spelling a keyboard types


def test_imported_names_made_of_invisible_characters_are_skipped(cli, populated, db_path, tmp_path):
    linkedin = tmp_path / "Connections.csv"
    linkedin.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "\u200b,\u2060,,,Spotify,PM,01 Apr 2026\n"
        "Jia,Song,,,Spotify,PM,02 Apr 2026\n",
        encoding="utf-8",
    )
    result = cli("import", "linkedin", str(linkedin))
    assert result.code == 0, result.err
    assert "invisible" in result.out
    card = tmp_path / "ghost.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\u200b\u200b\r\nN:;;;;\r\nEND:VCARD\r\n", encoding="utf-8")
    result = cli("import", "vcard", str(card))
    assert "\u200b" not in cli("contact", "list").out
