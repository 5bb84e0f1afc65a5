"""The public's reads of citizens' reports in SQL: the keyset list (tips and hidden reports left out) and the
statistics' records, ratings read from the audit trail."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, and_, or_, select

from bordergate.adapters.sql.report_tables import reports
from bordergate.adapters.sql.tables import audit_log
from bordergate.services.public_report_repositories import (HandlingRecord, PublicFilter, PublicReportRow,
                                                            Rating)

r = reports.c
_LISTED = (r.tracking_code, r.category_code, r.commune_code, r.state, r.resolution, r.unit_code, r.filed_at,
           r.answered_at, r.lat, r.lon, r.description, r.category_version)
_PUBLIC = and_(r.never_public.is_(False), r.hidden.is_(False))


class SqlPublicReports:
    """Reads only: the public list, the communes it names, and the records the statistics count."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def page(self, narrowed: PublicFilter, after: tuple[datetime, str] | None, limit: int) -> list[PublicReportRow]:
        # One query a category, each walking ix_reports_near (category_code, filed_at, ...) newest first and
        # stopping at ``limit``, merged here: without an index on filed_at alone, one query over all categories
        # sorts the whole table for every page (seconds at 300,000 reports; docs/benchmarks.md).
        codes = [narrowed.category] if narrowed.category else list(narrowed.listed or self._named())
        found: list[PublicReportRow] = []
        for code in codes:
            query = select(*_LISTED).where(_PUBLIC, r.category_code == code)
            if narrowed.commune is not None:
                query = query.where(r.commune_code == narrowed.commune)
            if narrowed.state is not None:
                query = query.where(r.state == narrowed.state)
            if after is not None:
                at, last = after  # filed_at <= at first, so the index's range is used; the code breaks ties
                query = query.where(r.filed_at <= at, or_(r.filed_at < at, r.tracking_code < last))
            rows = self.connection.execute(query.order_by(r.filed_at.desc(), r.tracking_code.desc()).limit(limit))
            found += [PublicReportRow(*row) for row in rows]
        found.sort(key=lambda row: (row.filed_at, row.tracking_code), reverse=True)
        return found[:limit]

    def _named(self) -> list[str]:
        # Only when the caller did not say which categories are listed: the row's never_public keeps tips out.
        return list(self.connection.execute(select(r.category_code).distinct().where(_PUBLIC)).scalars())

    def communes(self) -> list[str]:
        return list(self.connection.execute(select(r.commune_code).distinct().where(
            _PUBLIC, r.commune_code.is_not(None)).order_by(r.commune_code)).scalars())

    def handling(self, since: datetime) -> list[HandlingRecord]:
        rows = self.connection.execute(select(
            r.tracking_code, r.unit_code, r.commune_code, r.never_public, r.resolution, r.filed_at, r.answered_at,
            r.answer_due, r.reopen_count).where(r.filed_at >= since))
        return [HandlingRecord(*row) for row in rows]

    def ratings(self, since: datetime) -> list[Rating]:
        a = audit_log.c
        # Through ix_audit_subject, one report at a time: the trail has no index by action or time.
        rows = self.connection.execute(select(a.subject_id, a.payload).where(
            a.subject_type == "report", a.action == "ReportRated",
            a.subject_id.in_(select(r.tracking_code).where(r.filed_at >= since))).order_by(a.id))
        return [Rating(code, int(payload["stars"])) for code, payload in rows]
