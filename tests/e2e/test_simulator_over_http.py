"""The simulator drives the system over HTTP as it does in-process: the same trucks are called at the same minutes."""
from __future__ import annotations

import random
import shutil
from collections.abc import Iterator

import httpx
import pytest

from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.errors import ChangedMeanwhile
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.entrypoints.cli import seed_crossing_points
from bordergate.services.ports import FixedClock
from bordergate.simulator.clients import ROLES, InProcess, Patient
from bordergate.simulator.http import OverHttp, ServerRefused
from bordergate.simulator.lanes import NEVER
from bordergate.simulator.scenario import from_dict
from bordergate.simulator.system import SYSTEM, compare
from tests.builders import PASSWORD
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.unit.test_simulator import a_scenario

SEED = 5
# The shipped tariff has no line for the simulator's 20-tonne loads, so nothing would be due and no cash taken;
# this one charges every truck, in force before the scenario's first day.
TARIFF = {**tariff_to_plain(LANG_SON_09_2025), "version": "SIM-2025", "in_force_from": "2025-05-09",
          "lines": [{"key": "any-truck", "description": "any truck (simulation)", "amount_vnd": 500_000}]}


@pytest.fixture
def other_gate(sqlite_template, tmp_path) -> Iterator[Gate]:
    """A second wired gate on a fresh SQLite file and a clock of its own, for the in-process drive to compare with
    (on the HTTP drive's gate the same trucks' plates would already be declared)."""
    path = tmp_path / "in-process.db"
    shutil.copy(sqlite_template, path)
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", sweep_seconds=0)
    wired = bootstrap(settings, clock=FixedClock(NOW), rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()


def test_a_small_scenario_driven_over_http_calls_each_truck_at_the_minute_it_is_called_when_driven_in_process(
        client, world, clock, other_gate):
    # Open round the clock, but for fewer trucks an hour than arrive at the busiest hours: some wait to be called.
    scenario = from_dict(a_scenario(days=1, drain_days=1, lane__arrivals_per_day=24, lane__capacity_per_hour=[3] * 24,
                                    plate_misread_share=0.1))
    http_client, process_client = OverHttp.with_people(client, "admin", PASSWORD), InProcess.with_people(other_gate)
    published = client.put(f"/api/v1/tariffs/{TARIFF['version']}", json=TARIFF,
                           headers={"Authorization": f"Bearer {http_client.tokens['operator']}"})
    assert published.status_code == 200, published.text
    other_gate.bus.handle(commands.PublishTariff(process_client.people["operator"], TARIFF))

    over_http, http_tally = compare(scenario, SEED, http_client, lambda moment: setattr(clock, "at", moment), [0])
    in_process, process_tally = compare(scenario, SEED, process_client,
                                        lambda moment: setattr(other_gate.clock, "at", moment), [0])

    system, reference = over_http.outcomes[SYSTEM], in_process.outcomes[SYSTEM]
    crossed = [minute for minute in system.crossed if minute < NEVER]
    assert crossed, "no truck crossed: the scenario drove nothing"
    assert list(system.crossed) == list(reference.crossed)
    waited = [c - i for c, i in zip(system.crossed, system.checked_in, strict=True) if c < NEVER]
    assert max(waited) > 0, "no truck waited its turn: the comparison says nothing about the order of calls"
    arrived = sum(1 for minute in system.arrived if minute < NEVER)
    assert http_tally.let_out == len(crossed) == arrived
    assert http_tally.refused_at == {} and process_tally.refused_at == {}
    assert http_tally.entered_by_hand > 0 and http_tally.paid_vnd == 500_000 * len(crossed)
    assert http_tally == process_tally


def test_a_server_refusal_surfaces_with_the_method_the_path_and_the_servers_detail(client, world):
    gate_client = OverHttp.with_people(client, "admin", PASSWORD)

    with pytest.raises(ServerRefused) as refused:
        gate_client.declare({"crossing_point": "NOWHERE", "flow": "export"})

    assert refused.value.status == 422 and refused.value.method == "POST"
    assert refused.value.path == "/api/v1/declarations"
    assert "planned_arrival" in refused.value.detail
    assert str(refused.value).startswith("POST /api/v1/declarations refused with 422: ")


def test_a_client_whose_sign_in_expired_signs_in_again_and_carries_on(client, world, clock):
    gate_client = OverHttp.with_people(client, "admin", PASSWORD)
    first = gate_client.tokens["operator"]
    clock.advance(hours=9)  # past the 8-hour token

    assert gate_client.board("HUU_NGHI", "outbound")["called"] == []
    assert gate_client.tokens["operator"] != first


def test_the_servers_clock_is_read_from_healthz(client, clock):
    assert OverHttp(client, dict.fromkeys(ROLES, "token"), "enterprise").now() == clock.now()


def test_a_record_changed_meanwhile_is_sent_again_and_other_refusals_are_not():
    calls = []

    def server(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/call-forward") and len(calls) < 3:
            return httpx.Response(409, json={"title": ChangedMeanwhile.title, "status": 409,
                                             "detail": "booking b1 was changed meanwhile; try again"})
        if request.url.path.endswith("/booking"):
            return httpx.Response(409, json={"title": "Conflict with current state", "status": 409,
                                             "detail": "declaration BG1 is already booked"})
        return httpx.Response(200, json={"HUU_NGHI:outbound": {"called": 1}})

    with httpx.Client(base_url="http://gate.test", transport=httpx.MockTransport(server)) as http:
        patient = Patient(OverHttp(http, dict.fromkeys(ROLES, "token"), "enterprise"))
        patient.call_forward()
        assert len(calls) == 3
        with pytest.raises(ServerRefused, match="already booked"):
            patient.book("BG1")
        assert len(calls) == 4
