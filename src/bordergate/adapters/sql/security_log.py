"""The security log in SQL: refusals of unauthenticated requests, bounded in rows and per source."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from bordergate.adapters.metrics import REFUSED
from bordergate.adapters.sql.evidence_tables import security_log

s = security_log.c


class SqlSecurityLog:
    """Keeps at most ``rows`` rows (the oldest go first) and at most ``per_source_per_minute`` rows a minute from
    one source; past that a refusal is only counted. A flood of forged requests costs a bounded table."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, *, kind: str, source: str, detail: str, at: datetime, rows: int, per_source_per_minute: int
            ) -> bool:
        """Count the refusal and keep it if its source is under its rate; True when a row was written."""
        REFUSED.labels(kind=kind).inc()
        recent = self.connection.execute(select(func.count()).select_from(security_log).where(
            s.source == source[:64], s.at > at - timedelta(minutes=1))).scalar_one()
        if recent >= per_source_per_minute:
            return False
        added = self.connection.execute(insert(security_log).values(
            at=at, kind=kind[:40], source=source[:64], detail=detail[:500]).returning(s.id)).scalar_one()
        self.connection.execute(delete(security_log).where(s.id <= added - rows))
        return True

    def latest(self, limit: int = 100) -> list[dict[str, Any]]:
        return [dict(row) for row in self.connection.execute(
            select(security_log).order_by(s.id.desc()).limit(limit)).mappings()]
