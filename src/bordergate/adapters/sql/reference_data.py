"""Crossing points and each enterprise's saved vehicles and drivers, in SQL."""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.sql.tables import crossing_points, saved_drivers, saved_vehicles
from bordergate.domain.crossing_points import CrossingPoint


class SqlCrossingPoints:
    """The gates declarations may name."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, point: CrossingPoint) -> None:
        self.connection.execute(insert(crossing_points).values(
            code=point.code, name=point.name, province=point.province, border_markers=point.border_markers,
            counterpart=point.counterpart, active=point.active))

    def get(self, code: str) -> CrossingPoint | None:
        row = self.connection.execute(select(crossing_points).where(crossing_points.c.code == code)).mappings().first()
        return CrossingPoint(**row) if row else None

    def list(self) -> list[CrossingPoint]:
        rows = self.connection.execute(select(crossing_points).order_by(crossing_points.c.code)).mappings()
        return [CrossingPoint(**row) for row in rows]

    def active_codes(self) -> frozenset[str]:
        rows = self.connection.execute(_ACTIVE_CODES)
        return frozenset(row[0] for row in rows)


class SqlFleet:
    """Saved vehicles (keyed by tractor plate) and drivers (keyed by document) of each enterprise."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def save_vehicle(self, enterprise_id: str, plate: str, details: dict[str, Any], new_id: str,
                     at: datetime) -> tuple[str, bool]:
        """Save or update by plate; returns the entry's id and whether anything changed."""
        return self._upsert(saved_vehicles, saved_vehicles.c.tractor_plate, enterprise_id, plate, details,
                            new_id, at)

    def save_driver(self, enterprise_id: str, document: str, details: dict[str, Any], new_id: str,
                    at: datetime) -> tuple[str, bool]:
        """Save or update by document number; returns the entry's id and whether anything changed."""
        return self._upsert(saved_drivers, saved_drivers.c.document_number, enterprise_id, document, details,
                            new_id, at)

    def vehicle(self, enterprise_id: str, vehicle_id: str) -> dict[str, Any] | None:
        return self._one(saved_vehicles, enterprise_id, vehicle_id)

    def driver(self, enterprise_id: str, driver_id: str) -> dict[str, Any] | None:
        return self._one(saved_drivers, enterprise_id, driver_id)

    def vehicles(self, enterprise_id: str) -> list[dict[str, Any]]:
        return self._all(saved_vehicles, enterprise_id, saved_vehicles.c.tractor_plate)

    def drivers(self, enterprise_id: str) -> list[dict[str, Any]]:
        return self._all(saved_drivers, enterprise_id, saved_drivers.c.document_number)

    def _upsert(self, table, key_column, enterprise_id, key, details, new_id, at) -> tuple[str, bool]:
        # INSERT .. ON CONFLICT DO NOTHING first: two declarations of the same truck at the same moment
        # must both succeed, not race between a SELECT and an INSERT.
        insert_new, find = _fleet_statements(self.connection.dialect.name, table, key_column)
        inserted = self.connection.execute(insert_new, {
            "id": new_id, "enterprise_id": enterprise_id, key_column.name: key, "details": details,
            "updated_at": at}).first()
        if inserted:
            return inserted[0], True
        found = self.connection.execute(find, {"enterprise_id": enterprise_id, "key": key}).one()
        if found[1] == details:
            return found[0], False
        self.connection.execute(update(table).where(table.c.id == found[0]).values(details=details, updated_at=at))
        return found[0], True

    def _one(self, table, enterprise_id, entry_id) -> dict[str, Any] | None:
        row = self.connection.execute(select(table.c.id, table.c.details).where(
            table.c.enterprise_id == enterprise_id, table.c.id == entry_id)).first()
        return {"id": row[0], **row[1]} if row else None

    def _all(self, table, enterprise_id, order) -> list[dict[str, Any]]:
        rows = self.connection.execute(select(table.c.id, table.c.details).where(
            table.c.enterprise_id == enterprise_id).order_by(order))
        return [{"id": row[0], **row[1]} for row in rows]


_ACTIVE_CODES = select(crossing_points.c.code).where(crossing_points.c.active.is_(True))


@cache
def _fleet_statements(dialect: str, table, key_column):
    """The upsert's two statements, built once per table: each declaration runs them twice."""
    dialect_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    insert_new = (dialect_insert(table)
                  .on_conflict_do_nothing(index_elements=[table.c.enterprise_id, key_column])
                  .returning(table.c.id))
    find = select(table.c.id, table.c.details).where(
        table.c.enterprise_id == bindparam("enterprise_id"), key_column == bindparam("key"))
    return insert_new, find
