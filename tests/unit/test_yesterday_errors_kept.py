"""The public page's "yesterday our published waits were off by ..." is computed once a minute per lane and day,
not on every render (each locale, each live push, every GET /), and afresh as soon as the gate's day turns."""
from __future__ import annotations

from datetime import datetime, timedelta

from bordergate.domain.capacity import GATE_TIME
from bordergate.domain.checkpoints import Direction
from bordergate.services.published_waits import YesterdayErrors

URGENT = timedelta(hours=6)


class CountingWaits:
    """Published figures and called trucks of no lane, counting how often they are read."""

    def __init__(self) -> None:
        self.reads = 0

    def published(self, *_):
        self.reads += 1
        return []

    def waited(self, *_):
        return []


class Reader:
    def __init__(self) -> None:
        self.published_waits = CountingWaits()


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, second, tzinfo=GATE_TIME)


def test_a_second_render_within_the_minute_reuses_the_lanes_figure():
    kept, uow = YesterdayErrors(), Reader()
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9), URGENT)
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9, 0, 59), URGENT)
    assert uow.published_waits.reads == 1


def test_each_lane_has_its_own_figure():
    kept, uow = YesterdayErrors(), Reader()
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9), URGENT)
    kept.of(uow, "HUU_NGHI", Direction.INBOUND, local(8, 9), URGENT)
    kept.of(uow, "TAN_THANH", Direction.OUTBOUND, local(8, 9), URGENT)
    assert uow.published_waits.reads == 3


def test_the_figure_is_read_again_after_a_minute_so_trucks_called_since_count():
    kept, uow = YesterdayErrors(), Reader()
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9), URGENT)
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9, 1), URGENT)
    assert uow.published_waits.reads == 2


def test_a_new_local_day_is_scored_at_once_even_within_the_minute():
    kept, uow = YesterdayErrors(), Reader()
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 23, 59, 50), URGENT)
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(9, 0, 0, 5), URGENT)
    assert uow.published_waits.reads == 2
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(9, 0, 0, 30), URGENT)
    assert uow.published_waits.reads == 2, "the new day's figure is kept in turn"


def test_a_clock_set_back_does_not_serve_a_figure_from_its_future():
    kept, uow = YesterdayErrors(), Reader()
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9, 0, 30), URGENT)
    kept.of(uow, "HUU_NGHI", Direction.OUTBOUND, local(8, 9, 0, 10), URGENT)
    assert uow.published_waits.reads == 2
