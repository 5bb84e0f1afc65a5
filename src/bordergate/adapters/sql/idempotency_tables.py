"""The table of Idempotency-Keys: each key's request fingerprint, its state, what it changed and its first answer."""
from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from bordergate.adapters.sql.schema import Document, Moment, metadata

# One row per (sender, method, path, key), under a digest of the four so any path length fits one short key.
# ``effects`` is written in the transaction of the change itself; ``status``/``headers``/``body`` once answered.
idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("id", String(64), primary_key=True),
    Column("scope", String(80), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", String(500), nullable=False),
    Column("key", String(128), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("claim", String(36), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("running_until", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("effects", Document),
    Column("status", Integer),
    Column("headers", Document),
    Column("body", Text),
    Index("ix_idempotency_keys_expires_at", "expires_at"),
)
