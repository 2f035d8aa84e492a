"""Which SQL a read connection speaks: the few read queries that cannot share their text choose by it.

`store.reader` and `raw_connection(session)` are sqlite3 connections (no attribute: "sqlite") or, on PostgreSQL,
crm.store.postgres.Reader (`dialect = "postgresql"`). Nothing here imports a driver.
"""

from __future__ import annotations

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

# SQLite's lower() folds ASCII letters only, and it compares text by code point: this is that order on PostgreSQL
# (whose lower() folds every letter, and whose default collation follows the server's locale).
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def dialect(conn) -> str:
    return getattr(conn, "dialect", SQLITE)


def is_postgres(conn) -> bool:
    return getattr(conn, "dialect", SQLITE) == POSTGRESQL


def pg_ascii_lower(expression: str) -> str:
    """SQLite's `lower(x)` as a PostgreSQL sort key: ASCII folded, compared by code point."""
    return f"translate({expression}, '{_UPPER}', '{_UPPER.lower()}') COLLATE \"C\""


def pg_json_object(pairs: dict[str, str], *, json_text: tuple[str, ...] = ()) -> str:
    """A PostgreSQL expression for SQLite's `json_object(...)` text, byte for byte: compact, keys in order.

    `pairs` maps each key to a SQL expression, which to_json() encodes as SQLite does (strings escaped, numbers and
    booleans bare, NULL as null); the keys in `json_text` hold JSON text already (SQLite's `json(...)`)."""
    parts = []
    for key, expression in pairs.items():
        value = expression if key in json_text else f"coalesce(to_json({expression})::text, 'null')"
        parts.append(f"'\"{key}\":' || {value}")
    return "'{' || " + " || ',' || ".join(parts) + " || '}'"


def pg_json_array(expression: str, *, order_by: str, source: str) -> str:
    """SQLite's `json_group_array(x)` text (compact, '[]' when empty) over `source` (FROM ... WHERE ...)."""
    return (
        f"coalesce((SELECT '[' || string_agg(to_json({expression})::text, ',' ORDER BY {order_by}) || ']'"
        f" FROM {source}), '[]')"
    )
