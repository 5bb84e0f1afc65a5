"""``bordergate simulate``: the KPI table an operator reads, the journeys CSV, the KPIs as JSON and the plots."""
from __future__ import annotations

import csv
import json
from array import array

from click.testing import CliRunner
from PIL import Image

from bordergate.entrypoints.cli import main
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import NEVER
from bordergate.simulator.plots import queue_over_time, waits_by_hour
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import from_dict
from .test_simulator import a_scenario


def test_simulate_prints_each_policy_against_the_bound_and_writes_journeys_kpis_and_plots(tmp_path):
    result = CliRunner().invoke(main, ["simulate", "normal_day_2025", "--seed", "11", "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("normal_day_2025, seed 11: ") and "hindsight bound" in lines[0]
    table = {line.split()[0]: line.split() for line in lines[3:6]}
    assert set(table) == {"no_system", "goswift", "bordergate"}
    kpis = json.loads((tmp_path / "kpis.json").read_text())
    assert kpis["seed"] == 11
    for policy, row in table.items():
        assert row[3] == f"{kpis['kpis'][policy]['ratio_to_bound']:.3f}"
    assert set(kpis["kpis"]["bordergate"]["by_lane"]) >= {"HUU_NGHI:outbound", "COC_NAM:inbound"}
    with (tmp_path / "journeys.csv").open(encoding="utf-8") as rows:
        journeys = list(csv.DictReader(rows))
    assert len(journeys) == 3 * kpis["trucks"]
    assert {row["policy"] for row in journeys} == {"no_system", "goswift", "bordergate"}
    for name in ("queue_length.png", "waits_by_hour.png", "crossing_points.png"):
        with Image.open(tmp_path / name) as picture:
            assert picture.format == "PNG" and picture.width > 600


def test_one_policy_can_be_run_alone_and_plots_skipped(tmp_path):
    result = CliRunner().invoke(main, ["simulate", "camera_outage", "--policy", "bordergate", "--no-plots",
                                       "--out", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert [line.split()[0] for line in result.output.splitlines()[3:4]] == ["bordergate"]
    assert not list(tmp_path.glob("*.png"))


def test_a_scenario_file_with_mistakes_is_refused_naming_each_field(tmp_path):
    broken = a_scenario(days=0, lane__waiting_area=-5)
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(broken))

    result = CliRunner().invoke(main, ["simulate", str(path), "--out", str(tmp_path / "out")])

    assert result.exit_code == 1
    assert "days:" in result.output and "lanes[0].waiting_area:" in result.output
    assert "Shipped scenarios: camera_outage" in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_scenario_name_lists_the_shipped_ones():
    result = CliRunner().invoke(main, ["simulate", "no_such_day"])

    assert result.exit_code == 1
    assert "no scenario at" in result.output and "normal_day_2025" in result.output


def test_the_queue_plot_counts_trucks_on_the_highway_until_they_enter_the_area_and_there_until_they_cross():
    results = simulate(from_dict(a_scenario(days=1, drain_days=0)), 3, ["bordergate"])
    count = len(results.trucks)
    outcome = Outcome.empty("hand", count)
    # Truck 0: minutes 10-20 on the highway, 20-50 in the area. Truck 1: 15-30 on the highway only.
    for i, (came, entered, crossed) in {0: (10, 20, 50), 1: (15, NEVER, 30)}.items():
        outcome.arrived[i], outcome.entered_area[i], outcome.crossed[i] = came, entered, crossed
    highway, area = queue_over_time(results, outcome)

    assert [int(highway[m]) for m in (9, 10, 15, 19, 20, 29, 30)] == [0, 1, 2, 2, 1, 1, 0]
    assert [int(area[m]) for m in (19, 20, 49, 50)] == [0, 1, 1, 0]
    assert len(highway) == 24 * 60


def test_waits_by_hour_are_the_means_of_the_trucks_that_arrived_in_each_local_hour():
    results = simulate(from_dict(a_scenario(days=1, drain_days=0)), 3, ["bordergate"])
    outcome = Outcome.empty("hand", len(results.trucks))
    for i, (came, crossed) in enumerate([(7 * 60, 7 * 60 + 30), (7 * 60 + 59, 8 * 60 + 9), (9 * 60, 9 * 60)]):
        outcome.arrived[i], outcome.crossed[i] = came, crossed

    means = waits_by_hour(results, outcome)

    assert means[7] == 20.0 and means[9] == 0.0 and means[8] == 0.0
    assert isinstance(outcome.arrived, array)
