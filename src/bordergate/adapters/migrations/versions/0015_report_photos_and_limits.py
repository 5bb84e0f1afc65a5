"""Filing from the phone: a report's photos, the abuse controls' rate counters and standings, filings remembered.

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-08 01:10:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_photos',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('bytes', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=80), nullable=False),
    sa.Column('thumb_key', sa.String(length=80), nullable=False),
    sa.Column('visibility', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.PrimaryKeyConstraint('tracking_code', 'seq')
    )
    op.create_table('report_rate_counters',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('span', sa.String(length=8), nullable=False),
    sa.Column('span_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'span')
    )
    op.create_table('reporter_standing',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('spam_marks', sa.Integer(), nullable=False),
    sa.Column('cap_percent', sa.Integer(), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('report_filings',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('reporter_key', sa.String(length=80), nullable=False),
    sa.Column('text_digest', sa.String(length=64), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tracking_code')
    )
    op.create_index('ix_report_filings_same', 'report_filings', ['reporter_key', 'text_digest', 'filed_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_report_filings_same', table_name='report_filings')
    op.drop_table('report_filings')
    op.drop_table('reporter_standing')
    op.drop_table('report_rate_counters')
    op.drop_table('report_photos')
