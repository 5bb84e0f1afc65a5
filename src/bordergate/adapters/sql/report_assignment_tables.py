"""The report handling tables of issue 17's inbox: assignments per unit, unit staff's phones, gate reports' trips."""
from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

# One row per unit a report was given to (seq 1, 2...), written by the reports' repository with each save, so
# statistics judge each unit on its own clocks ("answered on time per assignment").
report_assignments = Table(
    "report_assignments", metadata,
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("unit_code", String(40), ForeignKey("units.code"), nullable=False),
    Column("category_code", String(40), nullable=False),
    Column("urgent", Boolean, nullable=False),
    Column("assigned_at", Moment, nullable=False),
    Column("accept_due", Moment, nullable=False),
    Column("answer_due", Moment, nullable=False),
    Column("accepted_at", Moment),
    Column("ended_at", Moment),
    Column("ended_how", String(20)),
    Column("on_time", Boolean),
    Column("overdue_stage", String(10)),
    Column("escalated_stage", String(10)),
    PrimaryKeyConstraint("tracking_code", "seq"),
    Index("ix_report_assignments_unit", "unit_code", "ended_at", "answer_due"),
    Index("ix_report_assignments_assigned", "assigned_at"),
)

# The phone a unit's officer or supervisor is told on (overdue and urgent reports); one per person.
unit_phones = Table(
    "unit_phones", metadata,
    Column("user_id", String(36), ForeignKey("users.id"), primary_key=True),
    Column("phone", String(20), nullable=False),
    Column("since", Moment, nullable=False),
)

# Which declared trip a gate report (truck_queue, border_gate) is about, as an officer of the Border Gate
# Management Center confirmed it; read by the operators' board, never shown to the reporter.
report_trip_links = Table(
    "report_trip_links", metadata,
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), primary_key=True),
    Column("crossing_point", String(32), nullable=False),
    Column("declaration_reference", String(24), nullable=False),
    Column("linked_by", String(36), nullable=False),
    Column("linked_at", Moment, nullable=False),
)
