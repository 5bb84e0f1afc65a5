"""Use cases of the management center: capacity per hour, changes and day limits, and regulation orders."""
from __future__ import annotations

from datetime import date, datetime
from functools import partial

from bordergate.domain import commands
from bordergate.domain.booking import Booking, BookingStatus, QueueRules
from bordergate.domain.capacity import (HOUR, Capacity, CapacityChange, CapacityPlan, DayLimit, hour_of,
                                       require_valid_change)
from bordergate.domain.dates import day_in_range
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound, parsed
from bordergate.domain.labels import parse_choice
from bordergate.domain.notices import LIVE_QUEUE, NoticeKind, day_limit_reason, hold_lifted, local_time
from bordergate.domain.queue_events import (CapacityChanged, CapacityPlanSet, DayLimitSet, RegulationOrderIssued,
                                            RegulationOrderLifted)
from bordergate.services.call_forwarding import republish
from bordergate.domain.access import REGULATE, RUN_THE_GATE, require
from bordergate.services.notifying import tell_driver
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.views import require_crossing_point
from bordergate.services.unit_of_work import UnitOfWork


def set_capacity_plan(cmd: commands.SetCapacityPlan, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                      rules: QueueRules) -> int:
    """Set the usual hourly capacity; bookings that no longer fit their hour are moved. Returns how many."""
    require(cmd.actor, RUN_THE_GATE)
    direction = parsed("direction", partial(parse_choice, Direction), cmd.direction)
    plan = CapacityPlan(cmd.crossing_point, direction, tuple(cmd.hourly))
    now = clock.now()
    with uow:
        require_crossing_point(uow, cmd.crossing_point)
        uow.capacity.set_plan(plan, now)
        uow.record(CapacityPlanSet(actor=cmd.actor.user_id, at=now, crossing_point=cmd.crossing_point,
                                   direction=direction.value, hourly=plan.hourly))
        moved = refit(uow, ids, rules, cmd.crossing_point, direction, now, "the crossing point's hours changed")
        republish(uow, ids, rules, cmd.crossing_point, direction, now)
        uow.commit()
    return moved


def change_capacity(cmd: commands.ChangeCapacity, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                    rules: QueueRules) -> int:
    """Close, slow or widen a crossing point for a time; bookings that no longer fit are moved."""
    require(cmd.actor, RUN_THE_GATE)
    direction = parsed("direction", partial(parse_choice, Direction), cmd.direction) if cmd.direction else None
    require_valid_change(cmd.starts_at, cmd.ends_at, cmd.per_hour, cmd.reason)
    now = clock.now()
    change = CapacityChange(ids.new_id(), cmd.crossing_point, direction, cmd.starts_at, cmd.ends_at, cmd.per_hour,
                            " ".join(cmd.reason.split())[:500])
    with uow:
        require_crossing_point(uow, cmd.crossing_point)
        uow.capacity.add_change(change, now)
        uow.record(CapacityChanged(actor=cmd.actor.user_id, at=now, change_id=change.id,
                                   crossing_point=change.crossing_point,
                                   direction=direction.value if direction else None, starts_at=change.starts_at,
                                   ends_at=change.ends_at, per_hour=change.per_hour, reason=change.reason))
        ways = [direction] if direction else list(Direction)
        moved = sum(refit(uow, ids, rules, cmd.crossing_point, d, now, change.reason) for d in ways)
        for way in ways:
            republish(uow, ids, rules, cmd.crossing_point, way, now)
        uow.commit()
    return moved


def set_day_limit(cmd: commands.SetDayLimit, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                  rules: QueueRules) -> int:
    """Record what the other side accepts on a day; bookings beyond it are moved."""
    require(cmd.actor, RUN_THE_GATE)
    direction = parsed("direction", partial(parse_choice, Direction), cmd.direction)
    if not isinstance(cmd.day, date) or isinstance(cmd.day, datetime):
        raise Invalid([FieldProblem("day", "give a date, e.g. 2026-12-01")])
    parsed("day", day_in_range, cmd.day)
    if cmd.trucks < 0:
        raise Invalid([FieldProblem("trucks", "must be 0 or more")])
    now = clock.now()
    with uow:
        require_crossing_point(uow, cmd.crossing_point)
        uow.capacity.set_limit(DayLimit(cmd.crossing_point, direction, cmd.day, cmd.trucks))
        uow.record(DayLimitSet(actor=cmd.actor.user_id, at=now, crossing_point=cmd.crossing_point,
                               direction=direction.value, day=cmd.day.isoformat(), trucks=cmd.trucks))
        moved = refit(uow, ids, rules, cmd.crossing_point, direction, now,
                      day_limit_reason(cmd.trucks, f"{cmd.day:%d/%m}"))
        republish(uow, ids, rules, cmd.crossing_point, direction, now)
        uow.commit()
    return moved


def refit(uow: UnitOfWork, ids: Identifiers, rules: QueueRules, point: str, direction: Direction, now: datetime,
          reason: str | dict[str, str]) -> int:
    """Fit booked hours to the new capacity. The stated rule: in an hour that lost places, trucks already in the
    waiting area, then perishable cargo, then the earliest bookings keep theirs; the latest bookings move to the
    next hours with free places, in the order they were booked; with no free hour within the booking horizon they
    join the live queue. Each driver is told. Nothing booked is ever dropped."""
    capacity = uow.capacity.of(point, direction, now)
    start, end = hour_of(now), hour_of(now) + rules.days_ahead + 24 * HOUR
    rows = uow.slots.booked(point, direction, start, end, lock=True)
    overflow: list[Booking] = []
    for hour, (_, booked) in rows.items():
        places = capacity.at(hour)
        if booked > places:
            keep_order = sorted(uow.bookings.in_slot(point, direction, hour),
                                key=lambda b: (b.status is BookingStatus.BOOKED, b.perishable_until is None,
                                               b.booked_at, b.id))
            overflow += keep_order[places:]
        uow.slots.set(point, direction, hour, places, min(booked, places))
    for booking in sorted(overflow, key=lambda b: (b.booked_at, b.id)):
        _move(uow, ids, capacity, booking, now, end, reason)
    return len(overflow)


def _move(uow: UnitOfWork, ids: Identifiers, capacity: Capacity, booking: Booking, now: datetime, end: datetime,
          reason: str | dict[str, str]) -> None:
    assert booking.slot_start is not None  # only bookings in an hour's slots overflow it
    loaded, hour = booking.version, booking.slot_start + HOUR
    while hour < end and not (capacity.at(hour) and uow.slots.take(booking.crossing_point, booking.direction, hour,
                                                                    capacity.at(hour))):
        hour += HOUR
    new_slot = hour if hour < end else None
    booking.move_to(new_slot, at=now, reason=reason if isinstance(reason, str) else reason["en"])
    uow.bookings.save(booking, loaded)
    tell_driver(uow, ids, now, booking.reference, NoticeKind.MOVED, f"moved:{booking.id}:{booking.version}",
                when=local_time(new_slot, "en") if new_slot else LIVE_QUEUE, reason=reason)


def issue_regulation_order(cmd: commands.IssueRegulationOrder, uow: UnitOfWork, clock: Clock,
                           ids: Identifiers) -> str:
    """Hold trucks at a staging area: calls stop and every booked driver is told at once."""
    require(cmd.actor, REGULATE)
    direction = parsed("direction", partial(parse_choice, Direction), cmd.direction) if cmd.direction else None
    area, message = " ".join(cmd.staging_area.split()), " ".join(cmd.message.split())
    problems = [FieldProblem(path, "is required: drivers read it") for path, value in
                (("staging_area", area), ("message", message)) if not value]
    if problems:
        raise Invalid(problems)
    now = clock.now()
    with uow:
        require_crossing_point(uow, cmd.crossing_point)
        order_id = ids.new_id()
        uow.regulation.issue({"id": order_id, "crossing_point": cmd.crossing_point,
                              "direction": direction.value if direction else None, "staging_area": area[:200],
                              "message": message[:500], "issued_by": cmd.actor.user_id, "issued_at": now})
        uow.record(RegulationOrderIssued(actor=cmd.actor.user_id, at=now, order_id=order_id,
                                         crossing_point=cmd.crossing_point,
                                         direction=direction.value if direction else None, kind="hold",
                                         staging_area=area, message=message))
        _tell_booked(uow, ids, cmd.crossing_point, direction, now, f"order:{order_id}", f"{message} ({area})")
        uow.commit()
    return order_id


def lift_regulation_order(cmd: commands.LiftRegulationOrder, uow: UnitOfWork, clock: Clock,
                          ids: Identifiers) -> None:
    """End a hold: calls resume and booked drivers are told."""
    require(cmd.actor, REGULATE)
    now = clock.now()
    with uow:
        order = uow.regulation.get(cmd.order_id)
        if order is None:
            raise NotFound(f"no regulation order {cmd.order_id}")
        if not uow.regulation.lift(cmd.order_id, cmd.actor.user_id, now):
            raise Conflict(f"regulation order {cmd.order_id} was already lifted")
        uow.record(RegulationOrderLifted(actor=cmd.actor.user_id, at=now, order_id=cmd.order_id,
                                         crossing_point=order["crossing_point"]))
        direction = Direction(order["direction"]) if order["direction"] else None
        _tell_booked(uow, ids, order["crossing_point"], direction, now, f"lifted:{cmd.order_id}",
                     hold_lifted(order["staging_area"]))
        uow.commit()


def _tell_booked(uow: UnitOfWork, ids: Identifiers, point: str, direction: Direction | None, now: datetime,
                 key: str, message: str | dict[str, str]) -> None:
    for way in [direction] if direction else list(Direction):
        for booking in uow.bookings.active_at(point, way):
            tell_driver(uow, ids, now, booking.reference, NoticeKind.REGULATION, key, point=point, message=message)
