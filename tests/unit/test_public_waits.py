"""What the public is told a truck joining the live queue now will wait, and how far yesterday's figures were off."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bordergate.domain.booking import BookingKind, BookingStatus, Priority
from bordergate.domain.call_forward import Place, project
from bordergate.domain.public_waits import (NEWCOMER, PublishedFigure, Waited, newcomer, public_wait,
                                            published_error)

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00 in Lang Son, the start of an hour
URGENT = timedelta(hours=24)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def waiting(id: str, since: float) -> Place:
    return Place(id, BookingKind.LIVE, BookingStatus.WAITING, Priority.NONE, NOW + minutes(since))


def on_the_road(id: str, declared: float) -> Place:
    """A live-queue truck booked, not yet in the waiting area, declared to arrive ``declared`` minutes from NOW."""
    return Place(id, BookingKind.LIVE, BookingStatus.BOOKED, Priority.NONE, NOW + minutes(declared))


def figures(places: list[Place], per_hour: int = 12):
    def capacity(hour: datetime) -> int:
        return per_hour

    ordinary = project(NOW, [*places, newcomer(NOW)], capacity, 0, URGENT)[NEWCOMER]
    return public_wait(NOW, places, capacity, 0, URGENT, ordinary)


def test_an_ordinary_truck_waits_behind_the_queue_and_urgent_cargo_is_called_first():
    wait = figures([waiting(f"T{i:02}", -60 + i) for i in range(24)])
    assert wait.minutes == 120, "24 trucks ahead at 12 an hour"
    assert wait.urgent_minutes == 0, "a load spoiling within a day is called ahead of them all"


def test_trucks_late_on_the_road_ahead_of_a_newcomer_widen_the_range_downwards():
    late = [on_the_road(f"R{i:02}", declared=-20) for i in range(6)]  # declared before now, not yet come
    wait = figures([waiting(f"T{i:02}", -60 + i) for i in range(12)] + late)
    assert (wait.low, wait.high, wait.minutes) == (60, 90, 90), "90 if the six late trucks come, 60 if none does"
    assert wait.wide


def test_trucks_declared_to_arrive_after_the_newcomer_do_not_make_a_range():
    wait = figures([waiting(f"T{i:02}", -60 + i) for i in range(12)]
                   + [on_the_road(f"R{i:02}", declared=30) for i in range(6)])
    assert (wait.low, wait.high) == (60, 60) and not wait.wide


def test_a_fixed_hour_booking_keeps_its_place_in_the_low_end_whether_or_not_it_has_come():
    booked = [Place(f"S{i:02}", BookingKind.SLOT, BookingStatus.BOOKED, Priority.NONE, None, NOW) for i in range(6)]
    wait = figures([waiting(f"T{i:02}", -60 + i) for i in range(6)] + booked)
    assert wait.low == wait.high == 60


def test_yesterdays_error_scores_each_truck_against_the_figure_for_its_cargo_on_show_when_it_drove_in():
    published = [PublishedFigure(NOW, 100, 10), PublishedFigure(NOW + minutes(60), 40, 5)]
    waited = [Waited(NOW + minutes(30), NOW + minutes(150), urgent=False),   # told 100, waited 120: -20
              Waited(NOW + minutes(61), NOW + minutes(111), urgent=False),   # told 40, waited 50: -10
              Waited(NOW + minutes(62), NOW + minutes(62), urgent=True),     # told 5, waited 0: +5
              Waited(NOW - minutes(5), NOW + minutes(20), urgent=False)]     # nothing on show yet: not scored
    error = published_error(published, waited)
    assert (error.trucks, error.mean_error_minutes, error.bias_minutes) == (3, 12, -8)


def test_a_day_without_published_figures_or_trucks_has_no_error_to_show():
    assert published_error([], [Waited(NOW, NOW + minutes(5), urgent=False)]) is None
    assert published_error([PublishedFigure(NOW, 10, 0)], []) is None
