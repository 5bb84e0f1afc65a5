"""In-memory twins of the declarations, their plate keys, the enterprises' saved fleet and the links between trips."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.errors import ChangedMeanwhile, Conflict
from bordergate.domain.trip import Flow
from bordergate.services.repositories import DeclarationSummary


def _kept(declaration: Declaration) -> Declaration:
    """The stored copy: what a database row holds, without the events still to be collected."""
    kept: Declaration = copied(declaration)
    kept.events.clear()
    return kept


class InMemoryPlateKeys:
    """The plates of open trips, by reference; only what pruning needs (matching a read is SQL's)."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def file(self, declaration: Declaration) -> None:
        if declaration.status.is_open:
            self.tables.plate_keys[declaration.reference] = (declaration.trip.crossing_point, None)

    def close(self, reference: str, at: datetime | None) -> None:
        if reference in self.tables.plate_keys:
            self.tables.plate_keys[reference] = (self.tables.plate_keys[reference][0], at)

    def forget(self, reference: str) -> None:
        self.tables.plate_keys.pop(reference, None)

    def prune(self, before: datetime) -> int:
        gone = [r for r, (_, until) in self.tables.plate_keys.items() if until is not None and until < before]
        for reference in gone:
            del self.tables.plate_keys[reference]
        return len(gone)


class InMemoryDeclarations:
    """Declarations by reference; a save checks the version as the SQL one does."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.plate_keys = InMemoryPlateKeys(tables)
        self.seen: list[Declaration] = []

    def add(self, declaration: Declaration) -> None:
        if declaration.reference in self.tables.declarations:
            raise Conflict(f"declaration {declaration.reference} exists already")
        self.tables.declarations[declaration.reference] = _kept(declaration)
        self.plate_keys.file(declaration)
        self.seen.append(declaration)

    def get(self, reference: str) -> Declaration | None:
        kept = self.tables.declarations.get(reference)
        if kept is None:
            return None
        declaration: Declaration = copied(kept)
        self.seen.append(declaration)
        return declaration

    def open_references(self, since: date) -> list[str]:
        start = datetime(since.year, since.month, since.day, tzinfo=UTC) - timedelta(days=1)
        return [d.reference for d in self.tables.declarations.values()
                if d.status is DeclarationStatus.SUBMITTED and d.trip.planned_arrival >= start]

    def essentials(self, reference: str) -> tuple[DeclarationStatus, Flow, str | None] | None:
        d = self.tables.declarations.get(reference)
        if d is None:
            return None
        trailer = d.trip.vehicle.trailer_plate
        return d.status, d.trip.flow, trailer.compact if trailer else None

    def summaries(self, enterprises: frozenset[str] | None, *, status: str | None = None,
                  crossing_point: str | None = None, plate: str | None = None, limit: int = 50,
                  offset: int = 0) -> list[DeclarationSummary]:
        rows = [_summary(d) for d in self.tables.declarations.values()
                if enterprises is None or d.enterprise_id in enterprises]
        rows = [r for r in rows if (not status or r["status"] == status)
                and (not crossing_point or r["crossing_point"] == crossing_point)
                and (not plate or plate in (r["tractor_plate"], r["trailer_plate"]))]
        rows.sort(key=lambda r: r["reference"])
        rows.sort(key=lambda r: r["submitted_at"], reverse=True)
        return rows[offset:offset + limit]

    def save(self, declaration: Declaration, loaded_version: int) -> None:
        kept = self.tables.declarations.get(declaration.reference)
        if kept is None or kept.version != loaded_version:
            raise ChangedMeanwhile(f"declaration {declaration.reference} was changed by someone else meanwhile; "
                                   "reload it and apply your correction again")
        self.tables.declarations[declaration.reference] = _kept(declaration)
        if declaration.status is DeclarationStatus.CROSSED:
            self.plate_keys.close(declaration.reference, declaration.crossed_at)
        else:
            self.plate_keys.forget(declaration.reference)
            self.plate_keys.file(declaration)


def _summary(d: Declaration) -> DeclarationSummary:
    vehicle = d.trip.vehicle
    return DeclarationSummary(
        reference=d.reference, enterprise_id=d.enterprise_id, status=d.status.value,
        crossing_point=d.trip.crossing_point, flow=d.trip.flow.value, planned_arrival=d.trip.planned_arrival,
        tractor_plate=vehicle.tractor_plate.compact,
        trailer_plate=vehicle.trailer_plate.compact if vehicle.trailer_plate else None,
        perishable=d.trip.perishable, submitted_at=d.submitted_at, version=d.version)


class InMemoryFleet:
    """Saved vehicles and drivers by enterprise and key; saving the same details again changes nothing."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def save_vehicle(self, enterprise_id: str, plate: str, details: dict[str, Any], new_id: str,
                     at: datetime) -> tuple[str, bool]:
        return _upsert(self.tables.vehicles, (enterprise_id, plate), details, new_id)

    def save_driver(self, enterprise_id: str, document: str, details: dict[str, Any], new_id: str,
                    at: datetime) -> tuple[str, bool]:
        return _upsert(self.tables.drivers, (enterprise_id, document), details, new_id)

    def vehicle(self, enterprise_id: str, vehicle_id: str) -> dict[str, Any] | None:
        return _one(self.tables.vehicles, enterprise_id, vehicle_id)

    def driver(self, enterprise_id: str, driver_id: str) -> dict[str, Any] | None:
        return _one(self.tables.drivers, enterprise_id, driver_id)

    def vehicles(self, enterprise_id: str) -> list[dict[str, Any]]:
        return _all(self.tables.vehicles, enterprise_id)

    def drivers(self, enterprise_id: str) -> list[dict[str, Any]]:
        return _all(self.tables.drivers, enterprise_id)


def _upsert(table: dict[tuple[str, str], dict[str, Any]], key: tuple[str, str], details: dict[str, Any],
            new_id: str) -> tuple[str, bool]:
    found = table.get(key)
    if found is None:
        table[key] = {"id": new_id, "details": copied(details)}
        return new_id, True
    if found["details"] == details:
        return str(found["id"]), False
    table[key] = {"id": found["id"], "details": copied(details)}
    return str(found["id"]), True


def _one(table: dict[tuple[str, str], dict[str, Any]], enterprise_id: str, entry_id: str) -> dict[str, Any] | None:
    return next(({"id": e["id"], **copied(e["details"])} for (owner, _), e in table.items()
                 if owner == enterprise_id and e["id"] == entry_id), None)


def _all(table: dict[tuple[str, str], dict[str, Any]], enterprise_id: str) -> list[dict[str, Any]]:
    return [{"id": e["id"], **copied(e["details"])} for (owner, _), e in sorted(table.items())
            if owner == enterprise_id]


class InMemoryTripLinks:
    """A trip and its empty return, linked once."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def link(self, outbound_reference: str, return_reference: str, at: datetime) -> None:
        self.tables.trip_links.append((outbound_reference, return_reference))

    def of(self, reference: str) -> dict[str, str | None]:
        for outbound, back in self.tables.trip_links:
            if outbound == reference:
                return {"outbound_trip": None, "return_trip": back}
            if back == reference:
                return {"outbound_trip": outbound, "return_trip": None}
        return {"outbound_trip": None, "return_trip": None}

    def empty(self, references: list[str]) -> set[str]:
        return {r for r in references if r in self.tables.declarations and not self.tables.declarations[r].trip.goods}
