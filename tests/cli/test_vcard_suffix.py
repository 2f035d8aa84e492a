"""vCard N for names with post-nominals: "Grace Liu, PhD" is filed under Liu with PhD as its suffix, not under
"PhD" (the tester's defect 12); FN keeps the name as written, and the round trip still matches the same people."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import vobject

from crm.formats.vcard import NameParts, name_parts
from tests.conftest import dump

LINKEDIN_SAMPLE = Path("/work/shared/interop/linkedin/Connections-sample.csv")
INTEROP_VCARDS = Path("/work/shared/interop/vcard")


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Grace Liu, PhD", NameParts("Liu", "Grace", "", ("PhD",))),
        ("Grace Liu, Ph.D.", NameParts("Liu", "Grace", "", ("Ph.D.",))),
        ("Ana Ruiz, MBA, CPA", NameParts("Ruiz", "Ana", "", ("MBA", "CPA"))),
        ("Sam Oakes, P.E.", NameParts("Oakes", "Sam", "", ("P.E.",))),
        ("Lee Park, Esq.", NameParts("Park", "Lee", "", ("Esq.",))),
        ("Martin Luther King, Jr.", NameParts("King", "Martin Luther", "", ("Jr.",))),
        ("Martin Luther King Jr.", NameParts("King", "Martin Luther", "", ("Jr.",))),
        ("Henry Ford III", NameParts("Ford", "Henry", "", ("III",))),
        ("Amy Wu, MD, PhD", NameParts("Wu", "Amy", "", ("MD", "PhD"))),
        ("Dr. Maya Chen", NameParts("Chen", "Maya", "Dr.", ())),
        ("Dr. Chen", NameParts("Chen", "", "Dr.", ())),
        ("Maya Chen", NameParts("Chen", "Maya", "", ())),
        ("Ludwig van Beethoven", NameParts("Beethoven", "Ludwig van", "", ())),
        ("Cher", NameParts("", "Cher", "", ())),
        ("Grace Liu,", NameParts("Liu", "Grace", "", ())),  # a stray comma: nothing after it
        # Left alone: what follows the comma is no suffix, and surnames that are also degrees without a comma.
        ("Liu, Grace", NameParts("Grace", "Liu,", "", ())),
        ("Grace Liu, Director of Research", NameParts("Research", "Grace Liu, Director of", "", ())),
        ("Jack Ma", NameParts("Ma", "Jack", "", ())),
        ("Lan Do", NameParts("Do", "Lan", "", ())),
        ("Ann Md", NameParts("Md", "Ann", "", ())),
        ("King Jr.", NameParts("Jr.", "King", "", ())),  # two words: "Jr." may be all the family name there is
    ],
)
def test_name_parts(name, parts):
    assert name_parts(name) == parts


def n_line(folder: Path, fn: str) -> str:
    for path in folder.glob("*.vcf"):
        lines = path.read_text(encoding="utf-8").splitlines()
        if f"FN:{fn}" in lines:
            return next(line for line in lines if line.startswith("N:"))
    raise AssertionError(f"no card with FN:{fn}")


@pytest.mark.usefixtures("db_url")
def test_linkedin_import_then_export_files_grace_under_liu(cli, tmp_path):
    assert cli("import", "linkedin", str(LINKEDIN_SAMPLE)).code == 0
    assert cli("contact", "add", "Ana Ruiz, MBA, CPA", "--company", "Acme").code == 0
    assert cli("contact", "add", "Dr. Maya Chen").code == 0
    folder = tmp_path / "book"
    assert cli("export", "vcard", str(folder)).code == 0
    assert n_line(folder, "Grace Liu\\, PhD") == "N:Liu;Grace;;;PhD"
    assert n_line(folder, "Ana Ruiz\\, MBA\\, CPA") == "N:Ruiz;Ana;;;MBA,CPA"
    assert n_line(folder, "Dr. Maya Chen") == "N:Chen;Maya;;Dr.;"
    grace = next(vobject.readOne(p.read_text(encoding="utf-8")) for p in folder.glob("*.vcf")
                 if "Grace" in p.read_text(encoding="utf-8"))  # fmt: skip
    assert grace.fn.value == "Grace Liu, PhD"
    assert (grace.n.value.family, grace.n.value.given, grace.n.value.suffix) == ("Liu", "Grace", "PhD")


@pytest.mark.usefixtures("db_url")
def test_the_round_trip_matches_the_same_people(cli, tmp_path, db_path):
    assert cli("import", "linkedin", str(LINKEDIN_SAMPLE)).code == 0
    assert cli("contact", "add", "Ana Ruiz, MBA, CPA", "--company", "Acme").code == 0
    people = sorted(r["name"] for r in json.loads(cli("contact", "list", "--json").out))
    folder = tmp_path / "book"
    assert cli("export", "vcard", str(folder)).code == 0
    before = dump(db_path)
    result = cli("import", "vcard", str(folder))
    assert result.code == 0, result.err
    assert f"0 added, 0 updated, {len(people)} unchanged, 0 skipped" in result.out
    assert dump(db_path) == before
    other = tmp_path / "other.db"
    assert cli("--db", str(other), "import", "vcard", str(folder)).code == 0
    again = sorted(r["name"] for r in json.loads(cli("--db", str(other), "contact", "list", "--json").out))
    assert again == people  # FN, as written, is the name


def test_a_card_with_only_n_keeps_the_suffix_after_a_comma(cli):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Liu;Grace;;;PhD\r\nEND:VCARD\r\n"
    card += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Ruiz;Ana;;Dr.;MBA,CPA\r\nEND:VCARD\r\n"
    card += "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;PhD\r\nEND:VCARD\r\n"
    result = cli("import", "vcard", "-", stdin=card)
    assert result.code == 0 and "3 added" in result.out, (result.out, result.err)
    names = sorted(r["name"] for r in json.loads(cli("contact", "list", "--json").out))
    assert names == ["Dr. Ana Ruiz, MBA, CPA", "Grace Liu, PhD", "PhD"]


def test_a_card_with_an_empty_n_is_still_refused(cli, db_path):
    assert cli("contact", "add", "Maya Chen").code == 0
    before = dump(db_path)
    result = cli("import", "vcard", "-", stdin="BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;\r\nEND:VCARD\r\n")
    assert "no name" in result.out + result.err and "Traceback" not in result.err
    assert dump(db_path) == before


@pytest.mark.parametrize("sample", sorted(p.name for p in INTEROP_VCARDS.glob("*.vcf")))
def test_the_shared_interop_cards_still_import_and_export(cli, tmp_path, sample):
    result = cli("import", "vcard", str(INTEROP_VCARDS / sample))
    assert result.code == 0, result.err
    folder = tmp_path / "book"
    assert cli("export", "vcard", str(folder)).code == 0
    for path in folder.glob("*.vcf"):
        vobject.readOne(path.read_text(encoding="utf-8"))  # every card written parses back
