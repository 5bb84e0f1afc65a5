"""An enterprise's contact phone: it is told when an agency holds one of its trips.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enterprise_contacts',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('enterprise_id')
    )


def downgrade() -> None:
    op.drop_table('enterprise_contacts')
