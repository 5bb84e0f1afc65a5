"""The civic data's table: each published version of categories, routing, calendars and communes (issue 17)."""
from __future__ import annotations

from sqlalchemy import Column, Date, Integer, PrimaryKeyConstraint, String, Table

from bordergate.adapters.sql.schema import Document, Moment, metadata

civic_documents = Table(
    "civic_documents", metadata,
    Column("kind", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("in_force_from", Date, nullable=False),
    Column("document", Document, nullable=False),
    Column("published_at", Moment, nullable=False),
    Column("published_by", String(60), nullable=False),
    PrimaryKeyConstraint("kind", "version"),
)
