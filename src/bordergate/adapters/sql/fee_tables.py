"""The fee's tables: tariff versions, each trip's assessments, payments, receipts and their numbering, refunds."""
from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from bordergate.adapters.sql.schema import Document, Moment, metadata

fee_tariffs = Table(
    "fee_tariffs", metadata,
    Column("version", String(40), primary_key=True),
    Column("jurisdiction", String(40), nullable=False),
    Column("in_force_from", Date, nullable=False),
    Column("document", Document, nullable=False),
    Column("published_by", String(60), nullable=False),
    Column("published_at", Moment, nullable=False),
)

# Every assessment of a trip is kept: a correction or a new tariff adds a revision, and the difference is shown.
fee_assessments = Table(
    "fee_assessments", metadata,
    Column("reference", String(24), ForeignKey("declarations.reference"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("current", Boolean, nullable=False),
    Column("crossing_point", String(32), nullable=False),
    Column("tariff_version", String(40)),
    Column("fee_class", String(120), nullable=False),
    Column("total_vnd", BigInteger, nullable=False),
    Column("lines", Document, nullable=False),
    Column("missing", String(500)),
    Column("assessed_at", Moment, nullable=False),
    Column("why", String(200), nullable=False),
    Index("ix_fee_assessments_current", "crossing_point", "current"),
)

payments = Table(
    "payments", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(24), ForeignKey("declarations.reference"), nullable=False),
    Column("amount_vnd", BigInteger, nullable=False),
    Column("method", String(10), nullable=False),
    Column("status", String(10), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("created_by", String(60), nullable=False),
    Column("provider", String(40)),
    Column("order_id", String(100)),
    Column("transaction_id", String(100)),
    Column("paid_at", Moment),
    Column("receipt_number", String(20)),
    # A provider's transaction pays once, however often its callback is replayed.
    UniqueConstraint("provider", "transaction_id", name="uq_payments_transaction"),
    Index("ix_payments_reference", "reference"),
    Index("ix_payments_paid_at", "paid_at"),
)

receipts = Table(
    "receipts", metadata,
    Column("number", String(20), primary_key=True),
    Column("payment_id", String(36), ForeignKey("payments.id"), nullable=False, unique=True),
    Column("reference", String(24), nullable=False),
    Column("amount_vnd", BigInteger, nullable=False),
    Column("issued_at", Moment, nullable=False),
)

# One row a year; taking a number is one UPDATE, so numbers are sequential without gaps even under races.
receipt_counters = Table(
    "receipt_counters", metadata,
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

refunds = Table(
    "refunds", metadata,
    Column("id", String(36), primary_key=True),
    Column("reference", String(24), ForeignKey("declarations.reference"), nullable=False),
    Column("payment_id", String(36), ForeignKey("payments.id"), nullable=False),
    Column("amount_vnd", BigInteger, nullable=False),
    Column("status", String(10), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("created_at", Moment, nullable=False),
    Index("ix_refunds_reference", "reference"),
)
