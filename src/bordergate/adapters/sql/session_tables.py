"""The tables of sign-in sessions and of sign-in throttling (shared by every server process)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

# One row per sign-in: read by primary key on every request, so the check costs one indexed read.
sessions = Table(
    "sessions", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("started_at", Moment, nullable=False),
    Column("last_seen_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("revoked_at", Moment),
    Column("revoked_by", String(36)),
    Column("revoked_why", String(60)),
    Index("ix_sessions_user", "user_id"),
)

# Failed sign-ins per key (account:<username>, address:<ip>); a key with no failure for a day is forgotten.
sign_in_throttles = Table(
    "sign_in_throttles", metadata,
    Column("key", String(130), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_from", Moment),
    Column("locks", Integer, nullable=False),
    Column("locked_until", Moment),
    Column("last_failure_at", Moment, nullable=False),
    Index("ix_sign_in_throttles_last_failure", "last_failure_at"),
)
