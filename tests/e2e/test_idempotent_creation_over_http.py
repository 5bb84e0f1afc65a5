"""Every creating POST, retried with its Idempotency-Key: one thing created, the first answer again, and after a lost
answer the same answer rebuilt from what the change committed."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from bordergate.services import idempotency
from tests.builders import a_gateway, a_trip
from tests.e2e.test_queue_over_http import opened, slot
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)

POINT = "HUU_NGHI"


@dataclass
class Sending:
    """A creating request as a client sends it, and the event that says it created something."""

    path: str
    body: dict
    headers: dict[str, str]
    event: str


@dataclass
class Scene:
    """A gate with accounts, a declared trip with a fee due, open export lanes and Huu Nghi's checkpoints."""

    client: object
    gate: object
    world: object
    sign_in: Callable[..., dict[str, str]]
    reference: str
    export: str
    gateway: object

    def events(self, action: str) -> int:
        with self.gate.engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM audit_log WHERE action = :action"),
                                      {"action": action}).scalar_one()


@pytest.fixture
def scene(client, gate, world, sign_in) -> Scene:
    lan = sign_in("lan")
    trip = a_trip(gate, flow="temporary_import_reexport", plate="12C-777.77")
    declared = client.post("/api/v1/declarations", json=trip, headers=lan)
    assert declared.status_code == 201, declared.text
    export = client.post("/api/v1/declarations", json=a_trip(gate, plate="12C-666.66"), headers=lan)
    opened(client, sign_in("operator"))
    return Scene(client, gate, world, sign_in, declared.json()["reference"], export.json()["reference"],
                 a_gateway(gate, world.operator))


def _due(s: Scene) -> int:
    fee = s.client.get(f"/api/v1/declarations/{s.reference}/fee", headers=s.sign_in("lan")).json()
    return fee["due_vnd"]


SENDINGS: dict[str, Callable[[Scene], Sending]] = {
    "a declaration": lambda s: Sending("/api/v1/declarations", a_trip(s.gate), s.sign_in("lan"),
                                       "DeclarationSubmitted"),
    "a saved vehicle": lambda s: Sending(
        f"/api/v1/enterprises/{s.world.farm}/vehicles",
        {"tractor_plate": "12C-555.55", "vehicle_class": "reefer", "gross_weight_kg": 40000, "axles": 5},
        s.sign_in("lan"), "FleetEntrySaved"),
    "an organisation": lambda s: Sending(
        "/api/v1/organisations", {"name": "Vận tải Biên Giới", "kind": "enterprise", "tax_code": "0100233488"},
        s.sign_in("admin"), "OrganisationRegistered"),
    "a user": lambda s: Sending("/api/v1/users", {"username": "hoa", "password": "a-long-test-password",
                                                  "full_name": "Hoa", "role": "declarant",
                                                  "organisation_id": s.world.farm},
                                s.sign_in("admin"), "UserCreated"),
    "a crossing point": lambda s: Sending("/api/v1/crossing-points", {"code": "BINH_NGHI", "name": "Bình Nghi"},
                                          s.sign_in("admin"), "CrossingPointAdded"),
    "an online payment": lambda s: Sending(f"/api/v1/declarations/{s.reference}/payments", {},
                                           s.sign_in("lan"), "PaymentStarted"),
    "a cash payment": lambda s: Sending(f"/api/v1/declarations/{s.reference}/payments/cash",
                                        {"amount_vnd": _due(s)}, s.sign_in("operator"), "PaymentReceived"),
    "a booking": lambda s: Sending(f"/api/v1/declarations/{s.export}/booking",
                                   {"kind": "slot", "slot_start": slot(14)}, s.sign_in("lan"), "BookingMade"),
    "a capacity change": lambda s: Sending(
        f"/api/v1/crossing-points/{POINT}/capacity-changes",
        {"starts_at": slot(12), "ends_at": slot(13), "per_hour": 0, "reason": "lunch"},
        s.sign_in("operator"), "CapacityChanged"),
    "a regulation order": lambda s: Sending(
        "/api/v1/regulation-orders", {"crossing_point": POINT, "staging_area": "Km 18", "message": "Dừng chờ"},
        s.sign_in("operator"), "RegulationOrderIssued"),
    "a checkpoint": lambda s: Sending(
        "/api/v1/checkpoints", {"crossing_point": "TAN_THANH", "kind": "yard_entry", "direction": "outbound",
                                "name": "Tân Thanh yard gate"}, s.sign_in("operator"), "CheckpointAdded"),
    "a camera": lambda s: Sending(f"/api/v1/checkpoints/{s.gateway.checkpoints['yard_entry']}/cameras",
                                  {"name": "yard lane 2", "lane": 2}, s.sign_in("operator"), "CameraRegistered"),
    "a plate entered by hand": lambda s: Sending(
        f"/api/v1/checkpoints/{s.gateway.checkpoints['yard_entry']}/manual-reads",
        {"plate": "12C-777.77", "captured_at": s.gate.clock.now().isoformat()}, s.sign_in("operator"),
        "PlateReadDecided"),
    "a hold": lambda s: Sending(f"/api/v1/declarations/{s.reference}/holds", {"reason": "papers missing"},
                                s.sign_in("customs"), "HoldPlaced"),
    "a camera's plate read": lambda s: Sending(
        "/api/v1/plate-reads", {"captured_at": s.gate.clock.now().isoformat(), "plate": "12C-777.77",
                                "confidence": 0.97}, {"X-Camera-Key": s.gateway.keys["yard_entry"]},
        "PlateReadDecided"),
}


def post(s: Scene, sending: Sending, key: str):
    return s.client.post(sending.path, json=sending.body, headers={**sending.headers, "Idempotency-Key": key})


@pytest.mark.parametrize("what", SENDINGS)
def test_sending_it_twice_with_one_key_creates_it_once_and_answers_the_first_answer_again(scene, what):
    sending = SENDINGS[what](scene)
    before = scene.events(sending.event)
    first = post(scene, sending, "retry-me-1")
    assert first.status_code == 201, first.text
    again = post(scene, sending, "retry-me-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert scene.events(sending.event) == before + 1


@pytest.mark.parametrize("what", SENDINGS)
def test_when_the_first_answer_was_lost_after_the_commit_the_retry_gets_it_rebuilt_and_nothing_twice(
        scene, clock, monkeypatch, what):
    sending = SENDINGS[what](scene)
    before = scene.events(sending.event)
    with monkeypatch.context() as lost:
        lost.setattr(idempotency, "answered", lambda *args, **kwargs: None)  # the server dies after its commit
        first = post(scene, sending, "retry-me-2")
    assert first.status_code == 201, first.text
    clock.advance(seconds=scene.gate.settings.idempotency_running_seconds)
    retry = post(scene, sending, "retry-me-2")
    assert retry.headers["Idempotent-Replayed"] == "true"
    rebuilt, expected = retry.json(), first.json()
    if what == "a camera":  # the lost key was never seen, so a new one is issued with the rebuilt answer
        assert rebuilt.pop("key") != expected.pop("key")
    if what == "a camera's plate read":  # the camera's own read id answers: 200, the same decision, replayed
        assert retry.status_code == 200 and rebuilt.pop("replayed") is True and expected.pop("replayed") is False
    else:
        assert retry.status_code == 201
    assert rebuilt == expected
    assert retry.headers.get("Location") == first.headers.get("Location")
    assert scene.events(sending.event) == before + 1
    assert post(scene, sending, "retry-me-2").json() == retry.json()


def test_two_cameras_sending_the_same_key_do_not_meet(scene):
    read = SENDINGS["a camera's plate read"](scene)
    first = post(scene, read, "same-key")
    other = Sending(read.path, {**read.body, "plate": "12C-888.88"},
                    {"X-Camera-Key": scene.gateway.keys["waiting_area_entry"]}, read.event)
    assert first.status_code == post(scene, other, "same-key").status_code == 201


def test_a_camera_without_a_valid_key_is_refused_before_any_key_is_taken(scene):
    read = SENDINGS["a camera's plate read"](scene)
    refused = post(scene, Sending(read.path, read.body, {"X-Camera-Key": "nobody.secret"}, read.event), "k-1")
    assert refused.status_code == 401
    with scene.gate.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM idempotency_keys")).scalar_one() == 0
