"""after a chat: the promises I made (`promise`), the advice given and the names suggested (on `interaction`)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26

`promise`: one row per thing I promised a contact, open until `done_on` is set; a dated one is due on `due` (This
week, `crm due`). It goes with its contact (ON DELETE CASCADE: `crm contact forget` needs nothing more) and outlives
its interaction (SET NULL). `ix_promise_open_due` (done_on, due) makes "open promises due by D" one index range.

`interaction.advice` and `interaction.suggested` are plain ALTER TABLE ... ADD COLUMN (no batch rebuild), so the
table and its triggers stay. The search index learns the two new fields: its rowid encoding widens from
`id * 4 + field` (0004) to `id * 8 + field`,

    field 0 notes, 1 takeaways, 2 next step, 3 advice, 4 suggested names (interaction), 7 hook text

so the triggers are made again and the index rebuilt from the tables (crm/search.py reads this encoding).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGER_NAMES = (
    "search_interaction_insert", "search_interaction_update", "search_interaction_delete",
    "search_hook_insert", "search_hook_update", "search_hook_delete",
)  # fmt: skip


def _triggers(*, slots: int, fields: dict[str, int], hook: int) -> dict[str, str]:
    """The six search-index triggers for an encoding `id * slots + field` (0004's, or this migration's)."""
    last = max(fields.values())
    entries = "\n".join(
        f"    INSERT INTO search_index (rowid, body) SELECT new.id * {slots} + {n}, new.{column}"
        f" WHERE new.{column} <> '';"
        for column, n in fields.items()
    )
    hook_entry = (
        f"    INSERT INTO search_index (rowid, body) SELECT new.id * {slots} + {hook}, new.text WHERE new.text <> '';"
    )
    columns = ", ".join(fields)
    return {
        "search_interaction_insert": f"""
CREATE TRIGGER search_interaction_insert AFTER INSERT ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN new.id * {slots} AND new.id * {slots} + {last};
{entries}
END""",
        "search_interaction_update": f"""
CREATE TRIGGER search_interaction_update AFTER UPDATE OF id, {columns} ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN old.id * {slots} AND old.id * {slots} + {last};
{entries}
END""",
        "search_interaction_delete": f"""
CREATE TRIGGER search_interaction_delete AFTER DELETE ON interaction BEGIN
    DELETE FROM search_index WHERE rowid BETWEEN old.id * {slots} AND old.id * {slots} + {last};
END""",
        "search_hook_insert": f"""
CREATE TRIGGER search_hook_insert AFTER INSERT ON hook BEGIN
    DELETE FROM search_index WHERE rowid = new.id * {slots} + {hook};
{hook_entry}
END""",
        "search_hook_update": f"""
CREATE TRIGGER search_hook_update AFTER UPDATE OF id, text ON hook BEGIN
    DELETE FROM search_index WHERE rowid = old.id * {slots} + {hook};
{hook_entry}
END""",
        "search_hook_delete": f"""
CREATE TRIGGER search_hook_delete AFTER DELETE ON hook BEGIN
    DELETE FROM search_index WHERE rowid = old.id * {slots} + {hook};
END""",
    }


def _rebuild(*, slots: int, fields: dict[str, int], hook: int) -> str:
    parts = [
        f"SELECT id * {slots} + {n}, {column} FROM interaction WHERE {column} <> ''" for column, n in fields.items()
    ]
    parts.append(f"SELECT id * {slots} + {hook}, text FROM hook WHERE text <> ''")
    return "INSERT INTO search_index (rowid, body)\n" + "\nUNION ALL ".join(parts)


NEW = {"slots": 8, "fields": {"notes": 0, "takeaways": 1, "next_step": 2, "advice": 3, "suggested": 4}, "hook": 7}
OLD = {"slots": 4, "fields": {"notes": 0, "takeaways": 1, "next_step": 2}, "hook": 3}  # migration 0004's


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _search_index_0004():
    """Migration 0004's module, for its PostgreSQL trigger functions (written once, for any encoding)."""
    import importlib.util
    from pathlib import Path

    path = next(Path(__file__).parent.glob("0004_*.py"))
    spec = importlib.util.spec_from_file_location("crm_migration_0004", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _reindex(encoding: dict) -> None:
    """Triggers for `encoding`, and the index rebuilt in it (the old triggers are dropped by the caller)."""
    if _on_postgresql():
        m0004 = _search_index_0004()
        for ddl in (*m0004.pg_functions(**encoding), *m0004.pg_triggers(encoding["fields"])):
            op.execute(ddl)
        op.execute("DELETE FROM search_index")
        op.execute(m0004.pg_rebuild(**encoding))
        return
    for ddl in _triggers(**encoding).values():
        op.execute(ddl)
    op.execute("DELETE FROM search_index")
    op.execute(_rebuild(**encoding))
    op.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")


def _drop_triggers() -> None:
    if _on_postgresql():
        for ddl in _search_index_0004().PG_DROP_TRIGGERS:
            op.execute(ddl)
        return
    for name in TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade() -> None:
    op.add_column("interaction", sa.Column("advice", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("interaction", sa.Column("suggested", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "promise",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("from_next_step", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_promise_contact_id", "promise", ["contact_id"], unique=False)
    op.create_index("ix_promise_open_due", "promise", ["done_on", "due"], unique=False)
    _drop_triggers()
    _reindex(NEW)


def downgrade() -> None:
    _drop_triggers()  # first: SQLite refuses to drop a column a trigger names
    op.drop_index("ix_promise_open_due", table_name="promise")
    op.drop_index("ix_promise_contact_id", table_name="promise")
    op.drop_table("promise")
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35) keeps the table.
    op.drop_column("interaction", "suggested")
    op.drop_column("interaction", "advice")
    _reindex(OLD)
