"""Benchmark: how close the queue's published waits come to the waits that happen, on a simulated day.

A day at Hữu Nghị's export lanes at mid-2025 volume (domain.md: ~262 export trucks a day), driven through the
real system in-process on a simulated clock (SQLite): trucks are declared and booked (about 40 % a fixed hour,
60 % the live queue; a third carry perishable fruit), drive up, are read by the waiting-area camera (which checks
them in), are called forward by the real call-forward loop run every simulated minute, and drive to the yard gate,
whose camera read marks them arrived. Some fixed-hour trucks never come (no-shows); some called trucks are late
and miss their call. Capacity: 24 trucks an hour from 07:00 to 19:00 local time; arrivals bunch in the morning, so
a queue builds and drains.

For each truck checked in, two published figures are compared with the wait that happened (check-in to call):
  - its own expected call time, as published on its booking right after it checked in (what its driver saw);
  - the public expected wait of its crossing point at the moment it drove in (what anyone saw on the status page):
    the figure for its cargo (an ordinary truck's, or urgent cargo's: a legal priority or perishable cargo spoiling
    within a day, which is called first) and, for comparison, the ordinary figure whatever the cargo. The public
    figures are for live-queue trucks (fixed-hour trucks are served in their hour), so they are scored on those.
The table gives the mean absolute error (MAE) and the bias (mean of published minus actual), with the mean and p95 of
the actual waits for scale, and how often the actual wait fell inside the published range where one was shown.

Three scenarios, after the shipped simulator's (src/bordergate/simulator/scenarios): ``normal`` (the day above),
``harvest`` (harvest_peak.json: fresh-fruit exports double, 262 -> ~406 trucks on the same capacity, so the queue
carries into the next morning) and ``holiday`` (holiday_closure.json: the reopening day after two closed days, with
the trucks that came during the closure at 30 % of the usual rate waiting, and four extra hours to 23:00).
Reproducible from --seed.

    python benchmarks/queue_waits.py                       # the three scenarios, seed 2026
    python benchmarks/queue_waits.py --scenario normal --seed 7
"""
from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from builders import GOODS, a_gateway, a_world  # noqa: E402

from bordergate.adapters.security import Argon2Passwords  # noqa: E402
from bordergate.adapters.sql.database import upgrade  # noqa: E402
from bordergate.adapters.sql.tables import bookings  # noqa: E402
from bordergate.bootstrap import bootstrap  # noqa: E402
from bordergate.config import Settings  # noqa: E402
from bordergate.domain import commands  # noqa: E402
from bordergate.domain.capacity import GATE_TIME, hour_of  # noqa: E402
from bordergate.domain.checkpoints import Direction  # noqa: E402
from bordergate.domain.errors import Conflict  # noqa: E402
from bordergate.entrypoints.cli import seed_crossing_points  # noqa: E402
from bordergate.services import queue_views  # noqa: E402
from bordergate.services.authentication import SYSTEM  # noqa: E402
from bordergate.services.ports import FixedClock  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "queue_waits.json"
PER_HOUR, OPEN_FROM, OPEN_TO = 24, 7, 19
# Arrivals per local hour (weights): trucks leave the orchards at night and reach the border in the morning.
ARRIVAL_WEIGHTS = [0, 0, 0, 0, 1, 3, 6, 9, 10, 9, 8, 7, 6, 6, 5, 5, 4, 3, 2, 1, 0, 0, 0, 0]


@dataclass
class Truck:
    plate: str
    reference: str = ""
    slot: datetime | None = None
    arrives_at: datetime | None = None
    checked_in: datetime | None = None
    public_wait: float | None = None
    public_urgent: float | None = None
    public_range: tuple[float, float] | None = None
    urgent: bool | None = None
    told_wait: float | None = None
    called_at: datetime | None = None
    travel: timedelta = field(default=timedelta(minutes=8))
    yard_at: datetime | None = None


def plate_of(i: int) -> str:
    return f"12C-{100 + i // 100:03d}.{i % 100:02d}"


@dataclass(frozen=True)
class Scenario:
    """A day at the lane: its trucks, the share carrying fresh fruit, and a closure before it (the holiday)."""

    name: str
    trucks: int
    perishable_share: float = 0.33
    closed_days_before: int = 0  # the lane was closed this many days before the day, reopening at 07:00
    closure_arrivals: float = 0.3  # arrivals while closed, as a share of a normal day's
    extra_hours: tuple[int, int] | None = None  # local hours added on the day (reopening: 19-23)


def scenarios(trucks: int) -> dict[str, Scenario]:
    # harvest_peak.json: a little over half the exports are fresh fruit (0.55); they double.
    return {"normal": Scenario("normal", trucks),
            "harvest": Scenario("harvest", round(trucks * 1.55), perishable_share=0.55 * 2 / 1.55),
            "holiday": Scenario("holiday", trucks, closed_days_before=2, extra_hours=(19, 23))}


def build_day(rng: random.Random, day: datetime, count: int, first: int = 0, live_only: bool = False) -> list[Truck]:
    trucks = []
    for i in range(first, first + count):
        hour = rng.choices(range(24), ARRIVAL_WEIGHTS)[0]
        truck = Truck(plate_of(i), arrives_at=day + timedelta(hours=hour, minutes=rng.randrange(60)))
        if not live_only and rng.random() < 0.4:
            # A fixed hour: the one it expects to arrive in, or the first opening hour for night drivers.
            local = max(OPEN_FROM, min(OPEN_TO - 1, hour))
            truck.slot = day + timedelta(hours=local)
            truck.arrives_at = truck.slot + timedelta(minutes=rng.randint(-40, 20))
            if rng.random() < 0.05:
                truck.arrives_at = None  # a no-show
        truck.travel = timedelta(minutes=rng.randint(4, 15) if rng.random() > 0.03 else 25)
        trucks.append(truck)
    return trucks


def trip(gate, truck: Truck, rng: random.Random, i: int, perishable_share: float) -> dict:
    goods = dict(GOODS["durian"] if rng.random() < perishable_share else GOODS["phones"])
    if goods["perishable"]:
        goods["shelf_life_hours"] = rng.choice([30, 48, 96, 240])
    return {"crossing_point": "HUU_NGHI", "flow": "export",
            "planned_arrival": ((truck.arrives_at or truck.slot) + timedelta(minutes=1)).isoformat(),
            "vehicle": {"tractor_plate": truck.plate, "vehicle_class": "reefer", "gross_weight_kg": 30000,
                        "axles": 4, "container_size": "none"},
            "driver": {"full_name": "Tài Xế", "document_number": f"0010880{i:05d}", "nationality": "VN",
                       "phone": f"09{i:08d}"},
            "goods": [goods]}


def simulate(seed: int, scenario: Scenario) -> dict:
    rng = random.Random(seed)
    folder = tempfile.mkdtemp(prefix="bordergate-queue-")
    url = f"sqlite:///{folder}/day.db"
    upgrade(url)
    day = datetime(2026, 12, 1, tzinfo=GATE_TIME).astimezone(UTC)
    first_day = day - timedelta(days=scenario.closed_days_before)
    clock = FixedClock(first_day - timedelta(hours=12))
    settings = Settings(database_url=url, secret_key="queue-waits-benchmark-secret-key-0123456789",
                        bookings_per_minute=100000)
    gate = bootstrap(settings, clock=clock, rng=random.Random(seed), passwords=Argon2Passwords(1, 8, 1))
    seed_crossing_points(gate)
    world = a_world(gate)
    cameras = a_gateway(gate, world.operator)
    handle = gate.bus.handle
    hourly = tuple(PER_HOUR if OPEN_FROM <= h < OPEN_TO else 0 for h in range(24))
    handle(commands.SetCapacityPlan(world.operator, "HUU_NGHI", "outbound", hourly))
    trucks = []
    if scenario.closed_days_before:
        reopens = day + timedelta(hours=OPEN_FROM)
        handle(commands.ChangeCapacity(world.operator, "HUU_NGHI", "outbound", first_day, reopens, 0,
                                       "holiday: the gates are closed on both sides"))
        # Trucks that come while the gate is closed wait in the live queue (no fixed hour is open to book).
        per_day = round(scenario.trucks * scenario.closure_arrivals)
        for d in range(scenario.closed_days_before):
            trucks += build_day(rng, first_day + timedelta(days=d), per_day, first=len(trucks), live_only=True)
    if scenario.extra_hours:
        start, stop = scenario.extra_hours
        handle(commands.ChangeCapacity(world.operator, "HUU_NGHI", "outbound", day + timedelta(hours=start),
                                       day + timedelta(hours=stop), PER_HOUR, "reopening: extra hours"))
    trucks += build_day(rng, day, scenario.trucks, first=len(trucks))
    for i, truck in enumerate(trucks):
        declared = trip(gate, truck, rng, i, scenario.perishable_share)
        truck.reference = handle(commands.SubmitDeclaration(world.lan, world.farm, declared))
        try:
            handle(commands.BookCrossing(world.lan, truck.reference, "slot" if truck.slot else "live", truck.slot))
        except Conflict:  # its hour is full (the harvest): its shipper takes the live queue instead
            truck.slot = None
            handle(commands.BookCrossing(world.lan, truck.reference, "live", None))
    started = time.perf_counter()
    clock.at = first_day
    by_ref = {t.reference: t for t in trucks}
    end = day + timedelta(hours=48)
    while clock.now() < end:
        now = clock.now()
        for truck in trucks:
            if truck.arrives_at and truck.checked_in is None and truck.arrives_at <= now:
                public = {q["crossing_point"]: q for q in queue_views.public_queues(gate.reader(), "en")}
                lane = public["HUU_NGHI"]
                truck.public_wait, truck.public_urgent = lane["expected_wait_minutes"], lane["urgent_wait_minutes"]
                if lane["expected_wait_range"]:
                    truck.public_range = (lane["expected_wait_low_minutes"], lane["expected_wait_high_minutes"])
                handle(commands.RecordCameraRead(cameras.keys["waiting_area_entry"], captured_at=now,
                                                 plate=truck.plate, confidence=0.97))
                truck.checked_in = now
            if truck.yard_at and truck.yard_at <= now:
                handle(commands.RecordCameraRead(cameras.keys["yard_entry"], captured_at=now, plate=truck.plate,
                                                 confidence=0.97))
                truck.yard_at = None
        handle(commands.RunCallForward(SYSTEM))
        _observe(gate, by_ref, now)
        step = _quiet_minutes(gate, trucks, now)
        clock.advance(minutes=step)
        if step > 1:  # the figures as they stand when the next truck drives in, as a turn a minute before gives
            handle(commands.RunCallForward(SYSTEM))
        if all(t.arrives_at is None or t.called_at for t in trucks) and clock.now() > day + timedelta(hours=24):
            break
    elapsed = time.perf_counter() - started
    return {"scenario": scenario.name, **_report(trucks, elapsed, (clock.now() - first_day) / timedelta(minutes=1))}


def _quiet_minutes(gate, trucks: list[Truck], now: datetime) -> int:
    """Minutes to the next moment anything can happen: 1 while the lane passes trucks or a called truck is on its
    way; while it is closed (the night, the holiday), until the next truck drives in or the next hour. Skipping
    the closed minutes changes no call (nobody is called at capacity 0) and makes the holiday's run affordable."""
    if any(t.yard_at for t in trucks):
        return 1
    with gate.reader() as uow:
        if uow.capacity.of("HUU_NGHI", Direction.OUTBOUND, now).at(hour_of(now + timedelta(minutes=1))):
            return 1
    next_hour = hour_of(now) + timedelta(hours=1)
    coming = [t.arrives_at for t in trucks if t.arrives_at and t.checked_in is None and t.arrives_at > now]
    until = min([next_hour, *coming])
    return max(1, math.ceil((until - now) / timedelta(minutes=1)))


def _observe(gate, by_ref: dict[str, Truck], now: datetime) -> None:
    """Read back what the system published and did this minute."""
    with gate.engine.connect() as connection:
        rows = connection.execute(bookings.select().where(bookings.c.reference.in_(list(by_ref)))).mappings()
        for row in rows:
            truck = by_ref[row["reference"]]
            if truck.checked_in and truck.urgent is None:
                until = row["perishable_until"] and row["perishable_until"].replace(tzinfo=UTC)
                truck.urgent = row["priority"] != "none" or bool(until and until <= truck.checked_in + gate.rules
                                                                  .perishable_urgent)
            if truck.checked_in and truck.told_wait is None and row["expected_call_at"] is not None:
                expected = row["expected_call_at"].replace(tzinfo=UTC)
                truck.told_wait = (expected - truck.checked_in) / timedelta(minutes=1)
            if row["status"] == "called" and truck.called_at is None:
                truck.called_at = row["called_at"].replace(tzinfo=UTC)
                truck.yard_at = now + truck.travel
            again = row["called_at"] and row["called_at"].replace(tzinfo=UTC)
            if row["status"] == "called" and truck.called_at and again > truck.called_at:
                truck.called_at = row["called_at"].replace(tzinfo=UTC)  # called again after a missed call
                truck.yard_at = now + timedelta(minutes=5)


def _report(trucks: list[Truck], elapsed: float, minutes: float) -> dict:
    served = [t for t in trucks if t.checked_in and t.called_at]
    actual = {id(t): (t.called_at - t.checked_in) / timedelta(minutes=1) for t in served}

    def errors(figure, live_only: bool = False) -> dict:
        pairs = [(figure(t), actual[id(t)]) for t in served if figure(t) is not None and not (live_only and t.slot)]
        diffs = [p - a for p, a in pairs]
        if not diffs:
            return {"mae_min": None, "bias_min": None, "n": 0}
        return {"mae_min": round(statistics.fmean(abs(d) for d in diffs), 1),
                "bias_min": round(statistics.fmean(diffs), 1), "n": len(pairs)}

    live = [t for t in served if not t.slot]
    ranged = [t for t in live if t.public_range and not t.urgent]
    inside = sum(1 for t in ranged if t.public_range[0] <= actual[id(t)] <= t.public_range[1])
    waits = sorted(actual.values())
    return {
        "trucks": len(trucks), "checked_in": sum(1 for t in trucks if t.checked_in), "called": len(served),
        "no_shows": sum(1 for t in trucks if t.arrives_at is None),
        "urgent_live": sum(1 for t in live if t.urgent),
        "wait_mean_min": round(statistics.fmean(waits), 1),
        "wait_p95_min": round(waits[int(0.95 * (len(waits) - 1))], 1),
        "own_expected": errors(lambda t: t.told_wait),
        "own_expected_live": errors(lambda t: t.told_wait, live_only=True),
        "public_for_its_cargo_live": errors(lambda t: t.public_urgent if t.urgent else t.public_wait, live_only=True),
        "public_ordinary_live": errors(lambda t: t.public_wait if not t.urgent else None, live_only=True),
        "public_urgent_live": errors(lambda t: t.public_urgent if t.urgent else None, live_only=True),
        "public_single_figure_live": errors(lambda t: t.public_wait, live_only=True),
        "public_single_figure_all": errors(lambda t: t.public_wait),
        "range_shown": len(ranged), "range_held": inside,
        "simulated_minutes_per_s": round(minutes / elapsed, 1), "wall_s": round(elapsed, 1),
    }


ROWS = (("the truck's own expected call, after check-in: live-queue trucks", "own_expected_live"),
        ("the public expected wait for its cargo when it drove in: live-queue trucks", "public_for_its_cargo_live"),
        ("... ordinary cargo", "public_ordinary_live"),
        ("... urgent cargo (priority, or spoiling within a day)", "public_urgent_live"),
        ("the ordinary figure whatever the cargo (the single figure before): live-queue trucks",
         "public_single_figure_live"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--trucks", type=int, default=262, help="a normal day's trucks")
    parser.add_argument("--scenario", choices=["normal", "harvest", "holiday", "all"], default="all")
    args = parser.parse_args()
    chosen = scenarios(args.trucks)
    names = list(chosen) if args.scenario == "all" else [args.scenario]
    results = [simulate(args.seed, chosen[name]) for name in names]
    print(f"Hữu Nghị, export, capacity {PER_HOUR}/h {OPEN_FROM:02}:00-{OPEN_TO:02}:00, seed {args.seed}")
    print("| scenario | trucks called | urgent live | actual wait mean / p95 (min) |\n|---|---|---|---|")
    for r in results:
        print(f"| {r['scenario']} | {r['called']} | {r['urgent_live']} | {r['wait_mean_min']} / {r['wait_p95_min']} |")
    print("\n| published figure | " + " | ".join(f"{r['scenario']}: n, MAE, bias" for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for label, key in ROWS:
        print(f"| {label} | " + " | ".join(f"{r[key]['n']}, {r[key]['mae_min']}, {r[key]['bias_min']}"
                                             for r in results) + " |")
    print("| range shown (ordinary live trucks) / actual inside it | "
          + " | ".join(f"{r['range_shown']} / {r['range_held']}" for r in results) + " |")
    print("(" + "; ".join(f"{r['scenario']}: {r['simulated_minutes_per_s']} simulated minutes a second, "
                          f"{r['wall_s']} s" for r in results) + ")")
    results_file = RESULTS if (args.seed, args.scenario) == (2026, "all") else \
        RESULTS.with_name(f"queue_waits-{args.scenario}-seed{args.seed}.json")
    results_file.write_text(json.dumps({"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                            "machine": platform.platform(), "python": platform.python_version(),
                                            "seed": args.seed}, "results": results}, indent=1))


if __name__ == "__main__":
    main()
