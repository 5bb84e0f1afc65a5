"""A simulated day driven through the real system (SQLite and PostgreSQL): the calls it makes are the model's."""
from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from bordergate.adapters.sql.tables import audit_log
from bordergate.entrypoints.cli import main
from bordergate.simulator.clients import InProcess
from bordergate.simulator.scenario import from_dict
from bordergate.simulator.system import SYSTEM, agreement, compare
from tests.unit.test_simulator import a_scenario, working_hours


def a_small_border(**changes) -> dict:
    """Hữu Nghị's export lane and Chi Ma's import lane for a day, open round the clock so the test stays short."""
    data = a_scenario(days=1, drain_days=1, lane__arrivals_per_day=18, lane__capacity_per_hour=[2] * 24,
                      plate_misread_share=0.1, agency_service_minutes=20, **changes)
    imports = {**data["lanes"][0], "crossing_point": "CHI_MA", "direction": "inbound", "arrivals_per_day": 12,
               "capacity_per_hour": working_hours(3, 0, 24)}
    data["lanes"].append(imports)
    return data


def test_a_day_through_the_system_calls_each_truck_when_the_model_says_and_lets_every_one_out(gate, clock):
    scenario = from_dict(a_small_border())

    results, tally = compare(scenario, 11, InProcess.with_people(gate), lambda moment: setattr(clock, "at", moment))

    system = results.outcomes[SYSTEM]
    arrived = [t for t in results.trucks if system.arrived[t.id] < 2 ** 62]
    matched = agreement(results)
    assert len(results.trucks) == tally.declared and len(arrived) > 20
    assert matched["called_by_both"] == len(arrived)
    # Trucks checked in the same minute may be called in another order (the model numbers them, the system
    # draws booking ids), so a truck may be called a minute or two from the model's; the day as a whole agrees.
    assert matched["same_minute"] >= 0.8 * len(arrived) and matched["max_gap_min"] <= 30
    assert results.kpis[SYSTEM]["mean_wait_min"] == results.kpis["bordergate"]["mean_wait_min"]
    assert tally.refused_at == {} and tally.let_out == len(arrived)
    assert tally.entered_by_hand > 0 and tally.released_by_officers >= 2 * len(arrived)
    with gate.engine.connect() as connection:
        rows = connection.execute(audit_log.select().where(audit_log.c.at >= results.start)).mappings().all()
    actions = {row["action"] for row in rows}
    assert {"DeclarationSubmitted", "TruckCalledForward", "AgencyActed"} <= actions
    assert all(row["actor"] for row in rows)


def test_simulate_through_the_system_prints_the_comparison_and_writes_both_journeys(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(a_small_border(name="small_border")))

    result = CliRunner().invoke(main, ["simulate", str(path), "--through-system", "--lane", "CHI_MA:inbound",
                                       "--no-plots", "--out", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    assert "refused: none" in result.output and "system vs model: " in result.output
    assert [line.split()[0] for line in result.output.splitlines() if line.startswith("bordergate")] == [
        "bordergate", "bordergate_system"]
    with (tmp_path / "out" / "journeys.csv").open(encoding="utf-8") as rows:
        journeys = list(csv.DictReader(rows))
    assert {row["policy"] for row in journeys} == {"bordergate", SYSTEM}
    assert {row["crossing_point"] for row in journeys} == {"CHI_MA"}
    assert (tmp_path / "out" / "system.db").exists()


def test_a_lane_the_scenario_does_not_have_is_refused_with_the_lanes_it_has(tmp_path):
    result = CliRunner().invoke(main, ["simulate", "normal_day_2025", "--through-system", "--lane", "HUU_NGHI:east",
                                       "--out", str(tmp_path)])

    assert result.exit_code == 1
    assert "no lane HUU_NGHI:east in normal_day_2025; its lanes: HUU_NGHI:outbound, HUU_NGHI:inbound" in result.output


def test_a_database_already_in_use_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "small.json"
    path.write_text(json.dumps(a_small_border(name="small_border")))
    url = f"sqlite:///{tmp_path / 'used.db'}"
    first = CliRunner().invoke(main, ["simulate", str(path), "--through-system", "--lane", "CHI_MA:inbound",
                                      "--no-plots", "--database", url, "--out", str(tmp_path / "one")])
    assert first.exit_code == 0, first.output

    again = CliRunner().invoke(main, ["simulate", str(path), "--through-system", "--lane", "CHI_MA:inbound",
                                      "--no-plots", "--database", url, "--out", str(tmp_path / "two")])

    assert again.exit_code == 1
    assert "already holds 2 organisations; simulate on a new, empty database" in again.output


def test_a_shipper_warned_through_the_system_holds_dispatch_and_corrects_the_trip_before_booking_again(gate, clock):
    short_lived = {"outbound": [{"name": "durian", "share": 1.0, "perishable": True, "shelf_life_hours": [6, 9]}],
                   "inbound": [{"name": "other_goods", "share": 1}]}
    jam = from_dict(a_scenario(days=1, drain_days=0, lane__arrivals_per_day=14, goods_mix=short_lived,
                               lane__capacity_per_hour=working_hours(1), max_hold_hours=6, hold_back_share=1.0,
                               plate_misread_share=0.0))

    results, tally = compare(jam, 3, InProcess.with_people(gate), lambda moment: setattr(clock, "at", moment))

    system = results.outcomes[SYSTEM]
    held = [t for t in results.trucks if system.held[t.id]]
    assert tally.warned > 0 and tally.asked_again > 0 and held
    assert all(system.held[t.id] % 60 == 0 and system.held[t.id] <= 6 * 60 for t in held)
    with gate.engine.connect() as connection:
        reasons = {row["payload"].get("reason") for row in connection.execute(
            audit_log.select().where(audit_log.c.action == "DeclarationAmended")).mappings()}
    assert "dispatch held back on the shelf-life warning" in reasons
