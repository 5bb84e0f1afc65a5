"""Fuzzing the gate's own operations (cameras, checkpoints, reviews, alerts, holds, the queue, capacity) as the
gate's operator with a real camera key, so requests get past sign-in and into the use cases.

The same checks as test_api_fuzz.py (no server error; answers match their documented schema; every 4xx is RFC 9457
problem+json), against a gate with Hữu Nghị's checkpoints and cameras, a capacity plan, a booked declaration, a
read in review, an open alert and a hold. Deterministic: fixed seed, derandomised.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bordergate.bootstrap import bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.entrypoints.api.app import create_app
from tests.builders import PASSWORD, a_gateway, a_trip
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.e2e.test_api_fuzz import FUZZ_SETTINGS, CHECKS, SEED, Fuzzed, a_fuzzed_gate, restorable

GATE_TAGS = {"cameras", "checkpoints", "control", "queue", "capacity"}
CONFIG = schemathesis.Config.from_dict({
    "seed": SEED, "generation": {"mode": "all", "max-examples": 10, "deterministic": True, "database": "none"}})
schema = schemathesis.openapi.from_asgi("/openapi.json", config=CONFIG, app=create_app(
    bootstrap(Settings(database_url="sqlite://", **FUZZ_SETTINGS), passwords=CHEAP_PASSWORDS)))
_known: dict[str, list[Any]] | None = None


@pytest.fixture
def gate_fuzzed(sqlite_template, tmp_path) -> Iterator[Fuzzed]:
    """A gate with checkpoints, cameras, a capacity plan, a booking, a review, an alert and a hold."""
    global _known
    gate, world = a_fuzzed_gate(sqlite_template, tmp_path)
    gateway = a_gateway(gate, world.operator)
    handle = gate.bus.handle
    handle(commands.SetCapacityPlan(world.operator, "HUU_NGHI", "outbound", tuple([10] * 24)))
    booked = handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate), None, None))
    handle(commands.BookCrossing(world.lan, booked, "live"))
    unsure = handle(commands.RecordCameraRead(gateway.keys["waiting_area_entry"], captured_at=NOW,
                                              plate="29C-999.99", confidence=0.95))
    hold = handle(commands.PlaceHold(world.customs, booked, "papers missing"))
    with gate.reader() as uow:
        alerts = [a.id for a in uow.alerts.listing(status=None, crossing_point=None, kind=None)]
    _known = {"checkpoint_id": list(gateway.checkpoints.values())[:3], "camera_id": list(gateway.cameras.values())[:2],
              "reference": [booked], "read_id": [unsure.read.id], "alert_id": alerts, "hold_id": [hold],
              "code": ["HUU_NGHI"], "direction": ["outbound", "inbound"]}
    app = create_app(gate)
    token = TestClient(app).post("/api/v1/auth/token", data={"username": "operator", "password": PASSWORD})
    assert token.status_code == 200, token.text
    try:
        with restorable(gate) as reset:
            yield Fuzzed(app, {"Authorization": f"Bearer {token.json()['access_token']}",
                               "X-Camera-Key": gateway.keys["yard_entry"]}, reset)
    finally:
        _known = None
        gate.engine.dispose()


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict[str, Any]):
    """Swap in ids that exist in the fuzzed gate, or keep the generated one."""
    known = _known
    if known is None or not isinstance(path_parameters, dict):
        return st.just(path_parameters)
    return st.fixed_dictionaries({name: st.sampled_from([*known[name], value]) if name in known else st.just(value)
                                  for name, value in path_parameters.items()})


@schema.include(tag_regex=f"^({'|'.join(sorted(GATE_TAGS))})$").parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_gate_operation_survives_fuzzing_as_the_operator_with_a_camera_key(case, gate_fuzzed):
    gate_fuzzed.reset()
    case.call_and_validate(headers=gate_fuzzed.headers, app=gate_fuzzed.app, checks=CHECKS)
