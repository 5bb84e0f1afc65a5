"""Citizens' reports: handling units, reports with their current unit's clocks, followers (issue 17).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 23:55:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('units',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=False),
    sa.Column('coordinating', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('reports',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('category_code', sa.String(length=40), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('never_public', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('reporter_user_id', sa.String(length=36), nullable=True),
    sa.Column('secret_digest', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('address_text', sa.String(length=300), nullable=True),
    sa.Column('commune_code', sa.String(length=20), nullable=True),
    sa.Column('place_source', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('attributes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
              nullable=False),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('filed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('rated_answer', sa.Integer(), nullable=False),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('transfer_count', sa.Integer(), nullable=False),
    sa.Column('duplicate_of', sa.String(length=24), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accept_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('assignment_urgent', sa.Boolean(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_since', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply_due', sa.DateTime(timezone=True), nullable=True),
    sa.Column('near_flagged_stage', sa.String(length=10), nullable=True),
    sa.Column('overdue_stage', sa.String(length=10), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['reporter_user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tracking_code')
    )
    op.create_index('ix_reports_unit_state', 'reports', ['unit_code', 'state'], unique=False)
    op.create_index('ix_reports_reporter', 'reports', ['reporter_user_id', 'filed_at'], unique=False)
    op.create_index('ix_reports_state_answered', 'reports', ['state', 'answered_at'], unique=False)
    op.create_index('ix_reports_state_due', 'reports', ['state', 'answer_due'], unique=False)
    op.create_index('ix_reports_near', 'reports', ['category_code', 'filed_at', 'lat', 'lon'], unique=False)
    op.create_table('report_followers',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('tracking_code', 'user_id')
    )


def downgrade() -> None:
    op.drop_table('report_followers')
    op.drop_index('ix_reports_near', table_name='reports')
    op.drop_index('ix_reports_state_due', table_name='reports')
    op.drop_index('ix_reports_state_answered', table_name='reports')
    op.drop_index('ix_reports_reporter', table_name='reports')
    op.drop_index('ix_reports_unit_state', table_name='reports')
    op.drop_table('reports')
    op.drop_table('units')
