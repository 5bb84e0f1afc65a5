"""In-memory twin of the questions about a lane that span reads, declarations and bookings."""
from __future__ import annotations

from datetime import datetime

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.barrier import Decision
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.declaration import DeclarationStatus


class InMemoryLaneDays:
    """Where a lane's open trips stand, and its crossings and calls since a moment, as adapters/sql/board_queries."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def _status(self, reference: str | None) -> DeclarationStatus | None:
        declaration = self.tables.declarations.get(reference or "")
        return declaration.status if declaration else None

    def last_stops(self, crossing_point: str, direction: Direction) -> dict[str, CheckpointKind]:
        passes = sorted((read for read, _ in self.tables.reads
                         if read.crossing_point == crossing_point and read.direction is direction and read.is_pass
                         and read.reference and self._status(read.reference) is DeclarationStatus.SUBMITTED),
                        key=lambda read: (read.sighting.captured_at, read.received_at))
        return {read.reference: read.checkpoint_kind for read in passes if read.reference}  # later overwrite

    def crossings(self, crossing_point: str, direction: Direction, since: datetime) -> list[datetime]:
        first: dict[str, datetime] = {}
        for read, _ in self.tables.reads:
            if (read.reference and read.crossing_point == crossing_point and read.direction is direction
                    and read.checkpoint_kind.releases_the_truck and read.barrier.decision is Decision.OPEN
                    and read.sighting.captured_at >= since
                    and self._status(read.reference) is DeclarationStatus.CROSSED):
                at = read.sighting.captured_at
                first[read.reference] = min(at, first.get(read.reference, at))
        return list(first.values())

    def calls(self, crossing_point: str, direction: Direction,
              since: datetime) -> list[tuple[datetime, datetime]]:
        return [(b.queued_at, b.called_at) for b in self.tables.bookings.values()
                if b.crossing_point == crossing_point and b.direction is direction and b.called_at is not None
                and b.called_at >= since and b.queued_at is not None]
