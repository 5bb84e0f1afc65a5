"""The public services' tables: procedures catalogues (the one in force searchable), allowance rules and uses."""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, Index, String, Table, Text

from bordergate.adapters.sql.schema import Document, Moment, metadata

# Every version published, whole, as the administrator sent it: what the public was told, and when.
procedure_catalogues = Table(
    "procedure_catalogues", metadata,
    Column("version", String(40), primary_key=True),
    Column("note", Text, nullable=False),
    Column("document", Document, nullable=False),
    Column("published_at", Moment, nullable=False),
    Column("published_by", String(36), nullable=False),
)

# The version in force, a row a procedure. search_text is folded in Python (domain/text_folding.py) and indexed by
# each engine's full-text search (migration 0018: FTS5 procedures_fts on SQLite, a GIN index on PostgreSQL).
procedures = Table(
    "procedures", metadata,
    Column("code", String(40), primary_key=True),
    Column("catalogue_version", String(40), nullable=False),
    Column("name", String(300), nullable=False),
    Column("agency", String(200), nullable=False),
    Column("document", Document, nullable=False),
    Column("search_text", Text, nullable=False),
    Column("updated_at", Moment, nullable=False),
)

allowance_rules = Table(
    "allowance_rules", metadata,
    Column("version", String(40), primary_key=True),
    Column("in_force_from", Date, nullable=False),
    Column("document", Document, nullable=False),
    Column("published_at", Moment, nullable=False),
    Column("published_by", String(36), nullable=False),
)

allowance_uses = Table(
    "allowance_uses", metadata,
    Column("id", String(36), primary_key=True),
    Column("resident_key", String(64), nullable=False),
    Column("crossing_point", String(40), nullable=False),
    Column("day", Date, nullable=False),
    Column("value_vnd", BigInteger, nullable=False),
    Column("source", String(20), nullable=False),
    Column("recorded_by", String(36), nullable=False),
    Column("recorded_at", Moment, nullable=False),
    Index("ix_allowance_uses_resident_day", "resident_key", "day"),
)
