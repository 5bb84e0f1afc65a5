"""What a simulation leaves behind: the KPI table printed for the operator, the journeys CSV and the KPIs as JSON."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from bordergate.simulator.run import Results

# (KPI key, column heading, format, what it means) in the order the table shows them.
COLUMNS = (
    ("mean_wait_min", "mean wait", "{:,.1f}",
     "minutes from arriving at the border to being let through, cut off at the end"),
    ("p95_wait_min", "p95 wait", "{:,}", "the wait 95 % of trucks beat"),
    ("ratio_to_bound", "÷ bound", "{:.3f}", "mean wait, hold-back included, over the hindsight bound's mean wait"),
    ("highway_mean", "highway avg", "{:,.1f}", "trucks queuing on the highway, on average over the scenario's days"),
    ("highway_peak", "highway max", "{:,}", "the most trucks on the highway at once"),
    ("waiting_area_mean", "area avg", "{:,.1f}", "trucks in waiting areas, on average"),
    ("waiting_area_peak", "area max", "{:,}", "the most trucks in waiting areas at once"),
    ("perishable_lost", "spoilt", "{:,}", "perishable cargo whose shelf life ran out before it crossed"),
    ("not_crossed", "not crossed", "{:,}", "trucks still waiting at the end of the run (spoilt or not)"),
    ("empty", "empty", "{:,}", "trucks that crossed (or waited) empty, going back after delivering"),
    ("throughput_per_day", "through/day", "{:,.1f}", "trucks let through a day over the scenario's days"),
    ("overtaken_share", "overtaken", "{:.1%}", "share of trucks let through after a later one with no priority reason"),
    ("held_back", "held back", "{:,}", "trucks whose shippers held dispatch on the system's warning"),
)


def kpi_table(results: Results) -> str:
    """One row a policy, one column a KPI, with the bound's mean wait in the heading: plain text for a terminal."""
    bound = next(iter(results.kpis.values()))["bound_mean_wait_min"] if results.kpis else 0.0
    heading = ["policy", *(title for _, title, _, _ in COLUMNS)]
    rows = [[policy, *("-" if kpis[key] is None else form.format(kpis[key]) for key, _, form, _ in COLUMNS)]
            for policy, kpis in results.kpis.items()]
    widths = [max(len(row[i]) for row in [heading, *rows]) for i in range(len(heading))]
    lines = [f"{results.scenario.name}, seed {results.seed}: {len(results.trucks):,} trucks; hindsight bound "
             f"{bound} min mean wait",
             _line(heading, widths), "  ".join("-" * w for w in widths)]
    lines += [_line(row, widths) for row in rows]
    return "\n".join(lines)


def _line(cells: list[str], widths: list[int]) -> str:
    """The policy flush left, the figures flush right."""
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))


def write_journeys(results: Results, path: Path) -> int:
    """Every truck's journey under every policy run, one row each; returns the rows written."""
    written = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = None
        for policy in results.outcomes:
            for row in results.journeys(policy):
                if writer is None:
                    writer = csv.DictWriter(out, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow(row)
                written += 1
    return written


def write_kpis(results: Results, path: Path) -> None:
    """The KPIs of every policy, overall and per crossing point and direction, as JSON."""
    document = {"scenario": results.scenario.name, "seed": results.seed, "trucks": len(results.trucks),
                "kpis": results.kpis, "columns": {key: meaning for key, _, _, meaning in COLUMNS}}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
