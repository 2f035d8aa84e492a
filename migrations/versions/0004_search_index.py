"""search index: SQLite FTS5 over interaction notes, takeaways, next steps and hook text, kept in sync by triggers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

One standalone FTS5 table (it stores its own copy of the text, so snippets need no join) with one row
per non-empty text field. The rowid says where the text came from:

    rowid = source id * 4 + field    field 0 interaction.notes, 1 interaction.takeaways,
                                           2 interaction.next_step, 3 hook.text

so a trigger finds a row's entries by rowid range (fast), and a search joins back to the interaction
or hook, and from there to the contact, with no other bookkeeping (crm/search.py reads it this way).
The triggers run inside the writing statement, so the index changes in the same transaction as every
write, whichever code path makes it: the ORM, raw SQL, or a foreign-key cascade from a deleted contact.

Keep in mind: SQLite drops a table's triggers with the table, so a later migration that rebuilds
`interaction` or `hook` (batch_alter_table copies and renames) must create these triggers again.
tests/unit/test_search.py checks they exist at head.
"""

from collections.abc import Sequence

from alembic import op


revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# unicode61 with remove_diacritics 2: "Jose" finds "José". Every word searched is a prefix, so prefix
# indexes of 1, 2 and 3 characters keep the first keystrokes of a live filter ("p", "pl", "pla") fast:
# at 100k interactions a one-letter search took 20-40 ms without the 1-character index and 8 ms with
# it, for an index about 30% larger.
CREATE_TABLE = """
CREATE VIRTUAL TABLE search_index USING fts5(
    body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
)
"""

INTERACTION_ENTRIES = """
    INSERT INTO search_index (rowid, body) SELECT new.id * 4, new.notes WHERE new.notes <> '';
    INSERT INTO search_index (rowid, body) SELECT new.id * 4 + 1, new.takeaways WHERE new.takeaways <> '';
    INSERT INTO search_index (rowid, body) SELECT new.id * 4 + 2, new.next_step WHERE new.next_step <> '';
"""
HOOK_ENTRY = """
    INSERT INTO search_index (rowid, body) SELECT new.id * 4 + 3, new.text WHERE new.text <> '';
"""

# The insert triggers clear the new id's entries first: INSERT OR REPLACE deletes the row it replaces
# without firing delete triggers (unless recursive_triggers is on), which would leave its entries behind.
TRIGGERS = {
    "search_interaction_insert": f"""
CREATE TRIGGER search_interaction_insert AFTER INSERT ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN new.id * 4 AND new.id * 4 + 2;
{INTERACTION_ENTRIES}
END
""",
    "search_interaction_update": f"""
CREATE TRIGGER search_interaction_update AFTER UPDATE OF id, notes, takeaways, next_step ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN old.id * 4 AND old.id * 4 + 2;
{INTERACTION_ENTRIES}
END
""",
    "search_interaction_delete": """
CREATE TRIGGER search_interaction_delete AFTER DELETE ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN old.id * 4 AND old.id * 4 + 2;
END
""",
    "search_hook_insert": f"""
CREATE TRIGGER search_hook_insert AFTER INSERT ON hook BEGIN
    DELETE FROM search_index WHERE rowid = new.id * 4 + 3;
{HOOK_ENTRY}
END
""",
    "search_hook_update": f"""
CREATE TRIGGER search_hook_update AFTER UPDATE OF id, text ON hook BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
{HOOK_ENTRY}
END
""",
    "search_hook_delete": """
CREATE TRIGGER search_hook_delete AFTER DELETE ON hook BEGIN
    DELETE FROM search_index WHERE rowid = old.id * 4 + 3;
END
""",
}

# Existing databases: index what is already there, then merge the index into one segment.
REBUILD = """
INSERT INTO search_index (rowid, body)
          SELECT id * 4, notes FROM interaction WHERE notes <> ''
UNION ALL SELECT id * 4 + 1, takeaways FROM interaction WHERE takeaways <> ''
UNION ALL SELECT id * 4 + 2, next_step FROM interaction WHERE next_step <> ''
UNION ALL SELECT id * 4 + 3, text FROM hook WHERE text <> ''
"""


# -- PostgreSQL: the same index as a table with a tsvector column (GIN-indexed), kept by two trigger functions ------
#
# The same entries (`entry` is the rowid above) and the same words: punctuation becomes spaces before PostgreSQL's
# parser sees the text, so "playlist-loading", "maya@example.com" and "linkedin.com/in/x" are words, as unicode61
# makes them; the `crm_search` configuration lower-cases each (and drops accents through `unaccent`, where the
# server has that extension and lets us create it). crm/search.py queries it with to_tsquery's prefixes (:*).

PG_CONFIG = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent') THEN
        BEGIN
            CREATE EXTENSION unaccent;
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;  -- no accent folding: "Jose" then finds "Jose" only
        END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config AS c JOIN pg_namespace AS n ON n.oid = c.cfgnamespace
                   WHERE c.cfgname = 'crm_search' AND n.nspname = current_schema()) THEN
        CREATE TEXT SEARCH CONFIGURATION crm_search (COPY = pg_catalog.simple);
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'unaccent') THEN
            ALTER TEXT SEARCH CONFIGURATION crm_search
                ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart,
                                  hword_part, hword_numpart
                WITH unaccent, simple;
        END IF;
    END IF;
END
$$
"""

PG_CREATE_TABLE = """
CREATE TABLE search_index (
    entry bigint PRIMARY KEY,
    body text NOT NULL,
    words tsvector GENERATED ALWAYS AS (
        to_tsvector('crm_search', regexp_replace(body, '[[:punct:]]+', ' ', 'g'))
    ) STORED
)
"""
PG_CREATE_INDEX = "CREATE INDEX search_index_words ON search_index USING gin (words)"


def pg_functions(*, slots: int, fields: dict[str, int], hook: int) -> list[str]:
    """The two trigger functions for an encoding `id * slots + field` (also used by migration 0008)."""
    last = max(fields.values())
    entries = "\n".join(
        f"        INSERT INTO search_index (entry, body) SELECT NEW.id::bigint * {slots} + {n}, NEW.{column}"
        f" WHERE NEW.{column} <> '';"
        for column, n in fields.items()
    )
    return [
        f"""
CREATE OR REPLACE FUNCTION search_interaction_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE entry BETWEEN OLD.id::bigint * {slots} AND OLD.id::bigint * {slots} + {last};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM search_index WHERE entry BETWEEN NEW.id::bigint * {slots} AND NEW.id::bigint * {slots} + {last};
{entries}
    END IF;
    RETURN NULL;
END
$$""",
        f"""
CREATE OR REPLACE FUNCTION search_hook_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM search_index WHERE entry = OLD.id::bigint * {slots} + {hook};
    END IF;
    IF TG_OP <> 'DELETE' THEN
        DELETE FROM search_index WHERE entry = NEW.id::bigint * {slots} + {hook};
        INSERT INTO search_index (entry, body) SELECT NEW.id::bigint * {slots} + {hook}, NEW.text WHERE NEW.text <> '';
    END IF;
    RETURN NULL;
END
$$""",
    ]


def pg_triggers(fields: dict[str, int]) -> list[str]:
    return [
        f"CREATE TRIGGER search_interaction AFTER INSERT OR DELETE OR UPDATE OF id, {', '.join(fields)}"
        " ON interaction FOR EACH ROW EXECUTE FUNCTION search_interaction_sync()",
        "CREATE TRIGGER search_hook AFTER INSERT OR DELETE OR UPDATE OF id, text"
        " ON hook FOR EACH ROW EXECUTE FUNCTION search_hook_sync()",
    ]


PG_DROP_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_interaction ON interaction",
    "DROP TRIGGER IF EXISTS search_hook ON hook",
]


def pg_rebuild(*, slots: int, fields: dict[str, int], hook: int) -> str:
    parts = [f"SELECT id::bigint * {slots} + {n}, {column} FROM interaction WHERE {column} <> ''" for column, n in fields.items()]
    parts.append(f"SELECT id::bigint * {slots} + {hook}, text FROM hook WHERE text <> ''")
    return "INSERT INTO search_index (entry, body)\n" + "\nUNION ALL ".join(parts)


ENCODING = {"slots": 4, "fields": {"notes": 0, "takeaways": 1, "next_step": 2}, "hook": 3}


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if _on_postgresql():
        for ddl in (PG_CONFIG, PG_CREATE_TABLE, PG_CREATE_INDEX, *pg_functions(**ENCODING),
                    *pg_triggers(ENCODING["fields"]), pg_rebuild(**ENCODING)):  # fmt: skip
            op.execute(ddl)
        return
    op.execute(CREATE_TABLE)
    for ddl in TRIGGERS.values():
        op.execute(ddl)
    op.execute(REBUILD)
    op.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")


def downgrade() -> None:
    if _on_postgresql():
        for ddl in PG_DROP_TRIGGERS:
            op.execute(ddl)
        op.execute("DROP FUNCTION IF EXISTS search_interaction_sync(), search_hook_sync()")
        op.execute("DROP TABLE search_index")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS crm_search")
        return
    for name in reversed(TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE search_index")
