"""`crm import linkedin`: both export formats, matching and re-import, job changes, dry runs, bad files."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import dump, query_db

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

DATA = Path(__file__).resolve().parents[1] / "data" / "linkedin"
SAMPLE = DATA / "Connections-sample.csv"
LATER = DATA / "Connections-later.csv"
OLD = DATA / "Connections-2019.csv"


def contacts(db_path) -> list[tuple]:
    return query_db(db_path, "SELECT name, email, linkedin_url, company, role, source, source_date FROM contact ORDER BY id")


def query(db_path, sql: str, *params) -> list[tuple]:
    return query_db(db_path, sql, params)


SAMPLE_CONTACTS = [
    ("Harriet Okafor", None, "https://www.linkedin.com/in/harriet-okafor-3f9a21", "Spotify",
     "Associate Product Manager", "LinkedIn", "2025-11-14"),
    ("Tomás Villanueva", None, "https://www.linkedin.com/in/tomás-villanueva-5b2", "Spotify",
     "Product Manager, Discovery", "LinkedIn", "2025-09-02"),
    ("Grace Liu, PhD", "grace.liu@example.com", "https://www.linkedin.com/in/graceliu", "Acme Audio, Inc.",
     "Research Scientist", "LinkedIn", "2024-01-30"),
    ("Søren Kjær", None, "https://www.linkedin.com/in/soren-kjaer-99", "Spotify", "Senior Data Scientist 🎧",
     "LinkedIn", "2023-03-08"),
    ("Aisha Bello", None, "https://www.linkedin.com/in/aisha-bello", "The Engine", "Venture Fellow", "LinkedIn",
     "2022-10-21"),
]  # fmt: skip


# ---------------------------------------------------------------- the shared sample, today's format


def test_the_shared_sample_is_copied_byte_for_byte():
    shared = Path(__file__).resolve().parents[3] / "shared" / "interop" / "linkedin" / "Connections-sample.csv"
    if not shared.exists():
        pytest.skip("../shared is not beside this checkout")
    assert SAMPLE.read_bytes() == shared.read_bytes()


def test_the_sample_imports_every_person_and_skips_the_blank_row(cli, db_path):
    result = cli("import", "linkedin", str(SAMPLE))
    assert result.code == 0, result.err
    assert result.err == ""  # piped: no progress bar
    assert result.out.splitlines() == [
        "LinkedIn connections from Connections-sample.csv (today's format): 5 added, 0 updated, 0 unchanged, 1 skipped",
        "Skipped:",
        "  line 7: blank but for the date (a private or deactivated member)",
    ]
    assert contacts(db_path) == SAMPLE_CONTACTS
    # New contacts have nothing due: no interactions, no introduction, no date set.
    assert query(db_path, "SELECT DISTINCT stage, next_follow_up, archived FROM contact") == [("identified", None, 0)]


def test_imported_contacts_work_like_any_other(cli):
    assert cli("import", "linkedin", str(SAMPLE)).code == 0
    shown = cli("contact", "show", "https://www.linkedin.com/in/tom%C3%A1s-villanueva-5b2/")
    assert shown.code == 0 and shown.out.startswith("#2 Tomás Villanueva -- Product Manager, Discovery, Spotify")
    assert "source: LinkedIn" in shown.out
    # Rows written in bulk load through the ORM too (timestamps, booleans, dates in its formats).
    assert cli("contact", "edit", "tomás", "--team", "Discovery").code == 0
    logged = cli("log", "tomás", "--kind", "message")
    assert logged.code == 0 and "nudge: no reply to your message of Nov 25" in logged.out


def test_bom_and_crlf_import_the_same(cli, db_path, tmp_path):
    bom_crlf = tmp_path / "Connections.csv"
    bom_crlf.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n"))
    result = cli("import", "linkedin", str(bom_crlf))
    assert result.code == 0, result.err
    assert "5 added, 0 updated, 0 unchanged, 1 skipped" in result.out and "line 7:" in result.out
    assert contacts(db_path) == SAMPLE_CONTACTS


def test_a_header_without_preamble_and_in_another_order_is_found(cli, db_path, tmp_path):
    shuffled = tmp_path / "Connections.csv"
    shuffled.write_text(
        "Connected On,Position,Company,Email Address,URL,Last Name,First Name,Extra\n"
        '14 Nov 2025,"PM, Growth",Spotify,,linkedin.com/in/HARRIET-okafor-3f9a21/,Okafor , Harriet,x\n',
        encoding="utf-8",
    )
    assert cli("import", "linkedin", str(shuffled)).code == 0
    assert contacts(db_path) == [
        ("Harriet Okafor", None, "https://www.linkedin.com/in/harriet-okafor-3f9a21", "Spotify", "PM, Growth",
         "LinkedIn", "2025-11-14"),
    ]  # fmt: skip


def test_a_quoted_field_over_two_lines_reports_the_line_its_row_starts_on(cli, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Ana,Li,,,Spotify,"Product Manager,\nDiscovery",01 Apr 2026\n'
        ",,,,,,02 Apr 2026\n"
        "Bo,Ng,,not-an-email,Spotify,PM,03 Apr 2026\n"
        "Cy,Oh,,,Spotify,PM,someday\n"
        "Di,Ko,https://example.com/in/di,,Spotify,PM,04 Apr 2026\n",
        encoding="utf-8",
    )
    result = cli("import", "linkedin", str(path))
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        "Skipped:",
        "  line 4: blank but for the date (a private or deactivated member)",
        "  line 5: email 'not-an-email' is not an email address",
        "  line 6: Connected On 'someday' is not a date",
        "  line 7: URL 'https://example.com/in/di' is not a LinkedIn profile URL",
    ]
    assert cli("contact", "show", "ana").out.startswith("#1 Ana Li -- Product Manager, Discovery, Spotify")


# ---------------------------------------------------------------- the 2018-2020 format


def test_the_old_format_imports_with_its_dates(cli, db_path):
    result = cli("import", "linkedin", str(OLD))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "LinkedIn connections from Connections-2019.csv (2018-2020 format): 3 added, 0 updated, 0 unchanged, 1 skipped",
        "Skipped:",
        "  line 4: blank but for the date (a private or deactivated member)",
    ]
    assert contacts(db_path) == [
        ("Marcus Lee", "marcus.lee@example.com", None, "Cadenza Audio", "Product Manager", "LinkedIn", "2018-01-08"),
        ("Olivia Grant", None, None, "Spotify", "Engineer, Playlists", "LinkedIn", "2019-12-31"),
        ("Jia Song", None, None, "Netflix, Inc.", "Data Scientist", "LinkedIn", "2020-07-14"),
    ]
    # Without URLs, a re-import matches on email, then on name and company.
    again = cli("import", "linkedin", str(OLD))
    assert "0 added, 0 updated, 3 unchanged, 1 skipped" in again.out


def test_an_old_export_then_todays_fills_in_the_profile_url(cli, db_path, tmp_path):
    old = tmp_path / "old.csv"
    old.write_text(
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        'Harriet,Okafor,,Spotify,Associate Product Manager,"11/14/25, 9:00 AM"\n',
        encoding="utf-8",
    )
    assert cli("import", "linkedin", str(old)).code == 0
    result = cli("import", "linkedin", str(SAMPLE))
    assert "4 added, 1 updated, 0 unchanged, 1 skipped" in result.out
    assert contacts(db_path)[0] == SAMPLE_CONTACTS[0]


# ---------------------------------------------------------------- re-import, job changes


def test_reimporting_the_same_file_changes_nothing(cli, db_path):
    assert cli("import", "linkedin", str(SAMPLE)).code == 0
    before = dump(db_path)
    result = cli("import", "linkedin", str(SAMPLE))
    assert result.code == 0
    assert "0 added, 0 updated, 5 unchanged, 1 skipped" in result.out
    assert dump(db_path) == before


def test_a_newer_export_updates_company_and_role_and_logs_the_job_change(cli, db_path):
    assert cli("import", "linkedin", str(SAMPLE)).code == 0
    result = cli("import", "linkedin", str(LATER))
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "LinkedIn connections from Connections-later.csv (today's format): 1 added, 2 updated, 3 unchanged, 1 skipped",
        "Skipped:",
        "  line 8: blank but for the date (a private or deactivated member)",
        "Job changes (logged as notes):",
        "  Tomás Villanueva moved from Spotify to SoundCloud",
    ]
    rows = {row[0]: row for row in contacts(db_path)}
    assert len(rows) == 6
    assert rows["Tomás Villanueva"][3:5] == ("SoundCloud", "Senior Product Manager, Creator Tools")
    assert rows["Aisha Bello"][3:5] == ("The Engine", "Partner")  # a new position, no job change
    assert query(db_path, "SELECT contact_id, kind, date, notes FROM interaction") == [
        (2, "note", "2026-11-25", "moved from Spotify to SoundCloud")
    ]
    assert "moved from Spotify to SoundCloud" in cli("contact", "show", "tomás").out
    assert cli("search", "SoundCloud").out.startswith("#2 Tomás Villanueva")  # the note is in the search index
    # ... and importing the newer export again changes nothing more.
    before = dump(db_path)
    assert "0 added, 0 updated, 6 unchanged" in cli("import", "linkedin", str(LATER)).out
    assert dump(db_path) == before


def test_a_job_change_on_a_contact_typed_by_hand(cli, db_path):
    assert cli("contact", "add", "Harriet Okafor", "--company", "Cadenza Audio", "--role", "Intern",
               "--linkedin", "linkedin.com/in/harriet-okafor-3f9a21", "--source", "MIT alumni directory").code == 0  # fmt: skip
    result = cli("import", "linkedin", str(SAMPLE))
    assert "4 added, 1 updated, 0 unchanged" in result.out
    assert "  Harriet Okafor moved from Cadenza Audio to Spotify" in result.out.splitlines()
    # Company and role follow LinkedIn; the source the user typed stays, and a date from LinkedIn would not fit it.
    assert contacts(db_path)[0] == (
        "Harriet Okafor", None, "https://www.linkedin.com/in/harriet-okafor-3f9a21", "Spotify",
        "Associate Product Manager", "MIT alumni directory", None,
    )  # fmt: skip


@pytest.mark.sqlite_only  # recomputes through open_engine(db_path), a SQLite file
def test_the_job_change_note_is_an_interaction_and_the_schedule_follows_it(cli, db_path):
    """The note is logged like any other (the spec: "logging anything resets the clock"), so the stored follow-up
    is recomputed with it, and equals what a full recompute gives."""
    assert cli("contact", "add", "Tomás Villanueva", "--company", "Spotify",
               "--linkedin", "https://www.linkedin.com/in/tom%C3%A1s-villanueva-5b2").code == 0  # fmt: skip
    assert cli("log", "tomás", "--kind", "chat", "--date", "2026-10-01").code == 0
    assert cli("log", "tomás", "--kind", "message", "--date", "2026-10-02").code == 0  # the thank-you
    assert query(db_path, "SELECT next_follow_up FROM contact") == [("2026-10-30",)]
    assert cli("import", "linkedin", str(LATER)).code == 0
    row = query(db_path, "SELECT stage, next_follow_up, next_follow_up_reason FROM contact WHERE id = 1")
    assert row == [("chatted", "2026-12-23", "keep in touch (every 4 weeks; last note on Nov 25)")]

    from crm.followups.writes import recompute_all
    from crm.store.db import open_engine, write_session
    from crm.store.settings import Settings

    before = dump(db_path)
    engine = open_engine(db_path)
    with write_session(engine) as session:
        recompute_all(session, Settings())
    engine.dispose()
    assert dump(db_path) == before


# ---------------------------------------------------------------- matching order


def test_the_profile_url_is_matched_before_the_email(cli, db_path):
    assert cli("contact", "add", "G. Liu", "--linkedin", "https://www.linkedin.com/in/graceliu").code == 0
    assert cli("contact", "add", "Someone Else", "--email", "grace.liu@example.com").code == 0
    assert "4 added, 1 updated" in cli("import", "linkedin", str(SAMPLE)).out
    by_id = contacts(db_path)
    assert by_id[0][:4] == ("G. Liu", None, "https://www.linkedin.com/in/graceliu", "Acme Audio, Inc.")  # the email
    assert by_id[1][:4] == ("Someone Else", "grace.liu@example.com", None, None)  # stays with its owner, untouched


def test_the_email_is_matched_before_name_and_company(cli, db_path):
    assert cli("contact", "add", "Grace L.", "--email", "Grace.Liu@example.com").code == 0
    assert cli("contact", "add", "Grace Liu, PhD", "--company", "Acme Audio, Inc.",
               "--linkedin", "https://www.linkedin.com/in/another-grace").code == 0  # fmt: skip
    assert "4 added, 1 updated" in cli("import", "linkedin", str(SAMPLE)).out
    assert contacts(db_path)[0][:4] == (
        "Grace L.",
        "grace.liu@example.com",
        "https://www.linkedin.com/in/graceliu",
        "Acme Audio, Inc.",
    )


def test_name_and_company_match_case_insensitively(cli, db_path):
    assert cli("contact", "add", "SØREN  KJÆR", "--company", "spotify").code == 0
    assert "4 added, 1 updated" in cli("import", "linkedin", str(SAMPLE)).out
    # The URL is filled in; the company differs only in case, so it is left as typed (no job change).
    assert contacts(db_path)[0][:5] == (
        "SØREN KJÆR",
        None,
        "https://www.linkedin.com/in/soren-kjaer-99",
        "spotify",
        "Senior Data Scientist 🎧",
    )
    assert query(db_path, "SELECT count(*) FROM interaction") == [(0,)]


def test_a_namesake_with_another_profile_url_is_someone_else(cli, db_path):
    assert cli("contact", "add", "Aisha Bello", "--company", "The Engine",
               "--linkedin", "https://www.linkedin.com/in/aisha-bello-2").code == 0  # fmt: skip
    assert "5 added, 0 updated" in cli("import", "linkedin", str(SAMPLE)).out
    assert [c[2] for c in contacts(db_path) if c[0] == "Aisha Bello"] == [
        "https://www.linkedin.com/in/aisha-bello-2",
        "https://www.linkedin.com/in/aisha-bello",
    ]


def test_two_contacts_with_the_same_name_and_company_are_not_guessed_between(cli, db_path):
    for _ in range(2):
        assert cli("contact", "add", "Jia Song", "--company", "Netflix, Inc.").code == 0
    result = cli("import", "linkedin", str(OLD))
    assert "2 added, 0 updated, 0 unchanged, 2 skipped" in result.out
    assert "  line 5: matches 2 contacts by name and company (#1, #2)" in result.out.splitlines()


def test_the_same_person_twice_in_one_file_is_added_once(cli, db_path, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Ana,Li,https://www.linkedin.com/in/ana-li,,Spotify,PM,01 Apr 2026\n"
        "Ana,Li,https://www.linkedin.com/in/ana-li/,,Spotify,PM,01 Apr 2026\n",
        encoding="utf-8",
    )
    result = cli("import", "linkedin", str(path))
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in result.out
    assert "  line 3: the same person as line 2" in result.out.splitlines()


def test_archived_contacts_are_matched_not_duplicated(cli, db_path):
    assert cli("contact", "add", "Aisha Bello", "--linkedin", "https://www.linkedin.com/in/aisha-bello").code == 0
    assert cli("contact", "archive", "aisha").code == 0
    assert "4 added, 1 updated" in cli("import", "linkedin", str(SAMPLE)).out
    assert query(db_path, "SELECT name, archived FROM contact WHERE id = 1") == [("Aisha Bello", 1)]


# ---------------------------------------------------------------- --tag and --dry-run


def test_tag_applies_to_everyone_in_the_file(cli, db_path):
    assert cli("contact", "add", "Aisha Bello", "--linkedin", "https://www.linkedin.com/in/aisha-bello").code == 0
    result = cli("import", "linkedin", str(SAMPLE), "--tag", "LinkedIn", "--tag", "mit")
    assert result.out.splitlines()[0].endswith("4 added, 1 updated, 0 unchanged, 1 skipped (tagged linkedin, mit)")
    tags = query(db_path, "SELECT tag, count(*) FROM contact_tag GROUP BY tag ORDER BY tag")
    assert tags == [("linkedin", 5), ("mit", 5)]
    assert [r["name"] for r in _listed(cli, "--tag", "mit")] == sorted(c[0] for c in SAMPLE_CONTACTS)
    # A new tag on a re-import counts as an update; the same tags again change nothing.
    assert "0 added, 5 updated, 0 unchanged" in cli("import", "linkedin", str(SAMPLE), "--tag", "alumni").out
    assert "0 added, 0 updated, 5 unchanged" in cli("import", "linkedin", str(SAMPLE), "--tag", "alumni").out


def _listed(cli, *args):
    import json

    return json.loads(cli("contact", "list", "--json", *args).out)


def test_a_bad_tag_exits_2_before_anything_is_written(cli, db_path):
    assert cli("contact", "add", "Maya Chen").code == 0
    before = dump(db_path)
    result = cli("import", "linkedin", str(SAMPLE), "--tag", "two words")
    assert result.code == 2 and "not a tag" in result.err
    assert dump(db_path) == before


def test_dry_run_writes_nothing_and_prints_the_same_summary(cli, db_path):
    assert cli("contact", "add", "Tomás Villanueva", "--company", "Spotify", "--tag", "x",
               "--linkedin", "https://www.linkedin.com/in/tom%C3%A1s-villanueva-5b2").code == 0  # fmt: skip
    before = dump(db_path)
    dry = cli("import", "linkedin", str(LATER), "--dry-run", "--tag", "li")
    assert dry.code == 0, dry.err
    assert dump(db_path) == before
    assert dry.out.splitlines()[-1] == "Dry run: nothing was written."
    real = cli("import", "linkedin", str(LATER), "--tag", "li")
    assert real.out.splitlines() == dry.out.splitlines()[:-1]
    assert "  Tomás Villanueva moved from Spotify to SoundCloud" in real.out.splitlines()
    assert dump(db_path) != before


# ---------------------------------------------------------------- files that are not this CSV


def _zip(tmp_path: Path) -> Path:
    path = tmp_path / "Basic_LinkedInDataExport.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(SAMPLE, "Connections.csv")
    return path


BAD_FILES = [
    # (name, how to make it, words the one-line reason must contain)
    ("binary", lambda d: _write(d / "Connections.csv", bytes(range(256)) * 4), "binary file"),
    ("vcard", lambda d: shutil.copy(DATA / "contact.vcf", d / "contact.vcf"), "is a vCard"),
    ("empty", lambda d: _write(d / "Connections.csv", b""), "is empty"),
    ("blank lines", lambda d: _write(d / "Connections.csv", b"\r\n\n  \n"), "is empty"),
    ("other headers", lambda d: shutil.copy(DATA / "google-contacts.csv", d / "contacts.csv"), "no LinkedIn header"),
    ("latin-1", lambda d: _write(d / "Connections.csv", SAMPLE.read_text("utf-8").encode("latin-1", "replace")),
     "not UTF-8 text (byte 0xe1 on line 6)"),
    ("zip", _zip, "ZIP archive"),
    ("folder", lambda d: (d / "export").mkdir() or d / "export", "is a folder"),
    ("missing", lambda d: d / "nowhere.csv", "does not exist"),
    ("unterminated quote at the header", lambda d: _write(d / "c.csv", b'"First Name,Last Name\n' * 3),
     "no LinkedIn header"),
]  # fmt: skip


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.fixture
def populated(cli, db_path):
    assert cli("contact", "add", "Maya Chen", "--email", "maya@example.com").code == 0
    assert cli("import", "linkedin", str(OLD)).code == 0
    return dump(db_path)


@pytest.mark.parametrize(("make", "message"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_a_file_that_is_not_a_connections_csv_exits_2_and_writes_nothing(
    cli, populated, db_path, tmp_path, make, message
):
    path = make(tmp_path)
    for extra in ([], ["--dry-run"], ["--tag", "li"]):
        result = cli("import", "linkedin", str(path), *extra)
        assert result.code == 2, result
        assert message in result.err
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
        assert result.out == ""
        assert dump(db_path) == populated


def test_a_bad_file_never_creates_the_database(cli, tmp_path):
    db = tmp_path / "new.db"
    result = cli("--db", str(db), "import", "linkedin", str(DATA / "contact.vcf"))
    assert result.code == 2 and not db.exists()


def test_import_without_a_format_shows_the_importers(cli):
    result = cli("import", "--help")
    assert result.code == 0 and "linkedin" in result.out


# ---------------------------------------------------------------- progress, and any bytes at all


def test_a_progress_bar_only_at_a_terminal(cli, tmp_path, monkeypatch):
    from tests.bench.linkedin import write_connections

    big = write_connections(tmp_path / "Connections.csv", rows=3000)
    piped = cli("import", "linkedin", str(big), "--dry-run")
    assert piped.code == 0 and piped.err == ""
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    at_terminal = cli("import", "linkedin", str(big))
    assert at_terminal.code == 0
    assert "Importing" in at_terminal.err and "100%" in at_terminal.err
    assert at_terminal.out.splitlines() == piped.out.splitlines()[:-1]


def _mutated(sample: bytes):
    """The sample with a few bytes replaced, inserted or deleted: near-misses of a real export."""
    edit = st.tuples(st.integers(0, len(sample)), st.integers(0, 3), st.binary(max_size=4))

    def apply(edits):
        data = sample
        for at, cut, insert in edits:
            data = data[:at] + insert + data[at + cut :]
        return data

    return st.lists(edit, min_size=1, max_size=6).map(apply)


CSVISH = st.lists(
    st.sampled_from([b"First Name,Last Name,URL,Email Address,Company,Position,Connected On", b",", b'"', b"\r\n",
                     b"\n", b"Ana", b" Li ", b"01 Apr 2026", b"1/8/18, 6:14 PM", b"https://www.linkedin.com/in/x",
                     b"a@b.co", b"\xef\xbb\xbf", b"\xff", b"\x00", b"BEGIN:VCARD", b"Notes:", b"%", b";"]),
    max_size=40,
).map(b"".join)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _mutated(SAMPLE.read_bytes()), CSVISH))
def test_any_bytes_import_cleanly_or_exit_2(cli, db_path, tmp_path, data):
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    before = dump(db_path) if db_path.exists() else None
    result = cli("import", "linkedin", str(path))
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err
    if result.code == 2:
        assert len(result.err.strip().splitlines()) == 1 and result.out == ""
        assert before is None or dump(db_path) == before
