"""source date: when a contact's source put them in my network (LinkedIn's "Connected On" on import)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26

Plain ALTER TABLE ... ADD COLUMN, like 0005: a nullable column needs no table rebuild. `contact` has no
triggers today, but adding in place keeps it that way should one be added before this runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("contact", sa.Column("source_date", sa.Date(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite >= 3.35) keeps the table in place.
    op.drop_column("contact", "source_date")
