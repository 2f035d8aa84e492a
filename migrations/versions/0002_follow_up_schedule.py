"""follow-up schedule: stored next follow-up per contact (indexed), explicit and done dates, meta table

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_follow_up", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_follow_up_reason", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("next_follow_up_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_note", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_after_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_key", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column("done_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("done_through_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_contact_next_follow_up"), ["next_follow_up"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_next_follow_up"))
        batch_op.drop_column("done_through_id")
        batch_op.drop_column("done_on")
        batch_op.drop_column("follow_up_key")
        batch_op.drop_column("follow_up_after_id")
        batch_op.drop_column("follow_up_note")
        batch_op.drop_column("follow_up_on")
        batch_op.drop_column("next_follow_up_key")
        batch_op.drop_column("next_follow_up_reason")
        batch_op.drop_column("next_follow_up")

    op.drop_table("meta")
