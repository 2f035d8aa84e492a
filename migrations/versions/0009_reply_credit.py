"""reply credit stored on the reply: `interaction.replies_to_id` and `.days_to_reply`, kept by triggers

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26

`crm stats` credits each reply to the latest message I sent that contact before it (by date, then by the order they
were logged; crm.insights.replies). It used to find that by reading every message and reply in order at each run
(~11 ms of `crm stats` at 100k interactions); now each reply row holds it:

    replies_to_id   the message the reply is credited to (NULL: they wrote first; not a reply)
    days_to_reply   on a contact's first credited reply only: the days from my first message to them to it

so answered messages, the reply rate by template and the median days to reply are aggregates over indexes.

Triggers keep both columns right in the transaction of every write that can change them, whoever writes: `crm log`,
a merge (rows change contact), a restore or `crm db copy` (rows inserted), forgetting a contact (rows deleted), a raw
SQL import. Each recomputes the contacts a row change touches with the one rule (`recredit`: the same statements
fill every row here), on both engines: ~50 us per message or reply inserted at 100k interactions, nothing for the
other kinds (the triggers fire for messages and replies only). In a club (crm.club.schema) the triggers run as the
member, so row-level security limits them to the member's own interactions: each member's replies are credited to
their own messages.

`ix_interaction_replies_to_id` serves ON DELETE SET NULL and counting answered messages; `ix_interaction_days_to_reply`
(days_to_reply, date) reads the days without a table scan; `ix_interaction_kind_date` (kind, date) makes counts since
a date and the weekly trend index ranges. On SQLite the table is rebuilt both ways (batch mode: a reference added by
ALTER TABLE is not read back whole, and a column with one cannot be dropped), so 0008's search triggers, which go
with the old table, are made again; the search index itself is untouched (the rows keep their ids).
"""

from collections.abc import Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "('message', 'reply')"  # the kinds whose rows decide the credit

# The rule, for the replies of the contacts `{scope}` selects (a condition on `contact_id`). A reply is credited to
# the latest message before it; the contact's first credited reply gets the days since the contact's first message.
_CREDIT = """
UPDATE interaction SET replies_to_id = (
    SELECT m.id FROM interaction AS m
    WHERE m.kind = 'message' AND m.contact_id = interaction.contact_id
      AND (m.date < interaction.date OR (m.date = interaction.date AND m.id < interaction.id))
    ORDER BY m.date DESC, m.id DESC LIMIT 1)
WHERE kind = 'reply' AND {scope}"""
_DAYS = """
UPDATE interaction SET days_to_reply = CASE
    WHEN replies_to_id IS NULL THEN NULL
    WHEN EXISTS (
        SELECT 1 FROM interaction AS p
        WHERE p.kind = 'reply' AND p.contact_id = interaction.contact_id AND p.replies_to_id IS NOT NULL
          AND (p.date < interaction.date OR (p.date = interaction.date AND p.id < interaction.id))) THEN NULL
    ELSE {days} END
WHERE kind = 'reply' AND {scope}"""
_FIRST_MESSAGE = (
    "(SELECT min(m.date) FROM interaction AS m WHERE m.kind = 'message' AND m.contact_id = interaction.contact_id)"
)
SQLITE_DAYS = f"CAST(julianday(date) - julianday({_FIRST_MESSAGE}) AS INTEGER)"
PG_DAYS = f"date - {_FIRST_MESSAGE}"
# A row that stopped being a reply (its kind changed) keeps no credit.
_CLEAR = """
UPDATE interaction SET replies_to_id = NULL, days_to_reply = NULL
WHERE kind <> 'reply' AND (replies_to_id IS NOT NULL OR days_to_reply IS NOT NULL) AND {scope}"""


def recredit(scope: str, *, postgresql: bool) -> list[str]:
    """The statements that recompute the credit of the contacts `scope` selects ("true": every contact)."""
    days = PG_DAYS if postgresql else SQLITE_DAYS
    return [_CLEAR.format(scope=scope), _CREDIT.format(scope=scope), _DAYS.format(scope=scope, days=days)]


def _body(scope: str) -> str:
    return "\n".join(f"    {statement.strip()};" for statement in recredit(scope, postgresql=False))


SQLITE_TRIGGERS = {
    "reply_credit_insert": f"""
CREATE TRIGGER reply_credit_insert AFTER INSERT ON interaction WHEN new.kind IN {KINDS} BEGIN
{_body("contact_id = new.contact_id")}
END""",
    "reply_credit_update": f"""
CREATE TRIGGER reply_credit_update AFTER UPDATE OF contact_id, kind, date ON interaction
WHEN old.kind IN {KINDS} OR new.kind IN {KINDS} BEGIN
{_body("contact_id IN (old.contact_id, new.contact_id)")}
END""",
    "reply_credit_delete": f"""
CREATE TRIGGER reply_credit_delete AFTER DELETE ON interaction WHEN old.kind IN {KINDS} BEGIN
{_body("contact_id = old.contact_id")}
END""",
}


def _pg_body(scope: str) -> str:
    return "\n".join(f"    {statement.strip()};" for statement in recredit(scope, postgresql=True))


PG_FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION reply_credit(contacts integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{_pg_body("contact_id = ANY(contacts)")}
END
$$""",
    f"""
CREATE OR REPLACE FUNCTION reply_credit_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reply_credit(ARRAY[NEW.contact_id]);
    ELSIF TG_OP = 'DELETE' THEN
        IF OLD.kind IN {KINDS} THEN
            PERFORM reply_credit(ARRAY[OLD.contact_id]);
        END IF;
    ELSIF OLD.kind IN {KINDS} OR NEW.kind IN {KINDS} THEN
        PERFORM reply_credit(ARRAY[OLD.contact_id, NEW.contact_id]);
    END IF;
    RETURN NULL;
END
$$""",
]
PG_TRIGGERS = [
    f"CREATE TRIGGER reply_credit_insert AFTER INSERT ON interaction FOR EACH ROW WHEN (NEW.kind IN {KINDS})"
    " EXECUTE FUNCTION reply_credit_changed()",
    "CREATE TRIGGER reply_credit_change AFTER DELETE OR UPDATE OF contact_id, kind, date ON interaction"
    " FOR EACH ROW EXECUTE FUNCTION reply_credit_changed()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS reply_credit_insert ON interaction",
    "DROP TRIGGER IF EXISTS reply_credit_change ON interaction",
    "DROP FUNCTION IF EXISTS reply_credit_changed(), reply_credit(integer[])",
]

INDEXES = {
    "ix_interaction_replies_to_id": ["replies_to_id"],
    "ix_interaction_days_to_reply": ["days_to_reply", "date"],
    "ix_interaction_kind_date": ["kind", "date"],
}


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    postgresql = _on_postgresql()
    if postgresql:
        op.add_column("interaction", sa.Column("replies_to_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_interaction_replies_to_id", "interaction", "interaction", ["replies_to_id"], ["id"], ondelete="SET NULL"
        )
        op.add_column("interaction", sa.Column("days_to_reply", sa.Integer(), nullable=True))
    else:
        # A rebuild: SQLite adds a column with a reference only as a column constraint, which SQLAlchemy reads back
        # without its ON DELETE; the table's search triggers go with the old table and are made again.
        with _search_triggers_remade(), op.batch_alter_table("interaction", recreate="always") as batch:
            batch.add_column(sa.Column("replies_to_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("days_to_reply", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                "fk_interaction_replies_to_id", "interaction", ["replies_to_id"], ["id"], ondelete="SET NULL"
            )
    for name, columns in INDEXES.items():
        op.create_index(name, "interaction", columns, unique=False)
    for statement in recredit("true", postgresql=postgresql):
        op.execute(statement)
    if postgresql:
        for ddl in (*PG_FUNCTIONS, *PG_TRIGGERS):
            op.execute(ddl)
    else:
        for ddl in SQLITE_TRIGGERS.values():
            op.execute(ddl)


def _migration_0008():
    """Migration 0008's module, for the search triggers a rebuilt interaction table needs again."""
    import importlib.util
    from pathlib import Path

    path = next(Path(__file__).parent.glob("0008_*.py"))
    spec = importlib.util.spec_from_file_location("crm_migration_0008", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextmanager
def _search_triggers_remade():
    """Around a rebuild of `interaction` on SQLite: 0008's search triggers dropped first, then made again."""
    m0008 = _migration_0008()
    for name in m0008.TRIGGER_NAMES:  # on interaction and hook: made again together
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    yield
    for ddl in m0008._triggers(**m0008.NEW).values():
        op.execute(ddl)


def downgrade() -> None:
    postgresql = _on_postgresql()
    if postgresql:
        for ddl in PG_DROP:
            op.execute(ddl)
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for name in INDEXES:
        op.drop_index(name, table_name="interaction")
    if postgresql:
        op.drop_column("interaction", "days_to_reply")
        op.drop_column("interaction", "replies_to_id")  # its foreign key goes with it
        return
    # SQLite cannot drop a column with a reference: a rebuild.
    with _search_triggers_remade(), op.batch_alter_table("interaction", recreate="always") as batch:
        batch.drop_constraint("fk_interaction_replies_to_id", type_="foreignkey")
        batch.drop_column("days_to_reply")
        batch.drop_column("replies_to_id")
