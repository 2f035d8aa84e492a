"""questions: the question a hook inspires (hook.question) and the one a draft asked (draft.question)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

Plain ALTER TABLE ... ADD COLUMN, not batch_alter_table: a batch rebuild copies and renames the table,
and SQLite drops a table's triggers with it, which would lose the search-index triggers migration 0004
put on `hook`. Adding a nullable column keeps the table (and its triggers) as they are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("hook", sa.Column("question", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("draft", sa.Column("question", sqlmodel.sql.sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35) keeps the table, so 0004's triggers on `hook` survive.
    op.drop_column("draft", "question")
    op.drop_column("hook", "question")
