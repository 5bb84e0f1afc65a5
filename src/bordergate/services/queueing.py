"""Use cases of the queue for declarants and the gate: book a crossing, cancel, check in, arrive, priorities."""
from __future__ import annotations

from collections.abc import Callable

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bordergate.domain import commands
from bordergate.domain.accounts import Principal
from bordergate.domain.booking import Booking, BookingKind, BookingStatus, Priority, QueueRules
from bordergate.domain.capacity import HOUR, Capacity, hour_of
from bordergate.domain.barrier import Decision
from bordergate.domain.checkpoints import CheckpointKind, Direction, direction_of
from bordergate.domain.dates import moment_in_range
from bordergate.domain.declaration import Declaration
from bordergate.domain.events import DeclarationCancelled
from bordergate.domain.plate_reads import PlateRead
from bordergate.domain.errors import Conflict, FieldProblem, Forbidden, Invalid, TooManyRequests, parsed
from bordergate.domain.labels import parse_choice
from bordergate.domain.notices import LIVE_QUEUE, NoticeKind, local_time
from bordergate.services import call_forwarding
from bordergate.domain.access import RUN_THE_GATE, require, require_may_declare_for
from bordergate.services.notifying import tell_driver
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import visible_declaration

FREE_HOURS_SHOWN = 5


def book_crossing(cmd: commands.BookCrossing, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                  rules: QueueRules, links: Callable[[str], str]) -> dict[str, Any]:
    """Take a place for a declared truck; answers the booking id and, for perishables at risk, a warning."""
    now = clock.now()
    _count_attempt(uow, ids, cmd.actor, now, rules)
    kind = parsed("kind", partial(parse_choice, BookingKind), cmd.kind)
    slot = _slot(cmd, kind, now, rules)
    with uow:
        declaration = visible_declaration(uow, cmd.actor, cmd.reference)
        require_may_declare_for(cmd.actor, declaration.enterprise_id)
        if not declaration.status.is_open:
            raise Conflict(f"declaration {cmd.reference} is {declaration.status.label('en').lower()}; "
                           "only an open declaration can be booked")
        direction = _direction(declaration, cmd.direction)
        _require_not_blocked(uow, declaration.enterprise_id, now, rules)
        point = declaration.trip.crossing_point
        capacity = uow.capacity.of(point, direction, now)
        if not capacity.runs_a_queue:
            raise Conflict(f"{point} does not run a queue for {direction.value} trucks yet; the management center "
                           "sets its capacity first")
        if uow.bookings.active_for(cmd.reference):
            raise Conflict(f"declaration {cmd.reference} is already booked; cancel that booking to book again")
        if slot is not None:
            _take_place(uow, capacity, point, direction, slot, now)
        booking = Booking.make(
            id=ids.new_id(), reference=cmd.reference, enterprise_id=declaration.enterprise_id,
            booked_by=cmd.actor.user_id, crossing_point=point, direction=direction, kind=kind,
            tractor_plate=declaration.trip.vehicle.tractor_plate.compact, booked_at=now, slot_start=slot,
            perishable_until=perishable_until(declaration), arrives_at=declaration.trip.planned_arrival)
        uow.bookings.add(booking)
        when = local_time(slot, "en") if slot else LIVE_QUEUE
        # The driver's page link, so the driver follows the queue without a password.
        tell_driver(uow, ids, now, cmd.reference, NoticeKind.BOOKED, f"booked:{booking.id}",
                    point=point, when=when, link=links(cmd.reference))
        warning = call_forwarding.shelf_life_warning(uow, booking, now, rules)
        if warning:
            tell_driver(uow, ids, now, cmd.reference, NoticeKind.SHELF_LIFE_WARNING, f"shelf:{booking.id}",
                        point=point, wait_h=(f"> {warning['expected_wait_hours']}" if warning["beyond_horizon"]
                                             else warning["expected_wait_hours"]),
                        life_h=warning["remaining_shelf_life_hours"])
        uow.commit()
    return {"booking_id": booking.id, "warning": warning}


def cancel_booking(cmd: commands.CancelBooking, uow: UnitOfWork, clock: Clock, rules: QueueRules) -> None:
    """Give the place up; an hour cancelled too late, or a truck already called, counts against the enterprise."""
    now = clock.now()
    with uow:
        declaration = visible_declaration(uow, cmd.actor, cmd.reference)
        require_may_declare_for(cmd.actor, declaration.enterprise_id)
        booking = uow.bookings.active_for(cmd.reference)
        if booking is None:
            raise Conflict(f"declaration {cmd.reference} has no active booking")
        release(uow, booking, actor=cmd.actor.user_id, now=now, rules=rules, reason=cmd.reason)
        uow.commit()


def release(uow: UnitOfWork, booking: Booking, *, actor: str, now: datetime, rules: QueueRules,
            reason: str | None) -> None:
    """Cancel a booking and give its hour back (used when the booking or the whole declaration is cancelled)."""
    loaded = booking.version
    late = (booking.status is BookingStatus.CALLED
            or (booking.kind is BookingKind.SLOT and booking.slot_start is not None
                and booking.slot_start - now < rules.late_cancel))
    booking.cancel(actor=actor, at=now, late=late, reason=reason)
    uow.bookings.save(booking, loaded)
    if booking.kind is BookingKind.SLOT and booking.slot_start and booking.slot_start + HOUR > now:
        uow.slots.give_back(booking.crossing_point, booking.direction, booking.slot_start)


def release_cancelled(event: DeclarationCancelled, uow: UnitOfWork, rules: QueueRules) -> None:
    """Follows DeclarationCancelled: the trip's place in the queue is given up, its hour given back."""
    booking = uow.bookings.active_for(event.reference)
    if booking is not None:
        release(uow, booking, actor=event.actor, now=event.at, rules=rules, reason="the declaration was cancelled")


def check_in(cmd: commands.CheckIn, uow: UnitOfWork, clock: Clock) -> None:
    """An operator checks a truck in at the waiting area by hand."""
    require(cmd.actor, RUN_THE_GATE)
    now = clock.now()
    with uow:
        booking = uow.bookings.active_for(cmd.reference)
        if booking is None:
            raise Conflict(f"declaration {cmd.reference} has no active booking to check in")
        loaded = booking.version
        booking.check_in(actor=cmd.actor.user_id, at=now, how="manual")
        uow.bookings.save(booking, loaded)
        uow.commit()


def set_priority(cmd: commands.SetPriority, uow: UnitOfWork, clock: Clock) -> None:
    """An operator grants a legal priority class (or takes it away) after seeing the papers."""
    require(cmd.actor, RUN_THE_GATE)
    priority = parsed("priority", partial(parse_choice, Priority), cmd.priority)
    with uow:
        booking = uow.bookings.active_for(cmd.reference)
        if booking is None:
            raise Conflict(f"declaration {cmd.reference} has no active booking")
        loaded = booking.version
        booking.set_priority(priority, actor=cmd.actor.user_id, at=clock.now())
        uow.bookings.save(booking, loaded)
        uow.commit()


def follow_read(uow: UnitOfWork, read: PlateRead) -> None:
    """A booked truck let into the waiting area is checked in; a called one let through the yard gate has arrived.

    Runs in the read's own transaction: the queue never disagrees with what the barrier was told.
    """
    if read.reference is None or read.barrier.decision is not Decision.OPEN or read.checkpoint_kind not in (
            CheckpointKind.WAITING_AREA_ENTRY, CheckpointKind.YARD_ENTRY):
        return
    booking = uow.bookings.active_for(read.reference)
    if booking is None:
        return
    loaded = booking.version
    if read.checkpoint_kind is CheckpointKind.WAITING_AREA_ENTRY and booking.status is BookingStatus.BOOKED:
        booking.check_in(actor=read.actor, at=read.sighting.captured_at, how=read.sighting.source.value)
    elif read.checkpoint_kind is CheckpointKind.YARD_ENTRY and booking.status is BookingStatus.CALLED:
        booking.arrive(actor=read.actor, at=read.sighting.captured_at)
    else:
        return
    uow.bookings.save(booking, loaded)


def perishable_until(declaration: Declaration) -> datetime | None:
    """When the most perishable goods line spoils: declared shelf life counted from the declaration."""
    lives = [g.shelf_life_hours for g in declaration.trip.goods if g.perishable and g.shelf_life_hours]
    return declaration.submitted_at + timedelta(hours=min(lives)) if lives else None


def _slot(cmd: commands.BookCrossing, kind: BookingKind, now: datetime, rules: QueueRules) -> datetime | None:
    if kind is BookingKind.LIVE:
        if cmd.slot_start is not None:
            raise Invalid([FieldProblem("slot_start", "the live queue has no hour; book kind 'slot' for one")])
        return None
    slot = cmd.slot_start
    if slot is None:
        raise Invalid([FieldProblem("slot_start", "give the hour to book, e.g. 2026-12-01T08:00:00+07:00")])
    if slot.tzinfo is None:
        raise Invalid([FieldProblem("slot_start", "give the time zone, e.g. 2026-12-01T08:00:00+07:00")])
    parsed("slot_start", moment_in_range, slot)
    if hour_of(slot) != slot:
        raise Invalid([FieldProblem("slot_start", f"slots start on the hour; did you mean "
                                                  f"{hour_of(slot).astimezone(slot.tzinfo).isoformat()}?")])
    if slot + HOUR <= now:
        raise Invalid([FieldProblem("slot_start", "that hour is over; book a coming hour or the live queue")])
    if slot > now + rules.days_ahead:
        raise Invalid([FieldProblem("slot_start", f"book at most {rules.days_ahead.days} days ahead")])
    return hour_of(slot)


def _take_place(uow: UnitOfWork, capacity: Capacity, point: str, direction: Direction, slot: datetime,
                now: datetime) -> None:
    """Take a place in the hour, atomically; a full or closed hour is refused with the next free hours."""
    places = capacity.at(slot)
    if places and uow.slots.take(point, direction, slot, places):
        return
    free = []
    booked = uow.slots.booked(point, direction, hour_of(now), slot + 48 * HOUR)
    for hour, places_then in capacity.hours_from(max(now, slot - 24 * HOUR), 72):
        taken = booked.get(hour, (places_then, 0))[1]
        if hour + HOUR > now and places_then > taken:
            free.append(f"{local_time(hour, 'en')} ({places_then - taken} free)")
        if len(free) == FREE_HOURS_SHOWN:
            break
    why = "is closed" if not places else "is full"
    raise Conflict(f"the hour {local_time(slot, 'en')} at {point} {why}; free hours nearby: "
                   + (", ".join(free) or "none in the next days: join the live queue"))


def _direction(declaration: Declaration, requested: str | None) -> Direction:
    direction = direction_of(declaration.trip.flow)
    if direction is None:
        if requested is None:
            raise Invalid([FieldProblem("direction", "a transit or transshipment trip must say which way it "
                                                     "crosses: outbound or inbound")])
        return parsed("direction", partial(parse_choice, Direction), requested)
    if requested is not None and requested != direction.value:
        raise Invalid([FieldProblem("direction", f"trips of flow {declaration.trip.flow.value} cross "
                                                 f"{direction.value}")])
    return direction


def _count_attempt(uow: UnitOfWork, ids: Identifiers, actor: Principal, now: datetime, rules: QueueRules) -> None:
    """Count the attempt, in a transaction of its own so a refused booking still counts; refuse past the pace."""
    with uow:
        tried = uow.bookings.attempts_by(actor.user_id, now - timedelta(minutes=1))
        if tried >= rules.bookings_per_minute:
            raise TooManyRequests(f"{tried} booking attempts from your account in the last minute; at most "
                                  f"{rules.bookings_per_minute} a minute are taken", retry_after=60)
        uow.bookings.attempt(ids.new_id(), actor.user_id, now)
        uow.commit()


def _require_not_blocked(uow: UnitOfWork, enterprise_id: str, now: datetime, rules: QueueRules) -> None:
    strikes = uow.bookings.strikes(enterprise_id, now - rules.strike_window)
    if strikes < rules.strikes_to_block:
        return
    last = uow.bookings.last_strike(enterprise_id)
    until = last + rules.block if last else now
    if until > now:
        raise Forbidden(f"your enterprise has {strikes} late cancellations, no-shows or lost calls in "
                        f"{rules.strike_window.days} days; it may book again from {local_time(until, 'en')}")
