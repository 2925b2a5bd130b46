"""drills (issue 14): incidents.drill (NULL for a real incident) and a series per reference counter
(LEAK, DRILL), so a drill never consumes a LEAK- number

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("drill", sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table("reference_counters", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series", sa.String(length=16), nullable=False, server_default="LEAK"))
        batch_op.drop_constraint("pk_reference_counters", type_="primary")
        batch_op.create_primary_key("pk_reference_counters", ["series", "year"])


def downgrade() -> None:
    op.execute("DELETE FROM reference_counters WHERE series <> 'LEAK'")
    with op.batch_alter_table("reference_counters", schema=None) as batch_op:
        batch_op.drop_constraint("pk_reference_counters", type_="primary")
        batch_op.create_primary_key("pk_reference_counters", ["year"])
        batch_op.drop_column("series")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("drill")
