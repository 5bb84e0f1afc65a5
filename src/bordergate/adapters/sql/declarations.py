"""Declarations in SQL: one row per trip with its match keys as columns, goods and containers as child rows."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy import Connection

from bordergate.adapters.sql.plate_reads import SqlPlateKeys
from bordergate.adapters.sql.tables import declarations, declared_containers, goods_lines
from bordergate.domain.declaration import Declaration, DeclarationStatus
from bordergate.domain.errors import ChangedMeanwhile
from bordergate.domain.identifiers import hs_chapter
from bordergate.domain.plate_matching import PlateRole
from bordergate.domain.trip import Flow
from bordergate.domain.trip_form import trip_from_record, trip_to_plain
from bordergate.services.repositories import DeclarationSummary

_BY_REFERENCE = select(declarations).where(declarations.c.reference == bindparam("reference"))
_ESSENTIALS = select(declarations.c.status, declarations.c.flow, declarations.c.trailer_plate).where(
    declarations.c.reference == bindparam("reference"))


class SqlDeclarations:
    """Load and store Declaration aggregates; updates check the version so two editors never overwrite."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.plate_keys = SqlPlateKeys(connection)
        self.seen: list[Declaration] = []

    def add(self, declaration: Declaration) -> None:
        self.connection.execute(insert(declarations), self._row(declaration))
        self._write_children(declaration)
        self._file_plates(declaration)
        self.seen.append(declaration)

    def get(self, reference: str) -> Declaration | None:
        row = self.connection.execute(_BY_REFERENCE, {"reference": reference}).mappings().first()
        if row is None:
            return None
        declaration = Declaration(
            reference=row["reference"], enterprise_id=row["enterprise_id"], declared_by=row["declared_by"],
            trip=trip_from_record(row["trip"]), submitted_at=row["submitted_at"],
            status=DeclarationStatus(row["status"]), version=row["version"], cancelled_at=row["cancelled_at"])
        self.seen.append(declaration)
        return declaration

    def open_references(self, since: date) -> list[str]:
        """References of open trips planned on or after a day (UTC midnight before it, to be safe)."""
        start = datetime(since.year, since.month, since.day, tzinfo=UTC) - timedelta(days=1)
        rows = self.connection.execute(select(declarations.c.reference).where(
            declarations.c.status == DeclarationStatus.SUBMITTED.value, declarations.c.planned_arrival >= start))
        return [row[0] for row in rows]

    def essentials(self, reference: str) -> tuple[DeclarationStatus, Flow, str | None] | None:
        """Status, flow and compact trailer plate, without reading the whole trip: what a plate read needs."""
        row = self.connection.execute(_ESSENTIALS, {"reference": reference}).first()
        return (DeclarationStatus(row[0]), Flow(row[1]), row[2]) if row else None

    def summaries(self, enterprises: frozenset[str] | None, **filters: Any) -> list[DeclarationSummary]:
        return declaration_summaries(self.connection, enterprises, **filters)

    def save(self, declaration: Declaration, loaded_version: int) -> None:
        """Write back a changed declaration, refusing if someone else changed it since it was loaded."""
        values = self._row(declaration)
        del values["reference"]
        result = self.connection.execute(
            update(declarations)
            .where(declarations.c.reference == declaration.reference, declarations.c.version == loaded_version)
            .values(**values))
        if result.rowcount != 1:
            raise ChangedMeanwhile(f"declaration {declaration.reference} was changed by someone else meanwhile; "
                           "reload it and apply your correction again")
        self.connection.execute(delete(goods_lines).where(goods_lines.c.reference == declaration.reference))
        self.connection.execute(
            delete(declared_containers).where(declared_containers.c.reference == declaration.reference))
        self._write_children(declaration)
        if declaration.status is DeclarationStatus.CROSSED:
            self.plate_keys.close(declaration.reference, declaration.crossed_at)
        else:
            self.plate_keys.forget(declaration.reference)
            self._file_plates(declaration)

    def _file_plates(self, d: Declaration) -> None:
        """Cameras look for the plates of open declarations only: a cancelled or crossed trip is not expected."""
        if not d.status.is_open:
            return
        vehicle = d.trip.vehicle
        plates = [(vehicle.tractor_plate.compact, PlateRole.TRACTOR)]
        if vehicle.trailer_plate:
            plates.append((vehicle.trailer_plate.compact, PlateRole.TRAILER))
        self.plate_keys.file(d.reference, d.trip.crossing_point, plates)

    @staticmethod
    def _row(d: Declaration) -> dict[str, Any]:
        trip = d.trip
        return {
            "reference": d.reference, "enterprise_id": d.enterprise_id, "declared_by": d.declared_by,
            "status": d.status.value, "version": d.version, "crossing_point": trip.crossing_point,
            "flow": trip.flow.value, "planned_arrival": trip.planned_arrival,
            "tractor_plate": trip.vehicle.tractor_plate.compact,
            "trailer_plate": trip.vehicle.trailer_plate.compact if trip.vehicle.trailer_plate else None,
            "driver_document": trip.driver.document_number, "perishable": trip.perishable,
            "submitted_at": d.submitted_at, "cancelled_at": d.cancelled_at, "trip": trip_to_plain(trip),
        }

    def _write_children(self, d: Declaration) -> None:
        lines = [
            {"reference": d.reference, "line_no": i, "hs_code": g.hs_code, "hs_chapter": hs_chapter(g.hs_code),
             "description": g.description, "packages": g.packages, "gross_weight_kg": g.gross_weight_kg,
             "value": g.value, "currency": g.currency, "origin_country": g.origin_country,
             "perishable": g.perishable, "shelf_life_hours": g.shelf_life_hours,
             "quarantine_required": g.quarantine_required}
            for i, g in enumerate(d.trip.goods)
        ]
        if lines:  # an empty truck has none, and an empty executemany is not a statement
            self.connection.execute(insert(goods_lines), lines)
        if d.trip.containers:
            self.connection.execute(insert(declared_containers),
                                 [{"reference": d.reference, "container_number": n} for n in d.trip.containers])


def declaration_summaries(connection: Connection, enterprises: frozenset[str] | None, *, status: str | None = None,
                          crossing_point: str | None = None, plate: str | None = None,
                          limit: int = 50, offset: int = 0) -> list[DeclarationSummary]:
    """Newest first; ``enterprises`` None means every enterprise (authorities at the gate)."""
    c = declarations.c
    query = select(c.reference, c.enterprise_id, c.status, c.crossing_point, c.flow, c.planned_arrival,
                   c.tractor_plate, c.trailer_plate, c.perishable, c.submitted_at, c.version)
    if enterprises is not None:
        query = query.where(c.enterprise_id.in_(sorted(enterprises)))
    if status:
        query = query.where(c.status == status)
    if crossing_point:
        query = query.where(c.crossing_point == crossing_point)
    if plate:
        query = query.where((c.tractor_plate == plate) | (c.trailer_plate == plate))
    query = query.order_by(c.submitted_at.desc(), c.reference).limit(limit).offset(offset)
    return [cast(DeclarationSummary, dict(row)) for row in connection.execute(query).mappings()]
