"""The relational schema (SQLAlchemy Core). Alembic migrations create it; this is what the code reads."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (JSON, BigInteger, Boolean, Column, DateTime, ForeignKey, Index, Integer, MetaData,
                        Numeric, String, Table)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on PostgreSQL and on SQLite (which keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: bordergate stores moments in UTC")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()
# JSONB on PostgreSQL so agency rules can query inside trips; plain JSON text on SQLite.
Document = JSON().with_variant(JSONB(), "postgresql")
Moment = UtcDateTime()

organisations = Table(
    "organisations", metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("tax_code", String(14), unique=True),
    Column("created_at", Moment, nullable=False),
)

users = Table(
    "users", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("full_name", String(120), nullable=False),
    Column("role", String(20), nullable=False),
    Column("organisation_id", String(36), ForeignKey("organisations.id")),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", Moment, nullable=False),
)

agent_authorisations = Table(
    "agent_authorisations", metadata,
    Column("enterprise_id", String(36), ForeignKey("organisations.id"), primary_key=True),
    Column("agency_id", String(36), ForeignKey("organisations.id"), primary_key=True),
    Column("granted_by", String(36), nullable=False),
    Column("granted_at", Moment, nullable=False),
    Column("revoked_at", Moment),
)

crossing_points = Table(
    "crossing_points", metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(120), nullable=False),
    Column("province", String(120), nullable=False, default=""),
    Column("border_markers", String(60), nullable=False, default=""),
    Column("counterpart", String(120), nullable=False, default=""),
    Column("active", Boolean, nullable=False, default=True),
)

declarations = Table(
    "declarations", metadata,
    Column("reference", String(24), primary_key=True),
    Column("enterprise_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("declared_by", String(36), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), nullable=False),
    Column("flow", String(32), nullable=False),
    Column("planned_arrival", Moment, nullable=False),
    # Compact plates are what cameras will match on, so they are columns, not buried in the document.
    Column("tractor_plate", String(16), nullable=False),
    Column("trailer_plate", String(16)),
    Column("driver_document", String(20), nullable=False),
    Column("perishable", Boolean, nullable=False),
    Column("submitted_at", Moment, nullable=False),
    Column("cancelled_at", Moment),
    Column("trip", Document, nullable=False),
    Index("ix_declarations_enterprise_submitted", "enterprise_id", "submitted_at"),
    Index("ix_declarations_tractor_plate", "tractor_plate"),
    Index("ix_declarations_point_arrival", "crossing_point", "planned_arrival"),
)

goods_lines = Table(
    "goods_lines", metadata,
    Column("reference", String(24), ForeignKey("declarations.reference", ondelete="CASCADE"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("hs_code", String(10), nullable=False),
    Column("hs_chapter", Integer, nullable=False),
    Column("description", String(300), nullable=False),
    Column("packages", Integer, nullable=False),
    Column("gross_weight_kg", Numeric(14, 3), nullable=False),
    Column("value", Numeric(18, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("origin_country", String(2), nullable=False),
    Column("perishable", Boolean, nullable=False),
    Column("shelf_life_hours", Integer),
    Column("quarantine_required", Boolean, nullable=False),
    Index("ix_goods_lines_hs_chapter", "hs_chapter"),
)

declared_containers = Table(
    "declared_containers", metadata,
    Column("reference", String(24), ForeignKey("declarations.reference", ondelete="CASCADE"), primary_key=True),
    Column("container_number", String(11), primary_key=True),
    Index("ix_declared_containers_number", "container_number"),
)

saved_vehicles = Table(
    "saved_vehicles", metadata,
    Column("id", String(36), primary_key=True),
    Column("enterprise_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("tractor_plate", String(16), nullable=False),
    Column("details", Document, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Index("ux_saved_vehicles_plate", "enterprise_id", "tractor_plate", unique=True),
)

saved_drivers = Table(
    "saved_drivers", metadata,
    Column("id", String(36), primary_key=True),
    Column("enterprise_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("document_number", String(20), nullable=False),
    Column("details", Document, nullable=False),
    Column("updated_at", Moment, nullable=False),
    Index("ux_saved_drivers_document", "enterprise_id", "document_number", unique=True),
)

# Append-only: migrations add triggers that refuse UPDATE and DELETE on both databases.
audit_log = Table(
    "audit_log", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", Moment, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("subject_type", String(32), nullable=False),
    Column("subject_id", String(80), nullable=False),
    Column("payload", Document, nullable=False),
    Index("ix_audit_subject", "subject_type", "subject_id", "id"),
)
