"""Alerts in SQL: at most one open alert per dedupe key, even with several server processes raising it."""
from __future__ import annotations

from datetime import datetime
from functools import cache
from sqlalchemy import Connection, bindparam, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.sql.tables import alerts
from bordergate.domain.alerts import Alert, AlertKind, AlertStatus

a = alerts.c
_OPEN_FOR = select(alerts).where(a.dedupe_key.in_(bindparam("keys", expanding=True)),
                                 a.status == AlertStatus.OPEN.value)


def _alert(row) -> Alert:
    return Alert(id=row["id"], kind=AlertKind(row["kind"]), crossing_point=row["crossing_point"],
                 detail=row["detail"], dedupe_key=row["dedupe_key"], raised_at=row["raised_at"],
                 checkpoint_id=row["checkpoint_id"], camera_id=row["camera_id"], reference=row["reference"],
                 plate=row["plate"], read_id=row["read_id"], status=AlertStatus(row["status"]),
                 resolved_at=row["resolved_at"], resolved_by=row["resolved_by"], resolution=row["resolution"])


@cache
def _raise_statement(dialect: str):
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (dialect_insert(alerts)
            .on_conflict_do_nothing(index_elements=[a.dedupe_key], index_where=text("status = 'open'"))
            .returning(a.id))


class SqlAlerts:
    """Raise, resolve and list alerts."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def raise_(self, alert: Alert) -> bool:
        """Store a new open alert; False when the same thing already has an open alert."""
        inserted = self.connection.execute(_raise_statement(self.connection.dialect.name), {
            "id": alert.id, "kind": alert.kind.value, "status": AlertStatus.OPEN.value,
            "crossing_point": alert.crossing_point, "checkpoint_id": alert.checkpoint_id,
            "camera_id": alert.camera_id, "reference": alert.reference, "plate": alert.plate,
            "read_id": alert.read_id, "detail": alert.detail, "dedupe_key": alert.dedupe_key,
            "raised_at": alert.raised_at}).first()
        return inserted is not None

    def get(self, alert_id: str) -> Alert | None:
        row = self.connection.execute(select(alerts).where(a.id == alert_id)).mappings().first()
        return _alert(row) if row else None

    def open_for(self, dedupe_key: str) -> Alert | None:
        found = self.open_for_any([dedupe_key])
        return found[0] if found else None

    def open_for_any(self, dedupe_keys: list[str]) -> list[Alert]:
        if not dedupe_keys:
            return []
        return [_alert(row) for row in self.connection.execute(_OPEN_FOR, {"keys": dedupe_keys}).mappings()]

    def resolve(self, alert_id: str, *, by: str, at: datetime, resolution: str) -> bool:
        """Close an open alert; False if it was closed meanwhile."""
        result = self.connection.execute(
            update(alerts).where(a.id == alert_id, a.status == AlertStatus.OPEN.value)
            .values(status=AlertStatus.RESOLVED.value, resolved_by=by, resolved_at=at, resolution=resolution))
        return result.rowcount == 1

    def listing(self, *, status: str | None, crossing_point: str | None, kind: str | None,
                reference: str | None = None, limit: int = 100) -> list[Alert]:
        query = select(alerts).order_by(a.raised_at.desc(), a.id).limit(limit)
        for column, value in ((a.status, status), (a.crossing_point, crossing_point), (a.kind, kind),
                              (a.reference, reference)):
            if value:
                query = query.where(column == value)
        return [_alert(row) for row in self.connection.execute(query).mappings()]
