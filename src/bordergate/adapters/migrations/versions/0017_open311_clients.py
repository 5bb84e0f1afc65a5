"""Open311 GeoReport v2: registered clients and the requests they posted (tokens); reports by filing time (issue 17).

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('open311_clients',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('key_digest', sa.String(length=64), nullable=False),
    sa.Column('trust', sa.String(length=10), nullable=False),
    sa.Column('per_minute', sa.Integer(), nullable=False),
    sa.Column('per_day', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_digest')
    )
    op.create_table('open311_tokens',
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=100), nullable=True),
    sa.Column('media_url', sa.String(length=500), nullable=True),
    sa.Column('posted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['client_id'], ['open311_clients.id'], ),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.PrimaryKeyConstraint('token'),
    sa.UniqueConstraint('tracking_code')
    )
    op.create_index('ix_open311_tokens_client_posted', 'open311_tokens', ['client_id', 'posted_at'], unique=False)
    op.create_index('ix_open311_tokens_device_posted', 'open311_tokens', ['client_id', 'device_id', 'posted_at'],
                    unique=False)
    op.create_index('ix_reports_filed_at', 'reports', ['filed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reports_filed_at', table_name='reports')
    op.drop_index('ix_open311_tokens_device_posted', table_name='open311_tokens')
    op.drop_index('ix_open311_tokens_client_posted', table_name='open311_tokens')
    op.drop_table('open311_tokens')
    op.drop_table('open311_clients')
