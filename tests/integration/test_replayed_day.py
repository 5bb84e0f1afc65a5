"""A day replayed at speed on a gate's own clock: instantly up to the live hour, then as fast as asked, in a thread."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services import queue_views
from bordergate.simulator.lanes import start_of
from bordergate.simulator.replay import Replay, ReplayClock, live_from_hour
from bordergate.simulator.scenario import from_dict
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.test_simulated_day import a_small_border

NOON = datetime(2026, 11, 28, 5, 0, tzinfo=UTC)  # noon at the gate (UTC+7)


class Ticking:
    """Real time as the replay clock sees it, moved by the test."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


def a_replayed_border(database_url: str):
    """The small border's scenario, a replay clock standing three days before it, and a gate on that clock."""
    scenario = from_dict(a_small_border())
    clock = ReplayClock(start_of(scenario) - timedelta(days=3))
    gate = bootstrap(Settings(database_url=database_url, secret_key="replay-test-" + "k" * 32, sweep_seconds=0,
                              bookings_per_minute=100_000), clock=clock, rng=random.Random(1),
                     passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    return scenario, clock, gate


def test_the_replay_clock_stands_still_until_set_running_then_runs_at_its_speed():
    real = Ticking()
    clock = ReplayClock(NOON, real)
    real.seconds = 30
    assert clock.now() == NOON
    clock.set(NOON + timedelta(hours=1), speed=60)
    real.seconds = 31
    assert clock.now() == NOON + timedelta(hours=1, minutes=1)
    clock.set(NOON, 0)
    real.seconds = 99
    assert clock.now() == NOON


def test_a_replayed_day_fast_forwards_to_its_live_hour_seeds_there_then_plays_on_at_speed(database_url):
    scenario, clock, gate = a_replayed_border(database_url)
    live = live_from_hour(scenario, 9)
    seen = []
    replay = Replay(gate, clock, scenario, 11, [0, 1], live, speed=3600,
                    on_live=lambda: seen.append(clock.now()) or "seeded")

    thread = replay.start()

    assert replay.seeded == "seeded" and seen == [live]
    assert clock.now() >= live and clock.speed == 3600
    thread.join(timeout=120)
    assert not thread.is_alive() and replay.failure is None
    assert replay.drive.tally.let_out > 20 and replay.drive.tally.refused_at == {}
    # The public page shows the day as it was replayed: the hours after the live hour have queue history.
    history = queue_views.public_history(gate.reader(), "HUU_NGHI", clock.now())
    assert history
    gate.engine.dispose()


def test_a_replay_asked_to_stop_stops_at_its_next_minute(database_url):
    scenario, clock, gate = a_replayed_border(database_url)
    replay = Replay(gate, clock, scenario, 11, [0], live_from_hour(scenario, 6), speed=1)

    thread = replay.start()
    replay.stopped.set()
    thread.join(timeout=10)

    assert not thread.is_alive() and replay.failure is None
    gate.engine.dispose()
