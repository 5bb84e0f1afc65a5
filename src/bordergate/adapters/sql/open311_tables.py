"""The Open311 tables: registered clients (their key's digest only) and the requests they posted (issue 17)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from bordergate.adapters.sql.report_tables import reports
from bordergate.adapters.sql.schema import Moment, metadata

open311_clients = Table(
    "open311_clients", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(120), nullable=False),
    # SHA-256 of a 256-bit random key, as cameras': a slow hash adds nothing against guessing such a key.
    Column("key_digest", String(64), nullable=False, unique=True),
    Column("trust", String(10), nullable=False),
    Column("per_minute", Integer, nullable=False),
    Column("per_day", Integer, nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("revoked_at", Moment),
)

# One row a posted request: its token (GET tokens/{token}), what it became, and whether the public sees it yet.
# Counting a client's rows of the last minute/day is its rate limit.
open311_tokens = Table(
    "open311_tokens", metadata,
    Column("token", String(40), primary_key=True),
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), nullable=False, unique=True),
    Column("client_id", String(36), ForeignKey("open311_clients.id"), nullable=False),
    Column("device_id", String(100)),
    Column("media_url", String(500)),
    Column("posted_at", Moment, nullable=False),
    Column("released_at", Moment),
    Index("ix_open311_tokens_client_posted", "client_id", "posted_at"),
    Index("ix_open311_tokens_device_posted", "client_id", "device_id", "posted_at"),
)

# GET requests' default (the newest public reports of the last 90 days) reads reports by filing time.
ix_reports_filed_at = Index("ix_reports_filed_at", reports.c.filed_at)
