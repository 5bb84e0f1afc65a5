"""How an enterprise is reached: the phone it is told on when an agency holds one of its trips."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

enterprise_contacts = Table(
    "enterprise_contacts", metadata,
    Column("enterprise_id", String(36), ForeignKey("organisations.id"), primary_key=True),
    Column("phone", String(20), nullable=False),
    Column("set_at", Moment, nullable=False),
)
