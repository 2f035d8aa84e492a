"""Where the database lives, and what is wrong with that place, said plainly: folders created 0700 whatever the
umask, a newer schema named as such, a read-only folder or a full disk reported for what it is."""

import contextlib
import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from crm.store.db import open_engine
from tests.permissions import as_ordinary_user

NOT_A_GUESS = "is it a crm database"


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_with_umask_000_default_folders_are_0700_and_the_file_0600(tmp_path):
    data_home = tmp_path / "a" / "b" / "share"
    env = {k: v for k, v in os.environ.items() if k != "CRM_DB"}
    env["XDG_DATA_HOME"] = str(data_home)
    code = "import os, sys; os.umask(0); from crm.cli import main; main(sys.argv[1:])"
    run = subprocess.run([sys.executable, "-c", code, "contact", "add", "Bo"], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for folder in (tmp_path / "a", tmp_path / "a" / "b", data_home, data_home / "crm"):
        assert _mode(folder) == 0o700, folder
    assert _mode(data_home / "crm" / "crm.db") == 0o600


def test_db_current_on_a_newer_schema_says_to_upgrade_crm(cli, db_path):
    open_engine(db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    result = cli("db", "current")
    assert "crm db upgrade" not in result.out + result.err
    assert "made by a newer crm: upgrade crm" in result.out + result.err
    upgrade = cli("db", "upgrade")
    assert upgrade.code == 2 and "newer crm" in upgrade.err


# -- a read-only folder ------------------------------------------------------------------------------------------


def test_a_read_only_folder_is_reported_as_such(cli, tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    db = folder / "crm.db"
    open_engine(db).dispose()
    assert cli("--db", str(db), "contact", "add", "Bo").code == 0
    folder.chmod(0o500)
    try:
        for args in (("due",), ("contact", "add", "Al")):
            result = as_ordinary_user(lambda args=args: cli("--db", str(db), *args))  # as root too
            assert result.code == 2, result.err
            assert "not writable" in result.err and NOT_A_GUESS not in result.err, result.err
    finally:
        folder.chmod(0o700)


@pytest.fixture
def tmpfs(tmp_path):
    """A small real file system (tmpfs) we can make read-only or fill up: root only, where mounting is allowed."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_read_only_file_system_is_reported_as_such(cli, tmpfs):
    db = tmpfs / "crm.db"
    assert cli("--db", str(db), "contact", "add", "Bo").code == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    for args in (("due",), ("contact", "add", "Al"), ("backup", str(tmpfs / "copy.db"))):
        result = cli("--db", str(db), *args)
        assert result.code == 2, result.err
        assert "read-only" in result.err and NOT_A_GUESS not in result.err, result.err
        assert len(result.err.strip().splitlines()) == 1


def test_a_full_disk_is_reported_as_such(cli, tmpfs):
    db = tmpfs / "crm.db"
    assert cli("--db", str(db), "contact", "add", "Bo").code == 0
    fd = os.open(tmpfs / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:  # fill the disk to its last byte
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(fd)
    assert os.statvfs(tmpfs).f_bavail == 0
    for args in (("due",), ("contact", "add", "Al")):
        result = cli("--db", str(db), *args)
        assert result.code == 2, result.err
        assert "full" in result.err and NOT_A_GUESS not in result.err, result.err
    (tmpfs / "filler").unlink()
    assert cli("--db", str(db), "contact", "add", "Al").code == 0


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc to list open files")
def test_a_command_leaves_no_database_file_open(cli, db_path):
    """Opening a new database writes the schedule through the engine: that engine is the one closed, not leaked
    (a leaked connection kept the file, its -wal and -shm open, and a read-only remount busy)."""

    def open_files():
        found = []
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):
                found.append(os.readlink(f"/proc/self/fd/{fd}"))
        return [name for name in found if name.startswith(str(db_path))]

    for args in (("contact", "add", "Bo"), ("log", "bo", "--kind", "note"), ("due",)):
        assert cli(*args).code == 0
        assert open_files() == [], args
