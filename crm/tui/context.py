"""What the app hands down to its screens: where to read, what day it is, and how many writes it has seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from crm.errors import CrmError

if TYPE_CHECKING:
    from textual.app import App

    from crm.store.store import ReadConnection, Store


class AppContext:
    """The store, today, and a write counter. A plain class: a dataclass costs the first paint its definition."""

    def __init__(self, store: Store, today: dt.date, version: int = 0) -> None:
        self.store = store
        self.today = today
        # Bumped on every write (DataChanged); a screen that loaded an older version reloads when it is shown.
        self.version = version

    @property
    def reader(self) -> ReadConnection:
        return self.store.reader

    @contextmanager
    def reading_in_thread(self) -> Iterator[ReadConnection]:
        """A connection for reads in a worker thread (the app's reader belongs to the UI thread), in one snapshot.

        A database error becomes a CrmError saying what is wrong, as it does for writes.
        """
        from crm.store.db import database_problem, raw_connection
        from crm.store.store import is_database_error

        try:
            with self.store.orm() as session:
                yield raw_connection(session)
        except CrmError:
            raise
        except Exception as err:
            if not is_database_error(err):
                raise
            raise database_problem(err, self.store.path) from None


def context_of(app: App) -> AppContext:
    """The context the crm app hands down, for what Textual builds itself (the command palette's providers)."""
    return app.context  # type: ignore[attr-defined]
