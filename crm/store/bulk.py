"""Bulk loads (`crm restore`, `crm db copy`): the reply-credit triggers set aside, then run once per contact.

Migration 0009's triggers recompute a contact's whole reply credit each time one of its messages or replies is
inserted, so loading a history row by row costs a contact's history once per row of it: quadratic (10,000
interactions over 20 contacts: 8.7 s to restore on SQLite, 611 s to `db copy` into PostgreSQL). Around a bulk insert,
`reply_credit_once` takes those triggers out of the way, and once the rows are in puts them back and has them credit
each contact once (1 to 2 s, and 1.5 to 3 s). The rule itself stays in the migration: the triggers are put back from
their own text (SQLite) or re-enabled (PostgreSQL), and it is they, or the function they call, that compute the
credit, so the result is the one the per-row triggers would have left. (One pass over a contact still costs what the
rule's SQL costs: its "latest message before" subquery walks the contact's later messages for each reply.)

All of it happens in the caller's transaction: SQLite's DROP/CREATE TRIGGER and PostgreSQL's ALTER TABLE are
transactional, so a load that fails (and is rolled back, as crm's write sessions are) leaves the triggers as they
were. Other connections never see the table without its triggers: they see the database before or after the load.
On SQLite the triggers made again come last in sqlite_master, with the same text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

TABLE = "interaction"
PREFIX = "reply_credit_"  # migration 0009's triggers on `interaction`: reply_credit_insert, _update, _delete, _change
CREDIT_FUNCTION = "reply_credit"  # 0009's PostgreSQL function: the credit of the contacts given, by the one rule


@contextmanager
def reply_credit_once(connection: Connection) -> Iterator[bool]:
    """Around inserting many interactions in `connection`'s transaction: no credit is computed per row; afterwards
    every contact with a reply is credited once, as the triggers would have left it. Yields whether the
    triggers were set aside: on PostgreSQL that needs the table's owner (ALTER TABLE), so a role that does not own
    `interaction` (a club's member: crm.club) loads through the triggers as before -- the same credit, slower.

    On an error inside the block nothing is put back here: the caller rolls its transaction back, which restores
    the triggers with everything else."""
    if connection.dialect.name == "postgresql":
        with _postgresql(connection) as set_aside:
            yield set_aside
    else:
        with _sqlite(connection) as set_aside:
            yield set_aside


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def _sqlite(connection: Connection) -> Iterator[bool]:
    """SQLite cannot disable a trigger: each is dropped, then created again from the very text it was made with."""
    saved = connection.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name LIKE ? ESCAPE '\\'"
        " ORDER BY rowid",
        (TABLE, PREFIX.replace("_", "\\_") + "%"),
    ).all()
    for name, _ in saved:
        connection.exec_driver_sql(f"DROP TRIGGER {_quoted(name)}")
    yield bool(saved)
    if not saved:
        return
    for _, sql in saved:
        connection.exec_driver_sql(sql)
    # `SET kind = kind` names a column of the update trigger's `UPDATE OF`, so the trigger fires for each row changed,
    # whatever the value, and credits that contact's whole history: one reply per contact, once per contact. A contact
    # with no reply has nothing to credit (its rows came in uncredited, as the triggers would have left them).
    connection.exec_driver_sql(
        f"UPDATE {TABLE} SET kind = kind WHERE id IN"
        f" (SELECT min(id) FROM {TABLE} WHERE kind = 'reply' GROUP BY contact_id)"
    )


@contextmanager
def _postgresql(connection: Connection) -> Iterator[bool]:
    owner = connection.exec_driver_sql(
        "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = to_regclass(%(table)s)", {"table": TABLE}
    ).scalar()
    # Only triggers enabled the ordinary way ('O'): one an administrator disabled, or set to ALWAYS or REPLICA, is
    # left as it is (and then fires, or not, as it did before).
    names = (
        connection.exec_driver_sql(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%(table)s) AND NOT tgisinternal"
            " AND tgenabled = 'O' AND starts_with(tgname, %(prefix)s) ORDER BY tgname",
            {"table": TABLE, "prefix": PREFIX},
        )
        .scalars()
        .all()
        if owner
        else []
    )
    for name in names:
        connection.exec_driver_sql(f"ALTER TABLE {_quoted(TABLE)} DISABLE TRIGGER {_quoted(name)}")
    yield bool(names)
    if not names:
        return
    for name in names:
        connection.exec_driver_sql(f"ALTER TABLE {_quoted(TABLE)} ENABLE TRIGGER {_quoted(name)}")
    # Statistics first: the table's are those of the empty database (none), with which the rule's subqueries scan
    # every row of the contact for each reply (about 8 times slower at 5,000 interactions a contact). The owner may.
    connection.exec_driver_sql(f"ANALYZE {_quoted(TABLE)}")
    # As the triggers run it: as the connected role, so row-level security (a club) limits it to the rows it sees.
    connection.exec_driver_sql(
        f"SELECT {CREDIT_FUNCTION}(array_agg(DISTINCT contact_id)) FROM {_quoted(TABLE)} WHERE kind = 'reply'"
    )
