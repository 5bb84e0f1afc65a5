"""The simulator's shippers see closures, a run tells spoilt loads from loads not yet crossed, and bad or commented
scenario fields are read as an operator means them."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bordergate.simulator.lanes import NEVER, LaneHours
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import ScenarioInvalid, from_dict
from bordergate.simulator.shippers import Outlook
from tests.unit.test_simulator import a_scenario, working_hours

DAY = 24 * 60


def closed(from_day: int, to_day: int, to_hour: int = 7, **more) -> dict:
    return {"from_day": from_day, "to_day": to_day, "to_hour": to_hour, "per_hour": 0, "reason": "holiday", **more}


def lane_hours(**changes) -> LaneHours:
    scenario = from_dict(a_scenario(**changes))
    return LaneHours(scenario, scenario.lanes[0])


def may_call_at(hours: LaneHours, minute: int) -> bool:
    hour, k = divmod(minute, 60)
    return hours.tables[hour][k] > 0


# A shipper's outlook never promises a call inside a closure


def test_a_truck_due_in_a_holiday_is_told_its_call_comes_after_the_reopening():
    hours = lane_hours(days=2, drain_days=3, lane__capacity_changes=[closed(1, 3)])
    outlook = Outlook(hours, 24 * 60)
    now, arrival = 12 * 60, DAY + 10 * 60  # declared at noon on day 0, due at 10:00 on the first closed day
    call = outlook.expected_call(now, 0, arrival, None)
    assert call == 3 * DAY + 7 * 60  # the first call after the reopening at 07:00 on day 3, not 10:00 on day 1


def test_perishable_cargo_urgent_inside_a_closure_is_told_the_first_call_after_it():
    hours = lane_hours(days=2, drain_days=3, lane__capacity_changes=[closed(1, 3)])
    outlook = Outlook(hours, 24 * 60)
    spoils = 2 * DAY + 12 * 60  # urgent from day 1 12:00, in the middle of the closure
    call = outlook.expected_call(8 * 60, 0, DAY + 9 * 60, spoils)
    assert call == 3 * DAY + 7 * 60 and call > spoils  # so the warning says the cargo will spoil first


@settings(max_examples=150, deadline=None)
@given(closure=st.tuples(st.integers(0, 3), st.integers(0, 23), st.integers(1, 60)),
       per_hour=st.integers(1, 40), waiting=st.integers(0, 300),
       expected=st.lists(st.integers(0, 5 * DAY), max_size=40), now=st.integers(0, 4 * DAY),
       lead=st.integers(0, 2 * DAY), called=st.integers(0, 40), life=st.one_of(st.none(), st.integers(0, 4 * DAY)))
def test_the_outlook_never_promises_a_call_inside_a_closure_nor_before_the_truck_arrives(
        closure, per_hour, waiting, expected, now, lead, called, life):
    day, hour, length = closure
    begins = day * 24 + hour
    ends = begins + length
    change = {"from_day": day, "from_hour": hour, "to_day": ends // 24, "to_hour": ends % 24, "per_hour": 0,
              "reason": "closed"}
    hours = lane_hours(days=4, drain_days=4, lane__capacity_per_hour=working_hours(per_hour),
                       lane__capacity_changes=[change])
    outlook = Outlook(hours, 24 * 60)
    outlook.waiting = waiting
    for arrival in expected:
        outlook.add(arrival, None, False)
    arrival = now + lead
    called = min(called, hours.tables[now // 60][now % 60])
    call = outlook.expected_call(now, called, arrival, None if life is None else arrival + life)
    assert call == NEVER or (call >= arrival and may_call_at(hours, call) and not begins * 60 <= call < ends * 60)


# Spoilt is spoilt; the rest is not crossed


def test_a_load_still_fresh_when_the_run_ends_is_not_crossed_not_spoilt():
    # A gate that passes two trucks an hour for a day and a half, fruit that keeps for weeks: nothing can spoil.
    scenario = from_dict(a_scenario(days=1, drain_days=0, lane__capacity_per_hour=working_hours(2),
                                    goods_mix={"outbound": [{"name": "durian", "share": 1, "perishable": True,
                                                             "shelf_life_hours": [300, 400]}],
                                               "inbound": [{"name": "other_goods", "share": 1}]}))
    kpis = simulate(scenario, 3, ["bordergate"]).kpis["bordergate"]
    assert kpis["not_crossed"] > 100 and kpis["not_crossed_fresh"] == kpis["not_crossed"]
    assert kpis["perishable_lost"] == 0


def test_cargo_whose_shelf_life_ran_out_in_the_queue_is_spoilt():
    scenario = from_dict(a_scenario(days=1, drain_days=2, lane__capacity_per_hour=working_hours(2),
                                    hold_back_share=0.0,
                                    goods_mix={"outbound": [{"name": "durian", "share": 1, "perishable": True,
                                                             "shelf_life_hours": [20, 30]}],
                                               "inbound": [{"name": "other_goods", "share": 1}]}))
    kpis = simulate(scenario, 3, ["bordergate"]).kpis["bordergate"]
    assert kpis["perishable_lost"] > 100 and kpis["not_crossed_fresh"] == 0


# Scenario fields


@pytest.mark.parametrize("changes, field", [
    ({"lane__capacity_changes": [closed(4, 5)]}, "lanes[0].capacity_changes[0].from_day"),
    ({"lane__capacity_changes": [closed(3, 4, to_hour=1)]}, "lanes[0].capacity_changes[0].to_day"),
    ({"lane__day_limits": [{"from_day": 2, "to_day": 9, "trucks": 50}]}, "lanes[0].day_limits[0].to_day"),
    ({"surges": [{"from_day": 2, "to_day": 3, "factor": 2}]}, "surges[0].from_day"),
    ({"surges": [{"from_day": 0, "to_day": 3, "factor": 2}]}, "surges[0].to_day"),
    ({"camera_outages": [{"from_day": 9, "to_day": 10}]}, "camera_outages[0].from_day"),
])
def test_a_change_or_surge_outside_the_scenarios_days_is_refused_with_its_field(changes, field):
    # a_scenario: 2 days of traffic, 2 drain days
    with pytest.raises(ScenarioInvalid) as refused:
        from_dict(a_scenario(**changes))
    assert field in [p.field for p in refused.value.problems], str(refused.value)


def test_a_change_up_to_the_last_simulated_midnight_is_accepted():
    assert from_dict(a_scenario(lane__capacity_changes=[closed(3, 4, to_hour=0)]))


def test_a_field_starting_with_an_underscore_is_a_comment_anywhere():
    data = a_scenario(_why="sources in the description", lane___note="the big gate",
                      lane__capacity_changes=[closed(1, 2, _source="decree of the day")])
    data["goods_mix"]["_note"] = "fruit, mostly"
    data["goods_mix"]["outbound"][0]["_variety"] = "Ri6"
    assert from_dict(data).lanes[0].capacity_changes[0].reason == "holiday"
