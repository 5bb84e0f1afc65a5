"""Report handling: assignments per unit, unit staff's phones, gate reports' trips, the escalated stage (issue 17).

Revision ID: 0016
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('reports', sa.Column('escalated_stage', sa.String(length=10), nullable=True))
    op.create_table('report_assignments',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=40), nullable=False),
    sa.Column('category_code', sa.String(length=40), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accept_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer_due', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_how', sa.String(length=20), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('overdue_stage', sa.String(length=10), nullable=True),
    sa.Column('escalated_stage', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.ForeignKeyConstraint(['unit_code'], ['units.code'], ),
    sa.PrimaryKeyConstraint('tracking_code', 'seq')
    )
    op.create_index('ix_report_assignments_unit', 'report_assignments', ['unit_code', 'ended_at', 'answer_due'],
                    unique=False)
    op.create_index('ix_report_assignments_assigned', 'report_assignments', ['assigned_at'], unique=False)
    op.create_table('unit_phones',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('since', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    op.create_table('report_trip_links',
    sa.Column('tracking_code', sa.String(length=24), nullable=False),
    sa.Column('crossing_point', sa.String(length=32), nullable=False),
    sa.Column('declaration_reference', sa.String(length=24), nullable=False),
    sa.Column('linked_by', sa.String(length=36), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tracking_code'], ['reports.tracking_code'], ),
    sa.PrimaryKeyConstraint('tracking_code')
    )
    # Reports filed before this revision get their current assignment as their first record.
    op.execute("INSERT INTO report_assignments (tracking_code, seq, unit_code, category_code, urgent, assigned_at, "
               "accept_due, answer_due, accepted_at, overdue_stage) SELECT tracking_code, 1, unit_code, "
               "category_code, assignment_urgent, assigned_at, accept_due, answer_due, accepted_at, overdue_stage "
               "FROM reports")


def downgrade() -> None:
    op.drop_table('report_trip_links')
    op.drop_table('unit_phones')
    op.drop_index('ix_report_assignments_assigned', table_name='report_assignments')
    op.drop_index('ix_report_assignments_unit', table_name='report_assignments')
    op.drop_table('report_assignments')
    with op.batch_alter_table('reports') as batch:
        batch.drop_column('escalated_stage')
