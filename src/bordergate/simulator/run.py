"""Run a scenario under each policy on the same trucks from one seed, and gather the journeys and their KPIs."""
from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from bordergate.simulator import journeys
from bordergate.simulator.journeys import Outcome
from bordergate.simulator.kpi import hindsight_bound, overtaken, summary
from bordergate.simulator.lanes import LaneHours, start_of
from bordergate.simulator.placement import fill_waiting_area
from bordergate.simulator.policies import POLICIES
from bordergate.simulator.scenario import Scenario
from bordergate.simulator.traffic import Truck, generate


@dataclass
class Results:
    """A scenario's run: the trucks, each policy's journeys and KPIs (overall, and ``by_lane``), and the bound."""

    scenario: Scenario
    seed: int
    start: datetime
    trucks: list[Truck]
    hours: list[LaneHours]
    bound: array
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    kpis: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def of(cls, scenario: Scenario, seed: int, trucks: list[Truck]) -> Results:
        """The trucks of a scenario with its lanes' hours and the bound, before any policy has run."""
        hours = [LaneHours(scenario, lane) for lane in scenario.lanes]
        return cls(scenario, seed, start_of(scenario), trucks, hours, hindsight_bound(hours, trucks))

    def journeys(self, policy: str) -> Iterator[dict]:
        """One row a truck for the policy, ready for a CSV writer."""
        return journeys.rows(self.scenario, self.start, self.trucks, self.outcomes[policy])


def simulate(scenario: Scenario, seed: int, policies: Iterable[str] = tuple(POLICIES)) -> Results:
    """Every policy named on the same trucks; KPIs over the scenario's days, waits cut off at its last hour."""
    unknown = [p for p in policies if p not in POLICIES]
    if unknown:
        raise ValueError(f"unknown policy {', '.join(unknown)}; known: {', '.join(POLICIES)}")
    results = Results.of(scenario, seed, generate(scenario, seed))
    for policy in policies:
        results.outcomes[policy] = run_policy(scenario, results.hours, results.trucks, policy)
        results.kpis[policy] = measure(results, policy)
    return results


def run_policy(scenario: Scenario, hours: list[LaneHours], trucks: list[Truck], policy: str) -> Outcome:
    """The policy lane by lane, then where each truck waited (no system: on the road throughout)."""
    outcome = Outcome.empty(policy, len(trucks))
    for index, lane_trucks in _by_lane(trucks).items():
        POLICIES[policy](scenario, hours[index], lane_trucks, outcome)
        room = 0 if policy == "no_system" else scenario.lanes[index].waiting_area
        fill_waiting_area([t.id for t in lane_trucks], outcome, room)
    return outcome


def measure(results: Results, policy: str) -> dict:
    scenario, outcome, trucks = results.scenario, results.outcomes[policy], results.trucks
    end = scenario.hours * 60
    behind = overtaken(trucks, outcome)
    kpis = summary(trucks, outcome, results.bound, scenario.days, end, behind)
    kpis["by_lane"] = {scenario.lanes[index].name: summary(lane_trucks, outcome, results.bound, scenario.days, end,
                                                            behind)
                       for index, lane_trucks in _by_lane(trucks).items()}
    return kpis


def _by_lane(trucks: list[Truck]) -> dict[int, list[Truck]]:
    lanes: dict[int, list[Truck]] = defaultdict(list)
    for truck in trucks:
        lanes[truck.lane].append(truck)
    return lanes
