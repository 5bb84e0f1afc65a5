"""Sudden changes in the simulator: known only when they begin, to shippers and to slot booking, who react."""
from __future__ import annotations

from collections import Counter

from bordergate.simulator.lanes import NEVER, LaneHours, sudden_changes
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import from_dict, load
from tests.unit.test_simulator import a_scenario, working_hours

DAY = 24 * 60
FRUIT = {"outbound": [{"name": "durian", "share": 0.7, "perishable": True, "shelf_life_hours": [20, 40]},
                      {"name": "other_goods", "share": 0.3}],
         "inbound": [{"name": "other_goods", "share": 1}]}


def sudden_closure(**more) -> dict:
    """Two days of a busy fruit lane; on day 1 at 09:00, with no warning, the other side closes for a day."""
    closure = {"from_day": 1, "from_hour": 9, "to_day": 2, "to_hour": 9, "per_hour": 0, "announced": False,
               "reason": "the other side closed the gate without notice"}
    return a_scenario(**{"days": 3, "drain_days": 3, "lane__arrivals_per_day": 120,
                         "lane__capacity_per_hour": working_hours(12), "lane__capacity_changes": [closure],
                         "goods_mix": FRUIT, "declaration_lead_hours": [2, 12], "travel_hours": [6, 20], **more})


def test_a_sudden_closure_is_known_only_from_the_minute_it_begins():
    scenario = from_dict(sudden_closure())
    lane = scenario.lanes[0]
    begins = DAY + 9 * 60
    assert sudden_changes(lane) == [begins]
    before, after = LaneHours(scenario, lane, known_at=begins - 1), LaneHours(scenario, lane, known_at=begins)
    assert before.capacity[begins // 60] == 12 and after.capacity[begins // 60] == 0
    assert LaneHours(scenario, lane).capacity[begins // 60] == 0  # the gate itself closes whatever anyone knew


def test_no_policy_calls_a_truck_inside_a_sudden_closure_nor_more_than_the_hour_passes():
    results = simulate(from_dict(sudden_closure()), 4)
    begins, ends = DAY + 9 * 60, 2 * DAY + 9 * 60
    for policy, outcome in results.outcomes.items():
        crossed = [outcome.crossed[t.id] for t in results.trucks if outcome.crossed[t.id] < NEVER]
        assert not [m for m in crossed if begins <= m < ends], policy
        by_hour = Counter(m // 60 for m in crossed)
        assert all(n <= results.hours[0].passes[h] for h, n in by_hour.items()), policy


def test_slot_booking_re_plans_the_bookings_of_a_sudden_closure_to_the_hours_after_it():
    results = simulate(from_dict(sudden_closure(no_show_share=0.0, late_share=0.0)), 4, ["goswift"])
    outcome, begins = results.outcomes["goswift"], DAY + 9 * 60
    planned_in_closure = [t for t in results.trucks if begins <= t.planned < 2 * DAY + 9 * 60 and t.declared < begins]
    assert len(planned_in_closure) > 20
    assert all(outcome.crossed[t.id] >= 2 * DAY + 9 * 60 for t in planned_in_closure)
    assert sum(outcome.crossed[t.id] < NEVER for t in results.trucks) == len(results.trucks)


def test_shippers_on_the_road_when_a_closure_strikes_divert_cargo_that_would_spoil_before_its_call():
    warned = simulate(from_dict(sudden_closure()), 4, ["bordergate"])
    deaf = simulate(from_dict(sudden_closure(hold_back_share=0.0)), 4, ["bordergate"])
    ours, theirs = warned.kpis["bordergate"], deaf.kpis["bordergate"]
    begins = DAY + 9 * 60
    diverted = [t for t in warned.trucks if warned.outcomes["bordergate"].diverted[t.id] < NEVER]
    assert diverted and all(t.perishable and t.heeds_warning and t.departure <= begins for t in diverted)
    assert all(warned.outcomes["bordergate"].diverted[t.id] == begins for t in diverted)
    assert theirs["diverted"] == 0
    assert ours["perishable_lost"] < theirs["perishable_lost"]


def test_the_same_closure_announced_in_advance_loses_no_more_than_when_it_is_sudden():
    sudden = sudden_closure()
    announced = sudden_closure()
    announced["lanes"][0]["capacity_changes"][0]["announced"] = True
    lost = {name: simulate(from_dict(data), 4, ["bordergate"]).kpis["bordergate"]
            for name, data in (("sudden", sudden), ("announced", announced))}
    assert lost["announced"]["perishable_lost"] + lost["announced"]["diverted"] <= \
        lost["sudden"]["perishable_lost"] + lost["sudden"]["diverted"]


def test_the_collapse_scenario_closes_the_export_lanes_without_notice():
    scenario = load("collapse_december_2021")
    assert all(sudden_changes(lane) for lane in scenario.lanes)


def test_shippers_not_yet_loaded_when_a_closure_strikes_hold_back_further_instead():
    data = sudden_closure(declaration_lead_hours=[20, 40], travel_hours=[2, 6])
    data["lanes"][0]["capacity_changes"][0]["to_day"] = 3  # two days closed
    begins = DAY + 9 * 60
    warned = simulate(from_dict(data), 4, ["bordergate"])
    cannot_wait = simulate(from_dict({**data, "max_hold_hours": 0}), 4, ["bordergate"])
    outcome = warned.outcomes["bordergate"]
    not_loaded = [t for t in warned.trucks if t.declared < begins < t.departure and t.perishable]
    told_before = simulate(from_dict({**data, "lanes": [{**data["lanes"][0], "capacity_changes": []}]}), 4,
                           ["bordergate"]).outcomes["bordergate"]
    held_on_news = [t for t in not_loaded if outcome.held[t.id] > told_before.held[t.id]]
    assert held_on_news and not [t for t in not_loaded if outcome.diverted[t.id] < NEVER]
    assert warned.kpis["bordergate"]["perishable_lost"] < cannot_wait.kpis["bordergate"]["perishable_lost"]
