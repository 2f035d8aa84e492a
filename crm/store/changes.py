"""Whether another program wrote to the database since we last looked: the app stays open all day while `crm log`
runs in a shell, or another device writes to the same server, and it should show their changes without a restart.

Two marks differ when something was committed in between (a spurious difference costs one reload of what is on
screen; a missed change is what must not happen):

- SQLite: `PRAGMA data_version` on the reader's connection, which changes whenever any other connection commits
  (another process, or this process's own write sessions). Microseconds, no lock: asked on the UI thread.
- PostgreSQL: the server's row-change counters for this database's tables (`pg_stat_user_tables`: rows inserted,
  updated, deleted). A writing connection reports them when it ends or goes idle, at most about once a second, so
  another device's change shows within a few seconds. Asked on a connection of its own (ServerChanges) from a
  worker thread: a server that stops answering (a laptop that lost its network) must not freeze the screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crm.store.store import ReadConnection

_PG_CHANGES = "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"


def change_mark(reader: ReadConnection) -> int | None:
    """A number that changes when the database does; None when it cannot be read just now."""
    from crm.store.db import is_database_error

    postgresql = getattr(reader, "dialect", "sqlite") == "postgresql"
    try:
        row = reader.execute(_PG_CHANGES if postgresql else "PRAGMA data_version").fetchone()
    except Exception as err:
        if not is_database_error(err):
            raise
        return None
    return int(row[0]) if row is not None and row[0] is not None else None


class ServerChanges:
    """change_mark on a PostgreSQL connection of its own, opened on first use and again after a failure.

    For one thread at a time (the app's watcher runs one look at once)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._reader = None

    def mark(self) -> int | None:
        from crm.errors import CrmError
        from crm.store.db import is_database_error
        from crm.store.postgres import Reader, connect

        if self._reader is None:
            try:
                self._reader = Reader(connect(self.url))
            except Exception as err:  # the server is away or refuses us: the app's own reads say why
                if not (isinstance(err, CrmError) or is_database_error(err)):
                    raise
                return None
        found = change_mark(self._reader)
        if found is None:
            self.close()  # connect afresh next time: the server may be back
        return found

    def close(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()  # psycopg closes a broken connection quietly
