"""Backups you can trust: written whole under a temporary name, verified, then renamed; a corrupt database is
reported as such; automatic (pre-upgrade) backups are kept to the last three; a full disk leaves nothing behind."""

import os
import sqlite3
import stat
import subprocess
import sys
from contextlib import contextmanager

import pytest

from crm.store.db import HEAD_REVISION, migrate, open_engine, schema_revision

OLD = "0003"


def _files(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _old_database(path, *, contacts: int = 3, notes: int = 0) -> None:
    """A populated database at schema OLD, as an older crm left it."""
    open_engine(path).dispose()
    with sqlite3.connect(path) as conn:
        for n in range(1, contacts + 1):
            conn.execute(
                "INSERT INTO contact (id, name, stage, archived, created_at, updated_at)"
                " VALUES (?, ?, 'contacted', 0, '2026-11-01 00:00:00', '2026-11-01 00:00:00')",
                (n, f"Person {n}"),
            )
        for n in range(notes):
            conn.execute(
                "INSERT INTO interaction (contact_id, kind, date, notes, created_at)"
                " VALUES (1, 'note', '2026-11-16', ?, '2026-11-16 00:00:00')",
                (f"MARKER-{n:04d} " + "x" * 400,),
            )
    conn.close()
    migrate(path, OLD, downgrade=True)


def _checkpoint(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _corrupt_a_page_holding(path, marker: bytes) -> None:
    """Overwrite the b-tree header of the page that holds `marker` (a page crm does not read to open)."""
    _checkpoint(path)
    data = path.read_bytes()
    page_size = int.from_bytes(data[16:18], "big")
    page = data.index(marker) // page_size
    with open(path, "r+b") as f:
        f.seek(page * page_size)
        f.write(b"\xff" * 12)


def _backups(folder, name="crm.db"):
    return sorted(folder.glob(f"{name}.bak-*"))


# -- a kill mid-backup -------------------------------------------------------------------------------------------

KILLED_MID_BACKUP = """
import os, signal, sqlite3, sys

class KilledMidBackup(sqlite3.Connection):
    def backup(self, target, **kwargs):
        def die(status, remaining, total):
            os.kill(os.getpid(), signal.SIGKILL)
        super().backup(target, pages=1, progress=die)

real_connect = sqlite3.connect
sqlite3.connect = lambda *args, **kwargs: real_connect(*args, factory=KilledMidBackup, **kwargs)
from crm.cli import main
main(sys.argv[1:])
"""


def test_a_kill_mid_backup_leaves_no_file_with_the_backup_name(cli, tmp_path, db_path):
    _old_database(db_path, notes=40)
    env = {**os.environ, "CRM_DB": str(db_path)}
    run = subprocess.run([sys.executable, "-c", KILLED_MID_BACKUP, "due"], env=env, capture_output=True, timeout=60)
    assert run.returncode == -9, run.stderr
    assert _backups(tmp_path) == []  # no empty or half database named like a backup
    assert schema_revision(db_path) == OLD  # nothing was migrated without a backup
    result = cli("due")  # the next command backs up and upgrades as usual
    assert result.code == 0, result.err
    backups = _backups(tmp_path)
    assert len(backups) == 1 and stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM interaction").fetchone() == (40,)
    conn.close()
    assert not [name for name in _files(tmp_path) if ".tmp" in name]  # the killed copy's leftovers are gone


# -- a corrupt database ------------------------------------------------------------------------------------------


def test_backup_of_a_corrupt_database_says_so_and_writes_nothing(cli, tmp_path, db_path):
    _old_database(db_path, notes=200)
    migrate(db_path)
    _corrupt_a_page_holding(db_path, b"MARKER-0100")
    before = _files(tmp_path)
    for args in (("backup",), ("backup", str(tmp_path / "copy.db"))):
        result = cli(*args)
        assert result.code == 2, result.err
        assert "corrupt" in result.err and ".recover" in result.err
        assert "Backed up" not in result.out and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1, result.err
    assert [name for name in _files(tmp_path) if "bak" in name or "backup" in name or "copy" in name] == []
    assert set(_files(tmp_path)) <= set(before) | {"crm.db-wal", "crm.db-shm"}


def test_a_corrupt_older_database_is_not_upgraded(cli, tmp_path, db_path):
    """The pre-upgrade copy is verified too: crm will not migrate a database it could not back up whole."""
    _old_database(db_path, notes=200)
    _corrupt_a_page_holding(db_path, b"MARKER-0100")
    result = cli("due")
    assert result.code == 2 and "corrupt" in result.err and ".recover" in result.err
    assert _backups(tmp_path) == [] and schema_revision(db_path) == OLD


def test_a_good_backup_is_verified_private_and_complete(cli, tmp_path, db_path):
    assert cli("contact", "add", "Maya Chen").code == 0
    result = cli("backup")
    assert result.code == 0 and result.out.startswith("Backed up")
    (copy,) = [p for p in tmp_path.iterdir() if p.name.startswith("crm.db.backup-")]
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT name FROM contact").fetchall() == [("Maya Chen",)]
    conn.close()
    assert not [name for name in _files(tmp_path) if name.endswith(".tmp")]


# -- a failing migration -----------------------------------------------------------------------------------------


def test_a_failing_migration_keeps_only_the_last_three_automatic_backups(cli, tmp_path, db_path):
    """An orphan row makes every upgrade fail its foreign-key check; each attempt backs up first, but the disk
    holds three automatic backups at most. `crm backup` copies are never pruned."""
    _old_database(db_path)
    with sqlite3.connect(db_path) as conn:  # foreign keys are off by default in plain sqlite3
        conn.execute(
            "INSERT INTO interaction (contact_id, kind, date, created_at) VALUES (99, 'note', '2026-11-16', '2026-11-16')"
        )
    conn.close()
    (tmp_path / "crm.db.bak-0001-20250101T000000000000").write_bytes(b"")  # from an upgrade long ago
    for _ in range(5):
        result = cli("due")
        assert result.code == 2 and "references" in result.err, result.err
    assert schema_revision(db_path) == OLD
    assert len(_backups(tmp_path)) == 3
    assert all(p.name.startswith(f"crm.db.bak-{OLD}-") for p in _backups(tmp_path))


# -- a full disk -------------------------------------------------------------------------------------------------


@contextmanager
def _full_disk_on_backup(monkeypatch):
    """SQLite's backup fails the way it does when the disk fills up (only while the block runs)."""
    real_connect = sqlite3.connect

    class FullDisk(sqlite3.Connection):
        def backup(self, target, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", lambda *a, **kw: real_connect(*a, factory=FullDisk, **kw))
        yield


def test_a_full_disk_leaves_no_backup_and_the_retry_succeeds(cli, tmp_path, db_path, monkeypatch):
    _old_database(db_path)
    with _full_disk_on_backup(monkeypatch):
        result = cli("due")
        assert result.code == 2 and "full" in result.err, result.err
        result = cli("backup", str(tmp_path / "copy.db"))
        assert result.code == 2 and "full" in result.err, result.err
    assert _backups(tmp_path) == [] and not (tmp_path / "copy.db").exists()
    assert not [name for name in _files(tmp_path) if name.endswith(".tmp")]
    assert schema_revision(db_path) == OLD
    assert cli("due").code == 0 and len(_backups(tmp_path)) == 1
    assert cli("backup", str(tmp_path / "copy.db")).code == 0
    assert schema_revision(db_path) == HEAD_REVISION


@pytest.fixture
def small_disk(tmp_path):
    """mount(size_kib): a real, small file system (tmpfs), for root where mounting is allowed; skipped elsewhere."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = []

    def mount(size_kib: int):
        run = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(folder)], capture_output=True
        )
        if run.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {run.stderr.decode().strip()}")
        mounted.append(folder)
        return folder

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_real_full_disk_leaves_no_partial_backup(cli, tmp_path, small_disk, monkeypatch):
    built = tmp_path / "built.db"
    _old_database(built, notes=100)
    _checkpoint(built)
    size_kib = built.stat().st_size // 1024
    disk = small_disk(size_kib * 3 // 2)  # room for the database and its -shm, not for a second copy
    db = disk / "crm.db"
    db.write_bytes(built.read_bytes())
    monkeypatch.setenv("CRM_DB", str(db))
    result = cli("due")
    assert result.code == 2 and "full" in result.err, result.err
    assert [p for p in _files(disk) if "bak" in p or p.endswith(".tmp")] == []
    assert schema_revision(db) == OLD
    subprocess.run(["mount", "-o", f"remount,size={size_kib * 4}k", str(disk)], check=True)
    assert cli("due").code == 0 and len(_backups(disk)) == 1
    assert schema_revision(db) == HEAD_REVISION
