"""Empty returns: a return trip declared with the outbound one is linked to it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 19:30:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('trip_links',
    sa.Column('outbound_reference', sa.String(length=24), nullable=False),
    sa.Column('return_reference', sa.String(length=24), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['outbound_reference'], ['declarations.reference'], ),
    sa.ForeignKeyConstraint(['return_reference'], ['declarations.reference'], ),
    sa.PrimaryKeyConstraint('outbound_reference'),
    sa.UniqueConstraint('return_reference')
    )


def downgrade() -> None:
    op.drop_table('trip_links')
