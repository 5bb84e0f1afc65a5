"""In-memory twin of the public's reads of citizens' reports: the same list, communes and statistics' records."""
from __future__ import annotations

from datetime import datetime

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.reports import Report
from bordergate.services.public_report_repositories import (HandlingRecord, PublicFilter, PublicReportRow,
                                                            Rating)


def _row(report: Report) -> PublicReportRow:
    p = report.place
    return PublicReportRow(report.tracking_code, report.category_code, p.commune_code, report.state.value,
                           report.resolution.value if report.resolution else None, report.unit_code,
                           report.filed_at, report.answered_at, p.lat, p.lon, report.description,
                           report.category_version)


class InMemoryPublicReports:
    """Reads the twins' reports and audit trail."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def page(self, narrowed: PublicFilter, after: tuple[datetime, str] | None, limit: int) -> list[PublicReportRow]:
        found = [r for r in self.tables.reports.values() if r.public
                 and narrowed.commune in (None, r.place.commune_code)
                 and narrowed.category in (None, r.category_code)
                 and (narrowed.category is not None or narrowed.listed is None or r.category_code in narrowed.listed)
                 and narrowed.state in (None, r.state.value)
                 and (after is None or (r.filed_at, r.tracking_code) < after)]
        found.sort(key=lambda r: (r.filed_at, r.tracking_code), reverse=True)
        return [_row(r) for r in found[:limit]]

    def communes(self) -> list[str]:
        return sorted({r.place.commune_code for r in self.tables.reports.values()
                       if r.public and r.place.commune_code is not None})

    def handling(self, since: datetime) -> list[HandlingRecord]:
        return [HandlingRecord(r.tracking_code, r.unit_code, r.place.commune_code, r.never_public,
                               r.resolution.value if r.resolution else None, r.filed_at, r.answered_at,
                               r.assignment.answer_due, r.reopen_count)
                for r in self.tables.reports.values() if r.filed_at >= since]

    def ratings(self, since: datetime) -> list[Rating]:
        filed = {code for code, r in self.tables.reports.items() if r.filed_at >= since}
        return [Rating(e["subject_id"], int(e["payload"]["stars"])) for e in self.tables.audit
                if e["subject_type"] == "report" and e["action"] == "ReportRated" and e["subject_id"] in filed]
