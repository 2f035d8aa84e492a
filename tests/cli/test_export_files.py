"""Private by default: every export is 0600, atomic, and never written through a symlink, FIFO or device."""

from __future__ import annotations

import os
import stat

import pytest

from crm.errors import CrmError
from crm.store.files import private_temp_path, write_private
from tests.conftest import dump
from tests.permissions import as_ordinary_user

pytestmark = pytest.mark.usefixtures("db_url")  # each test on SQLite and on PostgreSQL (tests/conftest.py)

FILE_FORMATS = ["ics", "csv", "json"]


@pytest.fixture
def network(cli):
    assert cli("demo").code == 0
    return cli


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_exports_are_0600_whatever_the_umask_and_replace_an_existing_file(network, tmp_path, fmt):
    target = tmp_path / f"out.{fmt}"
    target.write_text("old, world-readable\n")
    target.chmod(0o644)
    old = os.umask(0)
    try:
        result = network("export", fmt, str(target))
    finally:
        os.umask(old)
    assert result.code == 0, result.err
    assert _mode(target) == 0o600
    assert "old, world-readable" not in target.read_text(encoding="utf-8")
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_a_symlink_at_the_target_is_refused_and_not_followed(network, tmp_path, db_path, fmt):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = tmp_path / f"out.{fmt}"
    link.symlink_to(victim)
    dangling = tmp_path / f"dangling.{fmt}"
    dangling.symlink_to(tmp_path / "would-be-created")
    before = dump(db_path)
    for path in (link, dangling):
        result = network("export", fmt, str(path))
        assert result.code == 2 and "symbolic link" in result.err
        assert len(result.err.strip().splitlines()) == 1
    assert victim.read_text() == "precious\n" and os.path.islink(link)
    assert not (tmp_path / "would-be-created").exists()
    assert dump(db_path) == before and _leftovers(tmp_path) == []


def _special(tmp_path, kind):
    if kind == "fifo":
        path = tmp_path / "pipe"
        os.mkfifo(path)
        return path, "FIFO"
    if kind == "device":
        return "/dev/null", "device"
    if kind == "folder":
        (tmp_path / "folder").mkdir()
        return tmp_path / "folder", "is a folder"
    if kind == "missing-folder":
        return tmp_path / "missing" / "out.csv", "does not exist"
    if kind == "file-as-folder":
        (tmp_path / "a-file").write_text("x")
        return tmp_path / "a-file" / "out.csv", "not a folder"
    if kind == "trailing-slash":
        return f"{tmp_path}/new/", "names a folder"
    if kind == "unwritable":  # /sys refuses new files even to root
        return "/sys/crm-export.csv", "/sys"
    raise AssertionError(kind)


BAD = ["fifo", "device", "folder", "missing-folder", "file-as-folder", "trailing-slash", "unwritable"]


@pytest.mark.parametrize("fmt", FILE_FORMATS)
@pytest.mark.parametrize("kind", BAD)
def test_bad_targets_exit_2_with_one_line_and_nothing_written(network, tmp_path, db_path, fmt, kind):
    path, message = _special(tmp_path, kind)
    before = dump(db_path)
    listing = sorted(p.name for p in tmp_path.rglob("*"))
    result = network("export", fmt, str(path))
    assert result.code == 2, result.out
    assert message in result.err and len(result.err.strip().splitlines()) == 1
    assert dump(db_path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == listing


def test_an_unwritable_folder_is_refused(network, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        for fmt, target in (("csv", "out.csv"), ("vcard", "cards")):
            argv = ("export", fmt, str(folder / target))
            result = as_ordinary_user(lambda argv=argv: network(*argv))  # as root too
            assert result.code == 2 and "not writable" in result.err, result.err
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(CrmError, match="No space left on device"):
        write_private(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old" and _leftovers(tmp_path) == []


def test_write_private_without_overwrite_refuses_an_existing_file(tmp_path):
    target = tmp_path / "x"
    write_private(target, b"one", overwrite=False)
    with pytest.raises(CrmError, match="already exists"):
        write_private(target, b"two", overwrite=False)
    assert target.read_bytes() == b"one" and _mode(target) == 0o600


def test_private_temp_path_for_writers_that_need_a_path(tmp_path):
    """What crm.store.db.backup_database can use: SQLite writes a private temp file, moved into place at the end."""
    import sqlite3

    target = tmp_path / "backup.db"
    with private_temp_path(target, overwrite=False) as tmp:
        assert tmp.parent == tmp_path and _mode(tmp) == 0o600
        with sqlite3.connect(tmp) as conn:
            conn.execute("CREATE TABLE t (x)")
        conn.close()
        assert not target.exists()
    assert _mode(target) == 0o600 and _leftovers(tmp_path) == []
    with pytest.raises(CrmError, match="already exists"), private_temp_path(target, overwrite=False):
        pass
    with pytest.raises(RuntimeError), private_temp_path(tmp_path / "other.db") as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert not (tmp_path / "other.db").exists() and _leftovers(tmp_path) == []


def test_a_symlink_planted_after_the_check_is_replaced_not_followed(tmp_path, monkeypatch):
    """rename(2) replaces a symlink at the target itself: the file it pointed at is never written."""
    import crm.store.files as files

    victim = tmp_path / "victim"
    victim.write_text("precious")
    target = tmp_path / "out.csv"
    real_install = files._install

    def plant_then_install(tmp, dest, *, overwrite):
        dest.symlink_to(victim)
        return real_install(tmp, dest, overwrite=overwrite)

    monkeypatch.setattr(files, "_install", plant_then_install)
    with pytest.raises(CrmError, match="symbolic link"):
        write_private(target, b"data")
    assert victim.read_text() == "precious"
