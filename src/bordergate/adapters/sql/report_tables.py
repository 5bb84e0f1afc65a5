"""The citizen reports' tables: handling units and reports (with the current unit's clocks) (issue 17)."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table, Text

from bordergate.adapters.sql.schema import Document, Moment, metadata

units = Table(
    "units", metadata,
    Column("code", String(40), primary_key=True),
    Column("organisation_id", String(36), ForeignKey("organisations.id"), nullable=False),
    Column("coordinating", Boolean, nullable=False),
    # How the province names the unit (civic data, migration 0019); null for a unit registered without them.
    Column("kind", String(20)),
    Column("name_vi", String(200)),
    Column("name_en", String(200)),
    Column("name_zh", String(200)),
    Column("commune_code", String(40)),
)

# One row a report; the current assignment's clocks are its columns (every unit's turn, with how it ended, is a row of
# report_assignments: adapters/sql/report_assignment_tables.py).
reports = Table(
    "reports", metadata,
    Column("id", String(36), primary_key=True),
    Column("tracking_code", String(24), nullable=False, unique=True),
    Column("category_code", String(40), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("never_public", Boolean, nullable=False),
    Column("state", String(20), nullable=False),
    Column("resolution", String(20)),
    Column("unit_code", String(40), ForeignKey("units.code"), nullable=False),
    Column("reporter_user_id", String(36), ForeignKey("users.id")),
    Column("secret_digest", String(64)),
    Column("contact_phone", String(20)),
    Column("source", String(60), nullable=False),
    Column("lat", Float),
    Column("lon", Float),
    Column("accuracy_m", Float),
    Column("address_text", String(300)),
    Column("commune_code", String(20)),
    Column("place_source", String(10), nullable=False),
    Column("description", Text, nullable=False),
    Column("attributes", Document, nullable=False),
    Column("answer_text", Text),
    Column("filed_at", Moment, nullable=False),
    Column("answered_at", Moment),
    Column("closed_at", Moment),
    Column("answers", Integer, nullable=False),
    Column("rated_answer", Integer, nullable=False),
    Column("reopen_count", Integer, nullable=False),
    Column("transfer_count", Integer, nullable=False),
    Column("duplicate_of", String(24)),
    Column("hidden", Boolean, nullable=False),
    Column("assigned_at", Moment, nullable=False),
    Column("accept_due", Moment, nullable=False),
    Column("answer_due", Moment, nullable=False),
    Column("assignment_urgent", Boolean, nullable=False),
    Column("accepted_at", Moment),
    Column("paused_since", Moment),
    Column("reply_due", Moment),
    Column("near_flagged_stage", String(10)),
    Column("overdue_stage", String(10)),
    Column("version", Integer, nullable=False),
    Column("escalated_stage", String(10)),  # migration 0016: the overdue stage sent up to the coordinating unit
    # The versions of the categories and routing table the report was filed under (civic data, migration 0019).
    Column("category_version", Integer, nullable=False, server_default="1"),
    Column("routing_version", Integer, nullable=False, server_default="1"),
    Index("ix_reports_unit_state", "unit_code", "state"),
    Index("ix_reports_reporter", "reporter_user_id", "filed_at"),
    Index("ix_reports_state_answered", "state", "answered_at"),
    Index("ix_reports_state_due", "state", "answer_due"),
    Index("ix_reports_near", "category_code", "filed_at", "lat", "lon"),
)

# Who else follows a report (signed-in citizens; followers by phone come with anonymous following).
report_followers = Table(
    "report_followers", metadata,
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), nullable=False),
    Column("user_id", String(36), ForeignKey("users.id"), nullable=False),
    Column("since", Moment, nullable=False),
    PrimaryKeyConstraint("tracking_code", "user_id"),
)
