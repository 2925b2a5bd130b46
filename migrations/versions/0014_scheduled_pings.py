"""scheduled pings (issue 22): the deadline pings a platform holds and delivers even when leakbot is down
(Slack's chat.scheduleMessage), so replicas and restarts know what is scheduled, for which deadline and when

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduled_pings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("deadline_key", sa.String(length=80), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("space_id", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("post_at", UTCDateTime(), nullable=False),
        sa.Column("deadline_due_at", UTCDateTime(), nullable=False),
        sa.Column("external_id", sa.String(length=255), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=64), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_scheduled_pings_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_pings")),
        sa.UniqueConstraint(
            "incident_id",
            "platform",
            "deadline_key",
            "target",
            name=op.f("uq_scheduled_pings_incident_id_platform_deadline_key_target"),
        ),
    )
    with op.batch_alter_table("scheduled_pings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scheduled_pings_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_scheduled_pings_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scheduled_pings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scheduled_pings_state"))
        batch_op.drop_index(batch_op.f("ix_scheduled_pings_incident_id"))
    op.drop_table("scheduled_pings")
