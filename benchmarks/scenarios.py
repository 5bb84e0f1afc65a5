"""Benchmark: every shipped scenario under each policy against the hindsight bound, with issue 8's verdicts.

Each scenario (src/bordergate/simulator/scenarios/*.json) runs through the simulator's pure model under the three
policies (no system, GoSwift-style slots, bordergate) on the same trucks from one seed, as `bordergate simulate`
does. For each it prints the KPI table (simulator.report.kpi_table), the same figures as a markdown table for
docs/benchmarks.md, and one verdict line per aim of the issue, all about bordergate:

- wait: its mean wait, hold-back counted as wait, as a ratio to the hindsight bound (aim: within 1.10 on the
  normal day; the bound is first come, first served with no place left unused, see simulator/kpi.py);
- perishable: its perishable loads lost against the fewest any policy lost (a loss another policy avoided on the
  same trucks was avoidable);
- highway: trucks on the highway under it (most at once, and on average) and whether the waiting areas had room
  (no lane's area at its places); when they had room and trucks still waited on the highway, where those came from,
  read from the journeys (a misread plate at the shut barrier waits on the road while it is typed in by hand).

Wall time per scenario is printed (simulation with verdicts, and plots). Results go to
benchmarks/results/scenarios.json (every KPI per scenario and policy, per crossing point too; per-day lists longer
than a week left out) and the three plots of each scenario to docs/benchmarks/<scenario>/.

    python benchmarks/scenarios.py                                   # every shipped scenario, seed 2026
    python benchmarks/scenarios.py --scenario camera_outage --seed 7  # --scenario again for more
"""
from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

from bordergate.simulator.kpi import most_at_once
from bordergate.simulator.lanes import NEVER
from bordergate.simulator.plots import LABELS, draw
from bordergate.simulator.report import kpi_table
from bordergate.simulator.run import Results, simulate
from bordergate.simulator.scenario import load, shipped

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "scenarios.json"
PLOTS = ROOT / "docs" / "benchmarks"
SEED = 2026
AIM_RATIO = 1.10
LONG = 7  # per-day lists longer than this are left out of the JSON
OURS = "bordergate"
# (KPI key, markdown heading, format) for docs/benchmarks.md.
MARKDOWN = (("mean_wait_min", "mean wait (min)", "{:,.1f}"), ("p95_wait_min", "p95", "{:,}"),
            ("ratio_to_bound", "ratio to bound", "{:.3f}"), ("highway_mean", "highway avg", "{:,.1f}"),
            ("highway_peak", "highway max", "{:,}"), ("waiting_area_mean", "waiting area avg", "{:,.1f}"),
            ("waiting_area_peak", "waiting area max", "{:,}"), ("perishable_lost", "perishable lost", "{:,}"),
            ("throughput_per_day", "throughput/day", "{:,.1f}"), ("overtaken_share", "overtaken", "{:.1%}"),
            ("held_back", "held back", "{:,}"))


def _minute(results: Results, stamp: str) -> int:
    """A journey row's time as minutes from the scenario's start; NEVER for an empty cell."""
    if not stamp:
        return NEVER
    return int((datetime.fromisoformat(stamp) - results.start).total_seconds() // 60)


def _most(stays: list[tuple[int, int]]) -> int:
    """The most of ``stays`` (came, left) at once, as kpi counts them."""
    return most_at_once(([came for came, _ in stays], [left for _, left in stays]))


def roads(results: Results, policy: str = OURS) -> dict:
    """From the policy's journeys: who waited on the highway, and the misread plates typed in by hand."""
    end = results.scenario.hours * 60
    misread_stays, other_stays, desk, waits = [], [], [], {True: [], False: []}
    bound_waits = {True: [], False: []}
    for row in results.journeys(policy):
        arrived = _minute(results, row["arrived_at"])
        if arrived >= NEVER:
            continue
        misread = row["plate_misread"]
        leaves = min(_minute(results, row["crossed_at"]), end)
        stay = (arrived, min(_minute(results, row["entered_waiting_area_at"]), leaves))
        (misread_stays if misread else other_stays).append(stay)
        waits[misread].append(leaves - arrived)
        truck = results.trucks[row["truck"]]
        bound_waits[misread].append(min(results.bound[truck.id], end) - truck.arrival)
        if misread:
            desk.append(_minute(results, row["checked_in_at"]) - arrived)

    def mean(values: list[int]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return {"misread": len(desk), "desk_mean_min": mean(desk), "desk_max_min": max(desk, default=0),
            "highway_peak_misread": _most(misread_stays), "highway_peak_others": _most(other_stays),
            "on_highway_misread": sum(1 for came, left in misread_stays if left > came),
            "on_highway_others": sum(1 for came, left in other_stays if left > came),
            "mean_wait_misread": mean(waits[True]), "mean_wait_others": mean(waits[False]),
            "bound_wait_misread": mean(bound_waits[True]), "bound_wait_others": mean(bound_waits[False])}


def verdicts(results: Results) -> dict:
    """bordergate against the issue's three aims: wait to the bound, avoidable perishable loss, trucks on the road."""
    scenario, kpis = results.scenario, results.kpis
    ours = kpis[OURS]
    road = roads(results)
    manual = scenario.manual_entry_minutes
    desk = (f"{road['misread']:,} misread plates, {manual:g} min each at one desk a lane: up to "
            f"{road['desk_max_min']:,} min at the desk before joining the queue, mean {road['desk_mean_min']}")

    ratio = ours["ratio_to_bound"]
    wait = {"ratio_to_bound": ratio, "aim": AIM_RATIO, "met": ratio is not None and ratio <= AIM_RATIO,
            "mean_wait_min": ours["mean_wait_min"], "mean_wait_with_hold_min": ours["mean_wait_with_hold_min"],
            "bound_mean_wait_min": ours["bound_mean_wait_min"]}
    held = (f" ({ours['mean_wait_min']:,} at the border + {ours['mean_hold_min']:,} held back at the shipper, "
            f"{ours['held_back']:,} trucks held)" if ours["held_back"] else "")
    text = (f"wait: bordergate {ours['mean_wait_with_hold_min']:,} min mean{held} = {ratio:.3f} x the bound's "
            f"{ours['bound_mean_wait_min']:,} min: {'within' if wait['met'] else 'misses'} the {AIM_RATIO:.2f} aim")
    if not wait["met"] and road["misread"]:
        text += (f"; {desk}; their mean wait {road['mean_wait_misread']:,} min (bound "
                 f"{road['bound_wait_misread']:,}), the others' {road['mean_wait_others']:,} (bound "
                 f"{road['bound_wait_others']:,})")
    wait["text"] = text

    lost = {policy: k["perishable_lost"] for policy, k in kpis.items()}
    least = min(lost.values())
    others = ", ".join(f"{LABELS.get(p, p)} {n:,}" for p, n in lost.items() if p != OURS)
    perishable = {"lost": lost[OURS], "perishable": ours["perishable"], "least_any_policy": least,
                  "lost_by_policy": lost, "avoidable": lost[OURS] - least, "met": lost[OURS] <= least}
    if not any(lost.values()):
        text = f"perishable: no load spoiled under any policy ({ours['perishable']:,} perishable loads)"
    elif perishable["met"]:
        text = (f"perishable: bordergate lost {lost[OURS]:,} of {ours['perishable']:,} perishable loads, the fewest "
                f"of any policy ({others}): no policy avoided any of them")
    else:
        fewer = ", ".join(f"{LABELS.get(p, p)} {n:,}" for p, n in lost.items() if n < lost[OURS])
        text = (f"perishable: bordergate lost {lost[OURS]:,} of {ours['perishable']:,} perishable loads, but fewer "
                f"were lost under {fewer}: {perishable['avoidable']:,} of its losses were avoidable")
    perishable["text"] = text

    places = sum(lane.waiting_area for lane in scenario.lanes)
    full = [lane.name for lane in scenario.lanes
            if lane.waiting_area and ours["by_lane"][lane.name]["waiting_area_peak"] >= lane.waiting_area]
    highway = {"highway_peak": ours["highway_peak"], "highway_mean": ours["highway_mean"],
               "waiting_area_peak": ours["waiting_area_peak"], "waiting_area_places": places, "full_lanes": full,
               "had_room": not full, **road}
    area = f"waiting areas peaked at {ours['waiting_area_peak']:,} of {places:,} places"
    if not ours["highway_peak"]:
        text = f"highway: no truck waited on the highway under bordergate; {area}"
    elif full:
        text = (f"highway: up to {_trucks(ours['highway_peak'])} on the highway at once (mean "
                f"{ours['highway_mean']:,}) under bordergate, where waiting areas were full: {', '.join(full)} "
                f"({area}; the no-system road queue peaked at {kpis.get('no_system', ours)['highway_peak']:,})")
    else:
        text = (f"highway: the waiting areas had room ({area}, none full), yet up to {_trucks(ours['highway_peak'])} "
                f"waited on the highway at once (mean {ours['highway_mean']:,})")
        if road["misread"] and road["highway_peak_others"] == 0:
            text += (f": all of them trucks whose plate was misread at the shut barrier, waiting on the road to "
                     f"be typed in by hand ({desk})")
        elif road["misread"]:
            text += (f"; misread plates account for a peak of {road['highway_peak_misread']:,} ({desk}), "
                     f"other trucks for {road['highway_peak_others']:,}")
    highway["text"] = text
    return {"wait": wait, "perishable": perishable, "highway": highway}


def _trucks(count: int) -> str:
    return f"{count:,} truck" + ("" if count == 1 else "s")


def _trimmed(kpis: dict) -> dict:
    """The KPIs without per-day lists longer than a week, overall and per lane."""
    def trim(k: dict) -> dict:
        return {key: value for key, value in k.items()
                if not (key == "crossed_by_day" and len(value) > LONG)}
    return {**trim(kpis), "by_lane": {lane: trim(k) for lane, k in kpis["by_lane"].items()}}


def markdown(results: Results) -> str:
    """The KPI table as markdown, one row a policy, for docs/benchmarks.md."""
    lines = ["| policy | " + " | ".join(title for _, title, _ in MARKDOWN) + " |",
             "|---|" + "---:|" * len(MARKDOWN)]
    for policy, kpis in results.kpis.items():
        name = f"**{LABELS.get(policy, policy)}**" if policy == OURS else LABELS.get(policy, policy)
        lines.append(f"| {name} | " + " | ".join("-" if kpis[key] is None else form.format(kpis[key])
                                                 for key, _, form in MARKDOWN) + " |")
    return "\n".join(lines)


def run(name: str, seed: int, plots: Path | None) -> dict:
    """One scenario under every policy: KPIs, verdicts, plots, timed; prints its tables and verdicts."""
    started = time.perf_counter()
    scenario = load(name)
    results = simulate(scenario, seed)
    judged = verdicts(results)
    simulated = time.perf_counter()
    drawn = [str(p.relative_to(plots.parent)) for p in draw(results, plots / name)] if plots else []
    done = time.perf_counter()
    print(f"\n== {name}: {round(simulated - started, 2)} s simulation and verdicts, {round(done - simulated, 2)} s "
          f"plots ==\n{scenario.description.split('. ')[0]}.\n")
    print(kpi_table(results))
    print()
    for verdict in judged.values():
        print(verdict["text"])
    print()
    print(markdown(results))
    return {"scenario": name, "description": scenario.description, "seed": seed, "trucks": len(results.trucks),
            "simulate_s": round(simulated - started, 2), "plots_s": round(done - simulated, 2),
            "total_s": round(done - started, 2), "kpis": {policy: _trimmed(k) for policy, k in results.kpis.items()},
            "verdict": judged, "plots": drawn}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", action="append", choices=shipped(),
                        help="a shipped scenario (repeatable); all of them when left out")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--plots", type=Path, default=PLOTS, help="the plots go to PLOTS/<scenario>/")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the JSON results")
    args = parser.parse_args(argv)
    rows = [run(name, args.seed, args.plots) for name in args.scenario or shipped()]
    print("\n| scenario | trucks | simulation and verdicts s | plots s | total s |\n|---|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['scenario']} | {row['trucks']:,} | {row['simulate_s']} | {row['plots_s']} | {row['total_s']} |")
    document = {"meta": {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
                         "python": platform.python_version(), "seed": args.seed},
                "result": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return document


if __name__ == "__main__":
    main()
