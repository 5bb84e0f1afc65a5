"""Evidence chain: hash chains over audit_log and plate_reads, sealed personal values, the security log, TRUNCATE refused.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 16:45:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from bordergate.adapters.sql.audit import seal, unseal
from bordergate.adapters.sql.chain import GENESIS, hashed_fields, row_hash
from bordergate.adapters.sql.schema import Moment

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
_EVIDENCE = ("audit_log", "plate_reads")

# The two tables as they stand at this revision, typed as the application reads them (aware UTC moments).
_audit = sa.table(
    "audit_log", sa.column("id", sa.BigInteger), sa.column("at", Moment), sa.column("actor", sa.String),
    sa.column("action", sa.String), sa.column("subject_type", sa.String), sa.column("subject_id", sa.String),
    sa.column("payload", _DOCUMENT), sa.column("seq", sa.BigInteger), sa.column("prev_hash", sa.String),
    sa.column("row_hash", sa.String))
_reads = sa.table(
    "plate_reads", *(sa.column(name, kind) for name, kind in (
        ("id", sa.String), ("camera_id", sa.String), ("camera_read_id", sa.String), ("checkpoint_id", sa.String),
        ("crossing_point", sa.String), ("checkpoint_kind", sa.String), ("direction", sa.String),
        ("source", sa.String), ("captured_at", Moment), ("received_at", Moment), ("actor", sa.String),
        ("plate_text", sa.String), ("read_as", sa.String), ("confidence", sa.Float), ("image_ref", sa.String),
        ("outcome", sa.String), ("reference", sa.String), ("role", sa.String), ("is_pass", sa.Boolean),
        ("decision", sa.String), ("reasons", _DOCUMENT), ("suggestions", _DOCUMENT),
        ("match_reasons", _DOCUMENT), ("corrects_read_id", sa.String), ("note", sa.String),
        ("seq", sa.BigInteger), ("prev_hash", sa.String), ("row_hash", sa.String))))
_personal = sa.table("audit_personal", sa.column("seq", sa.BigInteger), sa.column("token", sa.String),
                     sa.column("value", _DOCUMENT), sa.column("salt", sa.String), sa.column("owner", sa.String))
_heads = sa.table("chain_heads", sa.column("chain", sa.String), sa.column("seq", sa.BigInteger),
                  sa.column("row_hash", sa.String))


def upgrade() -> None:
    for table in _EVIDENCE:
        op.add_column(table, sa.Column('seq', sa.BigInteger(), nullable=True))
        op.add_column(table, sa.Column('prev_hash', sa.String(length=64), nullable=True))
        op.add_column(table, sa.Column('row_hash', sa.String(length=64), nullable=True))
        op.create_index(f'ux_{table}_seq', table, ['seq'], unique=True)
    op.add_column('declarations', sa.Column('personal_erased_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('chain_heads',
    sa.Column('chain', sa.String(length=16), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('row_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('chain')
    )
    op.create_table('audit_personal',
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('token', sa.String(length=40), nullable=False),
    sa.Column('value', _DOCUMENT, nullable=False),
    sa.Column('salt', sa.String(length=32), nullable=False),
    sa.Column('owner', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('seq', 'token')
    )
    op.create_index('ix_audit_personal_owner', 'audit_personal', ['owner'], unique=False)
    op.create_table('security_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_security_log_source_at', 'security_log', ['source', 'at'], unique=False)
    _append_only_triggers(off=True)
    _chain_existing_rows()
    _append_only_triggers(off=False)
    _refuse_truncate()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _EVIDENCE:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS evidence_refuses_truncate()")
    _append_only_triggers(off=True)
    _unseal_personal_values()
    _append_only_triggers(off=False)
    op.drop_index('ix_security_log_source_at', table_name='security_log')
    op.drop_table('security_log')
    op.drop_index('ix_audit_personal_owner', table_name='audit_personal')
    op.drop_table('audit_personal')
    op.drop_table('chain_heads')
    op.drop_column('declarations', 'personal_erased_at')
    # SQLite's DROP COLUMN refuses a column under a trigger only when the trigger names it; ours do not.
    for table in _EVIDENCE:
        op.drop_index(f'ux_{table}_seq', table_name=table)
        for column in ('row_hash', 'prev_hash', 'seq'):
            op.drop_column(table, column)


def _append_only_triggers(*, off: bool) -> None:
    """The rows written before this revision get their links by UPDATE, which the triggers refuse: switched off
    for this migration only, by the owner, in its transaction."""
    if op.get_bind().dialect.name == "postgresql":
        for table in _EVIDENCE:
            op.execute(f"ALTER TABLE {table} {'DISABLE' if off else 'ENABLE'} TRIGGER {table}_append_only")
        return
    for table in _EVIDENCE:
        for verb in ("UPDATE", "DELETE"):
            if off:
                op.execute(f"DROP TRIGGER {table}_no_{verb.lower()}")
            else:
                op.execute(f"""
                    CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                    BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""")


def _chain_existing_rows() -> None:
    """Seal the personal values already on the trail, then chain both tables in their order of writing."""
    bind = op.get_bind()
    audit_rows = [dict(r) for r in bind.execute(sa.select(_audit).order_by(_audit.c.id)).mappings()]
    updates, personal, prev = [], [], GENESIS
    for seq, row in enumerate(audit_rows, start=1):
        sealed, kept = seal(row)
        sealed["prev_hash"], sealed["seq"] = prev, seq
        sealed["row_hash"] = prev = row_hash("audit", hashed_fields(_audit, sealed), prev)
        updates.append({"key": row["id"], **{k: sealed[k] for k in (
            "subject_id", "payload", "seq", "prev_hash", "row_hash")}})
        personal += [{**value, "seq": seq} for value in kept]
    if updates:
        bind.execute(_audit.update().where(_audit.c.id == sa.bindparam("key")), updates)
    if personal:
        bind.execute(_personal.insert(), personal)
    heads = [{"chain": "audit", "seq": len(audit_rows), "row_hash": prev}]
    reads = [dict(r) for r in bind.execute(
        sa.select(_reads).order_by(_reads.c.received_at, _reads.c.id)).mappings()]
    updates, prev = [], GENESIS
    for seq, row in enumerate(reads, start=1):
        this = row_hash("plate_reads", hashed_fields(_reads, row), prev)
        updates.append({"key": row["id"], "seq": seq, "prev_hash": prev, "row_hash": this})
        prev = this
    if updates:
        bind.execute(_reads.update().where(_reads.c.id == sa.bindparam("key")), updates)
    bind.execute(_heads.insert(), [*heads, {"chain": "plate_reads", "seq": len(reads), "row_hash": prev}])


def _unseal_personal_values() -> None:
    """Before this revision personal values lived in the trail itself: put back those not erased."""
    bind = op.get_bind()
    known: dict[int, dict[str, object]] = {}
    for seq, token, value in bind.execute(sa.select(_personal.c.seq, _personal.c.token, _personal.c.value)):
        known.setdefault(seq, {})[token] = value
    rows = bind.execute(sa.select(_audit.c.id, _audit.c.seq, _audit.c.subject_id, _audit.c.payload)
                        .where(_audit.c.seq.in_(list(known)))).mappings() if known else []
    updates = [{"key": row["id"], "subject_id": unseal(row["subject_id"], known[row["seq"]]),
                "payload": unseal(row["payload"], known[row["seq"]])} for row in rows]
    if updates:
        bind.execute(_audit.update().where(_audit.c.id == sa.bindparam("key")), updates)


def _refuse_truncate() -> None:
    """Row triggers never see a TRUNCATE: a statement trigger refuses it too (SQLite has no TRUNCATE)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("""
        CREATE FUNCTION evidence_refuses_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '% is append-only: TRUNCATE is refused', TG_TABLE_NAME; END $$""")
    for table in _EVIDENCE:
        op.execute(f"""
            CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION evidence_refuses_truncate()""")
