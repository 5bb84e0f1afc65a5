"""In-memory twin of the audit trail: events kept in the order they were written."""
from __future__ import annotations

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.adapters.payloads import event_payload
from bordergate.domain.events import Event
from bordergate.services.repositories import AuditEntry


class InMemoryAudit:
    """Appends events (and keeps them, for tests to read) and reads a subject's history back, oldest first.

    The payload is made by the same function as the SQL trail's (adapters/payloads.py; the repository contract
    test holds them to the same history)."""

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
