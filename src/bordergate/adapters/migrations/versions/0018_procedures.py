"""Public services: procedures catalogues searched by full text, allowance rules and uses (issue 17).

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-08 01:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def _document() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('procedure_catalogues',
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('document', _document(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('procedures',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('catalogue_version', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('agency', sa.String(length=200), nullable=False),
    sa.Column('document', _document(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    # The text is folded in Python first (unicode61 does not fold đ); each engine only finds candidates.
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("CREATE VIRTUAL TABLE procedures_fts USING fts5(code UNINDEXED, search_text, "
                   "tokenize='unicode61 remove_diacritics 2')")
    else:
        op.execute("CREATE INDEX ix_procedures_fts ON procedures USING gin (to_tsvector('simple', search_text))")
    op.create_table('allowance_rules',
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('in_force_from', sa.Date(), nullable=False),
    sa.Column('document', _document(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=36), nullable=False),
    sa.PrimaryKeyConstraint('version')
    )
    op.create_table('allowance_uses',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('resident_key', sa.String(length=64), nullable=False),
    sa.Column('crossing_point', sa.String(length=40), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('value_vnd', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('recorded_by', sa.String(length=36), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_allowance_uses_resident_day', 'allowance_uses', ['resident_key', 'day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_allowance_uses_resident_day', table_name='allowance_uses')
    op.drop_table('allowance_uses')
    op.drop_table('allowance_rules')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute("DROP TABLE procedures_fts")
    else:
        op.execute("DROP INDEX ix_procedures_fts")
    op.drop_table('procedures')
    op.drop_table('procedure_catalogues')
