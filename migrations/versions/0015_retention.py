"""retention and legal hold (issue 21): incidents.legal_hold (the commander's hold suspends the purge) and
incidents.purged_at (when the free text and the drafts were erased; the skeleton stays)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "incidents", sa.Column("legal_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("incidents", sa.Column("purged_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("legal_hold")
