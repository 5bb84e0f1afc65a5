"""The append-only audit trail in SQL: every event, with who and when, in the same transaction as the change."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy import Connection

from bordergate.adapters.sql.tables import audit_log
from bordergate.domain.events import Event


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def event_payload(event: Event) -> dict[str, Any]:
    """An event's own fields as JSON-ready data (actor and time have their own columns)."""
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event) if f.name not in ("actor", "at")}
    return _plain(fields)


class SqlAudit:
    """Writes events to the audit trail and reads a subject's history back, oldest first."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def append(self, events: list[Event]) -> None:
        if not events:
            return
        self.connection.execute(insert(audit_log), [
            {"at": e.at, "actor": e.actor, "action": type(e).__name__, "subject_type": e.subject[0],
             "subject_id": e.subject[1], "payload": event_payload(e)}
            for e in events])

    def history(self, subject_type: str, subject_id: str) -> list[dict[str, Any]]:
        rows = self.connection.execute(
            select(audit_log).where(audit_log.c.subject_type == subject_type, audit_log.c.subject_id == subject_id)
            .order_by(audit_log.c.id)).mappings()
        return [dict(row) for row in rows]
