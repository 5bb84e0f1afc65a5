"""Tables that keep the evidence honest: chain heads, sealed personal values, and the bounded security log."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table

from bordergate.adapters.sql.schema import Document, Moment, metadata

# One row per hash chain (audit, plate_reads): the last link, locked FOR UPDATE by the writer that appends next,
# so that the chain stays a line under concurrent writers on PostgreSQL.
chain_heads = Table(
    "chain_heads", metadata,
    Column("chain", String(16), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("row_hash", String(64), nullable=False),
)

# The personal values of audit events, outside the append-only trail: the trail holds a salted digest of each
# (``sealed:<digest>``, part of the hash chain), this table the value and its salt. Erasing a person deletes
# their rows here; the chain still verifies, and a kept value still proves itself against its digest.
audit_personal = Table(
    "audit_personal", metadata,
    Column("seq", BigInteger, primary_key=True),  # the audit row's place in the chain
    Column("token", String(40), primary_key=True),
    Column("value", Document, nullable=False),
    Column("salt", String(32), nullable=False),
    Column("owner", String(120), nullable=False),
    Index("ix_audit_personal_owner", "owner"),
)

# Requests refused before anyone was authenticated (forged signatures): kept for the operators, bounded in rows
# and per source, never on the evidence tables a stranger must not be able to fill.
security_log = Table(
    "security_log", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", Moment, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("source", String(64), nullable=False),
    Column("detail", String(500), nullable=False),
    Index("ix_security_log_source_at", "source", "at"),
)
