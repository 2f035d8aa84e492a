"""`crm export vcard DIR`: one vCard 3.0 per contact, stable UIDs, a folder khard reads as an address book."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest
import vobject

from tests.conftest import dump

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)


def khard(config, *args: str) -> str:
    """Run khard (a dev extra) against the address book named in `config`."""
    result = subprocess.run(
        [sys.executable, "-m", "khard", "-c", str(config), *args],
        capture_output=True, text=True, env={**os.environ, "EDITOR": "true"}, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def khard_config(tmp_path, folder):
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[crm]]\npath = {folder}\n", encoding="utf-8")
    return config


def cards(folder) -> dict[str, vobject.base.Component]:
    return {path.name: vobject.readOne(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.vcf"))}


@pytest.fixture
def demo(cli):
    assert cli("demo").code == 0
    assert cli("contact", "add", "Zoë Ångström-Łukasiewicz", "--company", "Spotify", "--email", "zoe@example.com",
               "--notes", "Met at the Stockholm meetup; =SUM(A1) is not a formula here").code == 0  # fmt: skip
    assert cli("contact", "archive", "rachel").code == 0
    return cli


def test_khard_lists_every_exported_contact(demo, tmp_path):
    folder = tmp_path / "book"
    result = demo("export", "vcard", str(folder))
    assert result.code == 0, result.err
    assert result.out.strip() == f"Wrote 15 vCards to {folder}"
    everyone = json.loads(demo("contact", "list", "--archived", "--json").out)
    config = khard_config(tmp_path, folder)
    listed = [line.split("\t") for line in khard(config, "list", "--parsable").splitlines() if line.strip()]
    assert sorted(name for _, name, _ in listed) == sorted(c["name"] for c in everyone)
    assert {uid for uid, _, _ in listed} == {path.stem for path in folder.glob("*.vcf")}
    emails = khard(config, "email", "--parsable").splitlines()
    assert {line.split("\t")[0] for line in emails if "@" in line} == {c["email"] for c in everyone}
    shown = khard(config, "show", "--format", "yaml", "Zoë")
    assert "Ångström-Łukasiewicz" in shown


def test_each_card_carries_the_fields_hooks_and_next_step(demo, tmp_path):
    folder = tmp_path / "book"
    demo("export", "vcard", str(folder))
    maya = json.loads(demo("contact", "show", "maya", "--json").out)
    (card,) = [c for c in cards(folder).values() if c.fn.value == "Maya Chen"]
    assert card.version.value == "3.0"
    assert (card.n.value.family, card.n.value.given) == ("Chen", "Maya")
    assert card.email.value == maya["email"]
    assert card.org.value == [maya["company"], maya["team"]]
    assert card.title.value == maya["role"]
    assert card.url.value == maya["linkedin_url"]
    assert card.categories.value == maya["tags"]
    note = card.note.value
    assert f"Next follow-up: {maya['next_follow_up']}, {maya['next_follow_up_reason']}" in note
    for hook in maya["hooks"]:
        assert hook["text"] in note and hook["url"] in note
    newest_step = next(i["next_step"] for i in maya["interactions"] if i["next_step"])
    assert newest_step in note
    (archived,) = [c for c in cards(folder).values() if c.fn.value == "Rachel Nguyen"]
    assert "Archived in crm" in archived.note.value


def test_files_are_private_and_named_by_a_stable_uid(demo, tmp_path):
    folder = tmp_path / "book"
    demo("export", "vcard", str(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    first = cards(folder)
    for name, card in first.items():
        assert name == f"{card.uid.value}.vcf"
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files left behind
    demo("contact", "edit", "maya", "--role", "Director of Product")
    demo("export", "vcard", str(folder))
    again = cards(folder)
    assert set(again) == set(first)  # same UIDs: an address book updates, never duplicates
    (maya,) = [c for c in again.values() if c.fn.value == "Maya Chen"]
    assert maya.title.value == "Director of Product"


def test_uids_survive_a_json_round_trip_but_differ_for_another_database(demo, tmp_path):
    demo("export", "vcard", str(tmp_path / "a"))
    demo("export", "json", str(tmp_path / "all.json"))
    restored = tmp_path / "restored.db"
    assert demo("--db", str(restored), "restore", str(tmp_path / "all.json")).code == 0
    assert demo("--db", str(restored), "export", "vcard", str(tmp_path / "b")).code == 0
    assert set(cards(tmp_path / "a")) == set(cards(tmp_path / "b"))
    other = tmp_path / "other.db"
    demo("--db", str(other), "demo")
    demo("--db", str(other), "export", "vcard", str(tmp_path / "c"))
    assert not set(cards(tmp_path / "a")) & set(cards(tmp_path / "c"))


def test_an_existing_folder_is_used_as_it_is(demo, tmp_path):
    folder = tmp_path / "book"
    folder.mkdir(mode=0o755)
    (folder / "someone-else.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Kept\nEND:VCARD\n")
    assert demo("export", "vcard", str(folder)).code == 0
    assert (folder / "someone-else.vcf").exists()
    assert len(list(folder.glob("*.vcf"))) == 16


def test_an_empty_database_exports_an_empty_folder(cli, tmp_path):
    result = cli("export", "vcard", str(tmp_path / "book"))
    assert result.code == 0 and "Wrote 0 vCards" in result.out
    assert list((tmp_path / "book").iterdir()) == []


def _bad_folders(tmp_path):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    return {
        "symlink": (tmp_path / "link", "symbolic link"),
        "file": (tmp_path / "a-file", "not a folder"),
        "missing-parent": (tmp_path / "missing" / "book", "does not exist"),
        "under-a-file": (tmp_path / "a-file" / "book", "not a folder"),
        "stdout": ("-", "give a folder path"),
        "unwritable": ("/sys/crm-book", "/sys"),
    }


@pytest.mark.parametrize("case", ["symlink", "file", "missing-parent", "under-a-file", "stdout", "unwritable"])
def test_bad_folders_exit_2_with_one_line_and_nothing_written(demo, tmp_path, db_path, case):
    path, message = _bad_folders(tmp_path)[case]
    before_db = dump(db_path)
    before_files = sorted(p.name for p in tmp_path.rglob("*"))
    result = demo("export", "vcard", str(path))
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before_db
    assert sorted(p.name for p in tmp_path.rglob("*")) == before_files
    assert list((tmp_path / "real").iterdir()) == []  # nothing through the symlink
