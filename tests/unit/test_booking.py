"""The Booking aggregate: a truck's place in the queue, from booking through check-in and call to the yard gate."""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bordergate.domain.booking import Booking, BookingKind, BookingStatus, Priority, slot_window
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import Conflict
from bordergate.domain.queue_events import (BookingCancelled, BookingMade, BookingMoved, CallMissed, PriorityChanged,
                                            TruckArrivedAtGate, TruckCalledForward, TruckCheckedIn, TruckNoShow)

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00 in Lang Son
SLOT = NOW + timedelta(hours=2)
DEADLINE = timedelta(minutes=20)
CHECKED_IN_AT, CALLED_AT = NOW + timedelta(minutes=90), NOW + timedelta(minutes=125)
BOOKED, WAITING, CALLED, ARRIVED, CANCELLED, NO_SHOW, EXPIRED = BookingStatus


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def a_booking(kind: BookingKind = BookingKind.SLOT, *, slot_start: datetime | None = SLOT,
              priority: Priority = Priority.NONE) -> Booking:
    """A fixed-hour booking made at NOW by a declarant (or the live queue, with ``kind=BookingKind.LIVE``)."""
    return Booking.make(id="B-1", reference="HN-2611-0001", enterprise_id="E-1", booked_by="U-declarant",
                        crossing_point="HUU_NGHI", direction=Direction.OUTBOUND, kind=kind,
                        tractor_plate="12C12345", booked_at=NOW,
                        slot_start=slot_start if kind is BookingKind.SLOT else None, priority=priority)


def checked_in(booking: Booking | None = None, at: datetime = CHECKED_IN_AT) -> Booking:
    booking = booking or a_booking()
    booking.check_in(actor="camera", at=at, how="plate_read")
    return booking


def called(booking: Booking | None = None, at: datetime = CALLED_AT) -> Booking:
    booking = checked_in(booking)
    booking.call(at=at, deadline=DEADLINE)
    return booking


def in_state(status: BookingStatus) -> Booking:
    """A booking brought to ``status`` the way the gate would."""
    booking = a_booking()
    if status is CANCELLED:
        booking.cancel(actor="U-declarant", at=NOW, late=False, reason=None)
    elif status is NO_SHOW:
        booking.no_show(at=SLOT + minutes(90))
    elif status is not BOOKED:
        checked_in(booking)
        if status is not WAITING:
            booking.call(at=NOW + minutes(125), deadline=DEADLINE)
        if status is ARRIVED:
            booking.arrive(actor="camera", at=NOW + minutes(135))
        elif status is EXPIRED:
            booking.miss_call(at=NOW + minutes(145))
            booking.call(at=NOW + minutes(150), deadline=DEADLINE)
            booking.miss_call(at=NOW + minutes(170))
    assert booking.status is status
    return booking


# Booking and checking in


def test_a_new_booking_waits_for_its_truck_and_says_where_and_when():
    booking = a_booking()
    assert (booking.status, booking.version, booking.strike, booking.missed_calls) == (BOOKED, 1, False, 0)
    assert booking.events == [BookingMade(
        actor="U-declarant", at=NOW, booking_id="B-1", reference="HN-2611-0001", crossing_point="HUU_NGHI",
        direction="outbound", kind="slot", slot_start=SLOT, priority="none")]


def test_a_live_queue_booking_has_no_hour():
    event = a_booking(BookingKind.LIVE).events[0]
    assert (event.kind, event.slot_start) == ("live", None)


def test_a_booking_event_is_filed_under_its_declaration():
    assert a_booking().events[0].subject == ("declaration", "HN-2611-0001")


def test_a_truck_reaching_the_waiting_area_takes_its_place_in_the_queue_from_that_moment():
    booking = checked_in(at=NOW + minutes(90))
    assert (booking.status, booking.queued_at, booking.version) == (WAITING, NOW + minutes(90), 2)
    assert booking.events[-1] == TruckCheckedIn(actor="camera", at=NOW + minutes(90), booking_id="B-1",
                                                reference="HN-2611-0001", how="plate_read")


# Calls


def test_a_called_truck_must_reach_the_checkpoint_within_the_deadline():
    booking = called(at=NOW + minutes(125))
    assert (booking.status, booking.called_at, booking.call_deadline) == (CALLED, NOW + minutes(125),
                                                                          NOW + minutes(145))
    assert booking.events[-1] == TruckCalledForward(actor="system", at=NOW + minutes(125), booking_id="B-1",
                                                    reference="HN-2611-0001", deadline=NOW + minutes(145))


def test_a_called_truck_through_the_yard_gate_has_used_its_place():
    booking = called()
    booking.arrive(actor="camera", at=NOW + minutes(135))
    assert (booking.status, booking.ended_at, booking.status.is_active) == (ARRIVED, NOW + minutes(135), False)
    assert booking.events[-1] == TruckArrivedAtGate(actor="camera", at=NOW + minutes(135), booking_id="B-1",
                                                    reference="HN-2611-0001")


def test_a_first_missed_call_sends_the_truck_to_the_back_of_the_live_queue_without_a_strike():
    booking = called(at=NOW + minutes(125))
    booking.miss_call(at=NOW + minutes(145))
    assert (booking.status, booking.kind, booking.queued_at) == (WAITING, BookingKind.LIVE, NOW + minutes(145))
    assert (booking.missed_calls, booking.strike, booking.call_deadline, booking.ended_at) == (1, False, None, None)
    # The missed call used a place of its hour: it is kept to be counted; the truck is no longer called.
    assert (booking.missed_call_at, booking.called_at) == (NOW + minutes(125), None)
    assert booking.events[-1] == CallMissed(actor="system", at=NOW + minutes(145), booking_id="B-1",
                                            reference="HN-2611-0001", missed_calls=1, expired=False)


def test_a_second_missed_call_ends_the_booking_and_counts_against_the_enterprise():
    booking = in_state(EXPIRED)
    assert (booking.missed_calls, booking.strike, booking.ended_at) == (2, True, NOW + minutes(170))
    assert booking.call_deadline is None
    assert booking.events[-1] == CallMissed(actor="system", at=NOW + minutes(170), booking_id="B-1",
                                            reference="HN-2611-0001", missed_calls=2, expired=True)


def test_a_truck_back_in_the_live_queue_may_be_called_again():
    booking = called()
    booking.miss_call(at=NOW + minutes(145))
    booking.call(at=NOW + minutes(150), deadline=DEADLINE)
    assert (booking.status, booking.call_deadline) == (CALLED, NOW + minutes(170))


# No-shows, cancellations, priority, moves


def test_a_fixed_hour_truck_that_never_came_is_a_no_show_with_a_strike():
    booking = a_booking()
    booking.no_show(at=SLOT + minutes(90))
    assert (booking.status, booking.strike, booking.ended_at) == (NO_SHOW, True, SLOT + minutes(90))
    assert booking.events[-1] == TruckNoShow(actor="system", at=SLOT + minutes(90), booking_id="B-1",
                                             reference="HN-2611-0001")


@pytest.mark.parametrize("late", [False, True])
def test_a_cancellation_counts_against_the_enterprise_only_when_it_is_late(late):
    booking = a_booking()
    booking.cancel(actor="U-declarant", at=NOW + minutes(10), late=late, reason="the buyer postponed")
    assert (booking.status, booking.strike, booking.ended_at) == (CANCELLED, late, NOW + minutes(10))
    assert booking.events[-1] == BookingCancelled(actor="U-declarant", at=NOW + minutes(10), booking_id="B-1",
                                                  reference="HN-2611-0001", late=late, reason="the buyer postponed")


@pytest.mark.parametrize("status", [BOOKED, WAITING, CALLED])
def test_a_booking_can_be_cancelled_while_it_holds_a_place(status):
    booking = in_state(status)
    booking.cancel(actor="U-operator", at=NOW + minutes(140), late=False, reason=None)
    assert booking.status is CANCELLED


def test_an_operator_grants_a_legal_priority():
    booking = a_booking()
    booking.set_priority(Priority.LIVE_ANIMALS, actor="U-operator", at=NOW + minutes(5))
    assert (booking.priority, booking.version) == (Priority.LIVE_ANIMALS, 2)
    assert booking.events[-1] == PriorityChanged(actor="U-operator", at=NOW + minutes(5), booking_id="B-1",
                                                 reference="HN-2611-0001", priority="live_animals")


def test_granting_the_priority_a_booking_already_has_is_refused():
    booking = a_booking(priority=Priority.EMERGENCY)
    with pytest.raises(Conflict, match="already has priority emergency"):
        booking.set_priority(Priority.EMERGENCY, actor="U-operator", at=NOW)
    assert booking.version == 1


def test_a_booking_moved_to_another_hour_keeps_its_fixed_hour_kind():
    booking = a_booking()
    booking.move_to(SLOT + timedelta(hours=3), at=NOW + minutes(5), reason="fog on the pass")
    assert (booking.kind, booking.slot_start, booking.version) == (BookingKind.SLOT, SLOT + timedelta(hours=3), 2)
    assert booking.events[-1] == BookingMoved(actor="system", at=NOW + minutes(5), booking_id="B-1",
                                              reference="HN-2611-0001", old_slot=SLOT,
                                              new_slot=SLOT + timedelta(hours=3), reason="fog on the pass")


def test_a_booking_with_no_free_hour_left_joins_the_live_queue():
    booking = a_booking()
    booking.move_to(None, at=NOW + minutes(5), reason="closure")
    assert (booking.kind, booking.slot_start) == (BookingKind.LIVE, None)
    assert (booking.events[-1].old_slot, booking.events[-1].new_slot) == (SLOT, None)


# What each state allows

ACTIONS: dict[str, tuple[Callable[[Booking], None], BookingStatus]] = {
    "check_in": (lambda b: b.check_in(actor="camera", at=NOW, how="manual"), BOOKED),
    "call": (lambda b: b.call(at=NOW, deadline=DEADLINE), WAITING),
    "miss_call": (lambda b: b.miss_call(at=NOW), CALLED),
    "no_show": (lambda b: b.no_show(at=NOW), BOOKED),
}
REFUSED = [(name, status) for name, (_, allowed) in ACTIONS.items()
           for status in BookingStatus if status is not allowed]


@pytest.mark.parametrize(("action", "status"), REFUSED)
def test_a_step_out_of_turn_is_refused_and_changes_nothing(action, status):
    booking = in_state(status)
    version, events = booking.version, list(booking.events)
    with pytest.raises(Conflict, match=f"booking B-1 is {status.label('en').lower()} and cannot be"):
        ACTIONS[action][0](booking)
    assert (booking.status, booking.version, booking.events) == (status, version, events)


@pytest.mark.parametrize("status", [ARRIVED, CANCELLED, NO_SHOW, EXPIRED])
def test_a_booking_that_has_ended_cannot_be_cancelled(status):
    booking = in_state(status)
    with pytest.raises(Conflict, match="cannot be cancelled"):
        booking.cancel(actor="U-declarant", at=NOW, late=True, reason=None)
    assert booking.status is status


@pytest.mark.parametrize("status", [WAITING, CANCELLED, EXPIRED])
def test_only_a_called_truck_can_arrive_at_the_yard_gate(status):
    booking = in_state(status)
    with pytest.raises(Conflict):
        booking.arrive(actor="camera", at=NOW + minutes(200))


@pytest.mark.parametrize(("status", "active"), [(BOOKED, True), (WAITING, True), (CALLED, True), (ARRIVED, False),
                                                (CANCELLED, False), (NO_SHOW, False), (EXPIRED, False)])
def test_a_booking_holds_the_trucks_one_place_until_it_arrives_or_ends(status, active):
    assert status.is_active is active


def test_every_step_raises_one_event_and_bumps_the_version_once():
    booking = in_state(ARRIVED)
    assert [type(e) for e in booking.events] == [BookingMade, TruckCheckedIn, TruckCalledForward, TruckArrivedAtGate]
    assert booking.version == 4


@pytest.mark.parametrize("enum", [BookingKind, Priority, BookingStatus])
def test_kinds_priorities_and_statuses_are_named_in_each_language(enum):
    for locale in ("vi", "en", "zh"):
        labels = [member.label(locale) for member in enum]
        assert all(labels) and len(set(labels)) == len(labels), locale


def test_slots_are_offered_from_two_hours_before_the_planned_arrival_for_half_a_day():
    assert slot_window(NOW + timedelta(hours=5), NOW) == (NOW + timedelta(hours=3), 12)


def test_slots_are_never_offered_in_an_hour_already_gone():
    assert slot_window(NOW + timedelta(hours=1), NOW) == (NOW, 12)
