"""Events of the queue: bookings, check-in, call-forward, capacity and regulation orders (a public contract)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bordergate.domain.events import Event


@dataclass(frozen=True)
class _BookingEvent(Event):
    booking_id: str
    reference: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("declaration", self.reference)


@dataclass(frozen=True)
class BookingMade(_BookingEvent):
    """A declared truck took a place: a fixed hour (``slot_start``) or the live queue."""

    crossing_point: str
    direction: str
    kind: str
    slot_start: datetime | None
    priority: str


@dataclass(frozen=True)
class TruckCheckedIn(_BookingEvent):
    """The truck reached the waiting area; ``how`` is plate_read or manual."""

    how: str


@dataclass(frozen=True)
class TruckCalledForward(_BookingEvent):
    """The truck was called to the border; it must reach the checkpoint by ``deadline``."""

    deadline: datetime


@dataclass(frozen=True)
class TruckArrivedAtGate(_BookingEvent):
    """A called truck passed the yard gate: its place in the queue is used."""


@dataclass(frozen=True)
class CallMissed(_BookingEvent):
    """A called truck did not reach the checkpoint in time; ``expired`` when it lost its booking."""

    missed_calls: int
    expired: bool


@dataclass(frozen=True)
class TruckNoShow(_BookingEvent):
    """A truck with a fixed hour did not come by the end of its hour and the grace time."""


@dataclass(frozen=True)
class BookingCancelled(_BookingEvent):
    """The declarant gave the place up; ``late`` when it was too close to the hour (it counts against them)."""

    late: bool
    reason: str | None


@dataclass(frozen=True)
class PriorityChanged(_BookingEvent):
    """An operator granted or removed a legal priority class."""

    priority: str


@dataclass(frozen=True)
class BookingMoved(_BookingEvent):
    """Capacity fell and the booking was moved to another hour, by the stated rule."""

    old_slot: datetime | None
    new_slot: datetime | None
    reason: str


@dataclass(frozen=True)
class CapacityPlanSet(Event):
    """The management center set the usual trucks per hour of a crossing point and direction."""

    crossing_point: str
    direction: str
    hourly: tuple[int, ...]

    @property
    def subject(self) -> tuple[str, str]:
        return ("capacity", f"{self.crossing_point}:{self.direction}")


@dataclass(frozen=True)
class CapacityChanged(Event):
    """Capacity changes for a stretch of time (closure, extra lanes); ``per_hour`` 0 is a closure."""

    change_id: str
    crossing_point: str
    direction: str | None
    starts_at: datetime
    ends_at: datetime
    per_hour: int
    reason: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("capacity", f"{self.crossing_point}:{self.direction or 'both'}")


@dataclass(frozen=True)
class DayLimitSet(Event):
    """The other side accepts at most ``trucks`` on ``day`` in ``direction``."""

    crossing_point: str
    direction: str
    day: str
    trucks: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("capacity", f"{self.crossing_point}:{self.direction}")


@dataclass(frozen=True)
class RegulationOrderIssued(Event):
    """The management center or traffic police ordered trucks to hold (at ``staging_area``) or resumed them."""

    order_id: str
    crossing_point: str
    direction: str | None
    kind: str
    staging_area: str | None
    message: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("regulation_order", self.order_id)


@dataclass(frozen=True)
class RegulationOrderLifted(Event):
    """A hold order ended; calls resume."""

    order_id: str
    crossing_point: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("regulation_order", self.order_id)
