"""A day replayed by the simulator on a served gate: the public page and the operators' board move without a reload."""
from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.authentication import SYSTEM
from bordergate.simulator.lanes import start_of
from bordergate.simulator.replay import Replay, ReplayClock, live_from_hour
from bordergate.simulator.scenario import from_dict
from tests.browser.conftest import _free_port, serving
from tests.browser.test_operator_board import sign_in
from tests.builders import PASSWORD
from tests.conftest import CHEAP_PASSWORDS
from tests.integration.test_simulated_day import a_small_border

SPEED = 900  # a simulated hour in four real seconds
LIVE_HOUR = 7  # trucks arrive at Hữu Nghị all morning
MOVES_WITHIN_MS = 20_000


class ReplayedDay:
    """A served gate on a ReplayClock, with the small border's day playing on it in a thread."""

    def __init__(self, gate: Gate, url: str, replay: Replay) -> None:
        self.gate, self.url, self.replay = gate, url, replay

    def references(self) -> set[str]:
        """The declarations the replay has made so far."""
        return set(self.replay.drive.reference.values())


@pytest.fixture(scope="module")
def replayed_day(tmp_path_factory) -> Iterator[ReplayedDay]:
    url = f"sqlite:///{tmp_path_factory.mktemp('replayed') / 'replayed.db'}"
    upgrade(url)
    port = _free_port()
    scenario = from_dict(a_small_border())
    clock = ReplayClock(start_of(scenario) - timedelta(days=3))
    settings = Settings(database_url=url, secret_key="replay-test-" + "k" * 32, public_url=f"http://127.0.0.1:{port}",
                        live_seconds=0.2, sweep_seconds=0, bookings_per_minute=100_000,
                        session_absolute_minutes=480 * SPEED,  # a real shift, as the demo stretches it
                        session_idle_minutes=60 * SPEED)
    gate = bootstrap(settings, clock=clock, rng=random.Random(1), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(gate)
    center = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Border Gate Management Center", "authority"))
    gate.bus.handle(commands.CreateUser(SYSTEM, "operator", PASSWORD, "Operator", "operator", center))
    replay = Replay(gate, clock, scenario, 11, [0, 1], live_from_hour(scenario, LIVE_HOUR), speed=SPEED)

    with serving(gate, port):
        replaying = replay.start()  # returns once fast-forwarded to the live hour
        yield ReplayedDay(gate, f"http://127.0.0.1:{port}", replay)
        replay.stopped.set()
        replaying.join(timeout=10)
    gate.engine.dispose()
    assert not replaying.is_alive() and replay.failure is None


def test_the_public_page_follows_the_huu_nghi_export_queue_as_the_replayed_morning_unfolds(replayed_day, screen):
    screen.goto(f"{replayed_day.url}/?lang=en")
    lane = '[data-point="HUU_NGHI"] tr[data-direction="outbound"]'
    expect(screen.locator(lane)).to_be_visible()
    screen.evaluate("window.loadedOnce = true")
    figures = f"{lane} [data-waiting]", f"{lane} [data-wait]"
    before = [screen.locator(selector).inner_text().strip() for selector in figures]

    screen.wait_for_function(
        "([selectors, before]) => selectors.some((s, i) => document.querySelector(s).innerText.trim() !== before[i])",
        arg=[list(figures), before], timeout=MOVES_WITHIN_MS, polling=100)

    after = [screen.locator(selector).inner_text().strip() for selector in figures]
    assert after != before
    assert re.fullmatch(r"\d+", after[0]) and re.fullmatch(r"–|\d+ min", after[1])
    assert screen.evaluate("window.loadedOnce") is True  # the same page, not a reload
    assert screen.locator("#queues").get_attribute("data-updated")  # swapped in from the live stream


def test_the_board_shows_the_replayed_trucks_as_they_come_and_go_without_a_reload(replayed_day, screen):
    sign_in(screen, replayed_day.url, "operator", "/board?point=HUU_NGHI&direction=outbound")
    expect(screen).to_have_url(re.compile(r"/board"))
    screen.evaluate("window.loadedOnce = true")
    queue = '#lane [aria-labelledby="called-title"]'  # the called-forward list and the waiting area under it
    crossed = screen.locator('#lane [data-count="crossed_today"] .n')
    expect(crossed).to_have_text(re.compile(r"^\d+$"))
    crossed_before = crossed.inner_text()
    before = screen.locator(queue).inner_text().strip()

    # The queue moves, and shows trucks of the replay by their declaration (called forward or waiting).
    screen.wait_for_function(
        """([selector, before]) => {
             const queue = document.querySelector(selector);
             return queue.innerText.trim() !== before
               && queue.querySelector("[data-called] code, [data-waiting] code") !== null;
           }""", arg=[queue, before], timeout=MOVES_WITHIN_MS, polling=100)
    shown = set(screen.locator(f"{queue} [data-called] code, {queue} [data-waiting] code").all_inner_texts())
    assert shown and shown <= replayed_day.references(), shown
    # ... and the trucks the replay lets out are counted as they cross.
    expect(crossed).not_to_have_text(crossed_before, timeout=MOVES_WITHIN_MS)
    assert screen.evaluate("window.loadedOnce") is True  # the same page, not a reload
    assert screen.locator("#lane").get_attribute("data-updated")  # swapped in from the live stream
