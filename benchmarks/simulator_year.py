"""Benchmark: one simulated year of Lang Son traffic under each policy, with wall time, peak memory and the KPIs.

All four crossing points, both directions, at mid-2025 volumes (the lanes of the normal_day_2025 scenario: 1,759
trucks a day, about 640,000 a year) for 365 days from 1 January 2025, then two days to drain. Each policy runs in
a fresh process (spawned, so its peak memory is its own): it draws the year's trucks from the seed, runs the
policy lane by lane, places the waiting trucks (waiting area or highway) and computes the KPIs. The pure model
only: no database, no HTTP (driving the real system comes later).

    python benchmarks/simulator_year.py                 # 365 days, seed 2025
    python benchmarks/simulator_year.py --days 30 --seed 7
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import platform
import resource
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bordergate.simulator.kpi import hindsight_bound
from bordergate.simulator.lanes import LaneHours, start_of
from bordergate.simulator.policies import POLICIES
from bordergate.simulator.run import Results, measure, run_policy
from bordergate.simulator.scenario import Scenario, load
from bordergate.simulator.traffic import generate

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "simulator_year.json"
KPI_COLUMNS = ("mean_wait_min", "p95_wait_min", "ratio_to_bound", "highway_mean", "highway_peak",
               "waiting_area_mean", "waiting_area_peak", "perishable_lost", "throughput_per_day", "overtaken_share",
               "held_back")


def year(days: int) -> Scenario:
    return dataclasses.replace(load("normal_day_2025"), name=f"lang_son_{days}_days", start=date(2025, 1, 1),
                               days=days, drain_days=2)


def one_policy(policy: str, days: int, seed: int) -> dict:
    """Run in its own process: the year's trucks, the policy, the KPIs, each timed; and the process's peak memory."""
    scenario = year(days)
    started = time.perf_counter()
    trucks = generate(scenario, seed)
    hours = [LaneHours(scenario, lane) for lane in scenario.lanes]
    generated = time.perf_counter()
    bound = hindsight_bound(hours, trucks)
    bounded = time.perf_counter()
    results = Results(scenario, seed, start_of(scenario), trucks, hours, bound)
    results.outcomes[policy] = run_policy(scenario, hours, trucks, policy)
    ran = time.perf_counter()
    kpis = measure(results, policy)
    done = time.perf_counter()
    kpis.pop("by_lane")
    kpis.pop("crossed_by_day")
    return {"policy": policy, "trucks": len(trucks), "traffic_s": round(generated - started, 2),
            "bound_s": round(bounded - generated, 2), "policy_s": round(ran - bounded, 2),
            "kpis_s": round(done - ran, 2), "total_s": round(done - started, 2),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), "kpis": kpis}


def _child(policy: str, days: int, seed: int, queue) -> None:
    queue.put(one_policy(policy, days, seed))


def run(days: int, seed: int) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    rows = []
    for policy in POLICIES:  # one after another: the 2 cores are not shared between policies
        queue = context.Queue()
        process = context.Process(target=_child, args=(policy, days, seed, queue))
        process.start()
        rows.append(queue.get())
        process.join()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rows = run(args.days, args.seed)
    print(f"{args.days} simulated days of Lang Son traffic, {rows[0]['trucks']:,} trucks, seed {args.seed}")
    print("| policy | traffic s | bound s | policy s | KPIs s | total s | peak MB |\n|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['policy']} | {row['traffic_s']} | {row['bound_s']} | {row['policy_s']} | {row['kpis_s']} "
              f"| {row['total_s']} | {row['peak_mb']} |")
    print("\n| policy | " + " | ".join(KPI_COLUMNS) + " |")
    print("|---" * (len(KPI_COLUMNS) + 1) + "|")
    for row in rows:
        print(f"| {row['policy']} | " + " | ".join(str(row["kpis"][c]) for c in KPI_COLUMNS) + " |")
    RESULTS.write_text(json.dumps({"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                                            "machine": platform.platform(), "python": platform.python_version(),
                                            "cpus": multiprocessing.cpu_count(), "seed": args.seed,
                                            "days": args.days},
                                   "result": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
