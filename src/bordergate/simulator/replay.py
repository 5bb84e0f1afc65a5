"""A scenario's day replayed at speed on a running gate, so the live board and the public page move as it unfolds."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog

from bordergate.bootstrap import Gate
from bordergate.simulator.clients import InProcess
from bordergate.simulator.lanes import start_of
from bordergate.simulator.scenario import Scenario
from bordergate.simulator.system import Drive
from bordergate.simulator.traffic import generate

log = structlog.get_logger()
BEHIND = timedelta(minutes=5)  # how far the trucks may lag the gate's clock before the replay says so


class ReplayClock:
    """A gate's clock that stands still while the simulator fast-forwards, then runs ``speed`` times real time.

    ``monotonic`` is injected so tests can move real time too.
    """

    def __init__(self, at: datetime, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._anchor, self._since, self.speed = at, monotonic(), 0.0

    def now(self) -> datetime:
        with self._lock:
            return self._anchor + timedelta(seconds=(self.monotonic() - self._since) * self.speed)

    def set(self, at: datetime, speed: float | None = None) -> None:
        """Put the clock at ``at``, from where it runs at ``speed`` (unchanged if None; 0 stands still)."""
        with self._lock:
            self._anchor, self._since = at, self.monotonic()
            if speed is not None:
                self.speed = speed


class Replay:
    """Drives a scenario through ``gate`` on a ReplayClock: instantly up to ``live_from``, then at ``speed``."""

    def __init__(self, gate: Gate, clock: ReplayClock, scenario: Scenario, seed: int, lanes: list[int],
                 live_from: datetime, speed: float, on_live: Callable[[], object] | None = None) -> None:
        self.gate, self.clock, self.scenario, self.live_from, self.speed = gate, clock, scenario, live_from, speed
        self.on_live, self.seeded, self.failure = on_live, None, None
        self.stopped = threading.Event()
        self.live = threading.Event()
        self.thread: threading.Thread | None = None
        trucks = generate(scenario, seed)
        self.drive = Drive(scenario, trucks, lanes, InProcess.with_people(gate), self.pace)

    def pace(self, moment: datetime) -> None:
        """Fast-forward before ``live_from``; from then on wait, at speed, until the clock reaches ``moment``."""
        if self.stopped.is_set():
            raise Stopped
        if moment < self.live_from:
            self.clock.set(moment, 0.0)
            return
        if not self.live.is_set():
            self.clock.set(self.live_from, 0.0)
            if self.on_live:
                # Whatever else the gate needs is made at the moment the replay goes live, clock standing still.
                self.seeded = self.on_live()
            self.clock.set(self.live_from, self.speed)
            self.live.set()
        ahead = (moment - self.clock.now()).total_seconds()
        if ahead < -BEHIND.total_seconds() and moment.minute == 0:
            # The gate's clock has run ahead of the trucks: this machine cannot replay at this speed.
            log.warning("replay falling behind", behind_minutes=round(-ahead / 60), speed=self.speed)
        while ahead > 0:
            if self.stopped.wait(min(ahead / self.speed, 1.0)):
                raise Stopped
            ahead = (moment - self.clock.now()).total_seconds()

    def run(self) -> None:
        """The whole scenario; stops quietly when asked to; what goes wrong is logged and kept in ``failure``."""
        try:
            self.drive.run()
            log.info("replay finished", scenario=self.scenario.name, let_out=self.drive.tally.let_out)
        except Stopped:
            pass
        except Exception as exc:
            self.failure = exc
            log.exception("replay failed", scenario=self.scenario.name)
        finally:
            self.live.set()

    def start(self) -> threading.Thread:
        """Run the replay in a daemon thread; returns once it has fast-forwarded to ``live_from`` (or failed)."""
        self.thread = threading.Thread(target=self.run, name="bordergate-replay", daemon=True)
        self.thread.start()
        self.live.wait()
        return self.thread


class Stopped(Exception):
    """The replay was asked to stop."""


def live_from_hour(scenario: Scenario, hour: int) -> datetime:
    """The local ``hour`` of the scenario's first day, when a replay starts to run in real time."""
    return start_of(scenario) + timedelta(hours=hour)
