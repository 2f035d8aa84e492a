"""Opening the store: engines from a factory, safe file modes, migrations with a backup first."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from crm.errors import CrmError
from crm.store.paths import resource_dir

if TYPE_CHECKING:  # SQLAlchemy loads only for commands that write or need the ORM
    from sqlalchemy import Engine
    from sqlmodel import Session

# The newest migration in migrations/versions. Comparing against this constant lets a
# command on an up-to-date database skip importing Alembic; a test keeps it honest.
HEAD_REVISION = "0006"

BUSY_TIMEOUT_MS = 5000


def make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
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
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        immediate = conn.get_execution_options().get("crm_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def connect(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection for read-only queries on hot paths (no ORM to import).

    Same settings as the engine's connections; autocommit mode, so each query reads the
    newest committed state and holds no lock between queries.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def raw_connection(session: Session) -> sqlite3.Connection:
    """The sqlite3 connection under a session, so read queries written for `connect` run in its transaction."""
    return session.connection().connection.driver_connection


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


def _create_private_file(path: Path, *, make_folder: bool) -> None:
    folder = path.parent
    if not folder.is_dir():
        if not make_folder:
            raise CrmError(f"folder {folder} does not exist: create it first or choose another --db path")
        folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise CrmError(f"cannot create database {path}: {exc.strerror}") from None
    os.close(fd)


def _tighten_mode(path: Path) -> None:
    """Notes about real people stay readable by their owner only."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
    except OSError:
        pass


def schema_revision(path: Path) -> str | None:
    """The Alembic revision of the database at `path`; None for an empty file.

    Raises CrmError for a file that is not SQLite, or a SQLite file crm did not make.
    The file is only ever opened through SQLite: opening and closing it any other way
    would drop this process's POSIX locks and let another process corrupt the WAL.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables:
            return None
        if "alembic_version" not in tables:
            raise CrmError(f"{path} is a SQLite database but not a crm one: choose another --db path")
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise CrmError(f"{path} is not a SQLite database: point --db at a crm database or a new file") from None
        raise CrmError(f"{path} cannot be read as a database ({exc}): is it a crm database?") from None
    finally:
        conn.close()


def backup_database(path: Path, *, revision: str, destination: Path | None = None) -> Path:
    """Copy a live database consistently (SQLite's backup API, so WAL content is included)."""
    if destination is None:
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        destination = path.with_name(f"{path.name}.bak-{revision}-{stamp}")
    if destination.exists():
        raise CrmError(f"{destination} already exists: choose another backup path")
    if not destination.parent.is_dir():
        raise CrmError(f"folder {destination.parent} does not exist: create it first")
    _create_private_file(destination, make_folder=False)
    source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    target = sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return destination


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resource_dir("migrations")))
    return config


def migrate(path: Path, target: str = "head", *, downgrade: bool = False) -> None:
    """Run migrations in one transaction (a failure leaves the database as it was).

    Foreign keys are off while migrating: batch mode rebuilds tables, and dropping a
    parent table with them on would cascade-delete its children's rows.
    """
    from alembic import command

    config = alembic_config()
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            if downgrade:
                command.downgrade(config, target)
            else:
                command.upgrade(config, target)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise CrmError(f"migration would break {len(problems)} references; database left unchanged")
    finally:
        engine.dispose()


def known_revisions() -> set[str]:
    return {p.name.split("_", 1)[0] for p in (resource_dir("migrations") / "versions").glob("*.py")}


def upgrade_database(path: Path) -> Path | None:
    """Bring the database to head, backing it up first when it holds data. Returns the backup."""
    revision = schema_revision(path)
    if revision == HEAD_REVISION:
        return None
    if revision is not None and revision not in known_revisions():
        raise CrmError(f"{path} was made by a newer crm (schema {revision}): upgrade crm to open it")
    backup = backup_database(path, revision=revision) if revision is not None else None
    migrate(path)
    return backup


def prepare(path: Path, *, create_folder: bool = False, upgrade: bool = True) -> None:
    """Make sure the database at `path` exists, is private and (unless told not to) is at head."""
    if path.is_dir():
        raise CrmError(f"{path} is a folder: give --db the path of a database file")
    _create_private_file(path, make_folder=create_folder)
    _tighten_mode(path)
    if upgrade:
        upgrade_database(path)


def open_engine(path: Path, *, create_folder: bool = False, upgrade: bool = True) -> Engine:
    """Open (creating and migrating as needed) the database at `path`."""
    prepare(path, create_folder=create_folder, upgrade=upgrade)
    return make_engine(path)
