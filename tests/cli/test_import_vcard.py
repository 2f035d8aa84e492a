"""`crm import vcard PATH`: files, multi-card files and folders; matching; broken cards; nothing written on bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "vcard"

CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\n{body}END:VCARD\r\n"


def card(**props: str) -> str:
    return CARD.format(body="".join(f"{name.replace('_', '-').upper()}:{value}\r\n" for name, value in props.items()))


def contacts(cli) -> list[dict]:
    return json.loads(cli("contact", "list", "--json", "--archived").out or "[]") + json.loads(
        cli("contact", "list", "--json").out
    )


def show(cli, who: str) -> dict:
    result = cli("contact", "show", who, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_every_shared_sample_imports_from_the_folder_and_reimporting_changes_nothing(cli, db_path):
    result = cli("import", "vcard", str(SAMPLES))
    assert result.code == 0, result.err
    assert "4 added, 0 updated, 0 unchanged, 0 skipped" in result.out
    names = sorted(row["name"] for row in json.loads(cli("contact", "list", "--json").out))
    assert names == ["Given Family", "Mr. Michael Angstadt Jr.", "Simon Perreault", "VCard Test"]
    gmail = show(cli, "VCard Test")
    assert gmail["email"] == "email@example.com" and gmail["company"] == "TheCompany"
    assert gmail["role"] == "TheJobTitle" and gmail["source"] == "vCard"
    assert "Phones: 5555551111" in gmail["notes"] and "homeemail@example.com" in gmail["notes"]
    before = dump(db_path)
    again = cli("import", "vcard", str(SAMPLES))
    assert "0 added, 0 updated, 4 unchanged, 0 skipped" in again.out
    assert dump(db_path) == before


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.vcf")))
def test_each_shared_sample_imports_on_its_own(cli, sample):
    result = cli("import", "vcard", str(SAMPLES / sample))
    assert result.code == 0, result.err
    assert "1 added" in result.out and "0 skipped" in result.out


def test_a_broken_card_is_reported_with_file_and_line_and_the_rest_are_imported(cli, tmp_path):
    path = tmp_path / "mixed.vcf"
    path.write_text(
        card(fn="Ann One", email="ann@example.com")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\nno colon on this line\r\nEND:VCARD\r\n"
        + card(fn="Bo Two", org="Spotify;Discovery", title="PM")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut short\r\n",
        encoding="utf-8",
    )
    result = cli("import", "vcard", str(path))
    assert result.code == 0, result.err
    assert "2 added, 0 updated, 0 unchanged, 2 skipped" in result.out
    assert f"{path}:9: cannot read the card" in result.out
    assert f"{path}:17: the card has no END:VCARD" in result.out
    bo = show(cli, "Bo Two")
    assert (bo["company"], bo["team"], bo["role"]) == ("Spotify", "Discovery", "PM")


def test_a_folder_names_each_file_in_its_problems(cli, tmp_path):
    (tmp_path / "a.vcf").write_text(card(fn="Ann One"))
    (tmp_path / "b.VCF").write_text("BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@example.com\nEND:VCARD\n")
    (tmp_path / "c.vcf").write_bytes(b"\x00\x01binary")
    (tmp_path / "notes.txt").write_text("not read: wrong suffix")
    (tmp_path / ".hidden.vcf").write_text(card(fn="Hidden"))
    result = cli("import", "vcard", str(tmp_path))
    assert result.code == 0, result.err
    assert "1 added, 0 updated, 0 unchanged, 2 skipped" in result.out
    assert "b.VCF:1: the card has no name" in result.out and "c.vcf:1: is a binary file" in result.out


def test_matching_existing_contacts_url_then_email_then_name_and_company(cli, tmp_path):
    assert cli("contact", "add", "Maya Chen", "--company", "Spotify", "--linkedin", "linkedin.com/in/maya").code == 0
    assert cli("contact", "add", "Ivan Petrov", "--email", "ivan@example.com").code == 0
    assert cli("contact", "add", "Jia Song", "--company", "Netflix", "--role", "Staff PM").code == 0
    path = tmp_path / "book.vcf"
    path.write_text(
        card(fn="Maya C.", url="https://www.linkedin.com/in/MAYA/", email="maya@example.com", title="Senior PM")
        + card(fn="Ivan P", email="IVAN@example.com", org="Spotify")
        + card(fn="jia  song", org="netflix", title="Director", email="jia@example.com")
        + card(fn="Jia Song", org="Amazon")
        + card(fn="Maya again", email="maya@example.com"),
        encoding="utf-8",
    )
    result = cli("import", "vcard", str(path))
    assert result.code == 0, result.err
    assert "1 added, 3 updated, 0 unchanged, 1 skipped" in result.out
    assert "the same person as" in result.out
    maya = show(cli, "Maya Chen")
    assert maya["email"] == "maya@example.com" and maya["role"] == "Senior PM"  # blanks filled
    assert show(cli, "Ivan Petrov")["company"] == "Spotify"
    jia = show(cli, "jia@example.com")
    assert jia["name"] == "Jia Song" and jia["role"] == "Staff PM"  # a card never overwrites what you typed
    assert len(json.loads(cli("contact", "list", "--json").out)) == 4  # the Amazon Jia is someone else


def test_an_email_another_contact_has_is_not_taken_and_does_not_fail_the_import(cli, tmp_path):
    assert cli("contact", "add", "Ann One", "--email", "shared@example.com").code == 0
    assert cli("contact", "add", "Bo Two", "--linkedin", "linkedin.com/in/bo").code == 0
    path = tmp_path / "b.vcf"
    path.write_text(
        card(fn="Bo Two", url="https://linkedin.com/in/bo", email="shared@example.com")
        + card(fn="Cy Three", email="shared@example.com;")  # an invalid email is ignored, not fatal
    )
    result = cli("import", "vcard", str(path))
    assert result.code == 0, result.err
    assert show(cli, "Bo Two")["email"] is None


def test_dry_run_and_tags(cli, tmp_path, db_path):
    path = tmp_path / "one.vcf"
    path.write_text(card(fn="Ann One", categories="Alumni,Spotify People"))
    cli("contact", "list")  # create the database
    before = dump(db_path)
    result = cli("import", "vcard", str(path), "--dry-run", "--tag", "mit")
    assert result.code == 0 and "1 added" in result.out and "Dry run: nothing was written." in result.out
    assert dump(db_path) == before
    assert cli("import", "vcard", str(path), "--tag", "mit").code == 0
    assert show(cli, "Ann One")["tags"] == ["alumni", "mit", "spotify-people"]


def test_import_is_one_transaction(cli, tmp_path, db_path, monkeypatch):
    path = tmp_path / "two.vcf"
    path.write_text(card(fn="Ann One") + card(fn="Bo Two"))
    cli("contact", "list")
    before = dump(db_path)
    import crm.contacts.writes as writes

    real = writes.create_contact
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return real(**kwargs)

    monkeypatch.setattr(writes, "create_contact", failing)
    with pytest.raises(RuntimeError):
        cli("import", "vcard", str(path))
    assert dump(db_path) == before


BAD = [
    ("missing.vcf", "does not exist"),
    ("empty-folder", "no .vcf files"),
    ("notes.txt", "no vCard in it"),
    ("image.vcf", "binary"),
    ("all-broken.vcf", "no card in"),
]


@pytest.mark.parametrize(("name", "message"), BAD, ids=[name for name, _ in BAD])
def test_bad_paths_exit_2_with_one_line_and_nothing_written(cli, tmp_path, db_path, name, message):
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "image.vcf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "all-broken.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nNOTE:no name\nEND:VCARD\n")
    cli("contact", "add", "Someone")
    before = dump(db_path)
    result = cli("import", "vcard", str(tmp_path / name))
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before


def test_a_bad_tag_is_refused_before_anything(cli, tmp_path):
    (tmp_path / "a.vcf").write_text(card(fn="Ann One"))
    result = cli("import", "vcard", str(tmp_path / "a.vcf"), "--tag", "two words")
    assert result.code == 2 and "not a tag" in result.err


def test_the_exported_folder_imports_back_unchanged(cli, tmp_path, db_path):
    assert cli("demo").code == 0
    assert cli("export", "vcard", str(tmp_path / "cards")).code == 0
    before = dump(db_path)
    result = cli("import", "vcard", str(tmp_path / "cards"))
    assert "0 added, 0 updated, 14 unchanged, 0 skipped" in result.out
    assert dump(db_path) == before
    other = tmp_path / "other.db"
    result = cli("--db", str(other), "import", "vcard", str(tmp_path / "cards"))
    assert "14 added" in result.out
    shutil.rmtree(tmp_path / "cards")


def test_cards_from_stdin(cli):
    result = cli("import", "vcard", "-", stdin=card(fn="Ann One", email="ann@example.com") + card(fn="Bo Two"))
    assert result.code == 0 and "2 added" in result.out, result.err
    assert show(cli, "ann@example.com")["name"] == "Ann One"
    assert cli("import", "vcard", "-", stdin="hello\n").code == 2
