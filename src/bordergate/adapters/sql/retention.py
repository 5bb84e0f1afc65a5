"""Personal data in SQL: finished trips and unused saved drivers past retention, pseudonymised in place."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, or_, select, update

from bordergate.adapters.sql.evidence_tables import audit_personal
from bordergate.adapters.sql.queue_tables import notices
from bordergate.adapters.sql.tables import audit_log, declarations, saved_drivers
from bordergate.domain.personal_data import ERASED_DRIVER

d, a, sd = declarations.c, audit_log.c, saved_drivers.c


class SqlPersonalData:
    """Finds what retention erases and erases it: the live tables are rewritten, the audit trail keeps its
    digests and loses the values behind them (adapters/sql/audit.py)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def trips_due(self, cutoff: datetime, limit: int) -> list[str]:
        """Trips that crossed or were cancelled before ``cutoff`` and still hold their driver's data."""
        crossed_before = exists().where(a.subject_type == "declaration", a.subject_id == d.reference,
                                        a.action == "DeclarationCrossed", a.at < cutoff)
        rows = self.connection.execute(
            select(d.reference).where(d.personal_erased_at.is_(None), or_(
                and_(d.status == "cancelled", d.cancelled_at < cutoff),
                and_(d.status == "crossed", crossed_before)))
            .order_by(d.submitted_at).limit(limit))
        return [row[0] for row in rows]

    def erase_trip(self, reference: str, at: datetime) -> None:
        """The trip's driver becomes ``ERASED_DRIVER`` (nationality stays: it is not a person), the SMS sent
        about it lose their phone number, and the trail forgets the personal values it sealed for it."""
        trip, version = self.connection.execute(
            select(d.trip, d.version).where(d.reference == reference)).one()
        trip = {**trip, "driver": {**trip["driver"], **ERASED_DRIVER}}
        self.connection.execute(update(declarations).where(d.reference == reference).values(
            trip=trip, driver_document=ERASED_DRIVER["document_number"], personal_erased_at=at,
            version=version + 1))
        self.connection.execute(update(notices).where(notices.c.reference == reference)
                                .values(phone=ERASED_DRIVER["phone"]))
        self._forget(f"declaration:{reference}")

    def drivers_unused(self, cutoff: datetime) -> list[dict[str, Any]]:
        """Saved drivers not changed since ``cutoff`` and named by no trip of their enterprise declared since."""
        used = exists().where(d.enterprise_id == sd.enterprise_id, d.driver_document == sd.document_number,
                              d.submitted_at >= cutoff)
        rows = self.connection.execute(select(sd.id, sd.enterprise_id, sd.document_number)
                                       .where(sd.updated_at < cutoff, ~used)).mappings()
        return [dict(row) for row in rows]

    def erase_driver(self, entry: dict[str, Any]) -> None:
        """A saved driver is a convenience for the next declaration: unused, it is deleted, with the values the
        trail sealed when it was saved."""
        self.connection.execute(delete(saved_drivers).where(sd.id == entry["id"]))
        self._forget(f"driver:{entry['enterprise_id']}:{entry['document_number']}")

    def _forget(self, owner: str) -> None:
        self.connection.execute(delete(audit_personal).where(audit_personal.c.owner == owner))
