"""look-alike reports (issue 22): incidents.merged_into (the surviving incident of a merged report),
provisioning.held_for / question / answer (a report held while the commander is asked whether it is the same
incident as an open one)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain columns (no foreign key): added in place on SQLite, no table rebuild; incidents are never deleted
    op.add_column("incidents", sa.Column("merged_into", sa.Integer(), nullable=True))
    op.create_index("ix_incidents_merged_into", "incidents", ["merged_into"])
    op.add_column("provisioning", sa.Column("held_for", sa.Integer(), nullable=True))
    op.add_column("provisioning", sa.Column("question", sa.String(length=48), nullable=True))
    op.add_column("provisioning", sa.Column("answer", sa.String(length=16), nullable=True))
    op.create_index("ix_provisioning_held_for", "provisioning", ["held_for"])


def downgrade() -> None:
    op.drop_index("ix_provisioning_held_for", table_name="provisioning")
    with op.batch_alter_table("provisioning") as batch:
        batch.drop_column("answer")
        batch.drop_column("question")
        batch.drop_column("held_for")
    op.drop_index("ix_incidents_merged_into", table_name="incidents")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("merged_into")
