"""Crossing capacity: the usual hours of a crossing point, the changes that close or widen it, and a day's limit."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bordergate.domain.capacity import (HOUR, Capacity, CapacityChange, CapacityPlan, DayLimit, hour_of, local_day,
                                        require_valid_change)
from bordergate.domain.checkpoints import Direction
from bordergate.domain.errors import Invalid

OUTBOUND, INBOUND = Direction.OUTBOUND, Direction.INBOUND
# 01:00 UTC is 08:00 in Lang Son, on Friday 27 November.
DAY = date(2026, 11, 27)
MIDNIGHT = datetime(2026, 11, 26, 17, 0, tzinfo=UTC)
CHINA_TIME = timezone(timedelta(hours=8))


def local(hour: float, day: int = 0) -> datetime:
    """``hour`` o'clock in Lang Son on DAY (plus ``day`` days), as a UTC moment."""
    return MIDNIGHT + timedelta(days=day, hours=hour)


def working_day(per_hour: int = 10, opens: int = 6, closes: int = 18) -> tuple[int, ...]:
    return tuple(per_hour if opens <= h < closes else 0 for h in range(24))


def a_plan(hourly: tuple[int, ...] | None = None, direction: Direction = OUTBOUND) -> CapacityPlan:
    return CapacityPlan("HUU_NGHI", direction, working_day() if hourly is None else hourly)


def a_change(starts: float, ends: float, per_hour: int = 0, direction: Direction | None = None,
             id: str = "CC-1") -> CapacityChange:
    """A change from local hour ``starts`` to ``ends`` on DAY (a closure unless ``per_hour`` is given)."""
    return CapacityChange(id, "HUU_NGHI", direction, local(starts), local(ends), per_hour, "fog on the pass")


def problems_of(error: pytest.ExceptionInfo[Invalid]) -> list[str]:
    return [problem.field for problem in error.value.problems]


# Hours and days at the gate


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_a_moment_falls_in_the_whole_hour_that_starts_at_or_before_it(moment):
    start = hour_of(moment)
    assert start.tzinfo == UTC and (start.minute, start.second, start.microsecond) == (0, 0, 0)
    assert start <= moment < start + HOUR


def test_the_hour_of_a_moment_given_in_another_time_zone_is_the_same_hour_in_utc():
    assert hour_of(datetime(2026, 11, 27, 9, 41, tzinfo=CHINA_TIME)) == local(8)


@pytest.mark.parametrize(("moment", "day"), [(local(0), DAY), (local(23.99), DAY), (local(24), date(2026, 11, 28)),
                                             (datetime(2026, 11, 27, 16, 59, tzinfo=UTC), DAY),
                                             (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), date(2026, 11, 28))])
def test_the_day_is_the_local_day_in_lang_son_which_starts_at_17_utc(moment, day):
    assert local_day(moment) == day


# The plan


def test_a_plan_gives_the_usual_trucks_for_each_local_hour():
    plan = a_plan(tuple(range(24)))
    assert plan.usual(local(8)) == 8
    assert plan.usual(local(0)) == 0
    assert plan.usual(datetime(2026, 11, 27, 1, 0, tzinfo=UTC)) == 8


@pytest.mark.parametrize("count", [0, 23, 25])
def test_a_plan_needs_one_number_for_each_of_the_24_hours(count):
    with pytest.raises(Invalid) as error:
        a_plan((10,) * count)
    assert problems_of(error) == ["hourly"]
    assert "got " + str(count) in error.value.problems[0].message


def test_a_plan_names_each_hour_outside_0_to_1000_trucks():
    with pytest.raises(Invalid) as error:
        a_plan((0, 1000, 1001, -1) + (5,) * 20)
    assert problems_of(error) == ["hourly[2]", "hourly[3]"]


def test_a_plan_of_the_wrong_length_with_bad_hours_lists_every_problem():
    with pytest.raises(Invalid) as error:
        a_plan((-5,) * 2)
    assert problems_of(error) == ["hourly", "hourly[0]", "hourly[1]"]


def test_a_crossing_point_without_a_plan_runs_no_queue_and_has_no_places():
    capacity = Capacity(None)
    assert not capacity.runs_a_queue
    assert capacity.at(local(10)) == 0
    assert Capacity(a_plan()).runs_a_queue


def test_without_changes_or_limits_each_hour_has_its_usual_capacity():
    capacity = Capacity(a_plan())
    assert [n for _, n in capacity.hours_from(local(4), 4)] == [0, 0, 10, 10]


# Changes


@pytest.mark.parametrize(("starts", "ends"), [(10.5, 10.75), (9, 10.01), (10.99, 12), (0, 24)])
def test_a_change_covers_every_hour_it_overlaps_even_by_a_minute(starts, ends):
    assert a_change(starts, ends).covers(OUTBOUND, local(10))


@pytest.mark.parametrize(("starts", "ends"), [(9, 10), (11, 12), (12, 13)])
def test_a_change_that_only_touches_an_hour_at_its_edge_does_not_cover_it(starts, ends):
    assert not a_change(starts, ends).covers(OUTBOUND, local(10))


@given(st.integers(0, 48 * 60), st.integers(1, 24 * 60), st.integers(0, 47))
def test_a_change_covers_an_hour_exactly_when_their_stretches_of_time_overlap(start_min, length_min, hour):
    change = a_change(start_min / 60, (start_min + length_min) / 60)
    overlap = start_min < (hour + 1) * 60 and start_min + length_min > hour * 60
    assert change.covers(OUTBOUND, local(hour)) is overlap


@pytest.mark.parametrize("direction", [OUTBOUND, INBOUND])
def test_a_change_for_no_direction_covers_both(direction):
    assert a_change(10, 11, direction=None).covers(direction, local(10))


def test_a_change_for_one_direction_leaves_the_other_alone():
    assert not a_change(10, 11, direction=INBOUND).covers(OUTBOUND, local(10))
    capacity = Capacity(a_plan(), [a_change(10, 11, direction=INBOUND)])
    assert capacity.at(local(10)) == 10


def test_a_closure_at_half_past_ten_closes_the_whole_hour_from_ten():
    capacity = Capacity(a_plan(), [a_change(10.5, 11)])
    assert [n for _, n in capacity.hours_from(local(9), 3)] == [10, 0, 10]


def test_extra_lanes_raise_the_hours_they_cover_even_outside_working_hours():
    capacity = Capacity(a_plan(), [a_change(17, 20, per_hour=25)])
    assert [n for _, n in capacity.hours_from(local(16), 5)] == [10, 25, 25, 25, 0]


def test_where_changes_overlap_the_one_decided_last_wins():
    closure, reopening = a_change(9, 14, id="CC-1"), a_change(12, 13, per_hour=4, id="CC-2")
    capacity = Capacity(a_plan(), [closure, reopening])
    assert [n for _, n in capacity.hours_from(local(11), 3)] == [0, 4, 0]


def test_a_closure_decided_after_extra_lanes_closes_the_hours_of_the_extra_lanes_too():
    extra_lanes = a_change(10, 14, per_hour=40, id="CC-1")
    closure = a_change(8, 18, per_hour=0, id="CC-2")  # decided later, starting earlier
    assert Capacity(a_plan(), [extra_lanes, closure]).at(local(11)) == 0


def test_the_hours_from_a_moment_start_with_the_hour_it_falls_in():
    hours = Capacity(a_plan()).hours_from(local(7.75), 3)
    assert hours == [(local(7), 10), (local(8), 10), (local(9), 10)]


# The day's limit


def test_a_day_limit_is_shared_in_proportion_and_the_earliest_hours_get_what_is_left_over():
    capacity = Capacity(a_plan(), limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, 50)])
    shares = [capacity.at(local(h)) for h in range(24)]
    # 12 open hours of 10 share 50: 4 each, and the 2 left over go to 06:00 and 07:00.
    assert shares == [0] * 6 + [5, 5] + [4] * 10 + [0] * 6


def test_a_day_limit_above_the_days_capacity_changes_nothing():
    capacity = Capacity(a_plan(), limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, 500)])
    assert [capacity.at(local(h)) for h in range(24)] == list(working_day())


def test_a_day_limit_applies_to_its_local_day_only():
    capacity = Capacity(a_plan(), limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, 12)])
    assert capacity.at(local(6)) == 1
    assert capacity.at(local(6, day=1)) == 10
    assert capacity.at(local(6, day=-1)) == 10


def test_a_closed_hour_takes_no_share_of_the_days_limit():
    capacity = Capacity(a_plan(), [a_change(6, 12)], [DayLimit("HUU_NGHI", OUTBOUND, DAY, 30)])
    assert [capacity.at(local(h)) for h in range(6, 18)] == [0] * 6 + [5] * 6


def test_a_day_limit_of_nothing_closes_the_day():
    capacity = Capacity(a_plan(), limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, 0)])
    assert all(n == 0 for _, n in capacity.hours_from(local(0), 24))


@given(st.lists(st.integers(0, 1000) | st.just(0), min_size=24, max_size=24), st.integers(0, 24_000))
def test_a_day_limit_never_lets_more_cross_than_it_allows_nor_any_hour_more_than_it_can_pass(hourly, limit):
    capacity = Capacity(a_plan(tuple(hourly)), limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, limit)])
    shares = [capacity.at(local(h)) for h in range(24)]
    total = sum(hourly)
    assert sum(shares) == min(limit, total)
    for share, usual in zip(shares, hourly, strict=True):
        assert 0 <= share <= usual
        assert total <= limit or usual * limit // total <= share <= usual * limit // total + 1


def test_the_trucks_left_over_go_to_the_earliest_hours_whose_share_was_cut_short():
    capacity = Capacity(a_plan(tuple(20 if 6 <= h < 12 else 10 if 12 <= h < 18 else 0 for h in range(24))),
                        limits=[DayLimit("HUU_NGHI", OUTBOUND, DAY, 99)])
    # 99 of 180: the 20-truck hours get 11 each, the 10-truck hours 5.5, so three of those get 6.
    assert [capacity.at(local(h)) for h in range(6, 18)] == [11] * 6 + [6, 6, 6, 5, 5, 5]


# Validating a change


def test_a_change_with_times_in_their_zone_a_capacity_and_a_reason_is_valid():
    require_valid_change(local(10), local(12), 0, "fog on the pass")
    require_valid_change(local(10), local(12), 1000, "extra lanes")


@pytest.mark.parametrize(("starts", "ends", "per_hour", "reason", "fields"), [
    (datetime(2026, 11, 27, 10), local(12), 0, "fog", ["starts_at"]),
    (local(10), datetime(2026, 11, 27, 12), 0, "fog", ["starts_at"]),
    (local(12), local(12), 0, "fog", ["ends_at"]),
    (local(12), local(10), 0, "fog", ["ends_at"]),
    (local(10), local(12), -1, "fog", ["per_hour"]),
    (local(10), local(12), 1001, "fog", ["per_hour"]),
    (local(10), local(12), 0, "  ", ["reason"]),
    (local(12), local(10), 2000, "", ["ends_at", "per_hour", "reason"]),
])
def test_a_change_is_refused_with_every_field_to_correct(starts, ends, per_hour, reason, fields):
    with pytest.raises(Invalid) as error:
        require_valid_change(starts, ends, per_hour, reason)
    assert problems_of(error) == fields


def test_a_change_without_a_reason_says_that_drivers_are_told_it():
    with pytest.raises(Invalid) as error:
        require_valid_change(local(10), local(12), 0, "")
    assert "drivers and declarants are told" in error.value.problems[0].message
