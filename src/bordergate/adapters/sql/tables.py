"""The relational schema (SQLAlchemy Core). Alembic migrations create it; this is what the code reads."""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, Numeric, String, Table, text

# The queue's tables live in their own module; importing them here puts every table on one metadata.
from bordergate.adapters.sql.evidence_tables import audit_personal, chain_heads, security_log  # noqa: F401
from bordergate.adapters.sql.clearance_tables import agency_checks, agency_messages, clearances  # noqa: F401
from bordergate.adapters.sql.fee_tables import (fee_assessments, fee_tariffs, payments,  # noqa: F401
                                                receipt_counters, receipts, refunds)
from bordergate.adapters.sql.idempotency_tables import idempotency_keys  # noqa: F401
from bordergate.adapters.sql.queue_tables import (booking_attempts, bookings, capacity_changes,  # noqa: F401
                                                  capacity_plans, day_limits, notices, queue_snapshots,
                                                  regulation_orders, slots)
from bordergate.adapters.sql.session_tables import sessions, sign_in_throttles  # noqa: F401
from bordergate.adapters.sql.contact_tables import enterprise_contacts  # noqa: F401
from bordergate.adapters.sql.trip_link_tables import trip_links  # noqa: F401
from bordergate.adapters.sql.report_tables import report_followers, reports, units  # noqa: F401
from bordergate.adapters.sql.open311_tables import open311_clients, open311_tokens  # noqa: F401
from bordergate.adapters.sql.report_assignment_tables import (report_assignments, report_trip_links,  # noqa: F401
                                                           unit_phones)
from bordergate.adapters.sql.citizen_tables import citizen_profiles, sign_in_codes  # noqa: F401
from bordergate.adapters.sql.service_tables import (allowance_rules, allowance_uses, procedure_catalogues,  # noqa: F401
                                                    procedures)
from bordergate.adapters.sql.civic_tables import civic_documents  # noqa: F401
from bordergate.adapters.sql.questionnaire_tables import report_questionnaires  # noqa: F401
from bordergate.adapters.sql.filing_tables import (report_filings, report_photos,  # noqa: F401
                                                  report_rate_counters, reporter_standing)
from bordergate.adapters.sql.schema import Document, Moment, UtcDateTime, metadata  # noqa: F401

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
    # Set when the driver's personal fields were pseudonymised (the retention setting).
    Column("personal_erased_at", Moment),
    Index("ix_declarations_enterprise_submitted", "enterprise_id", "submitted_at"),
    Index("ix_declarations_tractor_plate", "tractor_plate"),
    Index("ix_declarations_point_arrival", "crossing_point", "planned_arrival"),
    # The customs channel counts the enterprise's crossed trips on every submit (clearances.history).
    Index("ix_declarations_enterprise_status_submitted", "enterprise_id", "status", "submitted_at"),
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

# Smart control: where cameras stand, what they read, and what came of it.
checkpoints = Table(
    "checkpoints", metadata,
    Column("id", String(36), primary_key=True),
    Column("crossing_point", String(32), ForeignKey("crossing_points.code"), nullable=False),
    Column("kind", String(24), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("name", String(120), nullable=False),
    Column("lanes", Integer, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", Moment, nullable=False),
    Index("ux_checkpoints_point_name", "crossing_point", "name", unique=True),
)

cameras = Table(
    "cameras", metadata,
    Column("id", String(36), primary_key=True),
    Column("checkpoint_id", String(36), ForeignKey("checkpoints.id"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("lane", Integer, nullable=False),
    # SHA-256 of a 256-bit random key: a slow password hash would add nothing against brute force and cost
    # milliseconds on every read.
    Column("key_hash", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("registered_at", Moment, nullable=False),
    Column("last_heartbeat_at", Moment),
    Column("revoked_at", Moment),
    Index("ix_cameras_checkpoint", "checkpoint_id"),
)

# Append-only like the audit trail: a read is evidence; a person's correction is a new read that names it.
plate_reads = Table(
    "plate_reads", metadata,
    Column("id", String(36), primary_key=True),
    Column("camera_id", String(36), ForeignKey("cameras.id")),
    Column("camera_read_id", String(64), nullable=False),
    Column("checkpoint_id", String(36), ForeignKey("checkpoints.id"), nullable=False),
    Column("crossing_point", String(32), nullable=False),
    Column("checkpoint_kind", String(24), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("source", String(16), nullable=False),
    Column("captured_at", Moment, nullable=False),
    Column("received_at", Moment, nullable=False),
    Column("actor", String(64), nullable=False),
    Column("plate_text", String(32), nullable=False),
    Column("read_as", String(32), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("image_ref", String(200)),
    Column("outcome", String(16), nullable=False),
    Column("reference", String(24), ForeignKey("declarations.reference")),
    Column("role", String(10)),
    Column("is_pass", Boolean, nullable=False),
    Column("decision", String(10), nullable=False),
    Column("reasons", Document, nullable=False),
    Column("suggestions", Document, nullable=False),
    Column("match_reasons", Document, nullable=False),
    Column("corrects_read_id", String(36)),
    Column("note", String(500)),
    # The hash chain (adapters/sql/chain.py): the row's place, the previous row's hash, and its own.
    Column("seq", BigInteger),
    Column("prev_hash", String(64)),
    Column("row_hash", String(64)),
    Index("ux_plate_reads_seq", "seq", unique=True),
    Index("ux_plate_reads_camera_read", "camera_id", "camera_read_id", unique=True),
    Index("ix_plate_reads_reference", "reference", "captured_at"),
    Index("ix_plate_reads_read_as", "read_as", "captured_at"),
    Index("ix_plate_reads_camera_received", "camera_id", "received_at"),
    Index("ix_plate_reads_kind_captured", "checkpoint_kind", "captured_at"),
)

# Every key an open declaration's plates are filed under (plate_matching.filing_keys): a read finds the few plates
# it could be with one indexed lookup. Rows live only while the declaration is open.
plate_keys = Table(
    "plate_keys", metadata,
    Column("reference", String(24), ForeignKey("declarations.reference", ondelete="CASCADE"), primary_key=True),
    Column("plate", String(16), primary_key=True),
    Column("key", String(16), primary_key=True),
    Column("role", String(10), nullable=False),
    Column("crossing_point", String(32), nullable=False),
    # Set when the trip crosses: a read captured before then, arriving late, still finds its trip.
    Column("open_until", Moment),
    Index("ix_plate_keys_point_key", "crossing_point", "key"),
)

review_items = Table(
    "review_items", metadata,
    Column("read_id", String(36), ForeignKey("plate_reads.id"), primary_key=True),
    Column("crossing_point", String(32), nullable=False),
    Column("checkpoint_id", String(36), nullable=False),
    Column("status", String(12), nullable=False),
    Column("opened_at", Moment, nullable=False),
    Column("resolved_at", Moment),
    Column("resolved_by", String(64)),
    Column("resolution", String(16)),
    Column("resolved_read_id", String(36)),
    Column("note", String(500)),
    Index("ix_review_items_open", "crossing_point", "status", "opened_at"),
)

alerts = Table(
    "alerts", metadata,
    Column("id", String(36), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("status", String(10), nullable=False),
    Column("crossing_point", String(32)),
    Column("checkpoint_id", String(36)),
    Column("camera_id", String(36)),
    Column("reference", String(24)),
    Column("plate", String(32)),
    Column("read_id", String(36)),
    Column("detail", String(500), nullable=False),
    Column("dedupe_key", String(160), nullable=False),
    Column("raised_at", Moment, nullable=False),
    Column("resolved_at", Moment),
    Column("resolved_by", String(64)),
    Column("resolution", String(500)),
    Index("ix_alerts_status_raised", "status", "raised_at"),
    # One open alert per thing gone wrong, even when two server processes see it at once.
    Index("ux_alerts_open_dedupe", "dedupe_key", unique=True,
          sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),
)

holds = Table(
    "holds", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(24), ForeignKey("declarations.reference"), nullable=False),
    Column("agency", String(20), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("placed_by", String(64), nullable=False),
    Column("placed_at", Moment, nullable=False),
    Column("lifted_by", String(64)),
    Column("lifted_at", Moment),
    Column("lift_note", String(500)),
    Index("ix_holds_reference", "reference", "lifted_at"),
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
    # The hash chain (adapters/sql/chain.py): the row's place, the previous row's hash, and its own.
    Column("seq", BigInteger),
    Column("prev_hash", String(64)),
    Column("row_hash", String(64)),
    Index("ux_audit_log_seq", "seq", unique=True),
    Index("ix_audit_subject", "subject_type", "subject_id", "id"),
)
