"""In-memory twins of the queue's capacity, hourly slots, regulation orders and published snapshots."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.adapters.memory.tables import Tables, copied
from bordergate.domain.booking import BookingKind
from bordergate.domain.capacity import Capacity, CapacityChange, CapacityPlan, DayLimit, local_day
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import Conflict

_REGULATION_COLUMNS = ("id", "crossing_point", "direction", "staging_area", "message", "issued_by", "issued_at",
                       "lifted_by", "lifted_at")
_SNAPSHOT_COLUMNS = ("crossing_point", "direction", "at", "waiting", "called", "booked_ahead", "capacity_this_hour",
                     "expected_wait_minutes", "expected_wait_low_minutes", "expected_wait_high_minutes",
                     "urgent_wait_minutes")


class InMemoryCapacity:
    """One plan per crossing point and direction (a new one replaces it), changes in the order made, day limits."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def set_plan(self, plan: CapacityPlan, at: datetime) -> None:
        self.tables.capacity_plans[(plan.crossing_point, plan.direction.value)] = plan

    def add_change(self, change: CapacityChange, at: datetime) -> None:
        if any(c.id == change.id for c in self.tables.capacity_changes):
            raise Conflict(f"capacity change {change.id} exists already")
        self.tables.capacity_changes.append(change)

    def set_limit(self, limit: DayLimit) -> None:
        self.tables.day_limits[(limit.crossing_point, limit.direction.value, limit.day)] = limit

    def runs_a_queue(self, crossing_point: str, direction: Direction) -> bool:
        return (crossing_point, direction.value) in self.tables.capacity_plans

    def lanes(self) -> list[tuple[str, Direction]]:
        return [(point, Direction(direction)) for point, direction in sorted(self.tables.capacity_plans)]

    def of(self, crossing_point: str, direction: Direction, since: datetime) -> Capacity:
        """The capacity from ``since`` on (changes that ended before are left out), as SQL reads it."""
        plan = self.tables.capacity_plans.get((crossing_point, direction.value))
        changes = [c for c in self.tables.capacity_changes if c.crossing_point == crossing_point and c.ends_at > since]
        first_day = local_day(since)
        limits = [limit for (point, lane, day), limit in self.tables.day_limits.items()
                  if point == crossing_point and lane == direction.value and day >= first_day]
        return Capacity(plan, changes, limits)


class InMemorySlots:
    """Booked places per hour; a take fails on a full hour, as SQL's conditional update does."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def take(self, crossing_point: str, direction: Direction, starts_at: datetime, capacity: int) -> bool:
        key = (crossing_point, direction.value, starts_at)
        on_row, booked = self.tables.slots.get(key, (capacity, 0))  # an existing row keeps its own capacity
        if booked >= on_row:
            self.tables.slots[key] = (on_row, booked)
            return False
        self.tables.slots[key] = (on_row, booked + 1)
        return True

    def give_back(self, crossing_point: str, direction: Direction, starts_at: datetime) -> None:
        key = (crossing_point, direction.value, starts_at)
        if key in self.tables.slots and self.tables.slots[key][1] > 0:
            capacity, booked = self.tables.slots[key]
            self.tables.slots[key] = (capacity, booked - 1)

    def booked(self, crossing_point: str, direction: Direction, since: datetime, until: datetime, *,
               lock: bool = False) -> dict[datetime, tuple[int, int]]:
        """Hour -> (capacity on the row, booked), for hours someone booked; ``lock`` means nothing in one process."""
        return {at: row for (point, lane, at), row in sorted(self.tables.slots.items(), key=lambda item: item[0][2])
                if point == crossing_point and lane == direction.value and since <= at < until}

    def set(self, crossing_point: str, direction: Direction, starts_at: datetime, capacity: int,
            booked: int) -> None:
        key = (crossing_point, direction.value, starts_at)
        if key in self.tables.slots:  # an UPDATE: an hour nobody booked has no row to change
            self.tables.slots[key] = (capacity, booked)


class InMemoryRegulation:
    """Regulation orders by id, in force until lifted; a lifted order stays on record."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def issue(self, order: dict[str, Any]) -> None:
        if order["id"] in self.tables.regulation:
            raise Conflict(f"regulation order {order['id']} exists already")
        self.tables.regulation[order["id"]] = {column: copied(order.get(column)) for column in _REGULATION_COLUMNS}

    def get(self, order_id: str) -> dict[str, Any] | None:
        found = self.tables.regulation.get(order_id)
        return copied(found) if found else None

    def lift(self, order_id: str, by: str, at: datetime) -> bool:
        found = self.tables.regulation.get(order_id)
        if found is None or found["lifted_at"] is not None:
            return False
        self.tables.regulation[order_id] = {**found, "lifted_by": by, "lifted_at": at}
        return True

    def in_force(self, crossing_point: str | None = None,
                 direction: Direction | None = None) -> list[dict[str, Any]]:
        found = [o for o in self.tables.regulation.values() if o["lifted_at"] is None
                 and (not crossing_point or o["crossing_point"] == crossing_point)
                 and (not direction or o["direction"] is None or o["direction"] == direction.value)]
        return [copied(o) for o in sorted(found, key=lambda o: o["issued_at"])]


class InMemoryQueueSnapshots:
    """Published figures by crossing point, direction and minute; a second one for the same minute replaces it."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def add(self, row: dict[str, Any]) -> None:
        kept = {column: copied(row.get(column)) for column in _SNAPSHOT_COLUMNS}
        self.tables.snapshots[(kept["crossing_point"], kept["direction"], kept["at"])] = kept

    def latest(self) -> list[dict[str, Any]]:
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for (point, lane, at), row in self.tables.snapshots.items():
            if (point, lane) not in newest or newest[(point, lane)]["at"] < at:
                newest[(point, lane)] = row
        return [copied(newest[lane]) for lane in sorted(newest)]

    def since(self, crossing_point: str, since: datetime) -> list[dict[str, Any]]:
        found = [row for (point, _, at), row in self.tables.snapshots.items()
                 if point == crossing_point and at >= since]
        return [copied(row) for row in sorted(found, key=lambda row: row["at"])]


class InMemoryPublishedWaits:
    """A lane's published figures and its live-queue trucks' waits, read from the snapshots and bookings."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def published(self, crossing_point: str, direction: Direction, start: datetime,
                  end: datetime) -> list[tuple[datetime, int | None, int | None]]:
        """(at, expected wait, urgent cargo's wait) in time order; the one in force at ``start`` first."""
        lane = sorted((row for (point, way, _), row in self.tables.snapshots.items()
                       if point == crossing_point and way == direction.value), key=lambda row: row["at"])
        before = [row for row in lane if row["at"] < start][-1:]
        during = [row for row in lane if start <= row["at"] < end]
        return [(row["at"], row["expected_wait_minutes"], row["urgent_wait_minutes"]) for row in before + during]

    def waited(self, crossing_point: str, direction: Direction, start: datetime,
               end: datetime) -> list[dict[str, Any]]:
        return [{"queued_at": b.queued_at, "called_at": b.called_at, "priority": b.priority.value,
                 "perishable_until": b.perishable_until}
                for b in self.tables.bookings.values()
                if b.crossing_point == crossing_point and b.direction is direction and b.kind is BookingKind.LIVE
                and b.queued_at is not None and start <= b.queued_at < end and b.called_at is not None]
