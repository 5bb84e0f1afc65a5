"""Read model of the operators' board: one lane's trucks by where they stand, its day hour by hour, what needs a
person (alerts, reads in review), and the capacity and regulation orders that steer it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Protocol

from bordergate.domain.access import BOARD, RUN_THE_GATE, SEE_EVERY_TRIP, WATCH_THE_GATE, allows, require
from bordergate.domain.accounts import Principal
from bordergate.domain.capacity import GATE_TIME, HOUR, Capacity, hour_of
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.errors import InvalidValue, NotFound
from bordergate.domain.plates import parse_plate
from bordergate.services import control_views, queue_views
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled

# A truck read last at the exit barrier but still open was held there: it is still inside the yard.
IN_THE_YARD = {CheckpointKind.YARD_ENTRY, CheckpointKind.BORDER_OUT, CheckpointKind.GATE_EXIT}
WAITING_SHOWN = 12


class LaneDay(Protocol):
    """What the store says about a lane beyond its bookings: where open trips were last read, crossings, calls."""

    def last_stops(self, crossing_point: str, direction: Direction) -> dict[str, CheckpointKind]: ...

    def crossings(self, crossing_point: str, direction: Direction, since: datetime) -> list[datetime]: ...

    def calls(self, crossing_point: str, direction: Direction,
              since: datetime) -> list[tuple[datetime, datetime]]: ...


def lanes(uow: UnitOfWork, principal: Principal, locale: str) -> list[dict[str, Any]]:
    """Every crossing point in both directions, and whether a queue runs there (the board opens on the first)."""
    require(principal, BOARD)
    with uow:
        queued = set(uow.capacity.lanes())
        points = uow.crossing_points.list()
    return [{"crossing_point": p.code, "name": p.name_in(locale), "direction": labelled(way, locale),
             "runs_a_queue": (p.code, way) in queued} for p in points if p.active for way in Direction]


def board(uow: UnitOfWork, principal: Principal, crossing_point: str, direction: str, now: datetime,
          urgent: timedelta, locale: str) -> dict[str, Any]:
    """One lane as the control room watches it; reads in review only for those who settle them."""
    require(principal, BOARD)
    operates = allows(principal, RUN_THE_GATE)  # the traffic police read the board to issue orders
    queue = queue_views.queue_board(uow, principal, crossing_point, direction, now, urgent, locale)
    way = Direction(queue["direction"]["code"])
    # Alerts are smart control's business; the traffic police see the lane, not what is wrong with a trip.
    alerts = (control_views.alerts(uow, principal, status="open", crossing_point=crossing_point, kind=None,
                                   locale=locale) if allows(principal, SEE_EVERY_TRIP) else [])
    reviews = (control_views.review_queue(uow, principal, crossing_point, "open", locale) if operates else [])
    start = _midnight(now)
    with uow:
        day: LaneDay = uow.lane_days
        stops = day.last_stops(crossing_point, way)
        crossed = day.crossings(crossing_point, way, start)
        calls = day.calls(crossing_point, way, start)
        capacity = uow.capacity.of(crossing_point, way, start)
        published = [s for s in uow.snapshots.since(crossing_point, start) if s["direction"] == way.value]
        orders = [o for o in uow.regulation.in_force(crossing_point) if o["direction"] in (None, way.value)]
        plates = {bk.reference: bk.tractor_plate for bk in uow.bookings.active_at(crossing_point, way)}
        point = uow.crossing_points.get(crossing_point)
    for truck in queue["called"] + queue["waiting"]:
        if "plate" not in truck:
            truck["plate"] = shown_plate(plates.get(truck["reference"], ""))
    return {
        "crossing_point": crossing_point, "name": point.name_in(locale) if point else crossing_point,
        "direction": queue["direction"],
        "operates": operates,
        "called": queue["called"], "waiting": queue["waiting"][:WAITING_SHOWN],
        "counts": {"booked": len(queue["booked"]), "waiting": len(queue["waiting"]), "called": len(queue["called"]),
                   "in_yard": sum(kind in IN_THE_YARD for kind in stops.values()),
                   "at_inspection": sum(kind is CheckpointKind.INSPECTION for kind in stops.values()),
                   "crossed_today": len(crossed), "capacity_this_hour": capacity.at(hour_of(now))},
        "alerts": alerts, "reviews": reviews,
        "orders": [{**o, "issued_at": o["issued_at"].isoformat()} for o in orders],
        "day": _day(start, now, crossed, calls, capacity, published),
        "capacity": _capacity(capacity, way, now, locale),
    }


def read(uow: UnitOfWork, principal: Principal, read_id: str, locale: str) -> dict[str, Any]:
    """One read with the barrier's decision: what an operator who typed a plate needs to tell the driver."""
    require(principal, BOARD)
    require(principal, WATCH_THE_GATE)
    with uow:
        found = uow.reads.get(read_id)
        checkpoint = uow.checkpoints.get(found.sighting.checkpoint_id) if found else None
    if found is None:
        raise NotFound(f"no read {read_id}")
    return control_views.read_answer(found, locale, checkpoint_name=checkpoint.name if checkpoint else None)


def _midnight(now: datetime) -> datetime:
    """The start of the gate's day (local midnight) that ``now`` falls in."""
    return now.astimezone(GATE_TIME).replace(hour=0, minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def _day(start: datetime, now: datetime, crossed: list[datetime], calls: list[tuple[datetime, datetime]],
         capacity: Capacity, published: list[dict[str, Any]]) -> dict[str, Any]:
    """The day hour by hour: trucks crossed against capacity, minutes waited before the call, the wait published.
    Hours still to come carry capacity only."""
    def index(moment: datetime) -> int:
        return int((moment - start) / HOUR)

    hours_gone = index(now) + 1
    through = [0] * hours_gone
    for moment in crossed:
        through[min(index(moment), hours_gone - 1)] += 1
    waited: list[list[float]] = [[] for _ in range(hours_gone)]
    for queued_at, called_at in calls:
        waited[min(index(called_at), hours_gone - 1)].append((called_at - queued_at).total_seconds() / 60)
    expected: list[int | None] = [None] * hours_gone
    for snapshot in published:  # in time order: the hour's last word stands
        expected[min(index(snapshot["at"]), hours_gone - 1)] = snapshot["expected_wait_minutes"]
    return {"hours": [f"{h:02d}:00" for h in range(24)], "crossed": through,
            "capacity": [capacity.at(start + h * HOUR) for h in range(24)],
            "waited": [round(sum(m) / len(m)) if m else None for m in waited], "expected": expected}


def _capacity(capacity: Capacity, way: Direction, now: datetime, locale: str) -> dict[str, Any]:
    """The usual hours (to edit them) and the changes still in force or to come."""
    return {"hourly": list(capacity.plan.hourly) if capacity.plan else [0] * 24,
            "runs_a_queue": capacity.runs_a_queue,
            "changes": [{"starts_at": c.starts_at.isoformat(), "ends_at": c.ends_at.isoformat(),
                         "per_hour": c.per_hour, "reason": c.reason,
                         "direction": labelled(c.direction, locale) if c.direction else None}
                        for c in capacity.changes if c.ends_at > now and c.direction in (None, way)]}


def shown_plate(compact: str) -> str:
    """A stored plate as it is painted on the truck."""
    try:
        return parse_plate(compact).display
    except InvalidValue:
        return compact
