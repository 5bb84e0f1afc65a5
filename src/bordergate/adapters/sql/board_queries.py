"""The operators' board in SQL: where one lane's open trips stand, and its crossings and calls of the day."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, select

from bordergate.adapters.sql.queue_tables import bookings
from bordergate.adapters.sql.tables import declarations, plate_reads
from bordergate.domain.barrier import Decision
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.declaration import DeclarationStatus

r, d, b = plate_reads.c, declarations.c, bookings.c
_RELEASING = [kind.value for kind in CheckpointKind if kind.releases_the_truck]


class SqlLaneDay:
    """Questions about a lane that span reads, declarations and bookings, so no single repository answers them."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def last_stops(self, crossing_point: str, direction: Direction) -> dict[str, CheckpointKind]:
        """Each open trip of the lane, by the checkpoint of its latest pass."""
        rows = self.connection.execute(
            select(r.reference, r.checkpoint_kind)
            .join(declarations, d.reference == r.reference)
            .where(r.crossing_point == crossing_point, r.direction == direction.value, r.is_pass.is_(True),
                   d.status == DeclarationStatus.SUBMITTED.value)
            .order_by(r.captured_at, r.received_at))
        return {reference: CheckpointKind(kind) for reference, kind in rows}  # later passes overwrite earlier

    def crossings(self, crossing_point: str, direction: Direction, since: datetime) -> list[datetime]:
        """When each trip of the lane passed its last barrier open, since ``since``."""
        rows = self.connection.execute(
            select(func.min(r.captured_at))
            .join(declarations, d.reference == r.reference)
            .where(r.crossing_point == crossing_point, r.direction == direction.value,
                   r.checkpoint_kind.in_(_RELEASING), r.decision == Decision.OPEN.value,
                   r.captured_at >= since, d.status == DeclarationStatus.CROSSED.value)
            .group_by(r.reference))
        return [row[0] for row in rows]

    def calls(self, crossing_point: str, direction: Direction, since: datetime) -> list[tuple[datetime, datetime]]:
        """(in the waiting area since, called at) of each truck of the lane called forward since ``since``."""
        rows = self.connection.execute(
            select(b.queued_at, b.called_at)
            .where(b.crossing_point == crossing_point, b.direction == direction.value, b.called_at >= since,
                   b.queued_at.is_not(None)))
        return [(row[0], row[1]) for row in rows]
