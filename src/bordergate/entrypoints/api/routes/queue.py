"""REST routes of the queue: booking a crossing, free hours, capacity, regulation orders, the public figures."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status

from bordergate.domain import commands
from bordergate.entrypoints.api.control_schemas import (BookingIn, CancelBookingIn, CapacityChangeIn, CapacityPlanIn,
                                                        DayLimitIn, PriorityIn, RegulationOrderIn)
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.inputs import Day, Moment
from bordergate.services import queue_views

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)


@router.post("/declarations/{reference}/booking", tags=["queue"], status_code=status.HTTP_201_CREATED)
def book(reference: str, body: BookingIn, gate: GateDep, principal: PrincipalDep,
         locale: LocaleDep) -> dict[str, Any]:
    """Book the truck's crossing: a fixed hour or the live queue. One active booking per truck; after booking,
    only the driver may be corrected. Perishable cargo at risk comes back with a `warning` and its numbers."""
    made = gate.bus.handle(commands.BookCrossing(principal, reference, body.kind, body.slot_start, body.direction))
    return {**queue_views.booking(gate.reader(), principal, reference, locale), "warning": made["warning"]}


@router.get("/declarations/{reference}/booking", tags=["queue"])
def read_booking(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """The booking: status, expected call time, call deadline, regulation orders in force."""
    return queue_views.booking(gate.reader(), principal, reference, locale)


@router.post("/declarations/{reference}/booking/cancel", tags=["queue"])
def cancel_booking(reference: str, body: CancelBookingIn, gate: GateDep, principal: PrincipalDep,
                   locale: LocaleDep) -> dict[str, Any]:
    """Give the place up. Too close to the hour, or after the call, it counts against the enterprise."""
    gate.bus.handle(commands.CancelBooking(principal, reference, body.reason))
    return queue_views.booking(gate.reader(), principal, reference, locale)


@router.post("/declarations/{reference}/booking/check-in", tags=["queue"])
def check_in(reference: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """An operator checks the truck in at the waiting area by hand (cameras do it by plate read)."""
    gate.bus.handle(commands.CheckIn(principal, reference))
    return queue_views.booking(gate.reader(), principal, reference, locale)


@router.put("/declarations/{reference}/booking/priority", tags=["queue"])
def set_priority(reference: str, body: PriorityIn, gate: GateDep, principal: PrincipalDep,
                 locale: LocaleDep) -> dict[str, Any]:
    """An operator grants a legal priority class after seeing the papers."""
    gate.bus.handle(commands.SetPriority(principal, reference, body.priority))
    return queue_views.booking(gate.reader(), principal, reference, locale)


@router.get("/crossing-points/{code}/hours", tags=["queue"])
def free_hours(code: str, gate: GateDep, principal: PrincipalDep, direction: str,
               start: Annotated[Moment | None, Query(alias="from", description="with its time zone")] = None,
               hours: Annotated[int, Query(ge=1, le=168)] = 24) -> list[dict[str, Any]]:
    """Hours to book: capacity, booked and free places for each."""
    now = gate.clock.now()
    return queue_views.free_hours(gate.reader(), code, direction, start or now, hours, now)


@router.put("/crossing-points/{code}/capacity/{direction}", tags=["capacity"])
def set_plan(code: str, direction: str, body: CapacityPlanIn, gate: GateDep,
             principal: PrincipalDep) -> dict[str, int]:
    """The usual trucks per hour for each local hour; bookings that no longer fit are moved, and told."""
    return {"bookings_moved": gate.bus.handle(commands.SetCapacityPlan(principal, code, direction,
                                                                       tuple(body.hourly)))}


@router.post("/crossing-points/{code}/capacity-changes", tags=["capacity"], status_code=status.HTTP_201_CREATED)
def change_capacity(code: str, body: CapacityChangeIn, gate: GateDep, principal: PrincipalDep) -> dict[str, int]:
    """Close, slow or widen the crossing point for a time; bookings that no longer fit are moved, and told."""
    return {"bookings_moved": gate.bus.handle(commands.ChangeCapacity(
        principal, code, body.direction, body.starts_at, body.ends_at, body.per_hour, body.reason))}


@router.put("/crossing-points/{code}/day-limits/{direction}/{day}", tags=["capacity"])
def set_day_limit(code: str, direction: str, day: Day, body: DayLimitIn, gate: GateDep,
                  principal: PrincipalDep) -> dict[str, int]:
    """What the other side accepts that day; each hour's capacity shrinks in proportion."""
    return {"bookings_moved": gate.bus.handle(commands.SetDayLimit(principal, code, direction, day, body.trucks))}


@router.post("/regulation-orders", tags=["capacity"], status_code=status.HTTP_201_CREATED)
def issue_order(body: RegulationOrderIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Hold trucks at a staging area (management center or traffic police); calls stop, drivers are told."""
    return {"id": gate.bus.handle(commands.IssueRegulationOrder(principal, body.crossing_point, body.staging_area,
                                                                 body.message, body.direction))}


@router.post("/regulation-orders/{order_id}/lift", tags=["capacity"], status_code=status.HTTP_204_NO_CONTENT)
def lift_order(order_id: str, gate: GateDep, principal: PrincipalDep) -> Response:
    """End the hold: calls resume, drivers are told."""
    gate.bus.handle(commands.LiftRegulationOrder(principal, order_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/queue/{code}/{direction}", tags=["queue"])
def board(code: str, direction: str, gate: GateDep, principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """The operators' board for a lane: called trucks and deadlines, the waiting ones in call order, booked."""
    return queue_views.queue_board(gate.reader(), principal, code, direction, gate.clock.now(),
                                   gate.rules.perishable_urgent, locale)


@router.post("/control/call-forward", tags=["queue"])
def call_forward(gate: GateDep, principal: PrincipalDep) -> dict[str, dict[str, int]]:
    """Run the call-forward loop now (the server also runs it on its timer)."""
    return gate.bus.handle(commands.RunCallForward(principal))


@router.get("/public/queues", tags=["public"])
def public_queues(gate: GateDep, locale: LocaleDep) -> list[dict[str, Any]]:
    """No sign-in: each crossing point's queue and expected wait per direction (an ordinary truck's, with its range
    low-high, and urgent cargo's), how far yesterday's published waits were off, and regulation orders in force."""
    return queue_views.public_queues(gate.reader(), locale, gate.clock.now(), gate.rules.perishable_urgent,
                                     gate.yesterday_errors)


@router.get("/public/queues/{code}/history", tags=["public"])
def public_history(code: str, gate: GateDep, locale: LocaleDep,
                   step_minutes: Annotated[int, Query(ge=1, le=60, description=(
                       "the last figure of each step of this many minutes (1: every figure published)"))] = 1,
                   ) -> dict[str, Any]:
    """No sign-in: the last 24 hours of queue length and expected wait, one series per direction, for a chart."""
    return queue_views.public_history(gate.reader(), code, gate.clock.now(), locale, step_minutes)
