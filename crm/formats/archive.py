"""The lossless JSON export (`crm export json`) and `crm restore`: every row of every table, and back.

Layout (format version 1)::

    {
      "format": "crm",                 # what this file is
      "format_version": 1,             # bumped only when the layout changes; restore refuses newer ones
      "exported_at": "2026-11-25T18:02:11+00:00",
      "crm_version": "0.1.0",
      "schema_revision": "0005",       # the database's migration when exported (information)
      "settings": {...},               # config.toml's follow-up settings in force (information: not restored)
      "me": [{"id": 1, "name": ...}],  # then one list per table, rows in primary-key order,
      "projects": [...],               # each row an object of that table's columns
      "contacts": [...],               # (schedule fields included),
      "tags": [{"contact_id": 1, "tag": "mit"}, ...],
      "hooks": [...], "interactions": [...], "promises": [...], "drafts": [...],
      "meta": [{"key": ..., "value": ...}]   # incl. the fingerprint of the settings the schedule was computed with
    }

The columns come from the table definitions (SQLModel metadata), not from a list here: a migration that adds a
column adds it to the export, and restore fills a column missing from an older file with its default (or
null). Derived columns (DERIVED: the reply credit of migration 0009) are neither exported nor read: the database's
triggers compute them again once the rows are restored (once per contact: crm.store.bulk), so the format does not
change with them. A table with no name below is exported under its table name. Dates are `YYYY-MM-DD`, timestamps
ISO 8601 in UTC. The full-text search index is not exported: the triggers rebuild it as rows are restored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from crm.errors import CrmError

if TYPE_CHECKING:
    from sqlalchemy import Column, Table
    from sqlmodel import Session

    from crm.store.store import Store

FORMAT = "crm"
FORMAT_VERSION = 1

# Table -> section name in the file, in a reader's order; tables not named here keep their table name.
SECTIONS = {
    "me": "me",
    "project": "projects",
    "contact": "contacts",
    "contact_tag": "tags",
    "hook": "hooks",
    "interaction": "interactions",
    "promise": "promises",
    "draft": "drafts",
    "meta": "meta",
}
INFO_KEYS = ("format", "format_version", "exported_at", "crm_version", "schema_revision", "settings")

# Columns the database derives from other rows (migration 0009's triggers keep them): not part of the format.
DERIVED = {"interaction": frozenset({"replies_to_id", "days_to_reply"})}

# Uniqueness the application keeps (not the database): one contact per email, and per LinkedIn URL.
APP_UNIQUE = {"contact": (("email",), ("linkedin_url",))}

_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def tables() -> list[Table]:
    """Every table of the schema, parents before children (the order rows can be inserted in)."""
    from sqlmodel import SQLModel

    import crm.models  # noqa: F401  (registers the tables)

    return list(SQLModel.metadata.sorted_tables)


def columns_of(table: Table) -> list[Column]:
    """The table's columns the file holds: all but the derived ones."""
    derived = DERIVED.get(table.name, frozenset())
    return [column for column in table.columns if column.name not in derived]


def section_of(table: Table) -> str:
    return SECTIONS.get(table.name, table.name)


def _ordered(found: list[Table]) -> list[Table]:
    """The file's order: the named sections first, as listed, then any others."""
    rank = {name: i for i, name in enumerate(SECTIONS)}
    return sorted(found, key=lambda t: (rank.get(t.name, len(rank)), t.name))


# ---------------------------------------------------------------- export


def _to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def export_archive(session: Session, *, settings: dict | None = None, now: dt.datetime | None = None) -> dict:
    """Everything in the database as one JSON-ready dict, read in one transaction (a consistent snapshot)."""
    from sqlalchemy import select

    from crm import __version__

    if session.get_bind().dialect.name == "postgresql":  # one snapshot for every table, as SQLite's read gives
        connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    else:
        connection = session.connection()
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        "crm_version": __version__,
        "schema_revision": revision,
        "settings": settings or {},
    }
    for table in _ordered(tables()):
        columns = columns_of(table)
        statement = select(*columns).order_by(*table.primary_key.columns)
        data[section_of(table)] = [
            {column.name: _to_json_value(value) for column, value in zip(columns, row, strict=True)}
            for row in connection.execute(statement)
        ]
    return data


def dumps(data: dict) -> bytes:
    """The file's bytes: UTF-8, one key per line (diffable), ending in a newline."""
    return (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def counts(data: dict) -> str:
    """'14 contacts, 45 interactions, ..., 1 project' for the command's summary line."""
    shown = ("contacts", "interactions", "hooks", "drafts", "projects")
    return ", ".join(_counted(len(data.get(name) or []), name) for name in shown)


def _counted(count: int, section: str) -> str:
    """'1 project', '2 projects': every section's name is its plural in -s."""
    return f"{count} {section if count != 1 else section.removesuffix('s')}"


# ---------------------------------------------------------------- reading a file


def loads(raw: bytes, *, source: str) -> Any:
    """The JSON in `raw`; CrmError naming the place of a syntax error."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CrmError(
            f"{source} is not UTF-8 text (byte {exc.start}): give a file made by `crm export json`"
        ) from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise CrmError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}): "
            "give a file made by `crm export json`"
        ) from None
    except RecursionError:
        raise CrmError(f"{source} nests too deeply to be a crm export") from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits
        raise CrmError(f"{source} is not valid JSON ({exc}): give a file made by `crm export json`") from None


def _no_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not allowed", name, 0)


# ---------------------------------------------------------------- validating


class _Bad(CrmError):
    pass


def _bad(path: str, message: str) -> _Bad:
    return _Bad(f"{path}: {message}")


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _python_type(column: Column) -> type | None:
    """The Python type a column holds, seen through TypeDecorators (AutoString, UTCDateTime), which say `object`."""
    from sqlalchemy.types import TypeDecorator

    kind = column.type
    while isinstance(kind, TypeDecorator):
        kind = getattr(kind, "impl_instance", None) or kind.impl
    try:
        found = kind.python_type
    except NotImplementedError:
        return None
    return None if found is object else found


def _column_value(column: Column, value: Any, path: str) -> Any:
    """The value to insert for `column`, from the file's JSON value; _Bad naming `path` if it does not fit."""
    if value is None:
        if not column.nullable:
            raise _bad(path, "must not be null")
        return None
    kind = _python_type(column)
    if kind is bool:
        if not isinstance(value, bool):
            raise _bad(path, f"expected true or false, got {_describe(value)}")
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(path, f"expected a whole number, got {_describe(value)}")
        if not _INT_MIN <= value <= _INT_MAX:
            raise _bad(path, f"{value} is out of range")
        return value
    if kind is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _bad(path, f"expected a number, got {_describe(value)}")
        return value
    if kind is str:
        if not isinstance(value, str):
            raise _bad(path, f"expected text, got {_describe(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _bad(path, "is not valid Unicode text (a lone surrogate)") from None
        return value
    if kind is dt.datetime:
        if not isinstance(value, str):
            raise _bad(path, f"expected a timestamp like 2026-11-25T18:02:11+00:00, got {_describe(value)}")
        try:
            stamp = dt.datetime.fromisoformat(value)
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=dt.UTC)
            return stamp.astimezone(dt.UTC)
        except (ValueError, OverflowError):
            raise _bad(path, f"{value!r} is not a timestamp like 2026-11-25T18:02:11+00:00") from None
    if kind is dt.date:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise _bad(path, f"expected a date like 2026-11-25, got {_describe(value)}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _bad(path, f"{value!r} is not a real date") from None
    if isinstance(value, list | dict):  # a column type this module does not know: scalars only
        raise _bad(path, f"expected a single value, got {_describe(value)}")
    return value


def _default(column: Column) -> Any:
    default = column.default
    if default is None:
        return None
    if getattr(default, "is_callable", False):
        return default.arg(None)  # SQLAlchemy wraps a column default's function to take an (unused) context
    return getattr(default, "arg", None)


def _required(column: Column) -> bool:
    return not column.nullable and column.default is None


@dataclass
class Archive:
    """A validated file: per table, the rows to insert (every column present, values as Python types)."""

    rows: dict[str, list[dict]]
    format_version: int

    def count(self, table: str) -> int:
        return len(self.rows.get(table, ()))


def _row_label(section: str, index: int) -> str:
    return f"{section}[{index}]"


def _unique_sets(table: Table) -> list[tuple[str, ...]]:
    from sqlalchemy import UniqueConstraint

    sets = [tuple(c.name for c in table.primary_key.columns)]
    sets += [tuple(c.name for c in con.columns) for con in table.constraints if isinstance(con, UniqueConstraint)]
    sets += [tuple(c.name for c in index.columns) for index in table.indexes if index.unique]
    sets += list(APP_UNIQUE.get(table.name, ()))
    return [s for s in dict.fromkeys(sets) if s]


def validate(data: Any, *, source: str = "the file") -> Archive:
    """Check a parsed file against the schema: its version, every section, row, type and reference.

    CrmError for the first problem, naming its path (`contacts[3].email: expected text, got the number 42`).
    """
    if not isinstance(data, dict):
        raise CrmError(f"{source} is not a crm export: expected a JSON object, got {_describe(data)}")
    if data.get("format") != FORMAT:
        raise CrmError(f'{source} is not a crm export (no "format": "crm"): give a file made by `crm export json`')
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise _bad("format_version", f"expected a whole number, got {_describe(version)}")
    if version > FORMAT_VERSION:
        raise CrmError(
            f"{source} was written by a newer crm (format version {version}; this crm reads up to "
            f"{FORMAT_VERSION}): upgrade crm to restore it"
        )
    if version < 1:
        raise _bad("format_version", f"{version} is not a crm format version (1 to {FORMAT_VERSION})")

    known = {section_of(t): t for t in tables()}
    for key in data:
        if key not in known and key not in INFO_KEYS:
            raise _bad(key, f"unknown section (this crm knows {', '.join(known)}): was it written by a newer crm?")
    settings = data.get("settings")
    if settings is not None and not isinstance(settings, dict):
        raise _bad("settings", f"expected an object, got {_describe(settings)}")

    rows: dict[str, list[dict]] = {}
    keys: dict[tuple[str, str], set] = {}  # (table, column) -> values present, for references
    names: dict[Any, str] = {}  # contact id -> name, to say whose value is too long
    for table in tables():  # parents before children
        section = section_of(table)
        given = data.get(section, [])
        if given is None:
            given = []
        if not isinstance(given, list):
            raise _bad(section, f"expected a list of rows, got {_describe(given)}")
        checked = [_check_row(table, section, index, row) for index, row in enumerate(given)]
        if table.name == "contact":
            names = {row["id"]: row["name"] for row in checked}
        _check_lengths(table, section, checked, names, source=source)
        _check_unique(table, section, checked)
        for column in columns_of(table):
            keys[(table.name, column.name)] = {row[column.name] for row in checked}
        _check_references(table, section, checked, keys)
        rows[table.name] = checked
    return Archive(rows=rows, format_version=version)


def _check_row(table: Table, section: str, index: int, row: Any) -> dict:
    label = _row_label(section, index)
    if not isinstance(row, dict):
        raise _bad(label, f"expected an object (one {table.name} row), got {_describe(row)}")
    columns = {column.name: column for column in columns_of(table)}
    for name in row:
        if name not in columns:
            raise _bad(f"{label}.{name}", f"unknown field of {table.name}: was the file written by a newer crm?")
    values = {}
    for name, column in columns.items():
        path = f"{label}.{name}"
        if name in row:
            values[name] = _column_value(column, row[name], path)
        elif _required(column):
            raise _bad(path, "missing (required)")
        else:
            values[name] = _default(column)
    return values


def _check_lengths(table: Table, section: str, rows: list[dict], names: dict[Any, str], *, source: str) -> None:
    """Every value no longer than crm takes for its kind (crm.contacts.fields.LIMITS), as the CLI and the app do, so
    a file or a database made before those limits (or by hand) goes into either engine or neither."""
    from crm.contacts.fields import COLUMN_KINDS, too_long

    kinds = COLUMN_KINDS.get(table.name, {})
    for index, row in enumerate(rows):
        for column, kind in kinds.items():
            value = row.get(column)
            reason = too_long(value, kind) if isinstance(value, str) else None
            if reason is None:
                continue
            owner = row.get("id") if table.name == "contact" else row.get("contact_id")
            name = str(names.get(owner))
            shown = name if len(name) <= 40 else name[:37] + "..."
            whose = f" (contact #{owner} {shown!r})" if owner in names else ""
            raise _bad(
                f"{_row_label(section, index)}.{column}{whose}", f"{reason}; shorten it in {source}, then try again"
            )


def _check_unique(table: Table, section: str, rows: list[dict]) -> None:
    for names in _unique_sets(table):
        seen: dict[tuple, int] = {}
        for index, row in enumerate(rows):
            value = tuple(row[name] for name in names)
            if any(part is None for part in value):
                continue
            if value in seen:
                shown = ", ".join(f"{name} {row[name]!r}" for name in names)
                raise _bad(
                    f"{_row_label(section, index)}.{names[0]}",
                    f"{shown} repeats {_row_label(section, seen[value])}: each must be unique",
                )
            seen[value] = index


def _check_references(table: Table, section: str, rows: list[dict], keys: dict[tuple[str, str], set]) -> None:
    for column in columns_of(table):
        for foreign in column.foreign_keys:
            target = foreign.column
            present = keys.get((target.table.name, target.name), set())
            for index, row in enumerate(rows):
                value = row[column.name]
                if value is not None and value not in present:
                    raise _bad(
                        f"{_row_label(section, index)}.{column.name}",
                        f"no {section_of(target.table)} row has {target.name} {value!r} in the file",
                    )


# ---------------------------------------------------------------- restoring


def _is_blank_me(row: Iterable, names: list[str]) -> bool:
    return all(value is None for name, value in zip(names, row, strict=True) if name != "id")


class Filled(NamedTuple):
    """What a database that is not empty holds first: a section of the file and its rows (the profile: none)."""

    section: str
    count: int = 0

    def __str__(self) -> str:
        return "your profile (crm me)" if self.section == "me" else _counted(self.count, self.section)


def database_is_empty(session: Session) -> Filled | None:
    """None when there is nothing to overwrite; else what is there (shown as '14 contacts')."""
    from sqlalchemy import func, select

    connection = session.connection()
    for table in tables():
        if table.name == "meta":  # bookkeeping (the schedule's settings fingerprint): replaced by the file's
            continue
        if table.name == "me":
            names = [c.name for c in table.columns]
            if all(_is_blank_me(row, names) for row in connection.execute(select(*table.columns))):
                continue
            return Filled("me")
        found = connection.execute(select(func.count()).select_from(table)).scalar()
        if found:
            return Filled(section_of(table), found)
    return None


def restore_archive(session: Session, archive: Archive, *, target: str = "the database") -> None:
    """Insert every row of a validated file into an empty database, in the caller's transaction.

    CrmError if the database holds anything (restore never merges). Foreign keys are checked at commit
    (`defer_foreign_keys`), so rows may refer to later rows of their own table. The reply credit is computed once per
    contact after the rows are in, not per row (crm.store.bulk).
    """
    from sqlalchemy import delete

    from crm.store.bulk import reply_credit_once

    existing = database_is_empty(session)
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if existing is not None:  # a server's database may be others' too: never advise starting it afresh
        elsewhere = (
            "a new file or an empty database" if postgres else "a new file, or back this one up and start afresh"
        )
        raise CrmError(
            f"{target} is not empty (it has {existing}): restore only fills an empty database; "
            f"use --db with {elsewhere}"
        )
    if not postgres:
        connection.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    by_name = {table.name: table for table in tables()}
    for name in ("me", "meta"):  # a blank profile row, and the empty database's own bookkeeping
        if name in by_name:
            connection.execute(delete(by_name[name]))
    try:
        with reply_credit_once(connection):  # each contact credited once, not once per message or reply restored
            _insert_rows(connection, archive, postgres=postgres)
    except CrmError:
        raise
    except Exception as exc:  # crediting the restored history (e.g. a trigger of one's own on the credit columns)
        _refuse_rows(exc, section_of(by_name["interaction"]))
    if postgres:
        _continue_ids(connection)
    else:
        problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise CrmError(f"the file's rows break {len(problems)} references: nothing was restored")
    session.expire_all()


def _insert_rows(connection, archive: Archive, *, postgres: bool) -> None:
    for table in tables():
        rows = archive.rows.get(table.name) or []
        if rows:
            try:
                if postgres:
                    _insert_checked_at_once(connection, table, rows)
                else:
                    connection.execute(table.insert(), rows)
            except Exception as exc:
                _refuse_rows(exc, section_of(table))


def _insert_checked_at_once(connection, table: Table, rows: list[dict]) -> None:
    """PostgreSQL checks each reference as the row goes in (crm's foreign keys are not deferrable), so a column
    naming a row of its own table (contact.introduced_by_id) is filled in once every row of the table is there."""
    from sqlalchemy import bindparam

    derived = DERIVED.get(table.name, frozenset())
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table and fk.parent.name not in derived]
    if not own:
        connection.execute(table.insert(), rows)
        return
    connection.execute(table.insert(), [{**row, **dict.fromkeys(own)} for row in rows])
    [key] = [column.name for column in table.primary_key.columns]
    later = [row for row in rows if any(row.get(name) is not None for name in own)]
    if later:
        update = table.update().where(table.c[key] == bindparam("_key"))
        connection.execute(
            update.values({name: bindparam(name) for name in own}),
            [{"_key": row[key], **{name: row.get(name) for name in own}} for row in later],
        )


def _continue_ids(connection) -> None:
    """After rows came in with their ids, each id sequence continues past the largest (PostgreSQL's sequences do not
    look at the rows; SQLite's next rowid does).

    Every sequence a column of this schema owns, found in the catalog rather than from the models: in a club
    (crm.club) `contact` is a view over `club_contact`, which owns the ids. A sequence is never moved back: under a
    club's row-level security a member's max(id) leaves out the other members' rows, and there a member moves it
    through the club's forward-only function, not setval."""
    from crm.club import ADVANCE_SEQUENCE

    owned = connection.exec_driver_sql(
        "SELECT seq.relname, tab.relname, col.attname FROM pg_depend AS dep"
        " JOIN pg_class AS seq ON seq.oid = dep.objid AND seq.relkind = 'S'"
        " JOIN pg_class AS tab ON tab.oid = dep.refobjid"
        " JOIN pg_attribute AS col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid"
        " WHERE dep.deptype IN ('a', 'i') AND tab.relnamespace = current_schema()::regnamespace"
    ).all()
    in_club = connection.exec_driver_sql(
        f"SELECT to_regprocedure('{ADVANCE_SEQUENCE}(regclass, bigint)') IS NOT NULL"
    ).scalar()
    for sequence, table, column in owned:
        top = connection.exec_driver_sql(f'SELECT max("{column}") FROM "{table}"').scalar()
        if top is None:
            continue
        advance = (
            f"{ADVANCE_SEQUENCE}(%(sequence)s, %(top)s)"
            if in_club
            else ("setval(%(sequence)s, greatest(%(top)s, coalesce(pg_sequence_last_value(%(sequence)s), 0)), true)")
        )
        connection.exec_driver_sql(f"SELECT {advance}", {"sequence": f'"{sequence}"', "top": top})


def _refuse_rows(exc: Exception, section: str) -> None:
    """A constraint the checks above do not know of: one line and a rollback, never a traceback.
    Busy or unwritable databases go on to the Store's own message."""
    from sqlalchemy.exc import DBAPIError, IntegrityError, StatementError

    if isinstance(exc, IntegrityError) or (isinstance(exc, StatementError) and not isinstance(exc, DBAPIError)):
        cause = getattr(exc, "orig", None) or exc
        detail = str(cause).splitlines()[0] if str(cause) else type(cause).__name__
        raise CrmError(f"{section}: the rows cannot be restored ({detail}): nothing was written") from None
    raise exc


# ---------------------------------------------------------------- copying a whole database (`crm db copy`)


def copy_database(source: Store, target: Store) -> str:
    """Copy every row of `source` into the empty database `target` (either a SQLite file or a PostgreSQL URL) through
    this file's JSON round trip, so a copy holds exactly what `crm export json` then `crm restore` would give.

    CrmError, with nothing written, when the source does not exist or holds no crm database, when both are the same
    database, or when the target holds anything. A SQLite target file that did not exist is removed again if the
    copy fails. Returns the summary of what was copied ('14 contacts, 45 interactions, ...')."""
    _check_copy(source, target)
    with source.open().orm() as session:
        data = export_archive(session)
    archive = validate(loads(dumps(data), source=source.location), source=source.location)
    created = target.url is None and not target.checked_path().exists()
    try:
        with target.write() as session:
            _refuse_a_filled_target(session, source, target)
            restore_archive(session, archive, target=target.location)
    except BaseException:
        target.close()
        if created:
            _remove_database_file(target.checked_path())
        raise
    return counts(data)


def _refuse_a_filled_target(session: Session, source: Store, target: Store) -> None:
    """`db copy` never merges: CrmError when the target holds anything, saying what to do instead. Never "start
    afresh": a server's database may be a club's, shared with others."""
    from crm.club import is_club
    from crm.store.db import raw_connection

    existing = database_is_empty(session)
    if existing is None:
        return
    if existing.section == "contacts" and is_club(raw_connection(session)):
        raise CrmError(
            f"{target.location} is a club database that already has alumni ({existing}): moving a personal database "
            "into a club that already has alumni is not supported, and `crm db copy` changed nothing; add your "
            f"contacts with `crm import vcard DIR` (after `crm --db {source.location} export vcard DIR`) or "
            "`crm import linkedin`, which match the people already there"
        )
    instead = "a new file" if target.url is None else "a new, empty database"
    raise CrmError(
        f"{target.location} is not empty (it has {existing}): `crm db copy` only fills an empty database and never "
        f"merges; copy into {instead} instead; nothing was copied"
    )


def _check_copy(source: Store, target: Store) -> None:
    import os

    from crm.store.db import check_database_path, url_revision

    if source.url is not None:
        if url_revision(source.url) is None:
            raise CrmError(f"{source.location} holds no crm database: nothing to copy")
    elif not check_database_path(source.checked_path()):
        raise CrmError(f"{source.location} does not exist: nothing to copy")
    if source.url is not None and source.url == target.url:
        raise CrmError(f"{source.location} is both the source and the destination: copy into another database")
    if target.url is None and source.url is None:
        there = target.checked_path()
        if there.exists() and os.path.samefile(source.checked_path(), there):
            raise CrmError(f"{source.location} is both the source and the destination: copy into another database")


def _remove_database_file(path) -> None:
    from contextlib import suppress

    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(OSError):
            leftover.unlink()
