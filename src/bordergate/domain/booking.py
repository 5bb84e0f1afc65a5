"""The Booking aggregate: a declared truck's place in a crossing point's queue, from booking to the yard gate."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import Conflict
from bordergate.domain.events import Event
from bordergate.domain.queue_events import (BookingCancelled, BookingMade, BookingMoved, CallMissed,
                                            PriorityChanged, TruckArrivedAtGate, TruckCalledForward, TruckCheckedIn,
                                            TruckNoShow)
from bordergate.domain.labels import Labelled


@dataclass(frozen=True)
class QueueRules:
    """The queue's rules of the game, from the settings."""

    days_ahead: timedelta = timedelta(days=30)
    call_deadline: timedelta = timedelta(minutes=20)
    late_cancel: timedelta = timedelta(hours=2)
    no_show_grace: timedelta = timedelta(minutes=30)
    strikes_to_block: int = 3
    strike_window: timedelta = timedelta(days=30)
    block: timedelta = timedelta(days=7)
    bookings_per_minute: int = 10
    perishable_urgent: timedelta = timedelta(hours=24)
    eta_change: timedelta = timedelta(minutes=30)


# Hours offered for a slot: from two hours before the planned arrival, half a day of them.
SLOT_LEAD, SLOT_HOURS = timedelta(hours=2), 12


def slot_window(planned_arrival: datetime, now: datetime) -> tuple[datetime, int]:
    """The first hour a trip may take a slot from, and how many hours are offered: from two hours before the
    planned arrival (a truck may come early), never from an hour already gone, half a day of them."""
    return max(now, planned_arrival - SLOT_LEAD), SLOT_HOURS


class BookingKind(Labelled):
    """A fixed hour booked ahead, or the live queue (the first free place, GoSwift's "live queue")."""

    SLOT = ("slot", "Đặt giờ", "Fixed time slot", "预约时段", "blue")
    LIVE = ("live", "Xếp hàng trực tiếp", "Live queue", "实时排队", "teal")


class Priority(Labelled):
    """Priority classes the law gives; perishable cargo is ordered by its remaining shelf life on top of these."""

    NONE = ("none", "Thông thường", "Ordinary", "普通", "grey")
    EMERGENCY = ("emergency", "Khẩn cấp / cứu trợ", "Emergency or relief goods", "紧急救援物资", "red")
    LIVE_ANIMALS = ("live_animals", "Động vật sống", "Live animals", "活体动物", "amber")
    OFFICIAL = ("official", "Công vụ / ngoại giao", "Official or diplomatic", "公务外交", "purple")


class BookingStatus(Labelled):
    """Where a booking stands."""

    BOOKED = ("booked", "Đã đặt chỗ", "Booked", "已预约", "blue")
    WAITING = ("waiting", "Đang ở bãi chờ", "In the waiting area", "在待检区", "teal")
    CALLED = ("called", "Được gọi vào", "Called forward", "已叫号", "green")
    ARRIVED = ("arrived", "Đã vào bãi kiểm hóa", "At the border yard", "已进场", "green")
    CANCELLED = ("cancelled", "Đã hủy", "Cancelled", "已取消", "grey")
    NO_SHOW = ("no_show", "Không đến", "Did not come", "未到", "red")
    EXPIRED = ("expired", "Mất lượt", "Lost its call", "过号失效", "red")

    @property
    def is_active(self) -> bool:
        """An active booking holds the truck's one place; a truck has at most one."""
        return self in (BookingStatus.BOOKED, BookingStatus.WAITING, BookingStatus.CALLED)


@dataclass
class Booking:
    """One declared truck's place: which crossing point and direction, which hour (or the live queue), priority."""

    id: str
    reference: str
    enterprise_id: str
    booked_by: str
    crossing_point: str
    direction: Direction
    kind: BookingKind
    tractor_plate: str
    booked_at: datetime
    slot_start: datetime | None = None
    priority: Priority = Priority.NONE
    perishable_until: datetime | None = None
    arrives_at: datetime | None = None  # the declared arrival: where a live-queue truck is expected to join
    status: BookingStatus = BookingStatus.BOOKED
    queued_at: datetime | None = None
    called_at: datetime | None = None
    call_deadline: datetime | None = None
    missed_calls: int = 0
    ended_at: datetime | None = None
    strike: bool = False
    missed_call_at: datetime | None = None
    version: int = 1
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def make(cls, **fields: Any) -> Booking:
        booking = cls(**fields)
        booking.events.append(BookingMade(
            actor=booking.booked_by, at=booking.booked_at, booking_id=booking.id, reference=booking.reference,
            crossing_point=booking.crossing_point, direction=booking.direction.value, kind=booking.kind.value,
            slot_start=booking.slot_start, priority=booking.priority.value))
        return booking

    def check_in(self, *, actor: str, at: datetime, how: str) -> None:
        """The truck reached the waiting area (a plate read, or an operator); it takes its place in the queue."""
        self._require(BookingStatus.BOOKED, "checked in")
        self.status, self.queued_at = BookingStatus.WAITING, at
        self._changed(TruckCheckedIn(actor=actor, at=at, booking_id=self.id, reference=self.reference, how=how))

    def call(self, *, at: datetime, deadline: timedelta) -> None:
        """Call the truck forward: it must reach the checkpoint before the deadline."""
        self._require(BookingStatus.WAITING, "called")
        self.status, self.called_at, self.call_deadline = BookingStatus.CALLED, at, at + deadline
        self._changed(TruckCalledForward(actor="system", at=at, booking_id=self.id, reference=self.reference,
                                         deadline=self.call_deadline))

    def arrive(self, *, actor: str, at: datetime) -> None:
        """The truck passed the yard gate: its place in the queue is used."""
        self._require(BookingStatus.CALLED, "marked as arrived")
        self.status, self.ended_at = BookingStatus.ARRIVED, at
        self._changed(TruckArrivedAtGate(actor=actor, at=at, booking_id=self.id, reference=self.reference))

    def miss_call(self, *, at: datetime) -> None:
        """The deadline passed. Rule: the first miss puts the truck at the back of the live queue; a second ends
        the booking, and it counts against the enterprise like a no-show."""
        self._require(BookingStatus.CALLED, "marked as missing its call")
        self.missed_calls += 1
        if self.missed_calls >= 2:
            self.status, self.ended_at, self.strike = BookingStatus.EXPIRED, at, True
        else:
            self.status, self.queued_at, self.kind = BookingStatus.WAITING, at, BookingKind.LIVE
        # The missed call used a place of its hour, whether or not the truck came: it is kept to be counted.
        self.missed_call_at, self.called_at, self.call_deadline = self.called_at, None, None
        self._changed(CallMissed(actor="system", at=at, booking_id=self.id, reference=self.reference,
                                 missed_calls=self.missed_calls, expired=self.status is BookingStatus.EXPIRED))

    def no_show(self, *, at: datetime) -> None:
        self._require(BookingStatus.BOOKED, "marked as not come")
        self.status, self.ended_at, self.strike = BookingStatus.NO_SHOW, at, True
        self._changed(TruckNoShow(actor="system", at=at, booking_id=self.id, reference=self.reference))

    def cancel(self, *, actor: str, at: datetime, late: bool, reason: str | None) -> None:
        if not self.status.is_active:
            raise Conflict(f"booking {self.id} is {self.status.label('en').lower()} and cannot be cancelled")
        self.status, self.ended_at, self.strike = BookingStatus.CANCELLED, at, late
        self._changed(BookingCancelled(actor=actor, at=at, booking_id=self.id, reference=self.reference, late=late,
                                       reason=reason))

    def set_priority(self, priority: Priority, *, actor: str, at: datetime) -> None:
        if priority is self.priority:
            raise Conflict(f"booking {self.id} already has priority {priority.value}")
        self.priority = priority
        self._changed(PriorityChanged(actor=actor, at=at, booking_id=self.id, reference=self.reference,
                                      priority=priority.value))

    def move_to(self, slot_start: datetime | None, *, at: datetime, reason: str) -> None:
        """Capacity fell: the booking takes another hour (the rule is call_forward.rebook_order)."""
        old, self.slot_start = self.slot_start, slot_start
        if slot_start is None:
            self.kind = BookingKind.LIVE
        self._changed(BookingMoved(actor="system", at=at, booking_id=self.id, reference=self.reference,
                                   old_slot=old, new_slot=slot_start, reason=reason))

    def _require(self, status: BookingStatus, verb: str) -> None:
        if self.status is not status:
            raise Conflict(f"booking {self.id} is {self.status.label('en').lower()} and cannot be {verb}")

    def _changed(self, event: Event) -> None:
        self.version += 1
        self.events.append(event)
