"""The one way into the database, for the CLI and the app alike: open once, read plainly, write in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from crm.errors import CrmError

# With the rest of the file handling in crm.store.db; here too, where the CLI and the app have always found them.
from crm.store.db import DatabaseBusy as DatabaseBusy
from crm.store.db import is_database_error as is_database_error
from crm.store.db import said_as_database_problem

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from crm.store.settings import Settings


class ReadConnection(Protocol):
    """What read functions need of a connection: DB-API `execute`. sqlite3 today; a second engine adapts to it."""

    def execute(self, sql: str, parameters=...) -> sqlite3.Cursor: ...


def database_message(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return str(cause).splitlines()[0] if str(cause) else type(cause).__name__


class Store:
    """A database opened for one process: prepared and migrated once, then a read connection and write sessions.

    A SQLite file (`path`) or a PostgreSQL database (`url`, `--db postgresql://...`). Read functions take
    `store.reader` (a DB-API connection with `?` parameters: sqlite3's, or crm.store.postgres.Reader, whose
    `dialect` attribute says "postgresql") and never the driver itself. The ORM loads on the first write, never
    for reads.
    """

    # Write transactions committed in this process: crm.cli.main tells a user whose output could not be written
    # (a full disk, a closed pipe) whether the change was saved all the same.
    commits = 0

    def __init__(
        self,
        path: Path | None,
        *,
        create_folder: bool = False,
        engine: Engine | None = None,
        path_error: CrmError | None = None,
        url: str | None = None,
    ) -> None:
        self.path = path  # None on PostgreSQL
        self.url = url  # None on SQLite; never printed as is (`location` masks its password)
        self.create_folder = create_folder
        self.path_error = path_error  # a path that cannot be a database file (`/x/new/`): reported on first use
        self.shown: str | None = None  # a URL crm cannot use (path_error says why), its password masked
        self._reader: sqlite3.Connection | None = None
        self._engine = engine
        self._owns_engine = engine is None

    @classmethod
    def from_option(cls, db: str | Path | None) -> Store:
        """--db wins over $CRM_DB over the platform default (whose folder we create); either may be a
        `postgresql://` URL."""
        import os

        from crm.store.paths import NotAFilePath, resolve_db_path
        from crm.store.urls import is_database_url, masked, url_problem

        chosen_text = db or os.environ.get("CRM_DB")
        if is_database_url(chosen_text):  # anything shaped `scheme://`: a URL, never a file path
            problem = url_problem(str(chosen_text))
            if problem:  # another scheme (`pg://`), a raw `@` in the password: said on first use, as for a path
                store = cls(None, path_error=CrmError(problem))
                store.shown = masked(str(chosen_text)).encode("utf-8", "replace").decode()
                return store
            return cls(None, url=str(chosen_text))
        try:
            path, chosen = resolve_db_path(db)
        except NotAFilePath as err:  # raised when the store is used, so `crm --help` and completion still work
            return cls(err.path, path_error=err)
        return cls(path, create_folder=not chosen)

    @property
    def dialect(self) -> str:
        """Which SQL the database speaks: "sqlite" or "postgresql"."""
        return "sqlite" if self.url is None else "postgresql"

    @property
    def location(self) -> str:
        """Where the database is, safe to print: the file's path, or the URL with its password masked."""
        if self.url is None:
            return self.shown if self.path is None and self.shown is not None else str(self.path)
        from crm.store.urls import masked

        return masked(self.url)

    def checked_path(self) -> Path:
        """The database path, or the CrmError saying why the path given cannot be a database file."""
        if self.path_error is not None:
            raise self.path_error
        if self.path is None:
            raise CrmError(f"{self.location} is a PostgreSQL database, not a file: this needs a SQLite database")
        return self.path

    # -- opening ------------------------------------------------------------------------------------

    def open(self, settings: Settings | None = None, *, schedule: bool = True) -> Store:
        """Create or migrate the file and bring stored follow-ups up to date with the settings; once per process.

        A command that shows no follow-up dates (search) may pass schedule=False and skip loading the settings.
        """
        if self._reader is not None:
            return self
        if self.url is not None:
            return self._open_url(settings, schedule=schedule)
        from crm.store.db import open_prepared

        path = self.checked_path()
        try:
            with said_as_database_problem(path):  # busy, read-only, full, corrupt: said as such
                self._reader = open_prepared(path, create_folder=self.create_folder)
                if schedule:
                    self._ensure_schedule_current(settings)
        except Exception:
            self.close()
            raise
        return self

    def _open_url(self, settings: Settings | None, *, schedule: bool) -> Store:
        from crm.store.db import prepare_url

        try:
            with said_as_database_problem(self.url):
                from crm.store.postgres import open_reader

                self._reader, revision = open_reader(self.url)  # one connection for both: see open_reader
                prepare_url(self.url, revision)
                if schedule:
                    self._ensure_schedule_current(settings)
        except Exception:
            self.close()
            raise
        return self

    def _ensure_schedule_current(self, settings: Settings | None) -> None:
        """Recompute every stored follow-up if the settings or rules behind them changed (rare: loaded lazily)."""
        from crm.followups.freshness import is_current
        from crm.store.settings import load_settings

        settings = settings or load_settings()
        if is_current(self._reader, settings):
            return
        from crm.followups.writes import recompute_all
        from crm.store.db import raw_connection

        commits = Store.commits
        with self.write() as session:
            if not is_current(raw_connection(session), settings):
                recompute_all(session, settings)
        Store.commits = commits  # upkeep, not a change the command was asked to make

    @property
    def reader(self) -> sqlite3.Connection:
        """The read connection (autocommit: each query sees the newest committed state, holds no lock)."""
        if self._reader is None:
            self.open()
        return self._reader

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from crm.store.db import make_engine

            if self._reader is None:
                self.open()  # may itself write (the schedule), which makes the engine: keep that one
            if self._engine is None:
                if self.url is not None:
                    from crm.store.db import make_url_engine

                    self._engine = make_url_engine(self.url)
                else:
                    self._engine = make_engine(self.path)
        return self._engine

    def truncate_wal(self) -> bool:
        """Move every committed change into the main file and empty its -wal (after a forget, so the old pages
        go too); False when another program's read still needs them (crm.store.db.truncate_wal).

        On a connection of its own, closed after, so a worker thread may call it (the app forgets in one).
        PostgreSQL has no such file of ours to empty: True (its server reclaims deleted rows' space when it vacuums).
        """
        if self.url is not None:
            return True
        from crm.store.db import connect, truncate_wal

        with said_as_database_problem(self.path):
            conn = connect(self.checked_path())
            try:
                return truncate_wal(conn)
            finally:
                conn.close()

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._engine is not None and self._owns_engine:
            self._engine.dispose()
        if self._owns_engine:
            self._engine = None

    # -- sessions -----------------------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One session in one write transaction: committed at the end, rolled back on any error.

        A busy database becomes a DatabaseBusy (try again); a read-only, full or corrupt one a CrmError saying so,
        whichever layer raised it.
        """
        from crm.store.db import write_session

        with said_as_database_problem(self.url or self.path), write_session(self.engine) as session:
            yield session
        Store.commits += 1

    @contextmanager
    def orm(self) -> Iterator[Session]:
        """A read-only ORM session, for reads that are not on a hot path."""
        from crm.store.db import read_session

        # On SQLite an ORM read's errors are the caller's (as before); a server's are said as such.
        said = said_as_database_problem(self.url) if self.url is not None else nullcontext()
        with said, read_session(self.engine) as session:
            yield session
