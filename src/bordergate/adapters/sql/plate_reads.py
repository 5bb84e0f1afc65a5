"""Plate reads, the plate keys they are matched through, and the operator review queue, in SQL."""
from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bordergate.adapters.sql import chain
from bordergate.adapters.sql.tables import declarations, plate_keys, plate_reads, review_items
from bordergate.domain.barrier import BarrierDecision, Because, Decision, Reason
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.declaration import DeclarationStatus
from bordergate.domain.plate_matching import MatchOutcome, PlateRole, filing_keys
from bordergate.domain.trip import Flow
from bordergate.domain.plate_reads import Pass, PlateRead, ReadSource, ReviewStatus, Sighting, TripOnRecord

r, k, d = plate_reads.c, plate_keys.c, declarations.c

_seen_at_gate = exists().where(r.reference == k.reference, r.is_pass.is_(True))
_CANDIDATES = (select(k.reference, k.plate, k.role, d.planned_arrival, _seen_at_gate.label("seen"), d.status,
                      d.flow, d.trailer_plate).distinct()
               .join(declarations, d.reference == k.reference)
               .where(k.crossing_point == bindparam("crossing_point"),
                      k.key.in_(bindparam("keys", expanding=True)),
                      k.open_until.is_(None) | (k.open_until >= bindparam("captured_at"))))
_BY_CAMERA_READ = select(plate_reads).where(r.camera_id == bindparam("camera_id"),
                                            r.camera_read_id == bindparam("camera_read_id"))
_BY_ID = select(plate_reads).where(r.id == bindparam("id"))
_PASSES = select(r.checkpoint_kind, r.checkpoint_id, r.captured_at, r.direction).where(
    r.reference == bindparam("reference"), r.is_pass.is_(True))
_ELSEWHERE = (select(r.id, r.crossing_point, r.checkpoint_id, r.captured_at)
              .where(r.read_as == bindparam("read_as"), r.crossing_point != bindparam("crossing_point"),
                     r.captured_at > bindparam("since"), r.captured_at < bindparam("until"),
                     r.confidence >= bindparam("min_confidence"), r.source != ReadSource.REVIEW.value)
              .order_by(r.captured_at).limit(5))


@cache
def _insert_read(dialect: str):
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(plate_reads)
    return (statement.on_conflict_do_nothing(index_elements=["camera_id", "camera_read_id"])
            .returning(plate_reads.c.id))


def _row(read: PlateRead) -> dict[str, Any]:
    s = read.sighting
    return {
        "id": read.id, "camera_id": s.camera_id, "camera_read_id": s.camera_read_id or read.id,
        "checkpoint_id": s.checkpoint_id, "crossing_point": read.crossing_point,
        "checkpoint_kind": read.checkpoint_kind.value, "direction": read.direction.value, "source": s.source.value,
        "captured_at": s.captured_at, "received_at": read.received_at, "actor": read.actor,
        "plate_text": s.plate_text, "read_as": read.read_as, "confidence": s.confidence, "image_ref": s.image_ref,
        "outcome": read.outcome.value, "reference": read.reference,
        "role": read.role.value if read.role else None, "is_pass": read.is_pass,
        "decision": read.barrier.decision.value,
        "reasons": [{"code": b.reason.value, "detail": b.detail} for b in read.barrier.reasons],
        "suggestions": list(read.suggestions), "match_reasons": list(read.match_reasons),
        "corrects_read_id": read.corrects_read_id, "note": s.note,
    }


def read_from_row(row) -> PlateRead:
    """A stored read as the domain object."""
    sighting = Sighting(
        checkpoint_id=row["checkpoint_id"], captured_at=row["captured_at"], plate_text=row["plate_text"],
        confidence=row["confidence"], source=ReadSource(row["source"]), camera_id=row["camera_id"],
        camera_read_id=row["camera_read_id"], image_ref=row["image_ref"], note=row["note"])
    barrier = BarrierDecision(Decision(row["decision"]),
                              tuple(Because(Reason(b["code"]), b["detail"]) for b in row["reasons"]))
    return PlateRead(
        id=row["id"], sighting=sighting, crossing_point=row["crossing_point"],
        checkpoint_kind=CheckpointKind(row["checkpoint_kind"]), direction=Direction(row["direction"]),
        received_at=row["received_at"], actor=row["actor"], read_as=row["read_as"],
        outcome=MatchOutcome(row["outcome"]), barrier=barrier, reference=row["reference"],
        role=PlateRole(row["role"]) if row["role"] else None, is_pass=row["is_pass"],
        corrects_read_id=row["corrects_read_id"], suggestions=tuple(row["suggestions"]),
        match_reasons=tuple(row["match_reasons"]))


class SqlPlateKeys:
    """The keys open declarations' plates are filed under, kept in step with the declarations."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def file(self, reference: str, crossing_point: str, plates: Iterable[tuple[str, PlateRole]]) -> None:
        rows = [{"reference": reference, "plate": plate, "key": key, "role": role.value,
                 "crossing_point": crossing_point}
                for plate, role in plates for key in sorted(filing_keys(plate))]
        if rows:
            self.connection.execute(insert(plate_keys), rows)

    def forget(self, reference: str) -> None:
        self.connection.execute(delete(plate_keys).where(k.reference == reference))

    def close(self, reference: str, at: datetime) -> None:
        """The trip crossed at ``at``: its plates match only reads captured before then."""
        self.connection.execute(update(plate_keys).where(k.reference == reference).values(open_until=at))

    def prune(self, before: datetime) -> int:
        """Forget plates of trips that crossed before ``before``: no late read is that late."""
        return self.connection.execute(delete(plate_keys).where(k.open_until < before)).rowcount


class SqlPlateReads:
    """Append-only reads; what a new read needs to know about a truck's earlier passes."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, read: PlateRead) -> bool:
        """Store the read, chained; False when this camera already sent a read with this id (a retry).

        The insert itself decides a retry, so the chain's head is locked before it and held to the commit: call it
        as late in the transaction as the read allows (on a retry the caller rolls back, and the head with it).
        """
        row = _row(read)
        chain.link(self.connection, "plate_reads", plate_reads, [row])
        inserted = self.connection.execute(_insert_read(self.connection.dialect.name), row).first()
        return inserted is not None

    def get(self, read_id: str) -> PlateRead | None:
        row = self.connection.execute(_BY_ID, {"id": read_id}).mappings().first()
        return read_from_row(row) if row else None

    def find(self, camera_id: str, camera_read_id: str) -> PlateRead | None:
        """The read a camera already sent under this id (a retry), if any."""
        row = self.connection.execute(
            _BY_CAMERA_READ, {"camera_id": camera_id, "camera_read_id": camera_read_id}).mappings().first()
        return read_from_row(row) if row else None

    def candidates(self, crossing_point: str, keys: set[str], captured_at: datetime) -> list[TripOnRecord]:
        """Trips at the crossing point, open when the read was captured, with a plate filed under one of ``keys``."""
        if not keys:
            return []
        rows = self.connection.execute(_CANDIDATES, {"crossing_point": crossing_point, "keys": sorted(keys),
                                                     "captured_at": captured_at})
        return [TripOnRecord(row[0], row[1], PlateRole(row[2]), row[3], bool(row[4]),
                             (DeclarationStatus(row[5]), Flow(row[6]), row[7])) for row in rows]

    def passes(self, reference: str) -> list[Pass]:
        """The trip's first read at each checkpoint it passed."""
        return [Pass(CheckpointKind(row[0]), row[1], row[2], Direction(row[3]))
                for row in self.connection.execute(_PASSES, {"reference": reference})]

    def elsewhere(self, read_as: str, crossing_point: str, at: datetime, window: timedelta,
                  min_confidence: float) -> list[dict[str, Any]]:
        """Confident reads of the same plate at other crossing points within ``window`` of ``at``."""
        rows = self.connection.execute(_ELSEWHERE, {
            "read_as": read_as, "crossing_point": crossing_point, "since": at - window, "until": at + window,
            "min_confidence": min_confidence}).mappings()
        return [dict(row) for row in rows]

    def in_yard_since(self, cutoff: datetime) -> list[dict[str, Any]]:
        """Open trips whose yard-entry pass was captured before ``cutoff``: they should have left by now."""
        rows = self.connection.execute(
            select(r.reference, r.crossing_point, r.checkpoint_id, func.min(r.captured_at).label("entered_at"))
            .join(declarations, d.reference == r.reference)
            .where(r.checkpoint_kind == CheckpointKind.YARD_ENTRY.value, r.is_pass.is_(True),
                   r.captured_at < cutoff, d.status == "submitted")
            .group_by(r.reference, r.crossing_point, r.checkpoint_id)).mappings()
        return [dict(row) for row in rows]

    def of_declaration(self, reference: str) -> list[PlateRead]:
        rows = self.connection.execute(select(plate_reads).where(r.reference == reference)
                                       .order_by(r.captured_at, r.received_at)).mappings()
        return [read_from_row(row) for row in rows]


class SqlReviews:
    """Reads a person must confirm, correct or dismiss, oldest first."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def open(self, read: PlateRead) -> None:
        self.connection.execute(insert(review_items).values(
            read_id=read.id, crossing_point=read.crossing_point, checkpoint_id=read.sighting.checkpoint_id,
            status=ReviewStatus.OPEN.value, opened_at=read.received_at))

    def get(self, read_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(review_items).where(review_items.c.read_id == read_id)).mappings().first()
        return dict(row) if row else None

    def resolve(self, read_id: str, *, by: str, at: datetime, resolution: str, resolved_read_id: str | None,
                note: str | None) -> bool:
        """Close an open review; False if someone else closed it meanwhile."""
        result = self.connection.execute(
            update(review_items)
            .where(review_items.c.read_id == read_id, review_items.c.status == ReviewStatus.OPEN.value)
            .values(status=ReviewStatus.RESOLVED.value, resolved_by=by, resolved_at=at, resolution=resolution,
                    resolved_read_id=resolved_read_id, note=note))
        return result.rowcount == 1

    def listing(self, crossing_point: str | None, status: str, limit: int) -> list[tuple[dict[str, Any], PlateRead]]:
        v = review_items.c
        query = (select(plate_reads, v.status.label("review_status"), v.opened_at, v.resolved_at, v.resolved_by,
                        v.resolution, v.resolved_read_id, v.note.label("review_note"))
                 .join(review_items, v.read_id == r.id)
                 .where(v.status == status).order_by(v.opened_at).limit(limit))
        if crossing_point:
            query = query.where(v.crossing_point == crossing_point)
        review_keys = ("review_status", "opened_at", "resolved_at", "resolved_by", "resolution", "resolved_read_id",
                       "review_note")
        return [({key: row[key] for key in review_keys}, read_from_row(row))
                for row in self.connection.execute(query).mappings()]
