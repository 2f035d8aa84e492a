"""crm.formats.linkedin: reading Connections.csv (header sniffing, dates, URLs) and the preview/apply pair."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.contacts.fields import normalize_linkedin
from crm.errors import CrmError
from crm.formats.linkedin import (
    Connection,
    ImportSummary,
    SkippedLine,
    apply_import,
    parse_connected_on,
    parse_export,
    preview_import,
    profile_url,
    read_export,
)
from crm.store.db import connect, raw_connection
from tests.conftest import TODAY, dump

DATA = Path(__file__).resolve().parents[1] / "data" / "linkedin"
SAMPLE = DATA / "Connections-sample.csv"
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On"


def test_the_sample_reads_as_todays_format():
    export = read_export(SAMPLE)
    assert (export.name, export.format, export.header_line, export.rows) == ("Connections-sample.csv", "today's", 4, 6)
    assert export.skipped == [SkippedLine(7, "blank but for the date (a private or deactivated member)")]
    assert export.connections[1] == Connection(
        line=6,
        name="Tomás Villanueva",
        url="https://www.linkedin.com/in/tomás-villanueva-5b2",
        email=None,
        company="Spotify",
        role="Product Manager, Discovery",
        connected_on=dt.date(2025, 9, 2),
    )
    assert [c.line for c in export.connections] == [5, 6, 8, 9, 10]


def test_the_old_format_reads_without_urls():
    export = read_export(DATA / "Connections-2019.csv")
    assert (export.format, export.header_line) == ("2018-2020", 1)
    assert [(c.name, c.url, c.connected_on) for c in export.connections] == [
        ("Marcus Lee", None, dt.date(2018, 1, 8)),
        ("Olivia Grant", None, dt.date(2019, 12, 31)),
        ("Jia Song", None, dt.date(2020, 7, 14)),
    ]


@pytest.mark.parametrize(
    "preamble",
    [
        "",
        'Notes:\n"When exporting your connection data, you may notice ... First Name, Last Name ..."\n\n',
        "First Name,Last Name\nsomething,else\n",  # a row with some of the names is not the header
        "\n" * 40,
        "Exported by a tool;with;semicolons\n",
    ],
    ids=["none", "linkedin", "partial header", "blank lines", "other text"],
)
def test_the_header_is_found_after_any_preamble(preamble):
    export = parse_export((preamble + HEADER + "\nAna,Li,,,Spotify,PM,01 Apr 2026").encode())
    assert [c.name for c in export.connections] == ["Ana Li"]
    assert export.header_line == preamble.count("\n") + 1


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_spreadsheet_resave_with_another_delimiter_is_read(delimiter):
    text = (
        HEADER.replace(",", delimiter)
        + "\n"
        + delimiter.join(["Ana", "Li", "", "", "Spotify, Inc.", "PM", "01 Apr 2026"])
    )
    assert [(c.name, c.company) for c in parse_export(text.encode()).connections] == [("Ana Li", "Spotify, Inc.")]


def test_utf16_with_a_bom_is_read():
    text = HEADER + "\r\nZoë,Müller,,,Spotify,PM,01 Apr 2026\r\n"
    assert [c.name for c in parse_export(text.encode("utf-16")).connections] == ["Zoë Müller"]


def test_a_header_too_far_down_is_not_looked_for():
    with pytest.raises(CrmError, match="no LinkedIn header"):
        parse_export(("x\n" * 60 + HEADER + "\nAna,Li,,,Spotify,PM,01 Apr 2026").encode())


def test_a_header_alone_is_an_empty_export():
    export = parse_export(HEADER.encode())
    assert export.connections == [] and export.skipped == []


def test_short_rows_are_padded_and_long_ones_skipped():
    text = HEADER + "\nAna,Li,,,Spotify\nBo,Ng,,,Spotify,PM,01 Apr 2026,,\nCy,Oh,,,Spotify,PM,01 Apr 2026,extra"
    export = parse_export(text.encode())
    assert [(c.name, c.role, c.connected_on) for c in export.connections] == [
        ("Ana Li", None, None),
        ("Bo Ng", "PM", dt.date(2026, 4, 1)),
    ]
    assert export.skipped == [SkippedLine(4, "8 cells where the header has 7 (an unquoted comma?)")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01 Apr 2026", dt.date(2026, 4, 1)),
        ("1 apr 2026", dt.date(2026, 4, 1)),
        ("14 Nov 2025", dt.date(2025, 11, 14)),
        ("1/8/18, 6:14 PM", dt.date(2018, 1, 8)),  # month first, as LinkedIn wrote it in 2018-2020
        ("12/31/19, 11:59 PM", dt.date(2019, 12, 31)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        ("31 Feb 2026", None),
        ("someday", None),
        ("99/99/99", None),
        ("1" * 40, None),
    ],
)
def test_connected_on(text, expected):
    assert parse_connected_on(text) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://www.linkedin.com/in/graceliu",
        "https://www.linkedin.com/in/aisha-bello/",
        "https://www.linkedin.com/in/tom%C3%A1s-villanueva-5b2",
        "https://www.linkedin.com/in/Harriet-Okafor/",
        "http://linkedin.com/in/x?trk=abc",
        "linkedin.com/in/someone",
        "https://uk.linkedin.com/pub/old-style/1/2/3",
    ],
)
def test_profile_url_is_normalize_linkedin_made_quick(url):
    assert profile_url(url) == normalize_linkedin(url)


@given(st.from_regex(r"https://www\.linkedin\.com/in/[a-zA-Z0-9%_.-]{1,20}/?", fullmatch=True))
def test_profile_url_agrees_with_normalize_linkedin(url):
    assert profile_url(url) == normalize_linkedin(url)


# ---------------------------------------------------------------- preview and apply


def _summary_after(engine, export, *, tags=()) -> ImportSummary:
    from crm.store.db import write_session

    with write_session(engine) as session:
        return apply_import(session=session, export=export, today=TODAY, tags=tags)


def test_preview_then_apply_report_the_same_and_only_apply_writes(engine, db_path):
    export = read_export(SAMPLE)
    before = dump(db_path)
    reader = connect(db_path)
    preview = preview_import(reader, export, today=TODAY, tags=["li"])
    reader.close()
    assert dump(db_path) == before
    assert (preview.dry_run, preview.added, preview.written) == (True, 5, False)
    applied = _summary_after(engine, export, tags=["li"])
    assert applied.lines() == preview.lines()
    assert (applied.dry_run, applied.written) == (False, True)


def test_progress_is_reported_per_chunk(engine, db_path):
    from crm.formats import linkedin

    rows = "\n".join(f"P{n},Q,,,Spotify,PM,01 Apr 2026" for n in range(linkedin.CHUNK * 2 + 5))
    export = parse_export((HEADER + "\n" + rows).encode())
    seen = []
    conn = connect(db_path)
    preview_import(conn, export, today=TODAY, progress=lambda done, total: seen.append((done, total)))
    conn.close()
    total = linkedin.CHUNK * 2 + 5
    assert seen == [(linkedin.CHUNK, total), (linkedin.CHUNK * 2, total), (total, total)]


def test_many_skipped_lines_are_listed_briefly_but_kept_in_full():
    summary = ImportSummary("c.csv", "today's", dry_run=False, added=1)
    summary.skipped = [SkippedLine(n, "blank but for the date") for n in range(10, 60)]
    lines = summary.lines()
    assert lines[0] == "LinkedIn connections from c.csv (today's format): 1 added, 0 updated, 0 unchanged, 50 skipped"
    assert lines[2] == "  lines " + ", ".join(str(n) for n in range(10, 30)) + " and 30 more: blank but for the date"
    assert len(summary.skipped) == 50


def test_new_contacts_are_tagged_without_touching_older_ones(engine, session, add_contact):
    old = add_contact(session, "Maya Chen", company="Spotify")
    session.commit()
    _summary_after(engine, read_export(SAMPLE), tags=["li"])
    conn = raw_connection(session)
    assert conn.execute("SELECT contact_id FROM contact_tag ORDER BY contact_id").fetchall() == [
        (old.id + n,) for n in range(1, 6)
    ]


# ---------------------------------------------------------------- any bytes: a summary or a CrmError, nothing else


def _near_misses(sample: bytes):
    edit = st.tuples(st.integers(0, len(sample)), st.integers(0, 5), st.binary(max_size=6))

    def apply(edits):
        data = sample
        for at, cut, insert in edits:
            data = data[:at] + insert + data[at + cut :]
        return data

    return st.lists(edit, min_size=1, max_size=8).map(apply)


PIECES = [*'ab ,"\r\n\t;é🎧%/:@.', "01 Apr 2026", "1/8/18, 6:14 PM", "linkedin.com/in/", "https://"]
CELLS = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        _near_misses(SAMPLE.read_bytes()),
        st.lists(st.lists(CELLS, max_size=9), max_size=8).map(
            lambda rows: (HEADER + "\n" + "\n".join(",".join(r) for r in rows)).encode()
        ),
    )
)
def test_any_bytes_parse_and_preview_or_raise_crm_error(engine, db_path, data):
    try:
        export = parse_export(data)
    except CrmError as error:
        assert str(error) and "\n" not in str(error)
        return
    conn = connect(db_path)
    try:
        summary = preview_import(conn, export, today=TODAY)
    finally:
        conn.close()
    assert summary.added + summary.updated + summary.unchanged + len(summary.skipped) == export.rows
    assert all(line.line >= export.header_line for line in summary.skipped)


def test_the_module_never_imports_a_ui_toolkit():
    script = "import crm.formats.linkedin, sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    loaded = {m.split(".")[0] for m in json.loads(out)}
    assert not loaded & {"click", "textual", "typer", "rich", "sqlalchemy", "sqlmodel"}


# ---------------------------------------------------------------- migration 0006: contact.source_date


def test_migration_0006_adds_and_drops_the_source_date_in_place(tmp_path):
    import sqlite3

    from crm.store.db import migrate, open_engine

    path = tmp_path / "crm.db"
    open_engine(path).dispose()
    migrate(path, "0005", downgrade=True)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO contact (id, name, source, stage, archived, created_at, updated_at)"
            " VALUES (1, 'Maya Chen', 'LinkedIn', 'identified', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
        assert "source_date" not in {row[1] for row in conn.execute("PRAGMA table_info(contact)")}
    conn.close()
    migrate(path, "0006")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name, source, source_date FROM contact").fetchall() == [
            ("Maya Chen", "LinkedIn", None)
        ]
    conn.close()
    migrate(path, "0005", downgrade=True)
    with sqlite3.connect(path) as conn:
        assert "source_date" not in {row[1] for row in conn.execute("PRAGMA table_info(contact)")}
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Maya Chen",)]
    conn.close()
