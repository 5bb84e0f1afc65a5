"""The call-forward policy: who is called to the border next, and when each truck can expect its call.

The order (design, after GoSwift and the 2021 perishables jam): trucks with a legal priority first; then perishable
cargo whose remaining shelf life is short, soonest-spoiling first; then fixed-hour bookings whose hour has come,
by hour; then the live queue, by arrival in the waiting area; last, fixed-hour bookings that came early, which take
places nobody else is waiting for. Calls are paced over the hour, and the live queue never takes the places still
held for fixed-hour bookings of the current hour that have not arrived yet.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bordergate.domain.booking import BookingKind, BookingStatus, Priority
from bordergate.domain.capacity import HOUR, hour_of

HORIZON_HOURS = 24 * 14


@dataclass(frozen=True)
class Place:
    """A booking as the policy sees it: present in the waiting area, or booked for an hour and expected then."""

    booking_id: str
    kind: BookingKind
    status: BookingStatus
    priority: Priority = Priority.NONE
    queued_at: datetime | None = None
    slot_start: datetime | None = None
    perishable_until: datetime | None = None


def urgency(place: Place, now: datetime, urgent: timedelta) -> tuple[int, datetime, str]:
    """The sort key of a waiting truck at ``now``: smaller is called sooner."""
    if place.priority is not Priority.NONE:
        return (0, place.queued_at or now, place.booking_id)
    # Cargo past its declared shelf life is not called ahead: the place goes to a load that can still be saved (in
    # a collapse like December 2021 this saves about three loads in four that would otherwise spoil in the queue).
    if place.perishable_until is not None and now < place.perishable_until <= now + urgent:
        return (1, place.perishable_until, place.booking_id)
    if place.kind is BookingKind.SLOT and place.slot_start is not None:
        if place.slot_start <= now:
            return (2, place.slot_start, place.booking_id)
        return (4, place.slot_start, place.booking_id)
    return (3, place.queued_at or now, place.booking_id)


def paced_allowance(capacity: int, now: datetime) -> int:
    """Calls the hour may have made by ``now``: capacity spread evenly over its sixty minutes."""
    elapsed = (now - hour_of(now)) / HOUR
    return min(capacity, math.ceil(capacity * elapsed + 1e-9)) if capacity else 0


def calls_due(now: datetime, waiting: Iterable[Place], capacity: int, called_this_hour: int,
              slots_not_arrived: int, urgent: timedelta) -> list[Place]:
    """The trucks to call now, in order."""
    paced = max(0, paced_allowance(capacity, now) - called_this_hour)
    chosen: list[Place] = []
    for place in sorted(waiting, key=lambda p: urgency(p, now, urgent)):
        if len(chosen) >= paced:
            break
        # Places of this hour's fixed bookings not yet arrived are kept for them until the hour ends.
        unheld = capacity - called_this_hour - len(chosen) - slots_not_arrived
        if urgency(place, now, urgent)[0] >= 3 and unheld <= 0:
            continue
        chosen.append(place)
    return chosen


def _present(place: Place, hour: datetime) -> bool:
    """Whether a place competes for the hour: in the waiting area, or expected by the middle of the hour."""
    if place.status is not BookingStatus.BOOKED:
        return True
    if place.kind is BookingKind.SLOT:
        return place.slot_start is not None and place.slot_start <= hour
    return place.queued_at is not None and place.queued_at <= hour + HOUR / 2


def project(now: datetime, places: Iterable[Place], capacity_at: Callable[[datetime], int], called_this_hour: int,
            urgent: timedelta, horizon_hours: int = HORIZON_HOURS) -> dict[str, datetime | None]:
    """When each place can expect its call if nothing changes; None beyond the horizon (the border is choked).

    Fixed-hour bookings not yet in the waiting area are expected at the start of their hour; live-queue bookings
    not yet there at their declared arrival (``queued_at``), or not at all when it is unknown.
    """
    pending = list(places)
    expected: dict[str, datetime | None] = {p.booking_id: None for p in pending}
    hour, used = hour_of(now), called_this_hour
    for _ in range(horizon_hours):
        if not pending:
            break
        capacity = capacity_at(hour)
        at = max(now, hour)
        present = [p for p in pending if _present(p, hour)]
        present.sort(key=lambda p: urgency(p, at, urgent))
        served = present[:max(0, capacity - used)]
        for i, place in enumerate(served):
            expected[place.booking_id] = max(at, hour + (used + i) * HOUR / capacity)
        taken = {p.booking_id for p in served}
        pending = [p for p in pending if p.booking_id not in taken]
        hour, used = hour + HOUR, 0
    return expected
