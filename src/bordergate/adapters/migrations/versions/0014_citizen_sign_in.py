"""Citizens sign in by phone: citizen profiles and sign-in codes (digests only) (issue 17).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('citizen_profiles',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('locale', sa.String(length=2), nullable=False),
    sa.Column('vneid_subject', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('phone'),
    sa.UniqueConstraint('vneid_subject')
    )
    op.create_table('sign_in_codes',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('code_digest', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=130), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_sign_in_codes_phone', 'sign_in_codes', ['phone', 'created_at'], unique=False)
    op.create_index('ix_sign_in_codes_address', 'sign_in_codes', ['address', 'created_at'], unique=False)
    op.create_index('ix_sign_in_codes_created', 'sign_in_codes', ['created_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_sign_in_codes_created', table_name='sign_in_codes')
    op.drop_index('ix_sign_in_codes_address', table_name='sign_in_codes')
    op.drop_index('ix_sign_in_codes_phone', table_name='sign_in_codes')
    op.drop_table('sign_in_codes')
    op.drop_table('citizen_profiles')
