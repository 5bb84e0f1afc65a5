"""The record of published waits beside the waits trucks had: what the public page scores its figures against."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, select

from bordergate.adapters.sql.queue_tables import bookings, queue_snapshots
from bordergate.domain.booking import BookingKind
from bordergate.domain.checkpoints import Direction


class SqlPublishedWaits:
    """A lane's published figures and its live-queue trucks' waits between two moments."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def published(self, crossing_point: str, direction: Direction, start: datetime,
                  end: datetime) -> list[tuple[datetime, int | None, int | None]]:
        """(at, expected wait, urgent cargo's wait) in time order; the one in force at ``start`` first."""
        q = queue_snapshots.c
        lane = (q.crossing_point == crossing_point) & (q.direction == direction.value)
        before = select(q.at, q.expected_wait_minutes, q.urgent_wait_minutes).where(lane, q.at < start) \
            .order_by(q.at.desc()).limit(1)
        during = select(q.at, q.expected_wait_minutes, q.urgent_wait_minutes).where(lane, q.at >= start, q.at < end) \
            .order_by(q.at)
        rows = [*self.connection.execute(before), *self.connection.execute(during)]
        return [(row[0], row[1], row[2]) for row in rows]

    def waited(self, crossing_point: str, direction: Direction, start: datetime,
               end: datetime) -> list[dict]:
        """Live-queue trucks that drove into the waiting area between the two moments and have been called."""
        b = bookings.c
        rows = self.connection.execute(
            select(b.queued_at, b.called_at, b.priority, b.perishable_until)
            .where(b.crossing_point == crossing_point, b.direction == direction.value, b.kind == BookingKind.LIVE.value,
                   b.queued_at >= start, b.queued_at < end, b.called_at.is_not(None)))
        return [dict(row) for row in rows.mappings()]
