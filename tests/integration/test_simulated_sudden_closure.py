"""A sudden closure driven through the real system (SQLite and PostgreSQL): it learns of it through the capacity
API at the minute it begins, and calls nobody inside it."""
from __future__ import annotations

from datetime import timedelta, timezone

from bordergate.adapters.sql.tables import audit_log
from bordergate.simulator.clients import InProcess
from bordergate.simulator.lanes import NEVER
from bordergate.simulator.scenario import from_dict
from bordergate.simulator.system import SYSTEM, compare
from tests.unit.test_simulator import a_scenario


def test_the_system_learns_a_sudden_closure_when_it_begins_and_calls_no_truck_inside_it(gate, clock):
    closure = {"from_day": 0, "from_hour": 12, "to_day": 0, "to_hour": 18, "per_hour": 0, "announced": False,
               "reason": "the other side closed without notice"}
    scenario = from_dict(a_scenario(days=1, drain_days=1, lane__arrivals_per_day=14, lane__capacity_per_hour=[2] * 24,
                                    lane__capacity_changes=[closure], agency_service_minutes=10,
                                    plate_misread_share=0.0))
    results, tally = compare(scenario, 11, InProcess.with_people(gate), lambda moment: setattr(clock, "at", moment))

    begins, ends = results.start + timedelta(hours=12), results.start + timedelta(hours=18)
    with gate.engine.connect() as connection:
        rows = connection.execute(audit_log.select().where(audit_log.c.action == "CapacityChanged")).mappings().all()
    learnt = [row["at"] for row in rows]
    assert len(learnt) == 1 and _utc(learnt[0]) == begins  # entered at the minute it began, not at the start
    system = results.outcomes[SYSTEM]
    called = [results.start + timedelta(minutes=system.crossed[t.id]) for t in results.trucks
              if system.crossed[t.id] < NEVER]
    assert called and not [c for c in called if begins <= c < ends]
    assert tally.declared == len(results.trucks)



def _utc(moment):
    """SQLite gives the audit time back without its zone; it is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def test_empty_trucks_driven_through_the_system_are_declared_called_and_let_out(gate, clock):
    scenario = from_dict(a_scenario(days=1, drain_days=1, lane__arrivals_per_day=10, lane__capacity_per_hour=[2] * 24,
                                    agency_service_minutes=10, plate_misread_share=0.0, no_show_share=0.0,
                                    empty_return_share={"outbound": 0.5}))
    results, tally = compare(scenario, 5, InProcess.with_people(gate), lambda moment: setattr(clock, "at", moment))

    empty = [t for t in results.trucks if t.empty]
    system = results.outcomes[SYSTEM]
    assert empty and all(system.crossed[t.id] < NEVER for t in empty)
    assert tally.let_out == len(results.trucks) and tally.declared == len(results.trucks)
    # With the empty crossing the declaration has no goods; a system without it is sent one line of other goods.
    assert tally.empty_declared_with_goods in (0, len(empty))
    assert results.kpis[SYSTEM]["empty"] == len(empty)
