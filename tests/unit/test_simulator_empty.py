"""Empty trucks in the simulator: going back after delivering, they take places like loaded ones and are counted
apart."""
from __future__ import annotations

import pytest

from bordergate.domain.checkpoints import Direction
from bordergate.simulator.run import simulate
from bordergate.simulator.scenario import ScenarioInvalid, from_dict, load
from bordergate.simulator.traffic import generate
from tests.unit.test_simulator import a_scenario


def test_a_share_of_the_trucks_cross_empty_with_no_goods_and_nothing_to_spoil():
    trucks = generate(from_dict(a_scenario(days=6, empty_return_share={"outbound": 0.3})), 2)
    empty = [t for t in trucks if t.empty]
    assert 0.25 < len(empty) / len(trucks) < 0.35
    assert all(t.goods == "empty" and not t.perishable and t.spoils_at is None for t in empty)


def test_empty_trucks_queue_with_the_loaded_ones_and_the_kpis_count_them_apart():
    results = simulate(from_dict(a_scenario(days=3, empty_return_share={"outbound": 0.3})), 2, ["bordergate"])
    kpis = results.kpis["bordergate"]
    assert kpis["empty"] == sum(1 for t in results.trucks if t.empty and t.arrival is not None) > 0
    assert kpis["empty_share"] == round(kpis["empty"] / kpis["arrived"], 4)
    assert kpis["empty_mean_wait_min"] > 0 and kpis["loaded_mean_wait_min"] > 0


def test_a_scenario_without_empty_trucks_draws_the_same_trucks_as_before_they_existed():
    assert generate(from_dict(a_scenario()), 3) == generate(from_dict(a_scenario(empty_return_share={})), 3)


@pytest.mark.parametrize("share, field", [({"inbound": 1.0}, "empty_return_share.inbound"),
                                          ({"sideways": 0.1}, "empty_return_share.sideways")])
def test_an_empty_share_out_of_range_or_direction_is_refused_with_its_field(share, field):
    with pytest.raises(ScenarioInvalid) as refused:
        from_dict(a_scenario(empty_return_share=share))
    assert field in [p.field for p in refused.value.problems]


def test_the_normal_day_has_empty_trucks_in_both_directions_most_of_them_coming_back():
    normal = load("normal_day_2025")
    coming_back, leaving = normal.empty_share[Direction.INBOUND], normal.empty_share[Direction.OUTBOUND]
    assert coming_back > leaving > 0
    assert "empty" in normal.description.lower()
