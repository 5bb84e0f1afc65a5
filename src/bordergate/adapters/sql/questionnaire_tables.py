"""Questionnaires sent weeks after a report's answer; and the followers found by who follows (my reports)."""
from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from bordergate.adapters.sql.report_tables import report_followers
from bordergate.adapters.sql.schema import Moment, metadata

report_questionnaires = Table(
    "report_questionnaires", metadata,
    Column("tracking_code", String(24), ForeignKey("reports.tracking_code"), primary_key=True),
    Column("token_digest", String(64), nullable=False, unique=True),
    Column("sent_at", Moment, nullable=False),
    Column("answered_at", Moment),
    Column("fixed", String(10)),
    Column("comment", String(500)),
)

# "My reports" lists what a citizen follows: by user, not by report.
ix_report_followers_user = Index("ix_report_followers_user", report_followers.c.user_id, report_followers.c.since)
