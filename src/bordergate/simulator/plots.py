"""The pictures of a simulation: trucks queuing over time, waits by hour of arrival, waits per crossing point."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no display on a server, and no GUI toolkit to load

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from bordergate.simulator.journeys import Outcome  # noqa: E402
from bordergate.simulator.lanes import NEVER  # noqa: E402
from bordergate.simulator.run import Results  # noqa: E402

COLOURS = {"no_system": "#b23a48", "goswift": "#e09f3e", "bordergate": "#2a6f97", "bordergate_system": "#52b788"}
LABELS = {"no_system": "no system", "goswift": "slot booking (GoSwift)", "bordergate": "bordergate",
          "bordergate_system": "bordergate, through the real system"}


def draw(results: Results, folder: Path) -> list[Path]:
    """Write the three plots into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [_queues(results, folder / "queue_length.png"), _waits_by_hour(results, folder / "waits_by_hour.png"),
            _crossing_points(results, folder / "crossing_points.png")]


def queue_over_time(results: Results, outcome: Outcome) -> tuple[np.ndarray, np.ndarray]:
    """Trucks on the highway and in waiting areas at the start of each minute of the simulation."""
    end = results.scenario.hours * 60
    arrived, entered, crossed = (np.frombuffer(a, dtype=np.int64) for a in
                                 (outcome.arrived, outcome.entered_area, outcome.crossed))
    came = arrived < NEVER
    leaves = np.minimum(crossed[came], end)
    comes = arrived[came]
    into_area = np.minimum(entered[came], leaves)
    highway = _present(comes, into_area, end)
    in_area = entered[came] < NEVER
    area = _present(entered[came][in_area], leaves[in_area], end)
    return highway, area


def _present(comes: np.ndarray, leaves: np.ndarray, end: int) -> np.ndarray:
    change = np.zeros(end + 1, dtype=np.int64)
    stays = leaves > comes
    np.add.at(change, np.clip(comes[stays], 0, end), 1)
    np.add.at(change, np.clip(leaves[stays], 0, end), -1)
    return np.cumsum(change)[:end]


def _axis_hours(results: Results, count: int) -> tuple[np.ndarray, str]:
    """x values for per-minute series: hours, or days for stretches longer than three days."""
    minutes = np.arange(count)
    start = results.scenario.start.isoformat()
    if results.scenario.hours > 72:
        return minutes / 1440, f"days from {start} 00:00 (UTC+7)"
    return minutes / 60, f"hours from {start} 00:00 (UTC+7)"


def _queues(results: Results, path: Path) -> Path:
    figure, axes = plt.subplots(figsize=(10, 4.8))
    for policy, outcome in results.outcomes.items():
        highway, area = queue_over_time(results, outcome)
        x, label = _axis_hours(results, len(highway))
        colour = COLOURS.get(policy)
        axes.plot(x, highway, color=colour, label=f"{LABELS.get(policy, policy)}: on the highway")
        if area.any():
            axes.plot(x, area, color=colour, linestyle=":", label=f"{LABELS.get(policy, policy)}: in waiting areas")
    axes.set_xlabel(label)
    axes.set_ylabel("trucks waiting")
    axes.set_title(f"{results.scenario.name}: trucks queuing (seed {results.seed})")
    axes.legend(fontsize="small")
    axes.grid(alpha=0.3)
    return _save(figure, path)


def waits_by_hour(results: Results, outcome: Outcome) -> list[float]:
    """Mean wait (minutes, cut off at the end) of the trucks that arrived in each local hour of the day."""
    end = results.scenario.hours * 60
    arrived, crossed = np.frombuffer(outcome.arrived, dtype=np.int64), np.frombuffer(outcome.crossed, dtype=np.int64)
    came = arrived < NEVER
    hours = (arrived[came] // 60) % 24
    waits = np.minimum(crossed[came], end) - arrived[came]
    totals, counts = np.bincount(hours, waits, 24), np.bincount(hours, minlength=24)
    return [float(t / c) if c else 0.0 for t, c in zip(totals, counts, strict=True)]


def _waits_by_hour(results: Results, path: Path) -> Path:
    figure, axes = plt.subplots(figsize=(10, 4.8))
    policies = list(results.outcomes)
    width = 0.8 / max(len(policies), 1)
    for n, policy in enumerate(policies):
        means = waits_by_hour(results, results.outcomes[policy])
        axes.bar(np.arange(24) + (n - (len(policies) - 1) / 2) * width, np.array(means) / 60, width,
                 color=COLOURS.get(policy), label=LABELS.get(policy, policy))
    axes.set_xticks(range(24))
    axes.set_xlabel("hour the truck reached the border (local time)")
    axes.set_ylabel("mean wait (hours)")
    axes.set_title(f"{results.scenario.name}: waits by hour of arrival")
    axes.legend(fontsize="small")
    axes.grid(axis="y", alpha=0.3)
    return _save(figure, path)


def _crossing_points(results: Results, path: Path) -> Path:
    policies = list(results.kpis)
    lanes = list(next(iter(results.kpis.values()))["by_lane"]) if policies else []
    figure, axes = plt.subplots(figsize=(10, 4.8))
    width = 0.8 / max(len(policies), 1)
    for n, policy in enumerate(policies):
        by_lane = results.kpis[policy]["by_lane"]
        axes.bar(np.arange(len(lanes)) + (n - (len(policies) - 1) / 2) * width,
                 [by_lane[lane]["mean_wait_min"] / 60 for lane in lanes], width, color=COLOURS.get(policy),
                 label=LABELS.get(policy, policy))
    if lanes:
        bound = [results.kpis[policies[0]]["by_lane"][lane]["bound_mean_wait_min"] / 60 for lane in lanes]
        axes.scatter(np.arange(len(lanes)), bound, marker="_", s=600, color="black", zorder=3,
                     label="hindsight bound")
    axes.set_xticks(range(len(lanes)), [lane.replace(":", "\n") for lane in lanes], fontsize="small")
    axes.set_ylabel("mean wait (hours)")
    axes.set_title(f"{results.scenario.name}: mean wait per crossing point and direction")
    axes.legend(fontsize="small")
    axes.grid(axis="y", alpha=0.3)
    return _save(figure, path)


def _save(figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
