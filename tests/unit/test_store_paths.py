"""`--db` / `$CRM_DB` point at the user's own files: crm checks what is there before it changes anything.

Nothing but an empty regular file or a crm database is opened for writing, chmodded, or given a `-journal`,
`-wal` or `-shm` beside it; a path ending in a slash names a folder, never a new file.
"""

import os
import stat
import subprocess
import sys

import pytest

from crm.errors import CrmError
from crm.store.db import HEAD_REVISION, open_engine, prepare, schema_revision


def _mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def _crm(*args: str, env_db: str | None = None, timeout: float = 30) -> subprocess.CompletedProcess:
    """`crm ARGS` in its own process, with a timeout: opening a FIFO as a database used to block forever."""
    env = dict(os.environ)
    if env_db is not None:
        env["CRM_DB"] = env_db
    code = "import sys; from crm.cli import main; main(sys.argv[1:])"
    return subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_a_text_file_keeps_its_mode_and_gets_nothing_beside_it(cli, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    notes.chmod(0o644)
    result = cli("--db", str(notes), "due")
    assert result.code == 2 and "not a SQLite database" in result.err
    assert _mode(notes) == 0o644 and notes.read_text() == "my notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_foreign_sqlite_database_keeps_its_mode(cli, tmp_path):
    import sqlite3

    other = tmp_path / "music.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE songs (title TEXT)")
    conn.close()
    other.chmod(0o664)
    result = cli("--db", str(other), "contact", "add", "Bo")
    assert result.code == 2 and "not a crm one" in result.err
    assert _mode(other) == 0o664
    assert sorted(p.name for p in tmp_path.iterdir()) == ["music.db"]


def test_a_fifo_is_refused_untouched(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o644)
    result = _crm("--db", str(fifo), "due")
    assert result.returncode == 2 and "FIFO" in result.stderr, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and _mode(fifo) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can make a device node")
def test_a_device_node_is_refused_untouched(tmp_path):
    """As root (say in a container) a copy of /dev/null used to become crw------- with a -journal beside it."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    null.chmod(0o666)
    result = _crm("--db", str(null), "due")
    assert result.returncode == 2 and "a device" in result.stderr, result.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode) and _mode(null) == 0o666
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_symlink_to_something_not_a_regular_file_is_refused(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    os.mkfifo(tmp_path / "pipe")
    for target, words in ((folder, "a folder"), (tmp_path / "pipe", "FIFO")):
        link = tmp_path / f"link-to-{target.name}"
        link.symlink_to(target)
        result = _crm("--db", str(link), "due")
        assert result.returncode == 2 and words in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "link-to-folder", "link-to-pipe", "pipe"]
    assert list(folder.iterdir()) == []


def test_a_dangling_symlink_is_refused_and_its_target_not_created(cli, tmp_path, monkeypatch):
    link = tmp_path / "crm.db"
    link.symlink_to(tmp_path / "elsewhere.db")
    monkeypatch.setenv("CRM_DB", str(link))
    result = cli("contact", "add", "Bo")
    assert result.code == 2 and "symbolic link" in result.err
    assert not (tmp_path / "elsewhere.db").exists() and link.is_symlink()


def test_a_symlink_to_a_crm_database_is_followed(cli, tmp_path):
    real = tmp_path / "real.db"
    open_engine(real).dispose()
    link = tmp_path / "link.db"
    link.symlink_to(real)
    assert cli("--db", str(link), "contact", "add", "Bo").code == 0
    assert "Bo" in cli("--db", str(real), "contact", "list").out


@pytest.mark.parametrize("suffix", ["/", "/.", "//"])
def test_a_trailing_slash_names_a_folder_and_creates_nothing(cli, tmp_path, monkeypatch, suffix):
    target = str(tmp_path / "new") + suffix
    result = cli("--db", target, "contact", "add", "Bo")
    assert result.code == 2 and "folder" in result.err, result.err
    monkeypatch.setenv("CRM_DB", target)
    result = cli("contact", "add", "Bo")
    assert result.code == 2 and "folder" in result.err, result.err
    assert not (tmp_path / "new").exists()


def test_prepare_never_chmods_before_it_knows_the_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("x")
    notes.chmod(0o640)
    with pytest.raises(CrmError, match="not a SQLite database"):
        prepare(notes)
    assert _mode(notes) == 0o640


def test_an_empty_file_and_a_crm_database_are_made_private(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch(mode=0o644)
    empty.chmod(0o644)
    prepare(empty)
    assert _mode(empty) == 0o600 and schema_revision(empty) == HEAD_REVISION
