"""The queue in SQL: capacity, hourly slots taken atomically, bookings, regulation orders, published waits."""
from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from bordergate.adapters.sql.queue_tables import (booking_attempts, bookings, capacity_changes, capacity_plans,
                                                  day_limits, queue_snapshots, regulation_orders, slots)
from bordergate.domain.booking import Booking, BookingKind, BookingStatus, Priority
from bordergate.domain.capacity import Capacity, CapacityChange, CapacityPlan, DayLimit, local_day
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import ChangedMeanwhile, Conflict

b, s = bookings.c, slots.c
ACTIVE = [status.value for status in BookingStatus if status.is_active]
# Asked on every plate read at a barrier: built once.
_ACTIVE_FOR = select(bookings).where(b.reference == bindparam("reference"), b.status.in_(ACTIVE))
_RUNS_A_QUEUE = select(capacity_plans.c.crossing_point).where(
    capacity_plans.c.crossing_point == bindparam("point"), capacity_plans.c.direction == bindparam("direction"))


@cache
def _upsert(dialect: str, table, keys: tuple[str, ...], update_columns: tuple[str, ...] = ()):
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    if not update_columns:
        return statement.on_conflict_do_nothing(index_elements=list(keys))
    return statement.on_conflict_do_update(index_elements=list(keys),
                                           set_={c: getattr(statement.excluded, c) for c in update_columns})


class SqlCapacity:
    """Capacity plans, changes and day limits, read together as a Capacity per crossing point and direction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def set_plan(self, plan: CapacityPlan, at: datetime) -> None:
        statement = _upsert(self.connection.dialect.name, capacity_plans, ("crossing_point", "direction"),
                            ("hourly", "updated_at"))
        self.connection.execute(statement, {"crossing_point": plan.crossing_point,
                                            "direction": plan.direction.value, "hourly": list(plan.hourly),
                                            "updated_at": at})

    def add_change(self, change: CapacityChange, at: datetime) -> None:
        self.connection.execute(insert(capacity_changes).values(
            id=change.id, crossing_point=change.crossing_point,
            direction=change.direction.value if change.direction else None, starts_at=change.starts_at,
            ends_at=change.ends_at, per_hour=change.per_hour, reason=change.reason, created_at=at))

    def set_limit(self, limit: DayLimit) -> None:
        statement = _upsert(self.connection.dialect.name, day_limits, ("crossing_point", "direction", "day"),
                            ("trucks",))
        self.connection.execute(statement, {"crossing_point": limit.crossing_point,
                                            "direction": limit.direction.value, "day": limit.day,
                                            "trucks": limit.trucks})

    def runs_a_queue(self, crossing_point: str, direction: Direction) -> bool:
        found = self.connection.execute(_RUNS_A_QUEUE, {"point": crossing_point, "direction": direction.value})
        return found.first() is not None

    def lanes(self) -> list[tuple[str, Direction]]:
        """Every crossing point and direction that runs a queue."""
        rows = self.connection.execute(select(capacity_plans.c.crossing_point, capacity_plans.c.direction)
                                       .order_by(capacity_plans.c.crossing_point, capacity_plans.c.direction))
        return [(row[0], Direction(row[1])) for row in rows]

    def of(self, crossing_point: str, direction: Direction, since: datetime) -> Capacity:
        """The capacity from ``since`` on (changes that ended before are left out)."""
        p = capacity_plans.c
        row = self.connection.execute(select(p.hourly).where(
            p.crossing_point == crossing_point, p.direction == direction.value)).first()
        plan = CapacityPlan(crossing_point, direction, tuple(row[0])) if row else None
        c = capacity_changes.c
        changes = [CapacityChange(r.id, r.crossing_point, Direction(r.direction) if r.direction else None,
                                  r.starts_at, r.ends_at, r.per_hour, r.reason)
                   for r in self.connection.execute(select(capacity_changes).where(
                       c.crossing_point == crossing_point, c.ends_at > since).order_by(c.created_at))]
        d = day_limits.c
        limits = [DayLimit(r.crossing_point, Direction(r.direction), r.day, r.trucks)
                  for r in self.connection.execute(select(day_limits).where(
                      d.crossing_point == crossing_point, d.direction == direction.value,
                      d.day >= local_day(since)))]
        return Capacity(plan, changes, limits)


class SqlSlots:
    """Booked places per hour; the capacity on each row is what the atomic take checks against."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def take(self, crossing_point: str, direction: Direction, starts_at: datetime, capacity: int) -> bool:
        """Take one place in the hour, creating its row at ``capacity``; False when the hour is full."""
        key = {"crossing_point": crossing_point, "direction": direction.value, "starts_at": starts_at}
        self.connection.execute(_upsert(self.connection.dialect.name, slots, tuple(key)),
                                {**key, "capacity": capacity, "booked": 0})
        taken = self.connection.execute(update(slots).where(
            s.crossing_point == crossing_point, s.direction == direction.value, s.starts_at == starts_at,
            s.booked < s.capacity).values(booked=s.booked + 1))
        return taken.rowcount == 1

    def give_back(self, crossing_point: str, direction: Direction, starts_at: datetime) -> None:
        self.connection.execute(update(slots).where(
            s.crossing_point == crossing_point, s.direction == direction.value, s.starts_at == starts_at,
            s.booked > 0).values(booked=s.booked - 1))

    def booked(self, crossing_point: str, direction: Direction, since: datetime, until: datetime, *,
               lock: bool = False) -> dict[datetime, tuple[int, int]]:
        """Hour -> (capacity on the row, booked), for hours someone booked.

        ``lock`` (PostgreSQL) holds the rows until commit: only for rewriting capacities, never to read free hours,
        or refused bookings, each holding the hour it failed on, would wait on each other in a cycle.
        """
        query = select(s.starts_at, s.capacity, s.booked).where(
            s.crossing_point == crossing_point, s.direction == direction.value, s.starts_at >= since,
            s.starts_at < until).order_by(s.starts_at)
        if lock and self.connection.dialect.name == "postgresql":
            query = query.with_for_update()
        return {row[0]: (row[1], row[2]) for row in self.connection.execute(query)}

    def set(self, crossing_point: str, direction: Direction, starts_at: datetime, capacity: int, booked: int) -> None:
        self.connection.execute(update(slots).where(
            s.crossing_point == crossing_point, s.direction == direction.value, s.starts_at == starts_at)
            .values(capacity=capacity, booked=booked))


def _booking(row) -> Booking:
    return Booking(
        id=row["id"], reference=row["reference"], enterprise_id=row["enterprise_id"], booked_by=row["booked_by"],
        crossing_point=row["crossing_point"], direction=Direction(row["direction"]), kind=BookingKind(row["kind"]),
        tractor_plate=row["tractor_plate"], booked_at=row["booked_at"], slot_start=row["slot_start"],
        priority=Priority(row["priority"]), perishable_until=row["perishable_until"], arrives_at=row["arrives_at"],
        status=BookingStatus(row["status"]), queued_at=row["queued_at"], called_at=row["called_at"],
        call_deadline=row["call_deadline"], missed_calls=row["missed_calls"], ended_at=row["ended_at"],
        strike=row["strike"], missed_call_at=row["missed_call_at"], version=row["version"])


def _booking_row(booking: Booking) -> dict[str, Any]:
    return {
        "id": booking.id, "reference": booking.reference, "enterprise_id": booking.enterprise_id,
        "booked_by": booking.booked_by, "crossing_point": booking.crossing_point,
        "direction": booking.direction.value, "kind": booking.kind.value, "tractor_plate": booking.tractor_plate,
        "booked_at": booking.booked_at, "slot_start": booking.slot_start, "priority": booking.priority.value,
        "perishable_until": booking.perishable_until, "arrives_at": booking.arrives_at,
        "status": booking.status.value,
        "queued_at": booking.queued_at, "called_at": booking.called_at, "call_deadline": booking.call_deadline,
        "missed_calls": booking.missed_calls, "ended_at": booking.ended_at, "version": booking.version,
        # A late cancellation, a no-show and a second missed call count against the enterprise.
        "strike": booking.strike, "missed_call_at": booking.missed_call_at,
    }


class SqlBookings:
    """Bookings; saves check the version so two changes never overwrite each other."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.seen: list[Booking] = []

    def add(self, booking: Booking) -> None:
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(bookings), _booking_row(booking))
        except IntegrityError:
            raise Conflict(f"truck {booking.tractor_plate} already has an active booking; a truck holds one place "
                           "at a time (cancel the other booking first)") from None
        self.seen.append(booking)

    def get(self, booking_id: str) -> Booking | None:
        row = self.connection.execute(select(bookings).where(b.id == booking_id)).mappings().first()
        return self._seen(_booking(row)) if row else None

    def active_for(self, reference: str) -> Booking | None:
        """The trip's active booking; one already loaded in this unit of work is handed back, not read again
        (a yard-gate read asks for it to decide the barrier, then to record the arrival)."""
        for booking in self.seen:
            if booking.reference == reference and booking.status.is_active:
                return booking
        row = self.connection.execute(_ACTIVE_FOR, {"reference": reference}).mappings().first()
        return self._seen(_booking(row)) if row else None

    def latest_for(self, reference: str) -> Booking | None:
        # The active booking if there is one, else the one made last.
        row = self.connection.execute(select(bookings).where(b.reference == reference)
                                      .order_by(b.status.in_(ACTIVE).desc(), b.booked_at.desc()).limit(1)
                                      ).mappings().first()
        return _booking(row) if row else None

    def active_at(self, crossing_point: str, direction: Direction) -> list[Booking]:
        rows = self.connection.execute(select(bookings).where(
            b.crossing_point == crossing_point, b.direction == direction.value, b.status.in_(ACTIVE))).mappings()
        return [self._seen(_booking(row)) for row in rows]

    def in_slot(self, crossing_point: str, direction: Direction, starts_at: datetime) -> list[Booking]:
        """Active bookings holding a place in the hour (booked, or already in the waiting area or called)."""
        rows = self.connection.execute(select(bookings).where(
            b.crossing_point == crossing_point, b.direction == direction.value, b.slot_start == starts_at,
            b.kind == BookingKind.SLOT.value, b.status.in_(ACTIVE)).order_by(b.booked_at)).mappings()
        return [self._seen(_booking(row)) for row in rows]

    def save(self, booking: Booking, loaded_version: int) -> None:
        values = _booking_row(booking)
        result = self.connection.execute(update(bookings).where(b.id == booking.id, b.version == loaded_version)
                                         .values(**values))
        if result.rowcount != 1:
            raise ChangedMeanwhile(f"booking {booking.id} was changed meanwhile; try again")

    def strikes(self, enterprise_id: str, since: datetime) -> int:
        return self.connection.execute(select(func.count()).select_from(bookings).where(
            b.enterprise_id == enterprise_id, b.strike.is_(True), b.ended_at >= since)).scalar_one()

    def last_strike(self, enterprise_id: str) -> datetime | None:
        return self.connection.execute(select(func.max(b.ended_at)).where(
            b.enterprise_id == enterprise_id, b.strike.is_(True))).scalar_one()

    def attempt(self, attempt_id: str, user_id: str, at: datetime) -> None:
        self.connection.execute(insert(booking_attempts).values(id=attempt_id, user_id=user_id, at=at))

    def attempts_by(self, user_id: str, since: datetime) -> int:
        return self.connection.execute(select(func.count()).select_from(booking_attempts).where(
            booking_attempts.c.user_id == user_id, booking_attempts.c.at >= since)).scalar_one()

    def forget_attempts(self, before: datetime) -> None:
        self.connection.execute(delete(booking_attempts).where(booking_attempts.c.at < before))

    def called_since(self, crossing_point: str, direction: Direction, since: datetime) -> int:
        """Calls made since ``since``, a missed one included: it used a place of its hour."""
        lane = (b.crossing_point == crossing_point) & (b.direction == direction.value)
        count = select(func.count()).select_from(bookings)
        return (self.connection.execute(count.where(lane, b.called_at >= since)).scalar_one()
                + self.connection.execute(count.where(lane, b.missed_call_at >= since)).scalar_one())

    def set_expected(self, expected: dict[str, datetime | None], told: dict[str, datetime | None]) -> None:
        """Publish each booking's expected call time; ``told`` records what drivers were last told."""
        for booking_id, at in expected.items():
            values = {"expected_call_at": at}
            if booking_id in told:
                values["told_expected_at"] = told[booking_id]
            self.connection.execute(update(bookings).where(b.id == booking_id).values(**values))

    def published(self, booking_ids: list[str]) -> dict[str, tuple[datetime | None, datetime | None]]:
        rows = self.connection.execute(select(b.id, b.expected_call_at, b.told_expected_at)
                                       .where(b.id.in_(booking_ids)))
        return {row[0]: (row[1], row[2]) for row in rows}

    def _seen(self, booking: Booking) -> Booking:
        self.seen.append(booking)
        return booking


class SqlRegulation:
    """Regulation orders: holds at a staging area, in force until lifted."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def issue(self, order: dict[str, Any]) -> None:
        self.connection.execute(insert(regulation_orders).values(**order))

    def get(self, order_id: str) -> dict[str, Any] | None:
        row = self.connection.execute(select(regulation_orders).where(regulation_orders.c.id == order_id)
                                      ).mappings().first()
        return dict(row) if row else None

    def lift(self, order_id: str, by: str, at: datetime) -> bool:
        r = regulation_orders.c
        result = self.connection.execute(update(regulation_orders).where(r.id == order_id, r.lifted_at.is_(None))
                                         .values(lifted_by=by, lifted_at=at))
        return result.rowcount == 1

    def in_force(self, crossing_point: str | None = None, direction: Direction | None = None) -> list[dict]:
        r = regulation_orders.c
        query = select(regulation_orders).where(r.lifted_at.is_(None)).order_by(r.issued_at)
        if crossing_point:
            query = query.where(r.crossing_point == crossing_point)
        if direction:
            query = query.where((r.direction.is_(None)) | (r.direction == direction.value))
        return [dict(row) for row in self.connection.execute(query).mappings()]


class SqlQueueSnapshots:
    """What was published, minute by minute: queue length and expected wait per crossing point and direction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, row: dict[str, Any]) -> None:
        self.connection.execute(_upsert(self.connection.dialect.name, queue_snapshots,
                                        ("crossing_point", "direction", "at"),
                                        ("waiting", "called", "booked_ahead", "capacity_this_hour",
                                         "expected_wait_minutes", "expected_wait_low_minutes",
                                         "expected_wait_high_minutes", "urgent_wait_minutes")), row)

    def latest(self) -> list[dict[str, Any]]:
        q = queue_snapshots.c
        newest = (select(q.crossing_point, q.direction, func.max(q.at).label("at"))
                  .group_by(q.crossing_point, q.direction).subquery())
        rows = self.connection.execute(select(queue_snapshots).join(newest, and_(
            q.crossing_point == newest.c.crossing_point, q.direction == newest.c.direction, q.at == newest.c.at))
            .order_by(q.crossing_point, q.direction)).mappings()
        return [dict(row) for row in rows]

    def since(self, crossing_point: str, since: datetime) -> list[dict[str, Any]]:
        q = queue_snapshots.c
        rows = self.connection.execute(select(queue_snapshots).where(q.crossing_point == crossing_point,
                                                                     q.at >= since).order_by(q.at)).mappings()
        return [dict(row) for row in rows]

