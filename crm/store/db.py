"""Opening the store: engines from a factory, safe file modes, migrations with a backup first.

The path the user gives (`--db`, `$CRM_DB`) is checked before anything is changed: only a missing file in an
existing folder, an empty regular file or a crm database is ever created, chmodded or opened for writing.
Creating and upgrading a database queue like any other write (BEGIN IMMEDIATE, so the busy timeout applies), and
the revision is read again once the write lock is held, so of many processes opening an old database at once,
exactly one backs it up and migrates it. Backups are written under a temporary name, verified, then renamed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from crm.errors import CrmError
from crm.store.files import file_kind, lstat_or_none
from crm.store.paths import resource_dir

if TYPE_CHECKING:  # SQLAlchemy loads only for commands that write or need the ORM
    from sqlalchemy import Engine
    from sqlmodel import Session

# The newest migration in migrations/versions. Comparing against this constant lets a
# command on an up-to-date database skip importing Alembic; a test keeps it honest.
HEAD_REVISION = "0009"

BUSY_TIMEOUT_MS = 5000
# Creating or upgrading the schema is rare and can take seconds on a loaded machine (Alembic, every migration);
# a process that finds another one doing it waits this long for its turn rather than the everyday 5 seconds.
UPGRADE_WAIT_MS = 60000

# Pre-upgrade backups beside the database: the newest this many are kept, older ones removed (a `crm backup`
# copy is named differently and never removed).
KEEP_AUTOMATIC_BACKUPS = 3

# Every connection runs with PRAGMA secure_delete=ON, whatever SQLite was built with: what is deleted or replaced
# is overwritten with zeros, so an edited note or a forgotten contact does not stay readable in the file's free
# space. Its cost is not measurable: `crm log`'s write took 2.15 ms with it and 2.17 ms without (median of 10 x 150
# writes on a 10k-contact network, 2-core machine).

# How long `truncate_wal` waits for another connection (the app, mid-read) to let go of the old pages.
WAL_TRUNCATE_WAIT_S = 2.0

# A SQLite database is whole pages of at least 512 bytes; SQLite itself would take a 1-byte file for an empty one.
_SMALLEST_DATABASE = 512

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

_RECOVER_ADVICE = (
    "recover what you can with `sqlite3 {path} .recover | sqlite3 recovered.db`, then use --db recovered.db"
)


class DatabaseBusy(CrmError):
    """Another process held the write lock past the busy timeout: nothing was written, and trying again will work.

    Not bad input: the CLI exits 75 (EX_TEMPFAIL) for it, not 2."""


def _sqlite_code(error: BaseException) -> int | None:
    """SQLite's primary result code (SQLITE_BUSY, SQLITE_FULL...) of a sqlite3 error or SQLAlchemy's wrapping."""
    cause = getattr(error, "orig", None) or error
    code = getattr(cause, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return str(cause).splitlines()[0] if str(cause) else type(cause).__name__


def is_database_error(error: BaseException) -> bool:
    """An error from SQLite about the database or the file it lives in (not a bug in a query): sqlite3's
    OperationalError or a plain DatabaseError (a corrupt file), or SQLAlchemy's wrapping of either."""
    cause = getattr(error, "orig", None) or error
    if _from_postgres(cause):
        from crm.store.postgres import is_database_error as postgres_error

        return postgres_error(cause)
    return isinstance(cause, sqlite3.OperationalError) or type(cause) is sqlite3.DatabaseError


def _from_postgres(cause: BaseException) -> bool:
    """A psycopg error (told by its module, so that SQLite paths never import psycopg)."""
    return type(cause).__module__.startswith("psycopg")


def corrupt_message(path: Path | None, detail: str = "") -> str:
    what = f" ({detail})" if detail else ""
    name = str(path) if path is not None else "the database"
    return f"{name} is corrupt{what}: nothing was written; " + _RECOVER_ADVICE.format(path=path or "crm.db")


def _place_problem(path: Path) -> str | None:
    """What is wrong with where the database lives, if anything: read-only, unwritable, full."""
    folder = path.parent
    try:
        info = os.statvfs(folder)
    except OSError:
        return None
    if info.f_flag & getattr(os, "ST_RDONLY", 1):
        return f"{folder} is on a read-only file system"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is not writable (SQLite keeps {path.name}-wal and {path.name}-shm beside it)"
    if os.path.exists(path) and not os.access(path, os.R_OK | os.W_OK):
        return "you cannot both read and write the file"
    if info.f_bavail * info.f_frsize < 64 * 1024:
        return "the disk holding it is full: free some space and try again"
    return None


# SQLite result codes that can come from the place rather than the file: PERM, READONLY, IOERR, FULL, CANTOPEN.
_PLACE_CODES = {3, 8, 10, 13, 14}


@contextmanager
def said_as_database_problem(where: Path | str | None) -> Iterator[None]:
    """Busy, read-only, full or corrupt, from sqlite3, psycopg or SQLAlchemy alike: one CrmError naming `where`
    (`database_problem`). crm's own errors, and anything else (a bug), pass through unchanged."""
    try:
        yield
    except CrmError:
        raise
    except Exception as err:
        if not is_database_error(err):
            raise
        raise database_problem(err, where) from None


def database_problem(error: BaseException, path: Path | str | None = None) -> CrmError:
    """A one-line CrmError saying what is wrong with the database at `path`, or the place it lives, from a SQLite
    error. Busy becomes DatabaseBusy (try again), never bad input. A PostgreSQL error, or a `path` that is a URL
    (str), is said by crm.store.postgres (the URL's password masked)."""
    if isinstance(path, str) or _from_postgres(getattr(error, "orig", None) or error):
        from crm.store.postgres import problem

        busy, message = problem(error, path if isinstance(path, str) else None, busy_ms=BUSY_TIMEOUT_MS)
        return DatabaseBusy(message) if busy else CrmError(message)
    code = _sqlite_code(error)
    detail = _first_line(error)
    name = str(path) if path is not None else "the database"
    if code in (5, 6) or "database is locked" in detail or "database table is locked" in detail:
        seconds = f"{BUSY_TIMEOUT_MS / 1000:g}"
        return DatabaseBusy(
            f"{name} is busy: another program (another crm, say) held its write lock for over {seconds} seconds; "
            "nothing was written, try again"
        )
    if code == 11 or "malformed" in detail:
        return CrmError(corrupt_message(path, detail))
    if code == 26 or "not a database" in detail:
        return CrmError(f"{name} is not a SQLite database: point --db at a crm database or a new file")
    if path is not None and (code is None or code in _PLACE_CODES):
        place = _place_problem(path)
        if place is not None:
            return CrmError(f"cannot use {path}: {place}; nothing was written")
    if code == 13 or "disk is full" in detail:
        return CrmError(f"the disk holding {name} is full: free some space and try again; nothing was written")
    if code == 8:
        return CrmError(f"{name} is read-only: nothing was written")
    return CrmError(f"cannot use {name} ({detail}): nothing was written")


def make_engine(path: Path, *, foreign_keys: bool = True, busy_timeout_ms: int | None = None) -> Engine:
    """An engine whose every connection runs in WAL mode with a busy timeout.

    We issue BEGIN ourselves (pysqlite's own transaction handling is unreliable) so a
    writing session can take the write lock up front with BEGIN IMMEDIATE: two
    processes writing at once then queue on busy_timeout instead of failing.
    """
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms or BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA secure_delete=ON")  # zeros over what is deleted: see the note at the top
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        immediate = conn.get_execution_options().get("crm_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine, its transactions begun with BEGIN IMMEDIATE: the write lock is taken (waiting up to the
    busy timeout) before anything is read, so a read-then-write never fails half-way with "database is locked"."""
    return engine.execution_options(crm_write=True)


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection for read-only queries on hot paths (no ORM to import).

    Same settings as the engine's connections; autocommit mode, so each query reads the
    newest committed state and holds no lock between queries.
    """
    return _set_up(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None))


def _set_up(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA secure_delete=ON")  # zeros over what is deleted: see the note at the top
    return conn


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, so read queries written for `connect` run in its transaction.

    On PostgreSQL, the session's psycopg connection behind crm.store.postgres.Reader (the same `execute`, rows and
    `dialect` attribute as `store.reader`)."""
    driver = session.connection().connection.driver_connection
    if isinstance(driver, sqlite3.Connection):
        return driver
    from crm.store.postgres import Reader

    return Reader(driver, shared=True)


def truncate_wal(conn: sqlite3.Connection, *, wait_s: float | None = None) -> bool:
    """Copy every committed change into the main file and empty the -wal file (`wal_checkpoint(TRUNCATE)`).

    Until then the -wal keeps the pages as they were before a delete. Another connection reading an older snapshot
    (the app, mid-read) needs those pages: this retries for `wait_s` (default WAL_TRUNCATE_WAIT_S), then returns
    False. SQLite empties the -wal when the last connection to the database closes, so the old pages go when that
    reader's program ends.
    """
    import time

    deadline = time.monotonic() + (WAL_TRUNCATE_WAIT_S if wait_s is None else wait_s)
    previous = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute("PRAGMA busy_timeout=100")  # each try waits this long for readers to finish
    try:
        while True:
            busy, frames, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            if not busy and frames <= 0:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    finally:
        conn.execute(f"PRAGMA busy_timeout={previous}")


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One command, one transaction: commits at the end, rolls everything back on error."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={"crm_write": True})
        yield session
        session.commit()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session


def check_database_path(path: Path) -> bool:
    """May crm use `path` as its database? True if a file is there, False if nothing is; CrmError otherwise.

    Accepted: nothing yet (the folder is checked when the file is created), or a regular file (or a symbolic link
    to one) that is empty or at least one SQLite page long; what it holds is checked by `schema_revision`.
    Refused, untouched: folders, devices, FIFOs, sockets, dangling symbolic links and links to any of those.
    """
    info = lstat_or_none(path, fix="choose another --db path")
    if info is None:
        return False
    link = ""
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise CrmError(
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist: crm will not create a "
                "database through a link; give --db the real path"
            ) from None
        except OSError as exc:
            raise CrmError(f"cannot follow the symbolic link {path} ({exc.strerror}): give the real path") from None
        link = "a symbolic link to "
    kind = file_kind(info.st_mode)
    if kind == "a folder":
        raise CrmError(f"{path} is {link}a folder: give --db the path of a database file")
    if kind is not None:
        raise CrmError(f"{path} is {link}{kind}: crm keeps its database in a regular file, so choose another --db path")
    if 0 < info.st_size < _SMALLEST_DATABASE:
        raise CrmError(f"{path} is not a SQLite database: point --db at a crm database or a new file")
    return True


def make_private_folders(folder: Path) -> None:
    """Create `folder` and any missing parents 0700, whatever the umask (existing folders are left as they are)."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for part in reversed(missing):
        try:
            os.mkdir(part, 0o700)
        except FileExistsError:
            if not part.is_dir():
                raise CrmError(f"{part} is not a folder: choose another --db path") from None
            continue
        except OSError as exc:
            raise CrmError(f"cannot create folder {part} ({exc.strerror})") from None
        with suppress(OSError):
            os.chmod(part, 0o700)  # mkdir's mode is filtered by the umask: 0700 it is, even under umask 000 or 077


def _create_private_file(path: Path, *, make_folder: bool) -> None:
    """A new empty file, 0600 whatever the umask; nothing is followed (O_NOFOLLOW) or replaced (O_EXCL)."""
    folder = path.parent
    if not folder.is_dir():
        if folder.exists() or folder.is_symlink():
            raise CrmError(f"{folder} is not a folder: choose another --db path")
        if not make_folder:
            raise CrmError(f"folder {folder} does not exist: create it first or choose another --db path")
        make_private_folders(folder)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | _NOFOLLOW | _CLOEXEC, 0o600)
    except FileExistsError:
        return  # another crm created it meanwhile: the caller checks it like any existing file
    except OSError as exc:
        place = _place_problem(path)
        raise CrmError(f"cannot create database {path}: {place or exc.strerror}") from None
    try:
        with suppress(OSError):
            os.fchmod(fd, 0o600)  # whatever the umask
    finally:
        os.close(fd)


def _tighten_mode(path: Path) -> None:
    """Notes about real people stay readable by their owner only (called once the file is known to be ours)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass


def _read_revision(conn: sqlite3.Connection, path: Path) -> str | None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        return None
    if "alembic_version" not in tables:
        raise CrmError(f"{path} is a SQLite database but not a crm one: choose another --db path")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def schema_revision(path: Path) -> str | None:
    """The Alembic revision of the database at `path`; None for an empty file.

    Raises CrmError for a file that is not SQLite, or a SQLite file crm did not make; it only reads.
    The file is only ever opened through SQLite: opening and closing it any other way
    would drop this process's POSIX locks and let another process corrupt the WAL.
    """
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise database_problem(exc, path) from None
    try:
        return _read_revision(conn, path)
    except sqlite3.Error as exc:
        raise database_problem(exc, path) from None
    finally:
        conn.close()


# -- backups ------------------------------------------------------------------------------------------------------

_STAMP = "%Y%m%dT%H%M%S%f"


def _stamp() -> str:
    return dt.datetime.now().strftime(_STAMP)


def automatic_backup_path(path: Path, revision: str) -> Path:
    """Where the backup before an upgrade goes: `crm.db.bak-<revision>-<timestamp>` beside the database."""
    return path.with_name(f"{path.name}.bak-{revision}-{_stamp()}")


def manual_backup_path(path: Path) -> Path:
    """Where `crm backup` without a PATH writes: `crm.db.backup-<timestamp>` beside the database (never pruned)."""
    return path.with_name(f"{path.name}.backup-{_stamp()}")


def _backups_named(path: Path, kind: str) -> list[Path]:
    """Regular files beside the database named `<name>.<kind>-<timestamp>` by crm, oldest first."""
    pattern = re.compile(rf"{re.escape(path.name)}\.{kind}-(\d{{8}}T\d{{6,12}})")
    found = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            found.append((match.group(1), entry.name))
    return [path.parent / name for _, name in sorted(found)]


def automatic_backups(path: Path) -> list[Path]:
    """The pre-upgrade backups of the database at `path`, oldest first (regular files named by crm only)."""
    return _backups_named(path, r"bak-[0-9A-Za-z_]+")


def backups_beside(path: Path) -> list[Path]:
    """Every backup crm made beside the database: before upgrades, and `crm backup` without a PATH."""
    return automatic_backups(path) + _backups_named(path, "backup")


def backups_holding(path: Path | None, *, contact_id: int, name: str) -> list[Path]:
    """The backups beside the database that still hold a contact (their id or their name), e.g. after a forget.

    Each is opened read-only and `immutable` (nothing is written beside it); one that cannot be read is listed
    too, since crm cannot tell. Copies `crm backup PATH` wrote elsewhere are not known to crm.
    """
    from urllib.parse import quote

    holding = []
    if path is None:  # PostgreSQL: crm makes no copies of a server's database
        return holding
    for backup in backups_beside(path):
        try:
            conn = sqlite3.connect(f"file:{quote(str(backup))}?mode=ro&immutable=1", uri=True)
            try:
                found = conn.execute(
                    "SELECT 1 FROM contact WHERE id = ? OR name = ? LIMIT 1", (contact_id, name)
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            found = True
        if found:
            holding.append(backup)
    return holding


def prune_automatic_backups(path: Path, keep: int = KEEP_AUTOMATIC_BACKUPS) -> list[Path]:
    """Remove all but the newest `keep` pre-upgrade backups, and what a killed one left under its temporary name
    (`.crm.db.bak-...tmp` and its -journal). Called with the write lock held, so no other crm is writing an
    automatic backup of this database now. Returns what was removed."""
    leftover = re.compile(rf"\.{re.escape(path.name)}\.bak-[0-9A-Za-z_]+-\d{{8}}T\d{{6,12}}\..+\.tmp(-journal)?")
    try:
        stale = [path.parent / e.name for e in os.scandir(path.parent) if leftover.fullmatch(e.name) and e.is_file()]
    except OSError:
        stale = []
    removed = []
    for old in [*(automatic_backups(path)[:-keep] if keep > 0 else automatic_backups(path)), *stale]:
        try:
            os.unlink(old)
            removed.append(old)
        except OSError:
            pass
    return removed


def _quick_check(path: Path) -> str | None:
    """None if SQLite's quick_check passes on the (private, unshared) file at `path`; else its first complaint.

    Opened `immutable`: a copy nobody else has open needs no locks, and no -wal or -shm is made beside it."""
    from urllib.parse import quote

    conn = sqlite3.connect(f"file:{quote(str(path))}?immutable=1", uri=True)
    try:
        rows = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return _first_line(exc)
    finally:
        conn.close()
    return None if rows == ["ok"] else (rows[0] if rows else "no answer from quick_check")


def _copy_database(source_path: Path, target_path: Path) -> None:
    """SQLite's online backup: a consistent copy of a live database, WAL content included."""
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        target = sqlite3.connect(target_path)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def backup_database(path: Path, *, revision: str, destination: Path | None = None) -> Path:
    """Copy the live database to `destination` (default: the automatic pre-upgrade name), never replacing anything.

    The copy is written to a new private temporary file in the destination's folder (O_EXCL, O_NOFOLLOW, 0600),
    checked with `PRAGMA quick_check`, fsynced, and only then given its name: a kill or a full disk mid-way leaves
    nothing under the backup's name, and no partial file is left to block a retry. A corrupt database is
    reported as such (CrmError, with `.recover` advice) and no backup is made.
    """
    from crm.store.files import private_temp_path

    if destination is None:
        destination = automatic_backup_path(path, revision)
    try:
        with private_temp_path(destination, overwrite=False) as tmp:
            try:
                _copy_database(path, tmp)
            except sqlite3.Error as exc:
                raise _backup_problem(exc, path, destination) from None
            problem = _quick_check(tmp)
            if problem is not None:
                raise CrmError(corrupt_message(path, problem).replace("nothing was written", "no backup was made"))
    except OSError as exc:  # fsync or rename of the finished copy
        place = _place_problem(destination)
        raise CrmError(f"cannot write {destination}: {place or exc.strerror}; no backup was made") from None
    return destination


def _backup_problem(error: sqlite3.Error, source: Path, destination: Path) -> CrmError:
    """A failed copy: the source's fault (corrupt, busy) or the destination's (full, read-only)."""
    problem = database_problem(error, source)
    if isinstance(problem, DatabaseBusy) or _sqlite_code(error) in (11, 26) or "malformed" in _first_line(error):
        return problem
    place = _place_problem(destination)
    if place is None and (_sqlite_code(error) == 13 or "disk is full" in _first_line(error)):
        place = "the disk holding it is full: free some space and try again"
    return CrmError(f"cannot write {destination}: {place or _first_line(error)}; no backup was made")


# -- migrations ---------------------------------------------------------------------------------------------------


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return config


def _run_migrations(conn, target: str, *, downgrade: bool = False) -> None:
    """Alembic on `conn`, inside the transaction it is already in (a failure rolls everything back)."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = conn
    if downgrade:
        command.downgrade(config, target)
    else:
        command.upgrade(config, target)
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL checks every reference as it is made
    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise CrmError(f"migration would break {len(problems)} references; database left unchanged")


def migrate(path: Path, target: str = "head", *, downgrade: bool = False) -> None:
    """Run migrations in one write transaction (BEGIN IMMEDIATE; a failure leaves the database as it was).

    Foreign keys are off while migrating: batch mode rebuilds tables, and dropping a
    parent table with them on would cascade-delete its children's rows.
    """
    engine = make_engine(path, foreign_keys=False, busy_timeout_ms=UPGRADE_WAIT_MS)
    try:
        with write_engine(engine).begin() as conn:
            _run_migrations(conn, target, downgrade=downgrade)
    finally:
        engine.dispose()


def known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in (resource_dir("migrations") / "versions").glob("*.py")}


def is_newer_revision(revision: str | None) -> bool:
    """A revision this crm has no migration for: the database was made by a newer crm."""
    return revision is not None and revision != HEAD_REVISION and revision not in known_revisions()


def _refuse_newer(path: Path, revision: str | None) -> None:
    if is_newer_revision(revision):
        raise CrmError(f"{path} was made by a newer crm (schema {revision}): upgrade crm to open it")


_UNREAD = object()


def upgrade_database(path: Path, revision: str | None | object = _UNREAD) -> Path | None:
    """Bring the database to head, backing it up first when it holds data. Returns the backup made, if any.

    Creating the schema and migrating queue like any writer: the write lock is taken first (BEGIN IMMEDIATE, so
    the busy timeout applies), the revision read again under it (another process may have migrated meanwhile),
    and only then is the database backed up and migrated, in that one transaction. Of many crm processes opening
    an old database at once, one backs up and migrates; the others wait, then find it current.
    """
    if revision is _UNREAD:
        revision = schema_revision(path)
    if revision == HEAD_REVISION:
        return None
    _refuse_newer(path, revision)
    engine = make_engine(path, foreign_keys=False, busy_timeout_ms=UPGRADE_WAIT_MS)
    try:
        with said_as_database_problem(path), write_engine(engine).begin() as conn:
            revision = _read_revision(conn.connection.driver_connection, path)
            if revision == HEAD_REVISION:
                return None
            _refuse_newer(path, revision)
            backup = None
            if revision is not None:
                backup = backup_database(path, revision=revision)
                prune_automatic_backups(path)
            _run_migrations(conn, "head")
        return backup
    finally:
        engine.dispose()


def prepare(path: Path, *, create_folder: bool = False, upgrade: bool = True) -> None:
    """Make sure the database at `path` exists, is private and (unless told not to) is at head.

    Checked before anything is changed: a missing file is created 0600 (O_EXCL, no symlink followed); an existing
    one must be a regular file holding nothing or a crm database, and only then is its mode tightened.
    """
    _ensure_file(path, create_folder=create_folder)
    revision = schema_revision(path)
    _tighten_mode(path)
    if upgrade:
        upgrade_database(path, revision)


def open_prepared(path: Path, *, create_folder: bool = False) -> sqlite3.Connection:
    """prepare() then connect(), on one connection: the revision is read on the connection that then serves reads,
    so every command opens the file once, not twice (~1-3 ms of every start: the -wal and -shm are made once)."""
    _ensure_file(path, create_folder=create_folder)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise database_problem(exc, path) from None
    try:
        try:
            revision = _read_revision(conn, path)  # before any PRAGMA: someone else's file is refused untouched
        except sqlite3.Error as exc:
            raise database_problem(exc, path) from None
        _tighten_mode(path)
        upgrade_database(path, revision)
        _set_up(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _ensure_file(path: Path, *, create_folder: bool) -> None:
    if not check_database_path(path):
        _create_private_file(path, make_folder=create_folder)
        check_database_path(path)  # what is there now, whoever created it


# -- PostgreSQL (`--db postgresql://...`): the same steps on a server's database; crm.store.postgres does the talking


def make_url_engine(url: str, *, busy_timeout_ms: int | None = None) -> Engine:
    """The engine for a PostgreSQL database: its write transactions queue on crm's write lock, as on SQLite."""
    from crm.store.postgres import make_engine as make_postgres_engine

    return make_postgres_engine(url, lock_timeout_ms=busy_timeout_ms or BUSY_TIMEOUT_MS)


def url_revision(url: str) -> str | None:
    """The schema revision of the PostgreSQL database at `url` (None: it holds nothing); CrmError when it holds
    someone else's tables, or cannot be reached."""
    from crm.store.postgres import schema_revision

    with said_as_database_problem(url):
        return schema_revision(url)


def upgrade_url(url: str, revision: str | None | object = _UNREAD) -> None:
    """Bring the PostgreSQL database to head, in one transaction under the write lock (of many crm processes
    opening an old database at once, one migrates; the others wait, then find it current).

    No copy is made first, unlike a SQLite file's backup beside it: the migrations run in one transaction, so a
    failure leaves the database as it was; copies of a server's databases are its administrator's to make
    (pg_dump)."""
    from crm.store.postgres import revision_in
    from crm.store.urls import masked

    if revision is _UNREAD:
        revision = url_revision(url)
    if revision == HEAD_REVISION:
        return
    _refuse_newer(masked(url), revision)
    engine = make_url_engine(url, busy_timeout_ms=UPGRADE_WAIT_MS)
    try:
        with said_as_database_problem(url), write_engine(engine).begin() as conn:
            revision = revision_in(conn, url)
            if revision == HEAD_REVISION:
                return
            _refuse_newer(masked(url), revision)
            if revision is not None:  # a club's schema (crm club init) is not one crm's migrations can change
                from crm.club import refuse_migration
                from crm.store.postgres import Reader

                reader = Reader(conn.connection.driver_connection, shared=True)
                refuse_migration(reader, masked(url), revision, HEAD_REVISION)
            _run_migrations(conn, "head")
    finally:
        engine.dispose()


def prepare_url(url: str, revision: str | None | object = _UNREAD, *, upgrade: bool = True) -> str | None:
    """`prepare` for a PostgreSQL database: empty or crm's (CrmError otherwise), then at head unless told not to.
    Returns the revision it had (`revision`: already read, as crm.store.postgres.open_reader does)."""
    if revision is _UNREAD:
        revision = url_revision(url)
    if upgrade:
        upgrade_url(url, revision)
    return revision


def open_engine(path: Path, *, create_folder: bool = False, upgrade: bool = True) -> Engine:
    """Open (creating and migrating as needed) the database at `path`."""
    prepare(path, create_folder=create_folder, upgrade=upgrade)
    return make_engine(path)
