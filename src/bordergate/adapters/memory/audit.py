"""In-memory twin of the audit trail: events kept in the order they were written."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from decimal import Decimal
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.events import Event
from bordergate.services.repositories import AuditEntry


class InMemoryAudit:
    """Appends events (and keeps them, for tests to read) and reads a subject's history back, oldest first.

    The payload is made as the SQL trail makes it (adapters/sql/audit.py event_payload; the repository contract
    test holds them to the same history), without importing SQLAlchemy into the twins."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def append(self, events: list[Event]) -> None:
        for event in events:
            self.tables.events.append(event)
            self.tables.audit.append(AuditEntry(
                id=len(self.tables.audit) + 1, at=event.at, actor=event.actor, action=type(event).__name__,
                subject_type=event.subject[0], subject_id=event.subject[1], payload=event_payload(event)))

    def history(self, subject_type: str, subject_id: str) -> list[AuditEntry]:
        return [copied(e) for e in self.tables.audit
                if e["subject_type"] == subject_type and e["subject_id"] == subject_id]


def event_payload(event: Event) -> dict[str, Any]:
    """An event's own fields as JSON-ready data, as adapters/sql/audit.py event_payload makes them."""
    fields = {f.name: getattr(event, f.name) for f in dataclasses.fields(event) if f.name not in ("actor", "at")}
    plain: dict[str, Any] = _plain(fields)
    return plain


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
