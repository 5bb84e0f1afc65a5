"""The citizens' tables: profiles of citizen accounts, and sign-in codes (digests only) (issue 17)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

citizen_profiles = Table(
    "citizen_profiles", metadata,
    Column("user_id", String(36), ForeignKey("users.id"), primary_key=True),
    Column("phone", String(20), nullable=False, unique=True),
    Column("locale", String(2), nullable=False),
    Column("vneid_subject", String(255), unique=True),
    Column("created_at", Moment, nullable=False),
)

# Rows live an hour (the throttles' window): purged as new codes are asked for.
sign_in_codes = Table(
    "sign_in_codes", metadata,
    Column("id", String(36), primary_key=True),
    Column("phone", String(20), nullable=False),
    Column("code_digest", String(64), nullable=False),
    Column("address", String(130), nullable=False),  # the throttle key of the address it was asked from
    Column("created_at", Moment, nullable=False),
    Column("expires_at", Moment, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("used_at", Moment),
    Column("voided_at", Moment),
    Index("ix_sign_in_codes_phone", "phone", "created_at"),
    Index("ix_sign_in_codes_address", "address", "created_at"),
    Index("ix_sign_in_codes_created", "created_at"),
)
