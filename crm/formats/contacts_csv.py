"""`crm export csv`: one row per contact, with their last interaction and next follow-up, for spreadsheets.

Safe to open in a spreadsheet: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be
read as a formula (CSV injection), so it gets a leading `'` (OWASP's advice), which spreadsheets show as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3

from crm.contacts.fields import CONTACT_FIELD_NAMES
from crm.contacts.reads import dormant_before, stage_sql
from crm.store.dialect import is_postgres, pg_ascii_lower

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# The profile fields (as declared once in crm.contacts.fields, so a new one appears here too), then what crm
# derives; notes, the longest, last.
PROFILE_COLUMNS = tuple(name for name in CONTACT_FIELD_NAMES if name != "notes")
COLUMNS = (
    "id", "name", *PROFILE_COLUMNS, "tags", "stage", "archived", "introduced_by",
    "last_interaction", "last_interaction_kind", "next_follow_up", "next_follow_up_reason", "notes",
)  # fmt: skip

_LAST = "(SELECT i.{column} FROM interaction AS i WHERE i.contact_id = c.id ORDER BY i.date DESC, i.id DESC LIMIT 1)"


def neutralise(value: object) -> str:
    """The cell's text, with a leading ' when a spreadsheet would take it for a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _rows_sql(*, postgres: bool) -> str:
    """Every contact's row. PostgreSQL spells the tag list with string_agg and needs SQLite's order of names asked
    for (pg_ascii_lower); the rest is the same statement."""
    profile = ", ".join(f"c.{name}" for name in PROFILE_COLUMNS)
    last_date = _LAST.format(column="date")
    if postgres:
        tags = (
            "(SELECT string_agg(t.tag, ', ' ORDER BY t.tag COLLATE \"C\") FROM contact_tag AS t"
            " WHERE t.contact_id = c.id)"
        )
        by_name = pg_ascii_lower("c.name")
    else:
        tags = (
            "(SELECT group_concat(tag, ', ') FROM"
            " (SELECT t.tag FROM contact_tag AS t WHERE t.contact_id = c.id ORDER BY t.tag))"
        )
        by_name = "lower(c.name)"
    return (
        f"SELECT c.id, c.name, {profile}, {tags},"
        f" {stage_sql('c.stage', last_date)}, c.archived, introducer.name,"
        f" {last_date}, {_LAST.format(column='kind')}, c.next_follow_up, c.next_follow_up_reason, c.notes"
        " FROM contact AS c LEFT JOIN contact AS introducer ON introducer.id = c.introduced_by_id"
        f" ORDER BY {by_name}, c.id"
    )


def contacts_csv(conn: sqlite3.Connection, *, today: dt.date) -> tuple[bytes, int]:
    """(the CSV as UTF-8 bytes with CRLF line ends and a header row, how many contacts) for every contact,
    archived ones included (marked in the `archived` column)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    archived_at = COLUMNS.index("archived")
    sql = _rows_sql(postgres=is_postgres(conn))
    for row in conn.execute(sql, {"quiet_since": dormant_before(today)}):
        cells = list(row)
        cells[archived_at] = "yes" if cells[archived_at] else "no"
        writer.writerow([neutralise(cell) for cell in cells])
        count += 1
    return out.getvalue().encode("utf-8"), count
