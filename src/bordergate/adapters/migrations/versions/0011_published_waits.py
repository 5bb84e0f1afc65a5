"""Published waits: their range and urgent cargo's wait; a lane's trucks found by when they drove in.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 19:45:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_COLUMNS = ('expected_wait_low_minutes', 'expected_wait_high_minutes', 'urgent_wait_minutes')


def upgrade() -> None:
    with op.batch_alter_table('queue_snapshots') as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
    op.create_index('ix_bookings_lane_queued', 'bookings', ['crossing_point', 'direction', 'queued_at'])


def downgrade() -> None:
    op.drop_index('ix_bookings_lane_queued', table_name='bookings')
    with op.batch_alter_table('queue_snapshots') as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
