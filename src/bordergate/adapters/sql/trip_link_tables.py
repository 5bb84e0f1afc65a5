"""The table of linked trips: an outbound declaration and the empty return declared with it ("and back empty")."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

# One return per outbound trip and one outbound per return: both ends unique, so each link reads both ways.
trip_links = Table(
    "trip_links", metadata,
    Column("outbound_reference", String(24), ForeignKey("declarations.reference"), primary_key=True),
    Column("return_reference", String(24), ForeignKey("declarations.reference"), nullable=False, unique=True),
    Column("linked_at", Moment, nullable=False),
)
