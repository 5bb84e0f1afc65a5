"""Benchmark: a scenario's lane driven through the real system, in-process on SQLite and PostgreSQL and over HTTP.

The same trucks (scenario and seed) go three ways through bordergate on a simulated clock (simulator/system.py:
declared and booked, the waiting-area camera or the hand-entry desk, the call-forward loop each simulated minute,
the yard camera, every agency's release by its officer, the last barrier's camera):
  - in-process on a SQLite file (the embedded default);
  - in-process on a real PostgreSQL 16 (the `pgserver` wheel, started here);
  - over HTTP: the API served by uvicorn in a thread on a SQLite file, driven through real sockets (OverHttp), the
    server and the simulator sharing the simulated clock.
Each run is checked against the pure model's bordergate policy on the same trucks: the KPIs, and how many trucks
were called the same minute. The table gives wall time and trucks a second through the whole journey.

    python benchmarks/through_system.py                                  # normal_day_2025, HUU_NGHI:outbound
    python benchmarks/through_system.py --scenario camera_outage --lane HUU_NGHI:outbound --ways sqlite http
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import socket
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

from bordergate.adapters.security import Argon2Passwords
from bordergate.adapters.sql.database import upgrade
from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.api.app import create_app
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.authentication import SYSTEM
from bordergate.services.ports import FixedClock
from bordergate.simulator.clients import InProcess
from bordergate.simulator.http import OverHttp
from bordergate.simulator.lanes import start_of
from bordergate.simulator.scenario import load
from bordergate.simulator.system import SYSTEM as DRIVEN, agreement, compare
from declare import database  # a fresh SQLite file, or a PostgreSQL 16 started from the pgserver wheel

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "through_system.json"
# Accounts are made for the run only; the cheapest valid hashing keeps sign-in out of the timing.
PASSWORDS = Argon2Passwords(time_cost=1, memory_cost=8, parallelism=1)
ADMIN_PASSWORD = "through-system-benchmark"


@contextmanager
def served(gate):
    """The API over ``gate``, by uvicorn in a thread on a free port; yields its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(gate), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def drive(way: str, scenario_name: str, seed: int, lanes: list[str]) -> dict:
    scenario = load(scenario_name)
    known = {lane.name: index for index, lane in enumerate(scenario.lanes)}
    chosen = [known[name] for name in lanes]
    with database("postgresql" if way == "postgresql" else "sqlite") as url:
        upgrade(url)
        clock = FixedClock(start_of(scenario) - timedelta(days=30))
        settings = Settings(database_url=url, secret_key="through-system-benchmark-secret-0123456789",
                            bookings_per_minute=1_000_000, sweep_seconds=0)
        gate = bootstrap(settings, clock=clock, rng=random.Random(seed), passwords=PASSWORDS)
        seed_crossing_points(gate)

        def pace(moment: datetime) -> None:
            clock.at = moment

        started = time.perf_counter()
        if way == "http":
            center = gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Benchmark center", "authority"))
            gate.bus.handle(commands.CreateUser(SYSTEM, "bench-admin", ADMIN_PASSWORD, "Admin", "admin", center))
            with served(gate) as address, httpx.Client(base_url=address, timeout=60) as http:
                started = time.perf_counter()
                results, tally = compare(scenario, seed, OverHttp.with_people(http, "bench-admin", ADMIN_PASSWORD),
                                         pace, chosen)
        else:
            results, tally = compare(scenario, seed, InProcess.with_people(gate), pace, chosen)
        wall = time.perf_counter() - started
        gate.engine.dispose()
    matched = agreement(results)
    model, system = results.kpis["bordergate"], results.kpis[DRIVEN]
    return {"way": way, "trucks": len(results.trucks), "let_out": tally.let_out, "refused": tally.refused_at,
            "typed_in": tally.entered_by_hand, "officer_releases": tally.released_by_officers,
            "mean_wait_model": model["mean_wait_min"], "mean_wait_system": system["mean_wait_min"],
            "p95_model": model["p95_wait_min"], "p95_system": system["p95_wait_min"],
            "same_minute": matched["same_minute"], "called": matched["called_by_both"],
            "mean_gap_min": matched["mean_gap_min"], "max_gap_min": matched["max_gap_min"],
            "wall_s": round(wall, 1), "trucks_per_s": round(len(results.trucks) / wall, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="normal_day_2025")
    parser.add_argument("--lane", action="append", default=None, help="POINT:DIRECTION (repeat); HUU_NGHI:outbound")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--ways", nargs="+", default=["sqlite", "postgresql", "http"],
                        choices=["sqlite", "postgresql", "http"])
    args = parser.parse_args()
    lanes = args.lane or ["HUU_NGHI:outbound"]
    rows = [drive(way, args.scenario, args.seed, lanes) for way in args.ways]
    print(f"{args.scenario}, {', '.join(lanes)}, seed {args.seed}")
    print("| way | trucks | let out | refused | typed in | mean wait model / system | p95 model / system "
          "| called the same minute | mean gap | wall s | trucks/s |")
    print("|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['way']} | {r['trucks']} | {r['let_out']} | {sum(r['refused'].values())} | {r['typed_in']} "
              f"| {r['mean_wait_model']} / {r['mean_wait_system']} | {r['p95_model']} / {r['p95_system']} "
              f"| {r['same_minute']} of {r['called']} | {r['mean_gap_min']} | {r['wall_s']} | {r['trucks_per_s']} |")
    RESULTS.write_text(json.dumps({"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                            "machine": platform.platform(), "python": platform.python_version(),
                                            "scenario": args.scenario, "lanes": lanes, "seed": args.seed},
                                   "result": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
