"""How long a value may be (crm.contacts.fields.LIMITS): the same limit on both engines wherever values come in (CLI,
imports, restore, `db copy`), refused in one line naming the field, with nothing written; a database that already
holds a longer value still opens, works and exports, and `db copy` refuses it naming the record."""

from __future__ import annotations

import json
import sqlite3

import pytest

from crm.contacts.fields import LIMITS
from tests.conftest import dump, dump_db, dump_url

both_engines = pytest.mark.usefixtures("db_url")  # the test runs on SQLite and on PostgreSQL (tests/conftest.py)

NOTE = LIMITS["text"][0]


def _refused(result, *words: str) -> None:
    assert result.code == 2, (result.out, result.err[:300])
    assert result.err.count("\n") == 1 and "Traceback" not in result.err, result.err[:300]
    for word in words:
        assert word in result.err, result.err[:300]


def _distinct_words(n: int) -> str:
    """`n` characters of distinct one-letter CJK words: the text that makes PostgreSQL's tsvector largest per
    character (6 bytes each, measured)."""
    text = " ".join(chr(0x4E00 + i) for i in range(n // 2 + 1))[:n]
    return text[:-1] + "X" if text.endswith(" ") else text  # a value as stored: nothing to trim


@both_engines
def test_a_note_at_the_limit_is_kept_and_searchable_and_one_over_is_refused(cli, db_path):
    assert cli("contact", "add", "Maya Chen").code == 0
    at_limit = _distinct_words(NOTE)
    assert len(at_limit) == NOTE
    result = cli("log", "maya", "--kind", "note", "--notes", "-", stdin=at_limit)
    assert result.code == 0, result.err[:300]  # PostgreSQL's search index takes the worst text of this length

    before = dump(db_path)
    _refused(
        cli("log", "maya", "--kind", "note", "--notes", "-", stdin=at_limit + "x"),
        "the notes: 20,001 characters",
        "at most 20,000",
    )
    huge = " ".join(f"{i:010d}" for i in range(150_000))  # the tester's 1.5 MB note
    _refused(cli("log", "maya", "--kind", "note", "--notes", "-", stdin=huge), "the notes: 1,649,999 characters")
    for option in ("--takeaways", "--next-step", "--advice"):
        label = option.removeprefix("--").replace("-", " ")
        _refused(cli("log", "maya", "--kind", "chat", option, "w" * (NOTE + 1)), f"the {label}: 20,001 characters")
    _refused(cli("log", "maya", "--kind", "chat", "--promise", "w" * (NOTE + 1)), "a promise: 20,001 characters")
    _refused(cli("log", "maya", "--kind", "chat", "--suggested", "N" * 151), "a suggested person's name: 151")
    assert dump(db_path) == before


LONG_EMAIL = "a" * 9000 + "@example.com"


@both_engines
@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--email", LONG_EMAIL, ("the email address: 9,012 characters", "at most 254", "RFC 5321")),
        ("--email", "a" * 243 + "@example.com", ("the email address: 255 characters",)),
        ("--tag", "t" * 9000, ("the tag: 9,000 characters", "at most 50")),
        ("--tag", "t" * 51, ("the tag: 51 characters",)),
        ("--linkedin", "https://www.linkedin.com/in/" + "x" * 9000, ("the LinkedIn URL: 9,028 characters",)),
        ("--linkedin", "https://www.linkedin.com/in/" + "x" * 173, ("the LinkedIn URL: 201 characters", "200")),
        ("--company", "C" * 201, ("the company: 201 characters", "at most 200")),
        ("--role", "R" * 9000, ("the role: 9,000 characters",)),
        ("--cadence", "weekly" * 40, ("the cadence: 240 characters",)),
        ("--notes", "n" * (NOTE + 1), ("the notes: 20,001 characters",)),
    ],
    ids=["email", "email-255", "tag", "tag-51", "linkedin", "linkedin-201", "company", "role", "cadence", "notes"],
)
def test_contact_fields_over_their_limit_are_refused_naming_the_field(cli, db_path, option, value, words):
    assert cli("contact", "add", "Maya Chen").code == 0
    before = dump(db_path)
    _refused(cli("contact", "add", "Someone", option, value), *words)
    _refused(cli("contact", "edit", "maya", option, value), *words)
    assert dump(db_path) == before


@both_engines
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--email", "a" * 242 + "@example.com"),  # 254: RFC 5321's longest address, indexed on PostgreSQL too
        ("--tag", "t" * 50),
        ("--linkedin", "https://www.linkedin.com/in/" + "é" * 172),
        ("--company", "中" * 200),
        ("--notes", _distinct_words(NOTE)),
    ],
    ids=["email", "tag", "linkedin", "company", "notes"],
)
def test_values_at_their_limit_are_kept_on_both_engines(cli, option, value):
    result = cli("contact", "add", "Maya Chen", option, value)
    assert result.code == 0, result.err[:300]
    shown = json.loads(cli("contact", "show", "maya", "--json").out)
    kept = shown["tags"] if option == "--tag" else shown[option.removeprefix("--").replace("linkedin", "linkedin_url")]
    assert value in kept or kept == value


@both_engines
def test_a_name_and_hook_over_their_limit_are_refused(cli, db_path):
    assert cli("contact", "add", "N" * 150).code == 0
    before = dump(db_path)
    _refused(cli("contact", "add", "N" * 151), "the name: 151 characters", "at most 150")
    _refused(cli("hook", "add", "1", "h" * (NOTE + 1)), "the hook's text: 20,001 characters")
    _refused(cli("hook", "add", "1", "a talk", "--url", "https://x.org/" + "u" * 2040), "the hook's URL: 2,054")
    _refused(cli("hook", "add", "1", "a talk", "--question", "q" * NOTE), "the hook's question: 20,001")
    assert dump(db_path) == before


@both_engines
def test_a_project_name_over_the_line_limit_is_refused(cli, db_path):
    """A project's name is indexed as a target's company is: the one-line limit holds for it too."""
    assert cli("project", "add", "p" * 200, "--result", "cut load time by 50%").code == 0
    before = dump(db_path)
    _refused(cli("project", "add", "q" * 201, "--result", "cut load time by 50%"), "the project's name: 201")
    assert dump(db_path) == before


@both_engines
def test_a_target_company_over_the_line_limit_is_refused(cli, db_path):
    """A target's company is a contact's company: the same one-line limit, from the same table."""
    assert cli("target", "add", "c" * 200).code == 0
    before = dump(db_path)
    _refused(cli("target", "add", "d" * 201), "the company: 201 characters", "at most 200")
    assert dump(db_path) == before

@both_engines
def test_a_merge_whose_kept_notes_would_grow_past_the_limit_is_refused_whole(cli, db_path):
    """A merge appends OTHER's losing values to KEEP's notes: that must not make a contact no copy can carry."""
    full = "n" * (NOTE - 10)
    assert cli("contact", "add", "Maya Chen", "--email", "maya@example.com", "--notes", full).code == 0
    assert cli("contact", "add", "Maya C.", "--email", "maya@old.com").code == 0
    before = dump(db_path)
    _refused(cli("contact", "merge", "Maya Chen", "Maya C."), "Maya Chen's notes with the merged values added")
    assert dump(db_path) == before


@both_engines
def test_a_linkedin_row_with_a_value_over_its_limit_is_skipped_saying_which(cli, tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "Maya,Chen,https://www.linkedin.com/in/maya,,Spotify,PM,01 Apr 2026\n"
        f"Ivan,Petrov,https://www.linkedin.com/in/ivan,,{'C' * 9000},PM,01 Apr 2026\n"
        f"Jia,Song,https://www.linkedin.com/in/{'j' * 300},,Netflix,PM,01 Apr 2026\n"
        f"Dan,Wu,,{'d' * 300}@example.com,Netflix,PM,01 Apr 2026\n"
        f"{'L' * 100},{'M' * 100},,,Netflix,PM,01 Apr 2026\n",
        encoding="utf-8",
    )
    result = cli("import", "linkedin", str(path))
    assert result.code == 0, result.err[:300]
    assert "Company: 9,000 characters" in result.out
    assert "the LinkedIn URL: 328 characters" in result.out
    assert "Email Address: 312 characters" in result.out
    assert "the name: 201 characters" in result.out
    names = [c["name"] for c in json.loads(cli("contact", "list", "--json").out)]
    assert names == ["Maya Chen"]


@both_engines
def test_a_vcard_with_a_value_over_its_limit_is_skipped_saying_which(cli, tmp_path):
    cards = tmp_path / "cards"
    cards.mkdir()
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{extra}END:VCARD\r\n"
    (cards / "a.vcf").write_text(card.format(name="Maya Chen", extra="ORG:Spotify\r\n"), encoding="utf-8")
    (cards / "b.vcf").write_text(card.format(name="Ivan", extra=f"ORG:{'C' * 9000}\r\n"), encoding="utf-8")
    (cards / "c.vcf").write_text(card.format(name="Jia", extra=f"EMAIL:{'e' * 300}@x.org\r\n"), encoding="utf-8")
    (cards / "d.vcf").write_text(card.format(name="Dan", extra=f"NOTE:{'n' * (NOTE + 1)}\r\n"), encoding="utf-8")
    (cards / "e.vcf").write_text(card.format(name="N" * 151, extra=""), encoding="utf-8")
    phones = "".join(f"TEL:+1 555 {i:07d}\r\n" for i in range(20))
    (cards / "f.vcf").write_text(card.format(name="Eve", extra=f"NOTE:{'n' * NOTE}\r\n{phones}"), encoding="utf-8")
    result = cli("import", "vcard", str(cards))
    assert result.code == 0, result.err[:300]
    assert "1 added" in result.out and "5 skipped" in result.out
    for reason in ("ORG: 9,000 characters", "EMAIL: 306 characters", "NOTE: 20,001 characters",
                   "the name: 151 characters", "the notes it would give: "):  # fmt: skip
        assert reason in result.out, result.out


# -- a database made before the limits ------------------------------------------------------------------------------


@pytest.fixture
def long_values(cli, tmp_path):
    """A SQLite database holding what crm now refuses (as one made by an older crm would): a 9,012-character email,
    a 300-character tag and a 1.5 MB note. Returns its path."""
    path = tmp_path / "old.db"
    assert cli("--db", str(path), "contact", "add", "Maya Chen").code == 0
    assert cli("--db", str(path), "contact", "add", "Ivan Petrov").code == 0
    assert cli("--db", str(path), "log", "ivan", "--kind", "note", "--notes", "short").code == 0
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE contact SET email = ? WHERE name = 'Maya Chen'", (LONG_EMAIL,))
        conn.execute("INSERT INTO contact_tag (contact_id, tag) VALUES (1, ?)", ("t" * 300,))
        conn.execute("UPDATE interaction SET notes = ?", (" ".join(f"{i:010d}" for i in range(150_000)),))
    return str(path)


def test_a_database_holding_longer_values_opens_works_and_exports(cli, long_values, tmp_path):
    db = ["--db", long_values]
    assert len(json.loads(cli(*db, "contact", "list", "--json").out)) == 2
    assert cli(*db, "log", "maya", "--kind", "chat", "--notes", "coffee").code == 0
    assert cli(*db, "contact", "edit", "maya", "--company", "Spotify").code == 0
    assert cli(*db, "due").code == 0
    exported = json.loads(cli(*db, "export", "json", "-").out)
    assert exported["contacts"][0]["email"] == LONG_EMAIL
    assert len(exported["interactions"][0]["notes"]) == 1_649_999

    # The same limits on the way back in: restore refuses it naming the path and the contact, creating nothing.
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    fresh = tmp_path / "fresh.db"
    result = cli("--db", str(fresh), "restore", str(path))
    _refused(result, "contacts[0].email (contact #1 'Maya Chen'): 9,012 characters", "at most 254", str(path))
    assert not fresh.exists()


def test_db_copy_of_longer_values_refuses_naming_the_record_and_writes_nothing(cli, long_values, pg_url, tmp_path):
    before = dump_url(pg_url)
    result = cli("db", "copy", long_values, pg_url)
    _refused(result, "contacts[0].email (contact #1 'Maya Chen'): 9,012 characters", f"shorten it in {long_values}")
    assert dump_url(pg_url) == before
    result = cli("db", "copy", long_values, str(tmp_path / "copy.db"))
    _refused(result, "contacts[0].email (contact #1 'Maya Chen')")
    assert not (tmp_path / "copy.db").exists()

    with sqlite3.connect(long_values) as conn:  # each longer value in turn is named, with its owner
        conn.execute("UPDATE contact SET email = NULL")
    _refused(cli("db", "copy", long_values, pg_url), "tags[0].tag (contact #1 'Maya Chen'): 300 characters")
    with sqlite3.connect(long_values) as conn:
        conn.execute("DELETE FROM contact_tag")
    _refused(
        cli("db", "copy", long_values, pg_url),
        "interactions[0].notes (contact #2 'Ivan Petrov'): 1,649,999 characters",
        "at most 20,000",
    )
    assert dump_url(pg_url) == before
    with sqlite3.connect(long_values) as conn:  # shortened, it copies
        conn.execute("UPDATE interaction SET notes = 'short'")
    assert cli("db", "copy", long_values, pg_url).code == 0


# -- `db copy` into a database that holds anything ------------------------------------------------------------------


def test_db_copy_into_a_club_with_alumni_points_to_the_imports_and_changes_nothing(cli, club, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    assert cli("--db", laptop, "contact", "add", "Maya Chen").code == 0
    assert cli("--db", club.url("sam"), "contact", "add", "Ivan Petrov").code == 0
    before = dump_url(club.admin_url)
    result = cli("db", "copy", laptop, club.url("jordan"))
    _refused(result, "is a club database that already has alumni (1 contact)", "`crm db copy`",
             "not supported", "crm import vcard", "crm import linkedin")  # fmt: skip
    assert "afresh" not in result.err and "restore" not in result.err and "pw-jordan" not in result.err
    assert dump_url(club.admin_url) == before


def test_db_copy_into_a_database_holding_anything_never_advises_wiping_it(cli, pg_url, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    assert cli("--db", laptop, "contact", "add", "Maya Chen").code == 0
    assert cli("--db", pg_url, "contact", "add", "Already Here").code == 0
    before = dump_url(pg_url)
    result = cli("db", "copy", laptop, pg_url)
    _refused(result, "is not empty (it has 1 contact)", "`crm db copy` only fills an empty database",
             "a new, empty database")  # fmt: skip
    assert "afresh" not in result.err and "restore" not in result.err
    assert dump_url(pg_url) == before

    other = tmp_path / "other.db"
    assert cli("--db", str(other), "contact", "add", "Someone").code == 0
    before = dump_db(str(other))
    _refused(cli("db", "copy", laptop, str(other)), "`crm db copy`", "copy into a new file")
    assert dump_db(str(other)) == before


def test_restore_into_a_server_database_never_advises_starting_it_afresh(cli, pg_url, tmp_path):
    laptop = str(tmp_path / "laptop.db")
    assert cli("--db", laptop, "contact", "add", "Maya Chen").code == 0
    path = tmp_path / "export.json"
    assert cli("--db", laptop, "export", "json", str(path)).code == 0
    assert cli("--db", pg_url, "contact", "add", "Already Here").code == 0
    result = cli("--db", pg_url, "restore", str(path))
    _refused(result, "is not empty (it has 1 contact)", "an empty database")
    assert "afresh" not in result.err
