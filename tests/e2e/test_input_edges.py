"""Edges the fuzzer and probes found: values a database cannot store are refused as fields, never as a crash."""
from __future__ import annotations

from tests.builders import a_trip
from tests.conftest import database_url  # noqa: F401 (both databases: see tests/e2e/conftest.py)


def test_a_nul_character_in_a_text_field_is_refused_by_name(client, gate, world, sign_in):
    trip = a_trip(gate)
    trip["goods"][0]["description"] = "Fresh\x00durian"
    answer = client.post("/api/v1/declarations", json=trip, headers=sign_in("lan"))
    assert answer.status_code == 422
    assert answer.json()["errors"] == [{"field": "goods[0].description",
                                        "message": "contains control characters; type plain text"}]


def test_a_nul_character_in_a_filter_or_a_username_is_a_clear_refusal(client, world, sign_in):
    listed = client.get("/api/v1/declarations", params={"crossing_point": "HUU\x00NGHI"}, headers=sign_in("lan"))
    assert listed.status_code in (200, 422) and listed.headers["content-type"].startswith("application/")
    signed = client.post("/api/v1/auth/token", data={"username": "la\x00n", "password": "x"})
    assert signed.status_code in (401, 422)
    assert signed.headers["content-type"] == "application/problem+json"


def test_amounts_finer_than_the_ledger_keeps_are_refused(client, gate, world, sign_in):
    trip = a_trip(gate)
    trip["goods"][0]["gross_weight_kg"] = "1E-100000"
    trip["goods"][0]["value"] = "36000.005"
    answer = client.post("/api/v1/declarations", json=trip, headers=sign_in("lan"))
    assert answer.status_code == 422
    assert {e["field"]: e["message"] for e in answer.json()["errors"]} == {
        "goods[0].gross_weight_kg": "has more than 3 decimal places",
        "goods[0].value": "has more than 2 decimal places"}


def test_a_number_where_a_plate_belongs_in_a_correction_is_refused_by_name(client, gate, world, sign_in):
    headers = sign_in("lan")
    reference = client.post("/api/v1/declarations", json=a_trip(gate), headers=headers).json()["reference"]
    answer = client.patch(f"/api/v1/declarations/{reference}", headers=headers,
                          json={"changes": {"vehicle.tractor_plate": 12345, "containers": [5]}})
    assert answer.status_code == 422
    assert {e["field"]: e["message"] for e in answer.json()["errors"]} == {
        "vehicle.tractor_plate": "must be text, not int", "containers[0]": "must be text, not int"}
