"""Civic data as published versions; units named vi/en/zh with kind and commune; reports keep the versions.

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('civic_documents',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('in_force_from', sa.Date(), nullable=False),
    sa.Column('document', _DOCUMENT, nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('kind', 'version')
    )
    with op.batch_alter_table('units') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('name_vi', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('name_en', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('name_zh', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('commune_code', sa.String(length=40), nullable=True))
    # Reports filed before versions were kept were filed under the shipped data: version 1.
    with op.batch_alter_table('reports') as batch:
        batch.add_column(sa.Column('category_version', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('routing_version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('reports') as batch:
        batch.drop_column('routing_version')
        batch.drop_column('category_version')
    with op.batch_alter_table('units') as batch:
        for name in ('commune_code', 'name_zh', 'name_en', 'name_vi', 'kind'):
            batch.drop_column(name)
    op.drop_table('civic_documents')
