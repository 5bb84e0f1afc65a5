"""Questionnaires weeks after a report's answer; followers found by who follows (issue 17).

Revision ID: 0020
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_questionnaires',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('token_digest', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fixed', sa.String(length=10), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.PrimaryKeyConstraint('tracking_code'),
    sa.UniqueConstraint('token_digest')
    )
    op.create_index('ix_report_followers_user', 'report_followers', ['user_id', 'since'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_report_followers_user', table_name='report_followers')
    op.drop_table('report_questionnaires')
