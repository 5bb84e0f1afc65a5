"""The simulator: reproducible traffic, three policies on the same trucks, and the bound none of them can beat."""
from __future__ import annotations

import copy
import json
import random
from collections import Counter
from datetime import timedelta
from functools import cache

import pytest

from bordergate.domain.booking import BookingKind, BookingStatus
from bordergate.domain.call_forward import Place, project
from bordergate.domain.capacity import HOUR
from bordergate.simulator import live_queue
from bordergate.simulator.gate import serve_in_order
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.lanes import NEVER, LaneHours
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import ScenarioInvalid, from_dict, load, shipped
from bordergate.simulator.shippers import Outlook
from bordergate.simulator.traffic import generate

POLICIES = ("no_system", "goswift", "bordergate")
URGENT = timedelta(hours=24)


def working_hours(per_hour: int, opens: int = 7, closes: int = 19) -> list[int]:
    return [per_hour if opens <= h < closes else 0 for h in range(24)]


def a_scenario(**changes) -> dict:
    """One export lane at Hữu Nghị for two days, as an operator would write it; ``changes`` replace fields
    (``lane__field`` changes the lane)."""
    lane = {"crossing_point": "HUU_NGHI", "direction": "outbound", "arrivals_per_day": 200,
            "arrivals_by_hour": [0, 0, 0, 0, 1, 3, 6, 9, 10, 9, 8, 7, 6, 6, 5, 5, 4, 3, 2, 1, 0, 0, 0, 0],
            "capacity_per_hour": working_hours(20), "waiting_area": 100}
    data = {"name": "test", "description": "a test lane", "start": "2025-06-02", "days": 2, "drain_days": 2,
            "lanes": [lane],
            "goods_mix": {"outbound": [{"name": "durian", "share": 0.5, "perishable": True,
                                        "shelf_life_hours": [30, 80]},
                                       {"name": "other_goods", "share": 0.5}],
                          "inbound": [{"name": "other_goods", "share": 1}]},
            "declaration_lead_hours": [2, 24], "travel_hours": [1, 20], "no_show_share": 0.05, "late_share": 0.1,
            "lateness_minutes": [30, 240], "plate_misread_share": 0.0, "manual_entry_minutes": 2,
            "agency_service_minutes": 45, "priority_shares": {"emergency": 0.01}, "queue_jumping_share": 0.05}
    for name, value in changes.items():
        if name.startswith("lane__"):
            lane[name.removeprefix("lane__")] = value
        else:
            data[name] = value
    return data


@cache
def shipped_run(name: str, seed: int = 7):
    return simulate(load(name), seed)


def crossings_by_hour(outcome: Outcome, trucks) -> Counter:
    return Counter((t.lane, outcome.crossed[t.id] // 60) for t in trucks if outcome.crossed[t.id] < NEVER)


# Scenarios are data an operator edits


@pytest.mark.parametrize("name", shipped())
def test_every_shipped_scenario_loads_and_says_where_its_figures_come_from(name):
    scenario = load(name)
    assert scenario.name == name
    assert "domain.md" in scenario.description and "ssumption" in scenario.description


def test_the_shipped_scenarios_are_the_five_issue_8_asks_for_and_issue_15s_sudden_collapse():
    assert set(shipped()) == {"normal_day_2025", "harvest_peak", "december_2021", "holiday_closure", "camera_outage",
                              "collapse_december_2021"}


def test_a_normal_day_carries_each_crossing_points_2025_volume():
    lanes = {lane.name: lane.arrivals_per_day for lane in load("normal_day_2025").lanes}
    assert lanes == {"HUU_NGHI:outbound": 262, "HUU_NGHI:inbound": 608, "TAN_THANH:outbound": 145,
                     "TAN_THANH:inbound": 438, "CHI_MA:outbound": 41, "CHI_MA:inbound": 189,
                     "COC_NAM:outbound": 43, "COC_NAM:inbound": 33}


@pytest.mark.parametrize("changes, field", [
    ({"lane__capacity_per_hour": [20] * 23}, "lanes[0].capacity_per_hour"),
    ({"lane__direction": "eastbound"}, "lanes[0].direction"),
    ({"lane__crossing_point": "hữu nghị"}, "lanes[0].crossing_point"),
    ({"lane__waiting_areas": 100}, "lanes[0].waiting_areas"),
    ({"no_show_share": 1.5}, "no_show_share"),
    ({"travel_hours": [20, 1]}, "travel_hours"),
    ({"start": "2 June 2025"}, "start"),
    ({"lane__capacity_changes": [{"from_day": 1, "to_day": 0, "per_hour": 0, "reason": "fog"}]},
     "lanes[0].capacity_changes[0].to_day"),
    ({"lane__capacity_changes": [{"from_day": 0, "to_day": 1, "per_hour": 0}]}, "lanes[0].capacity_changes[0].reason"),
    ({"priority_shares": {"vip": 0.5}}, "priority_shares.vip"),
])
def test_a_bad_scenario_is_refused_naming_the_field_and_why(changes, field):
    with pytest.raises(ScenarioInvalid) as refused:
        from_dict(a_scenario(**changes))
    assert field in [p.field for p in refused.value.problems]
    assert field in str(refused.value)


def test_a_missing_field_and_goods_shares_that_do_not_add_up_are_reported_together():
    data = a_scenario()
    del data["days"]
    data["goods_mix"]["outbound"][0]["share"] = 0.9
    with pytest.raises(ScenarioInvalid) as refused:
        from_dict(data)
    messages = {p.field: p.message for p in refused.value.problems}
    assert messages["days"] == "is required"
    assert "add up to 1" in messages["goods_mix.outbound"]


def test_a_scenario_file_that_is_not_json_is_refused_with_the_file_named(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{\"name\": ")
    with pytest.raises(ScenarioInvalid, match="broken.json is not JSON"):
        load(path)


def test_a_scenario_file_an_operator_wrote_runs(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(a_scenario()))
    assert simulate(load(path), 1).kpis["bordergate"]["arrived"] > 300


# Traffic is reproducible from its seed


def test_the_same_seed_gives_the_same_trucks_and_the_same_results():
    scenario = load("harvest_peak")
    first, again = simulate(scenario, 11), simulate(scenario, 11)
    assert first.trucks == again.trucks
    assert first.kpis == again.kpis
    assert all(first.outcomes[p] == again.outcomes[p] for p in POLICIES)


def test_another_seed_gives_other_trucks_and_other_results():
    scenario = load("normal_day_2025")
    one, other = simulate(scenario, 1), simulate(scenario, 2)
    assert [t.arrival for t in one.trucks] != [t.arrival for t in other.trucks]
    assert one.kpis["no_system"]["mean_wait_min"] != other.kpis["no_system"]["mean_wait_min"]


def test_traffic_follows_the_scenarios_volumes_and_shares():
    scenario = from_dict(a_scenario(days=30, no_show_share=0.1))
    trucks = generate(scenario, 3)
    assert len(trucks) == pytest.approx(200 * 30, abs=30)
    assert sum(t.arrival is None for t in trucks) / len(trucks) == pytest.approx(0.1, abs=0.015)
    assert sum(t.perishable for t in trucks) / len(trucks) == pytest.approx(0.5, abs=0.03)
    assert all(t.declared < t.departure < t.planned for t in trucks)
    assert all(30 * 60 <= t.shelf_life <= 80 * 60 for t in trucks if t.perishable)


def test_a_harvest_surge_doubles_the_fruit_not_the_other_goods():
    trucks = generate(load("harvest_peak"), 5)
    by_day = Counter((t.planned // 1440, t.perishable) for t in trucks if t.lane == 0)
    assert by_day[(3, True)] / by_day[(0, True)] == pytest.approx(2, rel=0.2)
    assert by_day[(3, False)] / by_day[(0, False)] == pytest.approx(1, rel=0.2)


# Every policy keeps to the capacity


@pytest.mark.parametrize("name", ["normal_day_2025", "holiday_closure", "december_2021", "camera_outage"])
def test_no_policy_lets_more_trucks_through_in_an_hour_than_its_capacity(name):
    results = shipped_run(name)
    for policy in POLICIES:
        for (lane, hour), count in crossings_by_hour(results.outcomes[policy], results.trucks).items():
            assert count <= results.hours[lane].capacity[hour], (policy, lane, hour)


def test_no_truck_crosses_before_it_arrives_nor_before_it_is_checked_in():
    results = shipped_run("camera_outage")
    for policy in POLICIES:
        outcome = results.outcomes[policy]
        for truck in results.trucks:
            i = truck.id
            if outcome.crossed[i] < NEVER:
                assert outcome.arrived[i] <= outcome.checked_in[i] <= outcome.crossed[i]


def test_a_closure_moves_the_crossings_to_after_the_reopening():
    results = shipped_run("holiday_closure")
    closed, reopens = 1 * 1440, 3 * 1440 + 7 * 60
    for policy in POLICIES:
        outcome = results.outcomes[policy]
        during = [t for t in results.trucks if closed <= (outcome.arrived[t.id]) < reopens]
        assert during
        assert all(not closed <= outcome.crossed[t.id] < reopens for t in results.trucks)
        assert all(reopens <= outcome.crossed[t.id] < NEVER for t in during)


# The hindsight bound


def test_the_bound_is_no_more_than_any_policys_mean_wait():
    for name in ("normal_day_2025", "harvest_peak", "holiday_closure", "camera_outage", "december_2021"):
        for policy, kpis in shipped_run(name).kpis.items():
            assert kpis["bound_mean_wait_min"] <= kpis["mean_wait_with_hold_min"] + 1e-9, (name, policy)


def test_any_order_that_leaves_no_place_unused_waits_as_long_in_total_as_first_come_first_served():
    results = shipped_run("harvest_peak")
    hours = results.hours[0]
    arrivals = sorted((t.arrival, t.id) for t in results.trucks if t.lane == 0 and t.arrival is not None)
    first_come = [NEVER] * len(results.trucks)
    serve_in_order(hours, arrivals, first_come)
    shuffled = [NEVER] * len(results.trucks)
    rng = random.Random(4)
    favoured = [rng.random() < 0.5 for _ in results.trucks]
    serve_in_order(hours, arrivals, shuffled, favoured)
    assert first_come != shuffled
    assert sorted(first_come) == sorted(shuffled)
    assert [first_come[i] for _, i in arrivals] == [results.bound[i] for _, i in arrivals]


def test_the_road_queue_with_bought_places_waits_exactly_the_bound_on_average_but_is_unfair():
    kpis = shipped_run("normal_day_2025").kpis["no_system"]
    assert kpis["ratio_to_bound"] == 1.0
    assert kpis["overtaken_share"] > 0.02


def test_bordergate_is_within_ten_percent_of_the_bound_on_a_normal_day():
    kpis = shipped_run("normal_day_2025").kpis
    assert kpis["bordergate"]["ratio_to_bound"] <= 1.1
    assert kpis["goswift"]["ratio_to_bound"] > kpis["bordergate"]["ratio_to_bound"]


# bordergate's own rules


def test_bordergate_loses_less_perishable_cargo_than_the_road_queue_in_a_harvest_peak():
    kpis = shipped_run("harvest_peak").kpis
    assert kpis["no_system"]["perishable_lost"] > 0
    assert kpis["bordergate"]["perishable_lost"] < kpis["no_system"]["perishable_lost"]


def test_bordergate_calls_cargo_about_to_spoil_ahead_of_trucks_that_came_earlier():
    results = simulate(from_dict(a_scenario(lane__arrivals_per_day=400, days=1)), 2, ["bordergate"])
    outcome = results.outcomes["bordergate"]
    urgent = URGENT // timedelta(minutes=1)
    ordinary = [o for o in results.trucks if not o.perishable and not o.misread and o.arrival is not None]

    def called_urgent(truck) -> bool:
        return outcome.crossed[truck.id] < NEVER and truck.spoils_at + outcome.held[truck.id] - \
            outcome.crossed[truck.id] <= urgent

    def overtook_an_ordinary_truck(truck) -> bool:
        return any(outcome.arrived[o.id] < outcome.arrived[truck.id] and outcome.crossed[truck.id]
                   < outcome.crossed[o.id] for o in ordinary)

    assert any(called_urgent(t) and overtook_an_ordinary_truck(t) for t in results.trucks if t.perishable)
    assert not any(overtook_an_ordinary_truck(t) for t in results.trucks
                   if t.perishable and not called_urgent(t) and not t.misread and t.priority.value == "none")


def test_no_truck_waits_on_the_highway_under_bordergate_while_its_waiting_area_has_room():
    scenario = load("normal_day_2025")
    assert scenario.plate_misread_share > 0  # a misread truck waits at the barrier for its plate to be typed in
    results = shipped_run("normal_day_2025")
    for policy in ("bordergate", "goswift"):
        outcome = results.outcomes[policy]
        for truck in results.trucks:
            i = truck.id
            if outcome.checked_in[i] < outcome.crossed[i] and outcome.entered_area[i] != outcome.checked_in[i]:
                # It checked in and did not drive in: the waiting area must have been full.
                inside = sum(1 for o in results.trucks if o.lane == truck.lane
                             and outcome.entered_area[o.id] <= outcome.checked_in[i] < outcome.crossed[o.id])
                assert inside >= scenario.lanes[truck.lane].waiting_area
    assert results.kpis["bordergate"]["highway_peak"] <= results.kpis["bordergate"]["arrived"] * 0.01
    clean = simulate(from_dict(a_scenario(plate_misread_share=0.0)), 3)
    assert clean.kpis["bordergate"]["highway_peak"] == 0
    assert clean.kpis["no_system"]["highway_peak"] > 0


def test_a_small_waiting_area_sends_the_overflow_to_the_highway_and_lets_it_in_as_places_free():
    results = simulate(from_dict(a_scenario(lane__waiting_area=5, lane__arrivals_per_day=300)), 3, ["bordergate"])
    kpis, outcome = results.kpis["bordergate"], results.outcomes["bordergate"]
    assert kpis["waiting_area_peak"] == 5 and kpis["highway_peak"] > 0
    assert any(outcome.checked_in[t.id] < outcome.entered_area[t.id] < NEVER for t in results.trucks)


def test_the_shortlist_calls_the_same_trucks_as_handing_calls_due_the_whole_waiting_area(monkeypatch):
    scenario = from_dict(a_scenario(lane__arrivals_per_day=320, priority_shares={"emergency": 0.03}))
    fast = simulate(scenario, 9, ["bordergate"]).outcomes["bordergate"]
    original = live_queue.LiveQueue.__init__
    monkeypatch.setattr(live_queue.LiveQueue, "__init__",
                        lambda self, *args: original(self, *args[:-1], True))
    slow = simulate(scenario, 9, ["bordergate"]).outcomes["bordergate"]
    assert fast.crossed == slow.crossed


def test_the_shortlist_calls_the_same_trucks_as_the_whole_waiting_area_when_cargo_spoils_in_the_queue(monkeypatch):
    # A jam in which many loads spoil while waiting: spoilt loads must not crowd urgent ones off the shortlist.
    short_lived = {"outbound": [{"name": "durian", "share": 0.5, "perishable": True, "shelf_life_hours": [10, 30]},
                                {"name": "other_goods", "share": 0.5}],
                   "inbound": [{"name": "other_goods", "share": 1}]}
    jam = from_dict(a_scenario(lane__capacity_per_hour=working_hours(5), lane__arrivals_per_day=160, days=3,
                               drain_days=4, hold_back_share=0.0, goods_mix=short_lived))
    fast = simulate(jam, 5, ["bordergate"])
    original = live_queue.LiveQueue.__init__
    monkeypatch.setattr(live_queue.LiveQueue, "__init__",
                        lambda self, *args: original(self, *args[:-1], True))
    slow = simulate(jam, 5, ["bordergate"])
    assert slow.kpis["bordergate"]["perishable_lost"] > 20
    assert fast.outcomes["bordergate"].crossed == slow.outcomes["bordergate"].crossed


def test_a_shipper_told_the_wait_outlasts_the_cargo_holds_back_and_loses_no_more():
    jam = a_scenario(lane__capacity_per_hour=working_hours(4), lane__arrivals_per_day=150, days=4, drain_days=6)
    warned = simulate(from_dict(jam), 5, ["bordergate"]).kpis["bordergate"]
    deaf = simulate(from_dict({**jam, "hold_back_share": 0.0}), 5, ["bordergate"]).kpis["bordergate"]
    assert warned["held_back"] > 0 and deaf["held_back"] == 0
    # Since spoilt cargo no longer jumps the queue, the call order alone saves what can be saved on this jam;
    # holding back must at least never cost a load.
    assert warned["perishable_lost"] <= deaf["perishable_lost"]


def test_the_shippers_estimate_of_a_call_is_the_one_call_forward_project_publishes_to_the_minute():
    scenario = from_dict(a_scenario(lane__capacity_per_hour=working_hours(7)))
    hours = LaneHours(scenario, scenario.lanes[0])
    now = 8 * 60 + 10  # 08:10 on the first day
    for waiting, called in ((0, 0), (3, 1), (15, 2), (40, 0), (120, 5)):
        outlook = Outlook(hours, 24 * 60)
        outlook.waiting = waiting
        places = [Place(f"{i:03d}", BookingKind.LIVE, BookingStatus.WAITING, queued_at=hours.moment(now - waiting + i))
                  for i in range(waiting)]
        newcomer = Place("999", BookingKind.LIVE, BookingStatus.WAITING, queued_at=hours.moment(now))
        expected = project(hours.moment(now), [*places, newcomer],
                           lambda h: hours.capacity[(h - hours.start) // HOUR], called, URGENT)["999"]
        ours = hours.moment(outlook.expected_call(now, called, now, None))
        assert abs(ours - expected) < timedelta(minutes=1), waiting


# GoSwift-style slots


def test_goswift_makes_early_trucks_wait_for_their_hour_and_wastes_the_places_of_no_shows():
    results = simulate(from_dict(a_scenario(no_show_share=0.3, late_share=0.0)), 4, ["goswift", "no_system"])
    slots, hours = results.outcomes["goswift"], results.hours[0]
    crossings = crossings_by_hour(slots, results.trucks)
    early = [t for t in results.trucks if t.arrival is not None and slots.crossed[t.id] // 60 > t.arrival // 60 + 1]
    assert early
    unused_while_waiting = [h for h in range(hours.hours) if crossings[(0, h)] < hours.passes[h]
                            and any(slots.checked_in[t.id] < h * 60 and slots.crossed[t.id] >= (h + 1) * 60
                                    for t in results.trucks)]
    assert unused_while_waiting
    assert results.kpis["goswift"]["mean_wait_min"] > results.kpis["no_system"]["mean_wait_min"]


# Results


def test_every_truck_has_one_journey_row_per_policy_ready_for_a_csv():
    results = shipped_run("normal_day_2025")
    rows = list(results.journeys("bordergate"))
    assert len(rows) == len(results.trucks)
    row = next(r for r in rows if r["wait_minutes"] != "")
    assert row["crossed_at"].endswith("+00:00") and row["policy"] == "bordergate"
    assert len({tuple(r) for r in rows}) == 1


def test_kpis_come_for_each_lane_as_well_as_for_the_whole_scenario():
    kpis = shipped_run("normal_day_2025").kpis["bordergate"]
    assert set(kpis["by_lane"]) == {lane.name for lane in load("normal_day_2025").lanes}
    assert sum(lane["arrived"] for lane in kpis["by_lane"].values()) == kpis["arrived"]


def test_an_unknown_policy_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown policy fastest"):
        simulate(load("normal_day_2025"), 1, ["fastest"])


def test_scenarios_are_not_changed_by_running_them():
    data = a_scenario()
    kept = copy.deepcopy(data)
    simulate(from_dict(data), 1)
    assert data == kept
