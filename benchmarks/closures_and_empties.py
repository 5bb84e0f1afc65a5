"""Benchmark (issue 15): shippers' warnings that see closures and sudden changes, and empty trucks on the normal day.

1. Before and after, on the holiday closure and the sudden collapse (collapse_december_2021), under bordergate:
   "before" is today's main outlook (a call promised at max(arrival, n-th place from now), which may fall inside a
   closure) with no warning to shippers already on the way when a sudden change begins; "after" is the
   closure-aware outlook (simulator/shippers.py) and the reacting policy (simulator/live_queue.py: hold back, or
   divert a truck on the road whose cargo would spoil before its call). Figures: perishable shippers promised a
   call inside a closure at declaration (one known then: the defect; any, sudden ones included: unknowable then),
   and of those called more than 24 h after the promise; spoilt loads; the
   avoidable ones (spoilt loads of shippers who heed warnings and were not warned, so neither held nor diverted);
   diverted; held back.
   The holiday is also run with every perishable cargo keeping 36-96 h (the shipped shelf lives, 3-14 days,
   outlast its closure), where warnings decide what spoils.
2. Empty trucks on the normal day: their share and the KPIs with them (as shipped: counted in the day's volumes),
   without them (the same volume all loaded), and with them on top of the loaded volume (if the published volumes
   count loaded trucks only).

    python benchmarks/closures_and_empties.py [--seed 2026]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import subprocess
from bisect import bisect_right
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bordergate.simulator import live_queue, shippers
from bordergate.simulator.lanes import NEVER
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import Scenario, load

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "closures_and_empties.json"
SEED = 2026
CLOSURES = ("holiday_closure", "collapse_december_2021")
SHORT = (36.0, 96.0)  # shelf lives shorter than the holiday's closure and backlog: where warnings matter
KEYS = ("perishable", "perishable_lost", "lost_unwarned", "diverted", "held_back", "not_crossed", "mean_wait_min",
        "mean_wait_with_hold_min")


def _main_expected_call(self, now, called_this_hour, arrival, spoils):
    """shippers.Outlook.expected_call as on main before issue 15 (commit cec3d67)."""
    ahead = self.waiting + bisect_right(self.expected, arrival)
    in_turn = max(arrival, self.hours.nth_place(now, called_this_hour, ahead + 1))
    if spoils is None:
        return in_turn
    before = self.priority + bisect_right(self.spoiling, spoils)
    first = max(arrival, spoils - self.urgent, self.hours.nth_place(now, called_this_hour, before + 1))
    return min(in_turn, first)


def _learn_without_warning(self, minute):
    """The outlook learns a sudden change for declarations to come; nobody on the way is told."""
    from bordergate.simulator.lanes import LaneHours
    self.known = LaneHours(self.scenario, self.lane, known_at=minute)
    self.outlook.hours = self.known


@contextmanager
def variant(before: bool, promises: dict):
    """Run with main's outlook and no re-warning (``before``) or as now; record each perishable promise."""
    saved = shippers.Outlook.expected_call, live_queue.LiveQueue._learn, live_queue.LiveQueue._declare
    declare = saved[2]

    def recording(self, truck, minute):
        if truck.spoils_at is not None:
            promised = self.outlook.expected_call(minute, self._called_in(minute), truck.planned, truck.spoils_at)
            hour, k = divmod(promised, 60)
            known_closed = promised < NEVER and hour < self.known.hours and self.known.tables[hour][k] == 0
            promises[truck.id] = (promised, known_closed)
        declare(self, truck, minute)

    if before:
        shippers.Outlook.expected_call = _main_expected_call
        live_queue.LiveQueue._learn = _learn_without_warning
    live_queue.LiveQueue._declare = recording
    try:
        yield
    finally:
        shippers.Outlook.expected_call, live_queue.LiveQueue._learn, live_queue.LiveQueue._declare = saved


def short_lived(scenario: Scenario, hours: tuple[float, float] = SHORT) -> Scenario:
    """The scenario with every perishable cargo keeping ``hours`` from loading (the holiday outlasts it)."""
    mix = {d: tuple(dataclasses.replace(g, shelf_life_hours=hours) if g.perishable else g for g in goods)
           for d, goods in scenario.goods_mix.items()}
    return dataclasses.replace(scenario, name=f"{scenario.name} (shelf lives {hours[0]:g}-{hours[1]:g} h)",
                               goods_mix=mix)


def closures(scenario: Scenario, seed: int) -> dict:
    rows = {}
    for label, before in (("before", True), ("after", False)):
        promises: dict[int, int] = {}
        with variant(before, promises):
            results = simulate(scenario, seed, ["bordergate"])
        outcome, kpis = results.outcomes["bordergate"], results.kpis["bordergate"]
        inside, known = [], []
        for i, (promised, known_closed) in promises.items():
            hours = results.hours[results.trucks[i].lane]
            hour, k = divmod(promised, 60)
            if promised < NEVER and hour < hours.hours and hours.tables[hour][k] == 0:
                inside.append(i)
            if known_closed:
                known.append(i)
        late = [i for i in inside if outcome.crossed[i] - outcome.held[i] > promises[i][0] + 24 * 60]
        rows[label] = {"promised_inside_a_known_closure": len(known), "promised_inside_closure": len(inside),
                       "of_them_called_24h_later": len(late), **{key: kpis[key] for key in KEYS}}
    return rows


def empties(seed: int) -> dict:
    normal = load("normal_day_2025")
    share = normal.empty_share
    on_top = dataclasses.replace(normal, lanes=tuple(
        dataclasses.replace(lane, arrivals_per_day=lane.arrivals_per_day / (1 - share.get(lane.direction, 0.0)))
        for lane in normal.lanes))
    keys = ("arrived", "empty", "empty_share", "mean_wait_min", "p95_wait_min", "ratio_to_bound",
            "empty_mean_wait_min", "loaded_mean_wait_min", "waiting_area_peak", "highway_peak", "perishable",
            "perishable_lost", "throughput_per_day")
    out = {}
    for label, scenario in (("with (in the volume)", normal),
                            # The same draws (a share too small to hit): the same trucks, the empty ones loaded.
                            ("without (the same trucks, loaded)",
                             dataclasses.replace(normal, empty_share={d: 1e-12 for d in share})),
                            ("with, on top of the loaded volume", on_top)):
        kpis = simulate(scenario, seed, ["bordergate"]).kpis["bordergate"]
        out[label] = {key: kpis[key] for key in keys}
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    document = {"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
                         "python": platform.python_version(), "seed": args.seed,
                         "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                                                  capture_output=True, text=True).stdout.strip()},
                "closures": {**{name: closures(load(name), args.seed) for name in CLOSURES},
                             **{s.name: closures(s, args.seed) for s in [short_lived(load(CLOSURES[0]))]}},
                "empties": empties(args.seed)}
    for name, rows in document["closures"].items():
        print(f"\n{name} (bordergate, seed {args.seed})")
        print("| | promised inside a closure known then | inside any closure | of them called > 24 h later | "
              + " | ".join(KEYS) + " |")
        print("|---|" + "---:|" * (len(KEYS) + 3))
        for label, row in rows.items():
            print(f"| {label} | " + " | ".join(f"{v:,}" for v in row.values()) + " |")
    print("\nnormal_day_2025, empty trucks (bordergate)")
    keys = list(next(iter(document["empties"].values())))
    print("| | " + " | ".join(keys) + " |\n|---|" + "---:|" * len(keys))
    for label, row in document["empties"].items():
        print(f"| {label} | " + " | ".join("-" if v is None else f"{v:,}" for v in row.values()) + " |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return document


if __name__ == "__main__":
    main()
