"""The one way into the database, for the CLI and the app alike: open once, read plainly, write in one transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

    from crm.store.settings import Settings


class ReadConnection(Protocol):
    """What read functions need of a connection: DB-API `execute`. sqlite3 today; a second engine adapts to it."""

    def execute(self, sql: str, parameters=...) -> sqlite3.Cursor: ...


class DatabaseBusy(CrmError):
    """Another process held the write lock past the busy timeout, or the file cannot be written."""


def is_database_error(error: BaseException) -> bool:
    """sqlite3's operational errors, or SQLAlchemy's wrapping of them (told apart without importing SQLAlchemy)."""
    cause = getattr(error, "orig", None) or error
    return isinstance(cause, sqlite3.OperationalError)


def database_message(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    return str(cause).splitlines()[0] if str(cause) else type(cause).__name__


class Store:
    """A database file opened for one process: prepared and migrated once, then a read connection and write sessions.

    Read functions take `store.reader` (a DB-API connection with `?` parameters) and never the driver itself,
    so a second engine plugs in here. The ORM loads on the first write, never for reads.
    """

    def __init__(self, path: Path, *, create_folder: bool = False, engine: Engine | None = None) -> None:
        self.path = path
        self.create_folder = create_folder
        self._reader: sqlite3.Connection | None = None
        self._engine = engine
        self._owns_engine = engine is None

    @classmethod
    def from_option(cls, db: str | Path | None) -> Store:
        """--db wins over $CRM_DB over the platform default (whose folder we create)."""
        from crm.store.paths import resolve_db_path

        path, chosen = resolve_db_path(db)
        return cls(path, create_folder=not chosen)

    # -- opening ------------------------------------------------------------------------------------

    def open(self, settings: Settings | None = None, *, schedule: bool = True) -> Store:
        """Create or migrate the file and bring stored follow-ups up to date with the settings; once per process.

        A command that shows no follow-up dates (search) may pass schedule=False and skip loading the settings.
        """
        if self._reader is not None:
            return self
        from crm.store.db import connect, prepare

        try:
            prepare(self.path, create_folder=self.create_folder)
            self._reader = connect(self.path)
            if schedule:
                self._ensure_schedule_current(settings)
        except sqlite3.Error as err:
            self.close()
            raise CrmError(f"cannot open {self.path} ({database_message(err)}): is it a crm database?") from None
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

        with self.write() as session:
            if not is_current(raw_connection(session), settings):
                recompute_all(session, settings)

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
                self.open()
            self._engine = make_engine(self.path)
        return self._engine

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

        Busy or unwritable databases become a DatabaseBusy with a human message, whichever layer raised them.
        """
        from crm.store.db import write_session

        try:
            with write_session(self.engine) as session:
                yield session
        except CrmError:
            raise
        except Exception as err:
            if not is_database_error(err):
                raise
            raise DatabaseBusy(
                f"the database is busy or cannot be written ({database_message(err)}): nothing was written, try again"
            ) from None

    @contextmanager
    def orm(self) -> Iterator[Session]:
        """A read-only ORM session, for reads that are not on a hot path."""
        from crm.store.db import read_session

        with read_session(self.engine) as session:
            yield session
