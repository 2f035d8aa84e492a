"""crm on PostgreSQL (psycopg 3): connections, the read adapter, the engine, the schema revision, error messages.

Imported only when the database is a `postgresql://` URL, so the SQLite paths never load psycopg. The read functions
are written for sqlite3 (`?` and `:name` parameters, ISO text dates, 0/1 booleans); `Reader` gives them the same
interface and the same row values on PostgreSQL, and says `dialect = "postgresql"` so a query whose SQL cannot be
shared picks its PostgreSQL text (see e.g. crm.contacts.reads).

Writes serialize like SQLite's BEGIN IMMEDIATE: every write transaction first takes one transaction-scoped advisory
lock, waiting up to the busy timeout (`lock_timeout`), so a read-then-write never interleaves with another crm's.
crm.store.db decides what to do (open, migrate, say what went wrong); this module only talks to the server.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import TYPE_CHECKING

import psycopg
from psycopg.adapt import Loader
from psycopg.conninfo import conninfo_to_dict, timeout_from_conninfo

from crm.errors import CrmError
from crm.store.urls import libpq_url, masked, scrubbed, secrets, url_problem

if TYPE_CHECKING:
    from sqlalchemy import Engine

DIALECT = "postgresql"
WRITE_LOCK_KEY = 0x63726D_77726974  # "crmwrit": the advisory lock every crm write transaction holds

# psycopg and SQLAlchemy log what they ignore while giving up a lost connection ("error ignored terminating
# <psycopg.Pipeline [BAD]>: the connection is lost"); with no handler configured, Python's last resort prints it on
# stderr, above crm's own line (or over the app's screen). crm says what went wrong itself: their records reach a
# handler only if one is set up (a test's caplog, say).
for _library in ("psycopg", "sqlalchemy"):
    logging.getLogger(_library).addHandler(logging.NullHandler())

# Every connection reads and writes times in UTC and dates as ISO text, whatever the server's defaults.
SESSION_SETUP = "SET TIME ZONE 'UTC'; SET DateStyle TO ISO, YMD"

# -- SQL written for sqlite3, run by psycopg ------------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|::|:[A-Za-z_][A-Za-z0-9_]*|\?|%|[^'\"?:%-]+|.", re.S)


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """sqlite3's parameter styles as psycopg's: `?` -> `%s`, `:name` -> `%(name)s`, a literal `%` -> `%%`.

    Quoted literals, quoted identifiers, comments and `::` casts are left as they are (but for `%`, which psycopg
    reads everywhere)."""
    out = []
    for token in _TOKENS.findall(sql):
        if token == "?":
            out.append("%s")
        elif token.startswith(":") and token != "::" and len(token) > 1:
            out.append(f"%({token[1:]})s")
        else:
            out.append(token.replace("%", "%%"))
    return "".join(out)


class _TextLoader(Loader):
    """Dates (and JSON) as the text PostgreSQL sends: '2026-11-25', as SQLite stores them."""

    def load(self, data) -> str:
        return bytes(data).decode()


class _BoolLoader(Loader):
    """Booleans as 0 and 1, as SQLite returns them."""

    def load(self, data) -> int:
        return 1 if bytes(data) == b"t" else 0


class _TimestampLoader(Loader):
    """Timestamps as SQLAlchemy stores them in SQLite: '2026-11-25 19:34:58.000000' (UTC, see SESSION_SETUP)."""

    def load(self, data) -> str:
        text = bytes(data).decode()
        if len(text) > 19 and text[-3] in "+-":
            text = text[:-3]
        elif len(text) > 19 and text[-6] in "+-":
            text = text[:-6]
        day_time, _, fraction = text.partition(".")
        return f"{day_time}.{fraction:0<6}"


class _NumericLoader(Loader):
    """NUMERIC (what sum() and avg() of integers give) as int or float, as SQLite's arithmetic does."""

    def load(self, data) -> int | float:
        text = bytes(data).decode()
        return float(text) if "." in text or "e" in text.lower() or text in ("NaN", "Infinity") else int(text)


def sqlite_like(adapters) -> None:
    """Register the loaders that make rows read like sqlite3's on an AdaptersMap (a connection's or a cursor's)."""
    for name in ("date", "json", "jsonb"):
        adapters.register_loader(name, _TextLoader)
    adapters.register_loader("bool", _BoolLoader)
    adapters.register_loader("timestamp", _TimestampLoader)
    adapters.register_loader("timestamptz", _TimestampLoader)
    adapters.register_loader("numeric", _NumericLoader)


class Reader:
    """A psycopg connection that reads like `sqlite3.Connection`: `execute(sql, params)` with `?` or `:name`
    parameters, returning a cursor of tuples whose dates are ISO text and booleans 0/1.

    `store.reader` on PostgreSQL (autocommit: each query sees the newest committed state), and
    `raw_connection(session)`, where it runs in the session's transaction on the session's connection.

    Given its `url` (store.reader), a query that finds the connection dropped by the server (a restart, an idle
    timeout) connects again and runs once more, if it only reads: the app keeps one store open for hours."""

    dialect = DIALECT

    def __init__(self, conn: psycopg.Connection, *, shared: bool = False, url: str | None = None) -> None:
        self.connection = conn
        self._shared = shared  # the ORM's connection: keep its own loaders, set ours per cursor
        self._url = None if shared else url
        if not shared:
            sqlite_like(conn.adapters)

    def cursor(self) -> psycopg.Cursor:
        cursor = self.connection.cursor()
        if self._shared:
            sqlite_like(cursor.adapters)
        return cursor

    def execute(self, sql: str, parameters=()) -> psycopg.Cursor:
        parameters = parameters if parameters is not None else ()
        try:
            cursor = self.cursor()
            cursor.execute(translate(sql), parameters)
        except psycopg.OperationalError:
            if not (self._url and self.connection.closed and sql.lstrip().upper().startswith(("SELECT", "WITH"))):
                raise
            self.connection.close()
            self.connection = connect(self._url)  # the server is back, or this says it is not
            sqlite_like(self.connection.adapters)
            cursor = self.cursor()
            cursor.execute(translate(sql), parameters)
        return cursor

    def executemany(self, sql: str, rows) -> psycopg.Cursor:
        cursor = self.cursor()
        cursor.executemany(translate(sql), rows)
        return cursor

    def close(self) -> None:
        if not self._shared:
            self.connection.close()


# -- connecting ------------------------------------------------------------------------------------------------------


def conninfo(url: str) -> str:
    """The URL as libpq reads it, checked before anything connects: CrmError, one line with the password masked,
    for a URL crm cannot use (another scheme, a raw `@` in the password) or that libpq cannot parse (a bad percent
    sign, a space, an unknown parameter, `connect_timeout=abc`)."""
    problem = url_problem(url)
    if problem:
        raise CrmError(problem)
    text = libpq_url(url)
    try:
        timeout_from_conninfo(conninfo_to_dict(text))
    except psycopg.ProgrammingError as error:
        raise malformed(url, error) from None
    return text


def malformed(url: str, error: BaseException) -> CrmError:
    """libpq's reason for refusing the URL (its first line), with the URL's password masked; a general one instead
    when libpq's still quotes a piece of a password it split (`?password=a&b`: "b")."""
    detail = scrubbed(str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__, url)
    pieces = {piece for secret in secrets(url) for piece in re.split(r"[&@/?#=:,]", secret) if piece}
    quotes_a_piece = any(piece in detail for piece in pieces)
    reason = " (write a password's special characters percent-encoded)" if quotes_a_piece else f" ({detail})"
    return CrmError(f"{masked(url)} is not a valid PostgreSQL URL{reason}")


def _connect(url: str) -> psycopg.Connection:
    text = conninfo(url)
    try:
        return psycopg.connect(text, autocommit=True)
    except psycopg.ProgrammingError as error:  # any other refusal of the URL's text before connecting
        raise malformed(url, error) from None


def connect(url: str, *, autocommit: bool = True) -> psycopg.Connection:
    """A psycopg connection set up like crm's every connection (UTC, ISO dates)."""
    conn = _connect(url)
    try:
        conn.execute(SESSION_SETUP)
    except BaseException:
        conn.close()
        raise
    conn.autocommit = autocommit
    return conn


def reader(url: str) -> Reader:
    return Reader(connect(url))


def open_reader(url: str) -> tuple[Reader, str | None]:
    """The store's read connection and the database's schema revision (None: empty), with one round trip after
    connecting: the session set-up and the revision travel as one query (on a server across a network, each round
    trip costs its latency). CrmError for someone else's database."""
    conn = _connect(url)
    try:
        try:
            cursor = conn.execute(f"{SESSION_SETUP}; SELECT version_num FROM alembic_version")
        except psycopg.errors.UndefinedTable:  # empty, or not crm's: the failed query undid the set-up too
            conn.execute(SESSION_SETUP)
            revision = read_revision(conn, url)
        else:
            while cursor.nextset():  # past the two SETs' results, to the SELECT's
                pass
            row = cursor.fetchone()
            revision = row[0] if row else None
        return Reader(conn, url=url), revision
    except BaseException:
        conn.close()
        raise


# -- the engine (the ORM's writes and reads) -------------------------------------------------------------------------


def make_engine(url: str, *, lock_timeout_ms: int) -> Engine:
    """An engine whose write transactions (execution option crm_write) take crm's write lock first, waiting up to
    `lock_timeout_ms` for it (then psycopg.errors.LockNotAvailable: busy)."""
    from sqlalchemy import create_engine, event

    # libpq reads the URL here too (creator), as for every other connection: SQLAlchemy's own parser refuses some
    # URLs libpq accepts (a host list with ports, `h1:5432,h2:5433`), so reads would work and writes fail.
    text = conninfo(url)
    # pool_pre_ping: a connection the pool kept through a server restart is replaced, not failed on (the app keeps
    # its engine for hours); a new connection is not pinged, so a command's first write pays nothing for it.
    engine = create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(text), pool_pre_ping=True)
    timeout = lock_timeout_ms

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        autocommit = dbapi_conn.autocommit
        dbapi_conn.autocommit = True
        dbapi_conn.execute(f"{SESSION_SETUP}; SET lock_timeout = {int(timeout)}")
        dbapi_conn.autocommit = autocommit

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        if conn.get_execution_options().get("crm_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


# -- the schema ------------------------------------------------------------------------------------------------------


def read_revision(conn, url: str) -> str | None:
    """The Alembic revision of the database; None when it holds no tables. CrmError for someone else's database."""
    rows = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    ).fetchall()
    tables = {row[0] for row in rows}
    if not tables:
        return None
    if "alembic_version" not in tables:
        raise CrmError(f"{masked(url)} is a PostgreSQL database but not a crm one: choose another --db")
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def schema_revision(url: str) -> str | None:
    """The revision of the database at `url` (None: empty), read on a connection of its own."""
    conn = connect(url)
    try:
        return read_revision(conn, url)
    finally:
        conn.close()


def revision_in(conn, url: str) -> str | None:
    """read_revision on a SQLAlchemy connection, inside its transaction (under the write lock)."""
    return read_revision(Reader(conn.connection.driver_connection, shared=True), url)


# -- errors ----------------------------------------------------------------------------------------------------------


# What the database, not crm's SQL, is to blame for: the server, the connection, a lock, a right, ids run out.
_DATABASE_ERRORS = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    psycopg.errors.InsufficientPrivilege,
    psycopg.errors.SequenceGeneratorLimitExceeded,
)


def is_database_error(error: BaseException) -> bool:
    """An error about the server, the connection, a lock or the database's state (not a bug in a query)."""
    cause = getattr(error, "orig", None) or error
    return isinstance(cause, _DATABASE_ERRORS)


def _ids_run_out(error: BaseException) -> str:
    """What ran out of ids, from nextval's message ('... maximum value of sequence "contact_id_seq" (2147483647)'):
    the table `contact` and its sequence, as SERIAL names them."""
    quoted = re.search(r'sequence "([^"]+)"', str(error))
    if not quoted:
        return "a table has run out of ids"
    sequence = quoted[1]
    table = sequence.removesuffix("_id_seq")
    what = f"the table {table}" if table != sequence else "a table"
    return f"{what} has run out of ids (its sequence {sequence} is at its maximum)"


def problem(error: BaseException, url: str | None, *, busy_ms: int) -> tuple[bool, str]:
    """(is it a lock wait past the busy timeout, the one line to say) for a PostgreSQL error; crm.store.db makes
    the CrmError (DatabaseBusy for the first). The URL's password never appears in it."""
    cause = getattr(error, "orig", None) or error
    name = masked(url) if url else "the database"
    text = str(cause).strip()
    detail = scrubbed(text.splitlines()[0] if text else type(cause).__name__, url)
    state = getattr(cause, "sqlstate", None) or ""
    if isinstance(cause, psycopg.errors.LockNotAvailable | psycopg.errors.DeadlockDetected) or state == "40001":
        return True, (
            f"{name} is busy: another program (another crm, say) held its write lock for over {busy_ms / 1000:g} "
            "seconds; nothing was written, try again"
        )
    if isinstance(cause, psycopg.errors.InsufficientPrivilege):
        return False, f"cannot use {name}: {detail}; nothing was written"
    if isinstance(cause, psycopg.errors.DiskFull):
        return False, f"the disk holding {name} is full: free some space and try again; nothing was written"
    if isinstance(cause, psycopg.errors.SequenceGeneratorLimitExceeded):
        return False, f"cannot add to {name}: {_ids_run_out(cause)}; nothing was written"
    if isinstance(cause, psycopg.errors.ReadOnlySqlTransaction):
        return False, f"{name} is read-only: nothing was written"
    if state.startswith(("08", "57P")) or isinstance(cause, psycopg.InterfaceError) or not state:
        return False, f"cannot reach {name} ({detail}): nothing was written"
    return False, f"cannot use {name} ({detail}): nothing was written"
