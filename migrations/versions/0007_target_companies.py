"""target companies (`crm target add`), and two indexes for the insights' aggregates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26

`target`: the companies I am aiming at, one row each; `key` is the name casefolded with its spaces collapsed, so
`crm target add figma` after `crm target add Figma` finds the same row (the unique index makes that hold).

`ix_interaction_kind_contact_date` (kind, contact_id, date): `crm stats` counts interactions by kind and reads my
messages and their replies in (contact, date) order to credit each reply to its message (crm.insights.replies); with
this index those are range scans of a covering index, not reads of every interaction row with its notes.
`ix_contact_archived_stage` (archived, stage): contacts by stage without reading every contact row.
New indexes on existing tables: no rebuild, so the search-index triggers of 0004 stay in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_target_key", "target", ["key"], unique=True)
    op.create_index("ix_interaction_kind_contact_date", "interaction", ["kind", "contact_id", "date"], unique=False)
    op.create_index("ix_contact_archived_stage", "contact", ["archived", "stage"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_contact_archived_stage", table_name="contact")
    op.drop_index("ix_interaction_kind_contact_date", table_name="interaction")
    op.drop_index("ix_target_key", table_name="target")
    op.drop_table("target")
