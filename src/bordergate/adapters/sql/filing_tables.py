"""Filing's tables: a report's photos, the abuse controls' counters and standings, filings remembered (issue 17)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, PrimaryKeyConstraint, String, Table

from bordergate.adapters.sql.schema import Moment, metadata

# Photos are files in the photo store; the row says what each is and who may see it.
report_photos = Table(
    "report_photos", metadata,
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("bytes", Integer, nullable=False),
    Column("storage_key", String(80), nullable=False),
    Column("thumb_key", String(80), nullable=False),
    Column("visibility", String(12), nullable=False),
    Column("at", Moment, nullable=False),
    PrimaryKeyConstraint("tracking_code", "seq"),
)

# "span", not "window": WINDOW is reserved in PostgreSQL.
report_rate_counters = Table(
    "report_rate_counters", metadata,
    Column("key", String(80), nullable=False),
    Column("span", String(8), nullable=False),
    Column("span_start", Moment, nullable=False),
    Column("count", Integer, nullable=False),
    PrimaryKeyConstraint("key", "span"),
)

reporter_standing = Table(
    "reporter_standing", metadata,
    Column("key", String(80), primary_key=True),
    Column("spam_marks", Integer, nullable=False),
    Column("cap_percent", Integer, nullable=False),
    Column("until", Moment, nullable=False),
)

# Who filed each report, as the standings know them (an account, or an address's digest), and what: for "the
# same text twice in ten minutes" and for lowering the right standing when a report is marked as spam.
report_filings = Table(
    "report_filings", metadata,
    Column("tracking_code", String(24), primary_key=True),
    Column("reporter_key", String(80), nullable=False),
    Column("text_digest", String(64), nullable=False),
    Column("filed_at", Moment, nullable=False),
    Index("ix_report_filings_same", "reporter_key", "text_digest", "filed_at"),
)
