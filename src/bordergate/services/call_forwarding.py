"""Use cases of the call-forward loop: call trucks as capacity frees, expire calls, publish expected waits."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bordergate.domain import commands
from bordergate.domain.booking import Booking, BookingKind, BookingStatus, QueueRules
from bordergate.domain.call_forward import HORIZON_HOURS, Place, calls_due, project
from bordergate.domain.capacity import HOUR, Capacity, hour_of
from bordergate.domain.checkpoints import Direction
from bordergate.domain.notices import NoticeKind, local_time
from bordergate.domain.public_waits import NEWCOMER, newcomer, public_wait
from bordergate.domain.queue_events import TruckCheckedIn
from bordergate.domain.access import RUN_THE_GATE, require
from bordergate.services.notifying import tell_driver
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

def run_call_forward(cmd: commands.RunCallForward, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                     rules: QueueRules) -> dict[str, dict[str, int]]:
    """One turn of the loop for every crossing point and direction that runs a queue."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    summary = {}
    with uow:
        for point, direction in uow.capacity.lanes():
            summary[f"{point}:{direction.value}"] = _turn(uow, ids, rules, point, direction, now)
        uow.commit()
    return summary


def _turn(uow: UnitOfWork, ids: Identifiers, rules: QueueRules, point: str, direction: Direction,
          now: datetime) -> dict[str, int]:
    active = uow.bookings.active_at(point, direction)
    expired = _expire_calls(uow, ids, active, now)
    no_shows = _mark_no_shows(uow, active, now, rules)
    active = [b for b in active if b.status.is_active]
    capacity = uow.capacity.of(point, direction, now)
    hour = hour_of(now)
    called_this_hour = uow.bookings.called_since(point, direction, hour)
    called = []
    if not uow.regulation.in_force(point, direction):
        waiting = [b for b in active if b.status is BookingStatus.WAITING]
        slots_not_arrived = sum(1 for b in active if b.status is BookingStatus.BOOKED and b.slot_start == hour)
        due = calls_due(now, map(place_of, waiting), capacity.at(hour), called_this_hour, slots_not_arrived,
                        rules.perishable_urgent)
        by_id = {b.id: b for b in waiting}
        for place in due:
            called.append(_call(uow, ids, by_id[place.booking_id], now, rules))
        called_this_hour += len(called)
    _publish(uow, ids, rules, point, direction, active, capacity, called_this_hour, now)
    return {"called": len(called), "calls_expired": expired, "no_shows": no_shows}


def republish(uow: UnitOfWork, ids: Identifiers, rules: QueueRules, point: str, direction: Direction,
              now: datetime, *, tell: bool = True) -> None:
    """Publish the lane's expected waits again now (after a capacity change), without calling anyone; drivers
    whose time moved are told unless ``tell`` is False (then the loop's next turn tells them)."""
    if not uow.capacity.runs_a_queue(point, direction):
        return
    active = uow.bookings.active_at(point, direction)
    called = uow.bookings.called_since(point, direction, hour_of(now))
    _publish(uow, ids, rules, point, direction, active, uow.capacity.of(point, direction, now), called, now,
             tell=tell)


def place_of(booking: Booking) -> Place:
    """A booking as the policy sees it; a live-queue truck not yet there is placed at its declared arrival."""
    queued_at = booking.queued_at or (booking.arrives_at if booking.kind is BookingKind.LIVE else None)
    return Place(booking.id, booking.kind, booking.status, booking.priority, queued_at, booking.slot_start,
                 booking.perishable_until)


def publish_after_check_in(event: TruckCheckedIn, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                           rules: QueueRules) -> None:
    """A truck that checked in waits from its check-in, not from its declared arrival: its lane's expected calls
    are published again at once, so its driver is not shown the declared hour until the loop's next turn."""
    with uow:
        booking = uow.bookings.active_for(event.reference)
        if booking is None or booking.status is not BookingStatus.WAITING:
            return
        # Shown at once, texted by the loop's next turn: a truck it calls then gets one SMS, not two.
        republish(uow, ids, rules, booking.crossing_point, booking.direction, clock.now(), tell=False)
        uow.commit()


def _call(uow: UnitOfWork, ids: Identifiers, booking: Booking, now: datetime, rules: QueueRules) -> Booking:
    loaded = booking.version
    booking.call(at=now, deadline=rules.call_deadline)
    uow.bookings.save(booking, loaded)
    tell_driver(uow, ids, now, booking.reference, NoticeKind.CALLED, f"called:{booking.id}:{booking.missed_calls}",
                point=booking.crossing_point, deadline=local_time(booking.call_deadline, "en"))
    return booking


def _expire_calls(uow: UnitOfWork, ids: Identifiers, active: list[Booking], now: datetime) -> int:
    expired = 0
    for booking in active:
        if booking.status is BookingStatus.CALLED and booking.call_deadline and booking.call_deadline <= now:
            loaded = booking.version
            booking.miss_call(at=now)
            uow.bookings.save(booking, loaded)
            tell_driver(uow, ids, now, booking.reference, NoticeKind.CALL_EXPIRED,
                        f"expired:{booking.id}:{booking.missed_calls}",
                        expired=not booking.status.is_active)  # a second miss ends the booking
            expired += 1
    return expired


def _mark_no_shows(uow: UnitOfWork, active: list[Booking], now: datetime, rules: QueueRules) -> int:
    no_shows = 0
    for booking in active:
        if (booking.status is BookingStatus.BOOKED and booking.kind is BookingKind.SLOT and booking.slot_start
                and booking.slot_start + HOUR + rules.no_show_grace <= now):
            loaded = booking.version
            booking.no_show(at=now)
            uow.bookings.save(booking, loaded)
            no_shows += 1
    return no_shows


def _publish(uow: UnitOfWork, ids: Identifiers, rules: QueueRules, point: str, direction: Direction,
             active: list[Booking], capacity: Capacity, called_this_hour: int, now: datetime, *,
             tell: bool = True) -> None:
    """Expected call times for every truck (drivers told when theirs moves), and the lane's public figures."""
    queued = [b for b in active if b.status in (BookingStatus.WAITING, BookingStatus.BOOKED)]
    places = list(map(place_of, queued))
    expected = project(now, [*places, newcomer(now)], capacity.at, called_this_hour, rules.perishable_urgent)
    waiting = [b for b in queued if b.status is BookingStatus.WAITING]
    told = _tell_moved_times(uow, ids, rules, waiting, expected, now) if tell else {}
    uow.bookings.set_expected({b.id: expected[b.id] for b in queued}, told)
    wait = public_wait(now, places, capacity.at, called_this_hour, rules.perishable_urgent, expected[NEWCOMER])
    uow.snapshots.add({
        "crossing_point": point, "direction": direction.value, "at": now.replace(second=0, microsecond=0),
        "waiting": len(waiting), "called": sum(1 for b in active if b.status is BookingStatus.CALLED),
        "booked_ahead": sum(1 for b in active if b.status is BookingStatus.BOOKED),
        "capacity_this_hour": capacity.at(hour_of(now)),
        "expected_wait_minutes": wait.minutes, "expected_wait_low_minutes": wait.low,
        "expected_wait_high_minutes": wait.high, "urgent_wait_minutes": wait.urgent_minutes})


def _tell_moved_times(uow: UnitOfWork, ids: Identifiers, rules: QueueRules, waiting: list[Booking],
                      expected: dict[str, datetime | None], now: datetime) -> dict[str, datetime | None]:
    """Tell a driver when their expected call time moved materially; returns what each was told."""
    published = uow.bookings.published([b.id for b in waiting])
    ahead = sorted(waiting, key=lambda b: expected[b.id] or datetime.max.replace(tzinfo=now.tzinfo))
    told: dict[str, datetime | None] = {}
    for position, booking in enumerate(ahead):
        new, last_told = expected[booking.id], published.get(booking.id, (None, None))[1]
        if new is None or (last_told is not None and abs(new - last_told) < rules.eta_change):
            continue
        tell_driver(uow, ids, now, booking.reference, NoticeKind.POSITION_MOVED,
                    f"eta:{booking.id}:{new:%Y%m%d%H%M}", expected=local_time(new, "en"), ahead=position)
        told[booking.id] = new
    return told


def shelf_life_warning(uow: UnitOfWork, booking: Booking, now: datetime, rules: QueueRules) -> dict[str, Any] | None:
    """For perishable cargo: the numbers, when the expected wait is longer than the shelf life left."""
    if booking.perishable_until is None:
        return None
    capacity = uow.capacity.of(booking.crossing_point, booking.direction, now)
    active = uow.bookings.active_at(booking.crossing_point, booking.direction)
    # Every truck that will be in the queue, those on their way placed at their declared arrival (as the published
    # expected times place them), and this one at its own: a shipper booking a day ahead is told of the queue its
    # truck will meet, not the one at the gate now.
    queued = [b for b in active if b.status in (BookingStatus.WAITING, BookingStatus.BOOKED) and b.id != booking.id]
    called = uow.bookings.called_since(booking.crossing_point, booking.direction, hour_of(now))
    projected = project(now, [*map(place_of, queued), place_of(booking)], capacity.at, called,
                        rules.perishable_urgent)
    expected = projected[booking.id]
    if expected is not None and expected <= booking.perishable_until:
        return None
    ahead = sum(1 for other, at in projected.items()
                if other != booking.id and (expected is None or (at is not None and at <= expected)))
    hours = round((expected - now) / HOUR, 1) if expected else None
    # Beyond the projection's horizon the wait is only known to be longer than it.
    return {"expected_wait_hours": hours if hours is not None else HORIZON_HOURS, "beyond_horizon": hours is None,
            "remaining_shelf_life_hours": round(max(booking.perishable_until - now, timedelta()) / HOUR, 1),
            "trucks_ahead": ahead, "capacity_this_hour": capacity.at(hour_of(now)),
            "expected_call_at": expected.isoformat() if expected else None,
            "message": "the expected wait is longer than the cargo's remaining shelf life; consider not "
                       "dispatching yet, or another crossing point"}
