"""The call-forward policy: who is called to the border next, how fast calls go out, and when each truck is expected."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.booking import BookingKind, BookingStatus, Priority
from bordergate.domain.call_forward import Place, calls_due, paced_allowance, project, urgency
from bordergate.domain.capacity import HOUR, hour_of

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00 in Lang Son, the start of an hour
URGENT = timedelta(hours=24)
LIVE, SLOT = BookingKind.LIVE, BookingKind.SLOT
WAITING, BOOKED = BookingStatus.WAITING, BookingStatus.BOOKED
EMERGENCY, LIVE_ANIMALS = Priority.EMERGENCY, Priority.LIVE_ANIMALS


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def in_queue(id: str, since: float = -30, *, priority: Priority = Priority.NONE, spoils_in: float | None = None,
             ) -> Place:
    """A live-queue truck in the waiting area since ``since`` minutes from NOW; its cargo spoils ``spoils_in`` h on."""
    spoils = NOW + timedelta(hours=spoils_in) if spoils_in is not None else None
    return Place(id, LIVE, WAITING, priority, NOW + minutes(since), None, spoils)


def fixed(id: str, hour: int = 0, arrived: float | None = None) -> Place:
    """A truck booked for the hour ``hour`` hours from NOW's; in the waiting area since ``arrived`` minutes, if come."""
    status, queued = (BOOKED, None) if arrived is None else (WAITING, NOW + minutes(arrived))
    return Place(id, SLOT, status, Priority.NONE, queued, NOW + hour * HOUR)


def queue_of(count: int, prefix: str = "T") -> list[Place]:
    return [in_queue(f"{prefix}{i:02}", since=-60 + i) for i in range(count)]


def order(places: list[Place], now: datetime = NOW) -> list[str]:
    return [p.booking_id for p in sorted(places, key=lambda p: urgency(p, now, URGENT))]


def ids(places: list[Place]) -> list[str]:
    return [p.booking_id for p in places]


def hourly(*caps: int, then: int = 10) -> Callable[[datetime], int]:
    """Capacity hour by hour from NOW's hour: ``caps`` for the first hours, then ``then`` an hour."""
    return lambda hour: caps[(hour - NOW) // HOUR] if (hour - NOW) // HOUR < len(caps) else then


# The order of the queue


def test_priority_goes_first_then_perishables_then_fixed_hours_come_then_the_live_queue_then_early_fixed_hours():
    places = [fixed("early", hour=2, arrived=-50), in_queue("live", since=-60), fixed("due", arrived=-5),
              in_queue("durian", since=-1, spoils_in=10), in_queue("relief", since=-2, priority=EMERGENCY)]
    assert order(places) == ["relief", "durian", "due", "live", "early"]


def test_trucks_with_a_legal_priority_are_called_among_themselves_by_arrival_whatever_the_class():
    places = [in_queue("relief", since=-5, priority=EMERGENCY), in_queue("pigs", since=-9, priority=LIVE_ANIMALS)]
    assert order(places) == ["pigs", "relief"]


def test_perishable_cargo_is_called_soonest_spoiling_first_whatever_its_arrival():
    places = [in_queue("lychee", since=-60, spoils_in=20), in_queue("fish", since=-1, spoils_in=6)]
    assert order(places) == ["fish", "lychee"]


@pytest.mark.parametrize(("spoils_in", "expected"), [(24, ["fish", "rice"]), (30, ["rice", "fish"])])
def test_perishable_cargo_jumps_the_live_queue_only_within_the_urgent_window(spoils_in, expected):
    places = [in_queue("rice", since=-60), in_queue("fish", since=-1, spoils_in=spoils_in)]
    assert order(places) == expected


def test_cargo_already_past_its_shelf_life_does_not_take_a_place_from_a_load_that_can_still_be_saved():
    places = [in_queue("rice", since=-60), in_queue("spoilt", since=-120, spoils_in=-1),
              in_queue("lychee", since=-1, spoils_in=5)]
    assert order(places) == ["lychee", "spoilt", "rice"]  # the spoilt load keeps its place by arrival


def test_fixed_hours_that_have_come_are_called_by_hour_before_trucks_that_waited_longer():
    places = [in_queue("live", since=-120), fixed("eight", hour=0, arrived=-40), fixed("seven", hour=-1, arrived=-1)]
    assert order(places) == ["seven", "eight", "live"]


def test_the_live_queue_is_first_come_first_called_and_a_tie_goes_by_booking_id():
    places = [in_queue("B", since=-10), in_queue("C", since=-30), in_queue("A", since=-10)]
    assert order(places) == ["C", "A", "B"]


def test_fixed_hours_that_came_early_wait_behind_the_live_queue_until_their_hour():
    places = [fixed("ten", hour=2, arrived=-90), fixed("nine", hour=1, arrived=-90), in_queue("live", since=-1)]
    assert order(places) == ["live", "nine", "ten"]
    assert order(places, NOW + HOUR) == ["nine", "live", "ten"]


# Pacing


@pytest.mark.parametrize(("capacity", "minute", "allowed"), [
    (10, 0, 1), (10, 5.9, 1), (10, 6, 2), (12, 10, 3), (60, 30, 31), (10, 53.9, 9), (10, 54, 10), (10, 59.9, 10),
    (1000, 0, 1), (1000, 59, 984), (0, 0, 0), (0, 59, 0)])
def test_calls_are_spread_evenly_over_the_hour(capacity, minute, allowed):
    assert paced_allowance(capacity, NOW + minutes(minute)) == allowed


@given(st.integers(0, 1000), st.integers(0, 3599), st.integers(-48, 48))
def test_by_second_s_of_an_hour_of_capacity_c_the_hour_may_have_called_c_s_over_3600_plus_one_up_to_c(c, s, hour):
    now = NOW + hour * HOUR + timedelta(seconds=s)
    assert paced_allowance(c, now) == (min(c, c * s // 3600 + 1) if c else 0)


@given(st.integers(1, 1000))
def test_an_open_hour_may_call_its_whole_capacity_by_its_last_second(capacity):
    assert paced_allowance(capacity, NOW + HOUR - timedelta(seconds=1)) == capacity


# Who is called now


def test_calls_never_run_ahead_of_the_pace():
    assert ids(calls_due(NOW, queue_of(5), 10, 0, 0, URGENT)) == ["T00"]
    assert calls_due(NOW + minutes(20), queue_of(5), 10, 4, 0, URGENT) == []
    assert ids(calls_due(NOW + minutes(59), queue_of(5), 10, 7, 0, URGENT)) == ["T00", "T01", "T02"]


def test_a_closed_hour_or_an_empty_waiting_area_calls_nobody():
    assert calls_due(NOW + minutes(59), queue_of(5), 0, 0, 0, URGENT) == []
    assert calls_due(NOW + minutes(59), [], 10, 0, 0, URGENT) == []


@pytest.mark.parametrize(("not_arrived", "called"), [(4, []), (2, ["T00", "T01"]), (0, ["T00", "T01", "T02"])])
def test_the_live_queue_never_takes_the_places_kept_for_fixed_hours_not_yet_come(not_arrived, called):
    assert ids(calls_due(NOW + minutes(59), queue_of(3), 10, 6, not_arrived, URGENT)) == called


def test_priority_perishables_and_fixed_hours_come_may_use_the_places_kept_for_fixed_hours():
    waiting = [in_queue("live", since=-90), in_queue("relief", priority=EMERGENCY), in_queue("fish", spoils_in=5),
               fixed("seven", hour=-1, arrived=-10)]
    assert ids(calls_due(NOW + minutes(59), waiting, 10, 6, 4, URGENT)) == ["relief", "fish", "seven"]


def test_early_fixed_hours_take_only_places_nobody_else_waits_for():
    waiting = [fixed("nine", hour=1, arrived=-30), *queue_of(2)]
    assert ids(calls_due(NOW + minutes(59), waiting, 10, 0, 0, URGENT)) == ["T00", "T01", "nine"]
    assert ids(calls_due(NOW + minutes(59), waiting, 10, 0, 8, URGENT)) == ["T00", "T01"]


def test_places_kept_for_fixed_hours_stay_kept_when_priority_trucks_are_called_in_the_same_turn():
    waiting = [in_queue(f"relief{i}", priority=EMERGENCY) for i in range(5)] + queue_of(10)
    due = calls_due(NOW + minutes(59), waiting, 10, 0, 5, URGENT)
    # 5 priority calls use 5 places; the other 5 are kept for the 5 fixed-hour trucks still to come.
    assert ids(due) == [f"relief{i}" for i in range(5)]


places_waiting = st.lists(st.one_of(
    st.builds(in_queue, st.just(""), st.integers(-600, 0), priority=st.sampled_from(Priority),
              spoils_in=st.none() | st.integers(1, 48)),
    st.builds(fixed, st.just(""), st.integers(-2, 3), st.integers(-600, 0))), max_size=20)


def with_ids(places: list[Place]) -> list[Place]:
    """The places with distinct booking ids, in the order drawn."""
    return [replace(p, booking_id=f"B{i:02}") for i, p in enumerate(places)]


@given(places_waiting, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.integers(0, 3599))
def test_calls_keep_the_pace_and_the_order_and_skip_only_the_live_queue_and_early_fixed_hours(
        places, capacity, called, not_arrived, second):
    now, waiting = NOW + timedelta(seconds=second), with_ids(places)
    due = calls_due(now, waiting, capacity, called, not_arrived, URGENT)
    rank = {p.booking_id: urgency(p, now, URGENT) for p in waiting}
    paced = max(0, paced_allowance(capacity, now) - called)
    assert len(due) <= paced
    assert ids(due) == [i for i in order(waiting, now) if i in set(ids(due))]
    live_or_early = [p for p in due if rank[p.booking_id][0] >= 3]
    assert len(live_or_early) <= max(0, capacity - called - not_arrived)
    if len(due) < paced:
        assert {p.booking_id for p in waiting if rank[p.booking_id][0] < 3} <= set(ids(due))


# Expected call times


def expected_minutes(expected: dict[str, datetime | None], places: list[Place]) -> list[float | None]:
    """Each place's expected call, in minutes after NOW."""
    times = [expected[p.booking_id] for p in places]
    return [None if t is None else (t - NOW) / minutes(1) for t in times]


def test_a_queue_of_n_trucks_at_c_an_hour_is_called_within_n_over_c_hours_one_every_60_over_c_minutes():
    queue = queue_of(30)
    expected = project(NOW, queue, hourly(10, 10, 10), 0, URGENT)
    assert expected_minutes(expected, queue) == [6 * i for i in range(30)]


def test_late_in_the_hour_the_first_trucks_are_expected_now_and_the_rest_at_the_pace():
    queue = queue_of(10)
    expected = project(NOW + minutes(40), queue, hourly(10, 10), 3, URGENT)
    assert expected_minutes(expected, queue) == [40, 40, 40, 40, 42, 48, 54, 60, 66, 72]


def test_a_closed_hour_pushes_the_queue_to_the_next_open_hour():
    queue = queue_of(15)
    expected = project(NOW, queue, hourly(10, 0, 10), 0, URGENT)
    assert expected_minutes(expected, queue)[9:] == [54, 120, 126, 132, 138, 144]


def test_a_fixed_hour_truck_not_yet_come_is_expected_at_the_start_of_its_hour_ahead_of_the_live_queue():
    queue, ten = queue_of(40), fixed("ten", hour=2)
    expected = project(NOW, [*queue, ten], hourly(10, 10, 10, 10, 10), 0, URGENT)
    assert expected["ten"] == NOW + 2 * HOUR
    assert expected_minutes(expected, queue)[19:22] == [114, 126, 132]


def test_a_fixed_hour_truck_not_yet_come_is_not_expected_before_its_hour_even_at_an_empty_gate():
    assert project(NOW, [fixed("eleven", hour=3)], hourly(), 0, URGENT) == {"eleven": NOW + 3 * HOUR}


def test_a_fixed_hour_truck_come_early_is_expected_now_when_nobody_else_waits():
    assert project(NOW + minutes(5), [fixed("ten", hour=2, arrived=-1)], hourly(), 0, URGENT) == {
        "ten": NOW + minutes(5)}


def test_a_live_queue_booking_not_yet_in_the_waiting_area_has_no_expected_time():
    booked = Place("B-9", LIVE, BOOKED)
    assert project(NOW, [booked, *queue_of(2)], hourly(), 0, URGENT)["B-9"] is None


def test_beyond_the_horizon_a_truck_has_no_expected_time():
    queue = queue_of(3)
    assert expected_minutes(project(NOW, queue, hourly(then=1), 0, URGENT, horizon_hours=2), queue) == [0, 60, None]
    assert set(project(NOW, queue, hourly(then=0), 0, URGENT).values()) == {None}


def test_a_priority_truck_arriving_now_is_expected_before_the_queue_that_waited():
    queue, relief = queue_of(3), in_queue("relief", since=0, priority=EMERGENCY)
    expected = project(NOW, [*queue, relief], hourly(), 0, URGENT)
    assert expected["relief"] == NOW and expected_minutes(expected, queue) == [6, 12, 18]


def a_place(kind: BookingKind, status: BookingStatus, priority: Priority, queued: int, slot: int,
            spoils: int | None) -> Place:
    return Place("", kind, status, priority, NOW + minutes(queued) if status is WAITING else None,
                 NOW + slot * HOUR if kind is SLOT else None, NOW + timedelta(hours=spoils) if spoils else None)


any_places = st.lists(st.builds(a_place, st.sampled_from(BookingKind), st.sampled_from([WAITING, BOOKED]),
                                st.sampled_from(Priority), st.integers(-600, 0), st.integers(-2, 6),
                                st.none() | st.integers(1, 48)), max_size=30)


@given(any_places, st.lists(st.integers(0, 4), min_size=12, max_size=12), st.integers(0, 5), st.integers(0, 3599))
def test_expected_calls_keep_the_queue_order_within_each_hour_and_no_hour_takes_more_than_it_passes(
        places, caps, called, second):
    now, places = NOW + timedelta(seconds=second), with_ids(places)
    capacity_at = hourly(*caps, then=0)
    expected = project(now, places, capacity_at, called, URGENT, horizon_hours=12)
    by_hour: dict[datetime, list[Place]] = defaultdict(list)
    for place in places:
        at = expected[place.booking_id]
        if place.status is BOOKED and place.kind is LIVE:
            assert at is None
        if at is not None:
            assert at >= now and (place.status is not BOOKED or at >= place.slot_start)
            by_hour[hour_of(at)].append(place)
    for hour, served in by_hour.items():
        assert len(served) <= capacity_at(hour) - (called if hour == hour_of(now) else 0)
        in_order = sorted(served, key=lambda p: urgency(p, max(now, hour), URGENT))
        times = [expected[p.booking_id] for p in in_order]
        assert times == sorted(times)
