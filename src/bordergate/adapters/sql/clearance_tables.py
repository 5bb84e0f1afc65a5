"""The agencies' tables: each trip's clearance and customs channel, each agency's check, agency systems' messages."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from bordergate.adapters.sql.schema import Document, Moment, metadata

clearances = Table(
    "clearances", metadata,
    Column("reference", String(24), ForeignKey("declarations.reference"), primary_key=True),
    Column("crossing_point", String(32), nullable=False),
    Column("enterprise_id", String(36), nullable=False),
    Column("rule_version", String(40), nullable=False),
    Column("channel", String(10)),
    Column("channel_reasons", Document, nullable=False),
    Column("channel_source", String(10)),
    Column("version", Integer, nullable=False),
    Index("ix_clearances_enterprise", "enterprise_id"),
)

# One row per agency that must act on a trip; the inboxes read the ones waiting at a crossing point.
agency_checks = Table(
    "agency_checks", metadata,
    Column("reference", String(24), ForeignKey("clearances.reference"), primary_key=True),
    Column("agency", String(20), primary_key=True),
    Column("crossing_point", String(32), nullable=False),
    Column("position", Integer, nullable=False),
    Column("why", String(200), nullable=False),
    Column("status", String(12), nullable=False),
    Column("opened_at", Moment, nullable=False),
    Column("first_action_at", Moment),
    Column("decided_at", Moment),
    Column("decided_by", String(60)),
    Column("source", String(10)),
    Column("hold_reason", String(500)),
    Column("needs", Document, nullable=False),
    Column("answer", String(1000)),
    Index("ix_agency_checks_inbox", "agency", "crossing_point", "status"),
    Index("ix_agency_checks_decided", "crossing_point", "decided_at"),
    # The customs channel counts the enterprise's refused checks on every submit (clearances.history): few
    # checks are refused, so the count starts from them rather than from all the enterprise's trips.
    Index("ix_agency_checks_status_decided", "status", "decided_at"),
)

# Messages from agencies' own systems, kept so that a retry is answered as the first time and never applied twice.
agency_messages = Table(
    "agency_messages", metadata,
    Column("agency", String(20), primary_key=True),
    Column("message_id", String(100), primary_key=True),
    Column("digest", String(64), nullable=False),
    Column("received_at", Moment, nullable=False),
    Column("outcome", Document, nullable=False),
)
