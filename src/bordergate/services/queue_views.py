"""Read models of the queue: a truck's booking and expected call, free hours, the public queue figures, the board."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bordergate.domain.access import SEE_EVERY_TRIP, WATCH_THE_QUEUE, allows, require
from bordergate.domain.accounts import Principal
from bordergate.domain.booking import Booking, BookingStatus, QueueRules
from bordergate.domain.call_forward import urgency
from bordergate.domain.capacity import HOUR, hour_of
from bordergate.domain.checkpoints import Direction
from bordergate.domain.crossing_points import names_in
from bordergate.domain.errors import InvalidValue, NotFound
from bordergate.domain.labels import parse_choice
from bordergate.domain.plates import parse_plate
from bordergate.domain.public_waits import PublicWait
from bordergate.services.call_forwarding import place_of
from bordergate.services.published_waits import YesterdayErrors, yesterday_error
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled, require_crossing_point, visible_declaration

MAX_HOURS_SHOWN = 24 * 7
_QUEUED = (BookingStatus.BOOKED, BookingStatus.WAITING)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _order(order: dict[str, Any]) -> dict[str, Any]:
    """A regulation order as drivers and the public see it."""
    return {"id": order["id"], "crossing_point": order["crossing_point"], "direction": order["direction"],
            "staging_area": order["staging_area"], "message": order["message"],
            "issued_at": order["issued_at"].isoformat()}


def booking_of(booking: Booking, locale: str, published: datetime | None,
               orders: list[dict[str, Any]], empty: bool = False) -> dict[str, Any]:
    """A booking with its published expected call time and the regulation orders its driver must follow;
    ``empty`` marks a truck crossing with no goods (it takes its place like any other)."""
    return {
        "id": booking.id, "reference": booking.reference, "status": labelled(booking.status, locale),
        "kind": labelled(booking.kind, locale), "priority": labelled(booking.priority, locale),
        "crossing_point": booking.crossing_point, "direction": labelled(booking.direction, locale),
        "slot_start": _iso(booking.slot_start), "booked_at": _iso(booking.booked_at),
        "in_waiting_area_since": _iso(booking.queued_at), "called_at": _iso(booking.called_at),
        "call_deadline": _iso(booking.call_deadline), "missed_calls": booking.missed_calls,
        "expected_call_at": _iso(published) if booking.status in _QUEUED else None,
        "perishable_until": _iso(booking.perishable_until),
        "regulation_orders": [_order(o) for o in orders],
        "empty": empty,
    }


def _shown(uow: UnitOfWork, bookings: list[Booking], locale: str) -> list[dict[str, Any]]:
    """Bookings of one lane as read models, their expected times and the lane's orders read once for all."""
    if not bookings:
        return []
    published = uow.bookings.published([b.id for b in bookings])
    orders = uow.regulation.in_force(bookings[0].crossing_point, bookings[0].direction)
    empty = uow.trip_links.empty([b.reference for b in bookings])
    return [booking_of(b, locale, published.get(b.id, (None, None))[0], orders, b.reference in empty)
            for b in bookings]


def booking(uow: UnitOfWork, principal: Principal, reference: str, locale: str) -> dict[str, Any]:
    """The declaration's latest booking (the active one, or how the last one ended)."""
    with uow:
        visible_declaration(uow, principal, reference)
        found = latest_booking_in(uow, reference, locale)
    if found is None:
        raise NotFound(f"declaration {reference} has no booking; POST to this address to book one")
    return found


def latest_booking_in(uow: UnitOfWork, reference: str, locale: str) -> dict[str, Any] | None:
    """``booking``, read on a unit of work already open, for a trip the reader was already let see; None if the
    trip was never booked."""
    found = uow.bookings.latest_for(reference)
    return _shown(uow, [found], locale)[0] if found else None


def free_hours(uow: UnitOfWork, crossing_point: str, direction: str, start: datetime, hours: int,
               now: datetime) -> list[dict[str, Any]]:
    """Each hour from ``start``: its capacity, places booked, places free (to pick a slot)."""
    way = parse_choice(Direction, direction)
    first = max(hour_of(start), hour_of(now))
    hours = max(1, min(hours, MAX_HOURS_SHOWN))
    with uow:
        capacity = uow.capacity.of(crossing_point, way, now)
        if not capacity.runs_a_queue:
            raise NotFound(f"{crossing_point} runs no queue for {way.value} trucks")
        booked = uow.slots.booked(crossing_point, way, first, first + hours * HOUR)
    return [{"starts_at": hour.isoformat(), "capacity": places,
             "booked": booked.get(hour, (places, 0))[1], "free": max(0, places - booked.get(hour, (places, 0))[1])}
            for hour, places in capacity.hours_from(first, hours)]


def public_queues(uow: UnitOfWork, locale: str, now: datetime | None = None,
                  urgent: timedelta = QueueRules().perishable_urgent,
                  kept: YesterdayErrors | None = None) -> list[dict[str, Any]]:
    """What anyone may see without signing in: per crossing point and direction, the queue and expected wait (for an
    ordinary truck, with its range, and for urgent cargo); given ``now``, how far yesterday's figures were off
    (from ``kept``, the gate's short-lived copies, when given)."""
    error_of = kept.of if kept else yesterday_error
    with uow:
        lanes = uow.capacity.lanes()
        latest = {(s["crossing_point"], s["direction"]): s for s in uow.snapshots.latest()}
        names = names_in(uow.crossing_points.list(), locale)
        orders = uow.regulation.in_force()
        errors = {(point, direction): error_of(uow, point, direction, now, urgent)
                  for point, direction in lanes} if now else {}
    return [{
        "crossing_point": point, "crossing_point_name": names.get(point), "direction": labelled(direction, locale),
        "waiting": latest.get((point, direction.value), {}).get("waiting", 0),
        "called": latest.get((point, direction.value), {}).get("called", 0),
        "booked_ahead": latest.get((point, direction.value), {}).get("booked_ahead", 0),
        "capacity_this_hour": latest.get((point, direction.value), {}).get("capacity_this_hour"),
        "expected_wait_minutes": latest.get((point, direction.value), {}).get("expected_wait_minutes"),
        **_range(latest.get((point, direction.value), {})),
        "yesterday": errors.get((point, direction)),
        "as_of": _iso(latest.get((point, direction.value), {}).get("at")),
        "regulation_orders": [_order(o) for o in orders if o["crossing_point"] == point
                              and o["direction"] in (None, direction.value)],
    } for point, direction in lanes]


def _range(published: dict[str, Any]) -> dict[str, Any]:
    """The published range of an ordinary truck's wait, whether it is wide enough to show, and urgent cargo's wait."""
    low, high = published.get("expected_wait_low_minutes"), published.get("expected_wait_high_minutes")
    return {"expected_wait_low_minutes": low, "expected_wait_high_minutes": high,
            "expected_wait_range": PublicWait(None, low, high, None).wide,
            "urgent_wait_minutes": published.get("urgent_wait_minutes")}


def public_history(uow: UnitOfWork, crossing_point: str, now: datetime, locale: str = "vi",
                   step_minutes: int = 1) -> dict[str, Any]:
    """The last 24 hours of published figures for one crossing point, for a chart: one series per direction the
    point runs a queue in (or has figures for), labelled in the reader's language, each in time order. With
    ``step_minutes`` > 1, the last figure of each step: a phone's 300-px chart has no use for 1,440 points a line."""
    with uow:
        require_crossing_point(uow, crossing_point)
        lanes = {direction for point, direction in uow.capacity.lanes() if point == crossing_point}
        rows = uow.snapshots.since(crossing_point, now - timedelta(hours=24))
    # Inbound and outbound are different queues: drawn as one line they zigzag between two unrelated figures.
    shown = lanes | {Direction(row["direction"]) for row in rows}
    return {"crossing_point": crossing_point, "series": [
        {"direction": labelled(direction, locale),
         "points": [{"at": row["at"].isoformat(), "waiting": row["waiting"], "called": row["called"],
                     "expected_wait_minutes": row["expected_wait_minutes"]}
                    for row in _last_of_each_step([r for r in rows if r["direction"] == direction.value],
                                                  step_minutes)]}
        for direction in Direction if direction in shown]}


def _last_of_each_step(rows: list[dict[str, Any]], step_minutes: int) -> list[dict[str, Any]]:
    """Rows in time order, keeping the last of each ``step_minutes`` (counted from the epoch, so steps are stable)."""
    kept: dict[int, dict[str, Any]] = {}
    for row in rows:
        kept[int(row["at"].timestamp() // (60 * step_minutes))] = row
    return list(kept.values())


def queue_board(uow: UnitOfWork, principal: Principal, crossing_point: str, direction: str, now: datetime,
                urgent: timedelta, locale: str) -> dict[str, Any]:
    """The operators' view of one lane: called trucks with their deadlines, then the waiting ones in call order.
    The traffic police get it for the road (``for_the_road``): plates and calls, no trip behind them."""
    require(principal, WATCH_THE_QUEUE)
    way = parse_choice(Direction, direction)
    with uow:
        require_crossing_point(uow, crossing_point)
        active = uow.bookings.active_at(crossing_point, way)
        waiting = sorted((b for b in active if b.status is BookingStatus.WAITING),
                         key=lambda b: urgency(place_of(b), now, urgent))
        called = sorted((b for b in active if b.status is BookingStatus.CALLED), key=lambda b: b.call_deadline or now)
        booked = sorted((b for b in active if b.status is BookingStatus.BOOKED),
                        key=lambda b: (b.slot_start is None, b.slot_start or b.booked_at))
        lanes = {"called": (called, _shown(uow, called, locale)), "waiting": (waiting, _shown(uow, waiting, locale)),
                 "booked": (booked, _shown(uow, booked, locale))}
    road = not allows(principal, SEE_EVERY_TRIP)
    return {"crossing_point": crossing_point, "direction": labelled(way, locale),
            **{name: [for_the_road(b, shown) for b, shown in zip(found, rows)] if road else rows
               for name, (found, rows) in lanes.items()}}


# What the traffic police need of a booked truck to hold or let it through on the road: its plate, its place and
# its call. Not the trip's reference (which opens its declaration), enterprise, cargo or shelf life.
ROAD_FIELDS = ("status", "kind", "priority", "crossing_point", "direction", "slot_start", "called_at",
               "call_deadline", "expected_call_at", "regulation_orders")


def for_the_road(booking: Booking, shown: dict[str, Any]) -> dict[str, Any]:
    """A booking as the traffic police see it on the queue board."""
    try:
        plate = parse_plate(booking.tractor_plate).display
    except InvalidValue:
        plate = booking.tractor_plate
    return {"plate": plate, **{name: shown[name] for name in ROAD_FIELDS}}
