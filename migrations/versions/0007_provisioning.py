"""provisioning: the persisted sequence after a report

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'provisioning',
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('due_at', bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column('lease_until', bot.storage.types.UTCDateTime(), nullable=True),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.Column('space_name', sa.String(length=128), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('updated_at', bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_provisioning_incident_id_incidents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('incident_id', name=op.f('pk_provisioning')),
    )
    with op.batch_alter_table('provisioning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provisioning_stage'), ['stage'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('provisioning', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provisioning_stage'))
    op.drop_table('provisioning')
