"""reminders keep their planned moment apart from the next try (retries no longer make twins)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('planned_at', bot.storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('deadline_seen_at', bot.storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_attempt_at', bot.storage.types.UTCDateTime(), nullable=True))
    # Existing rows: the best record of the planned moment is when they were to be tried next.
    op.execute('UPDATE reminders SET planned_at = due_at')
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column('planned_at', existing_type=bot.storage.types.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('last_attempt_at')
        batch_op.drop_column('deadline_seen_at')
        batch_op.drop_column('planned_at')
