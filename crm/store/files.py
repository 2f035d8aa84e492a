"""Files crm writes with personal data in them: private to their owner, written whole or not at all.

Every export (and any other file holding notes about real people) goes through here:

- **private:** created 0600 (a folder crm creates for them, 0700);
- **atomic:** written to a temporary file in the same folder, fsynced, then renamed over the target, so a
  reader sees the old file or the new one, never half of one;
- **no symlink games:** the temporary file is opened with O_CREAT | O_EXCL | O_NOFOLLOW, and a target that is a
  symbolic link, a FIFO, a device, a socket or a folder is refused with a one-line CrmError, never followed;
- **checked first:** a missing or unwritable folder, or a file where a folder should be, is reported before
  anything is written.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from crm.errors import CrmError

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def file_kind(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def lstat_or_none(path: Path, *, fix: str = "choose another path") -> os.stat_result | None:
    """The path's own status (links not followed); None when nothing is there; CrmError (ending in `fix`) when the
    path cannot be reached at all."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise CrmError(f"{path}: part of this path is a file, not a folder: {fix}") from None
    except OSError as exc:
        raise CrmError(f"cannot reach {path} ({exc.strerror}): {fix}") from None


def check_folder(folder: Path, *, what: str = "folder") -> Path:
    """An existing folder crm may create files in; CrmError (one line) otherwise."""
    info = lstat_or_none(folder)
    if info is None:
        raise CrmError(f"{what} {folder} does not exist: create it first")
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(folder)  # a symlinked parent folder is the user's own choice of path: follow it
        except OSError:
            raise CrmError(f"{what} {folder} is a broken symbolic link: choose another path") from None
    if not stat.S_ISDIR(info.st_mode):
        raise CrmError(f"{folder} is not a folder: give a path inside an existing folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise CrmError(f"{what} {folder} is not writable: choose another path")
    return folder


def check_file_target(path: str | os.PathLike[str]) -> Path:
    """The path of a file crm may (re)place: refused if it is a symlink, FIFO, device or folder, or its folder
    is missing or unwritable. Nothing is created."""
    target = Path(path)
    if str(path).endswith(os.sep) or target.name in ("", ".", ".."):
        raise CrmError(f"{path} names a folder: give the path of a file to write")
    info = lstat_or_none(target)
    if info is not None:
        kind = file_kind(info.st_mode)
        if kind == "a folder":
            raise CrmError(f"{target} is a folder: give the path of a file to write")
        if kind is not None:
            raise CrmError(f"{target} is {kind}: crm writes only regular files, so remove it or choose another path")
    check_folder(target.parent)
    return target


def check_folder_target(path: str | os.PathLike[str]) -> Path:
    """A folder to fill with files (e.g. one vCard per contact): an existing folder (not a symlink to one), or a
    missing one whose parent exists. Nothing is created: `make_private_folder` does that once all is checked."""
    folder = Path(path)
    info = lstat_or_none(folder)
    if info is None:
        check_folder(folder.parent, what="folder")
        return folder
    if stat.S_ISLNK(info.st_mode):
        raise CrmError(f"{folder} is a symbolic link: crm will not write through it; give the real folder")
    if not stat.S_ISDIR(info.st_mode):
        raise CrmError(f"{folder} is {file_kind(info.st_mode) or 'a file'}, not a folder: give a folder path")
    check_folder(folder)
    return folder


def make_private_folder(folder: Path) -> bool:
    """Create `folder` 0700 if it is missing (after `check_folder_target`); an existing one is left as it is.
    True when it was created here."""
    try:
        os.mkdir(folder, PRIVATE_FOLDER)
    except FileExistsError:
        check_folder_target(folder)
        return False
    except OSError as exc:
        raise CrmError(f"cannot create folder {folder} ({exc.strerror}): nothing was written") from None
    with suppress(OSError):
        os.chmod(folder, PRIVATE_FOLDER)  # whatever the umask
    return True


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _open_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty, private file beside the target: O_EXCL | O_NOFOLLOW, so nothing planted there is followed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
    for _ in range(100):
        tmp = folder / f".{name[:200]}.{os.urandom(6).hex()}.tmp"  # short enough for NAME_MAX
        try:
            fd = os.open(tmp, flags, PRIVATE_FILE)
        except FileExistsError:
            continue
        except OSError as exc:
            raise CrmError(f"cannot write in {folder} ({exc.strerror}): nothing was written") from None
        with suppress(OSError):
            os.fchmod(fd, PRIVATE_FILE)  # whatever the umask
        return fd, tmp
    raise CrmError(f"cannot create a temporary file in {folder}: nothing was written")


def _unlink_quietly(path: Path) -> None:
    with suppress(OSError):
        os.unlink(path)


def _install(tmp: Path, target: Path, *, overwrite: bool) -> None:
    """Move the finished temporary file into place: renamed over a regular file, or linked where none is."""
    info = lstat_or_none(target)
    if info is not None:
        kind = file_kind(info.st_mode)
        if kind is not None:  # planted between the check and now
            raise CrmError(f"{target} is {kind}: crm writes only regular files, so remove it or choose another path")
        if not overwrite:
            raise CrmError(f"{target} already exists: choose another path")
    try:
        if overwrite:
            os.replace(tmp, target)  # rename(2) replaces a symlink itself, never what it points to
        else:
            os.link(tmp, target)  # fails if anything (a file, a symlink) appeared at the target meanwhile
            os.unlink(tmp)
    except FileExistsError:
        raise CrmError(f"{target} already exists: choose another path") from None
    except OSError as exc:
        raise CrmError(f"cannot write {target} ({exc.strerror}): nothing was written") from None
    _fsync_folder(target.parent)


@contextmanager
def private_temp_path(path: str | os.PathLike[str], *, overwrite: bool = True) -> Iterator[Path]:
    """For writers that need a path rather than bytes (SQLite's backup API): yields the path of a new, empty,
    private temporary file beside `path`; once the block ends without error the file is fsynced and moved to
    `path` (with overwrite=False, only if nothing is there). On error the temporary file is removed.

        with private_temp_path(destination, overwrite=False) as tmp:
            sqlite3.connect(source).backup(sqlite3.connect(tmp))
    """
    target = check_file_target(path)
    if not overwrite and lstat_or_none(target) is not None:
        raise CrmError(f"{target} already exists: choose another path")
    fd, tmp = _open_temp(target.parent, target.name)
    os.close(fd)
    try:
        yield tmp
        fd = os.open(tmp, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _install(tmp, target, overwrite=overwrite)
    finally:
        _unlink_quietly(tmp)


@contextmanager
def open_private(path: str | os.PathLike[str], *, overwrite: bool = True) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: a new private temporary file beside it, opened before the block
    runs (so an unwritable folder is reported before any work), fsynced and moved into place when the block
    ends without error, removed otherwise.

        with open_private("contacts.csv") as out:
            out.write(data)
    """
    target = check_file_target(path)
    if not overwrite and lstat_or_none(target) is not None:
        raise CrmError(f"{target} already exists: choose another path")
    fd, tmp = _open_temp(target.parent, target.name)
    try:
        with os.fdopen(fd, "wb") as handle:
            try:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                raise CrmError(f"cannot write {target} ({exc.strerror}): nothing was written") from None
        _install(tmp, target, overwrite=overwrite)
    finally:
        _unlink_quietly(tmp)


def write_private(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> Path:
    """Write `data` to `path` atomically, readable by its owner only (it holds notes about real people).

    CrmError, with nothing written, for a path that is a symlink, FIFO, device or folder, or whose folder is
    missing or unwritable (see the module docstring). Returns the path written.
    """
    with open_private(path, overwrite=overwrite) as handle:
        handle.write(data)
    return Path(path)
