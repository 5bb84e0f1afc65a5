"""Declaring: an enterprise's crossed trips and its refused checks found by index, not by reading all its trips.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 21:00:00.000000
"""
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_declarations_enterprise_status_submitted', 'declarations',
                    ['enterprise_id', 'status', 'submitted_at'])
    op.create_index('ix_agency_checks_status_decided', 'agency_checks', ['status', 'decided_at'])


def downgrade() -> None:
    op.drop_index('ix_agency_checks_status_decided', table_name='agency_checks')
    op.drop_index('ix_declarations_enterprise_status_submitted', table_name='declarations')
