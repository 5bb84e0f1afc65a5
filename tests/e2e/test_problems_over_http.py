"""Refusals over HTTP: RFC 9457 problem+json that names every bad field, and saves nothing when it refuses."""
from __future__ import annotations

import jwt
import pytest

from tests.builders import a_trip

PROBLEM_JSON = "application/problem+json"


def problem(answer, status: int) -> dict:
    """The problem details of a refusal, after checking the parts every refusal must have."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM_JSON
    body = answer.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def fields(body: dict) -> list[str]:
    return [error["field"] for error in body["errors"]]


def declared(client, gate, headers) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def test_one_refusal_names_every_bad_field_by_its_path(client, gate, world, sign_in):
    bad = a_trip(gate, crossing_point="NOWHERE", containers=["MSKU9070324"], hours_ahead=-2)
    bad["vehicle"]["tractor_plate"] = "12O-123.45"
    bad["goods"][0]["hs_code"] = "0810.6"
    bad["goods"][0]["gross_weight_kg"] = "-24000"
    body = problem(client.post("/api/v1/declarations", json=bad, headers=sign_in("lan")), 422)
    expected = ["crossing_point", "planned_arrival", "vehicle.tractor_plate", "goods[0].hs_code",
                "goods[0].gross_weight_kg", "containers[0]"]
    assert sorted(fields(body)) == sorted(expected)
    assert body["detail"].startswith("6 field(s) need correcting")
    messages = {error["field"]: error["message"] for error in body["errors"]}
    assert "HUU_NGHI" in messages["crossing_point"]
    assert "in the past" in messages["planned_arrival"]
    assert "check digit" in messages["containers[0]"]
    assert "more than zero" in messages["goods[0].gross_weight_kg"]


def test_wrong_types_and_unknown_fields_are_named_by_path_too(client, gate, world, sign_in):
    bad = a_trip(gate, colour="red")
    bad["vehicle"]["gross_weight_kg"] = "heavy"
    bad["goods"][0]["packages"] = "many"
    body = problem(client.post("/api/v1/declarations", json=bad, headers=sign_in("lan")), 422)
    assert sorted(fields(body)) == ["colour", "goods[0].packages", "vehicle.gross_weight_kg"]


def test_a_body_that_is_not_json_is_refused_as_problem_json(client, world, sign_in):
    answer = client.post("/api/v1/declarations", content=b"{not json", headers={
        **sign_in("lan"), "Content-Type": "application/json"})
    assert problem(answer, 422)["errors"]


def test_a_refused_declaration_saves_nothing(client, gate, world, sign_in):
    lan = sign_in("lan")
    kept = declared(client, gate, lan)
    before = client.get("/api/v1/declarations", headers=lan).json()
    bad = a_trip(gate, plate="12C-999.99", containers=["MSKU9070324"])
    problem(client.post("/api/v1/declarations", json=bad, headers=lan), 422)
    assert client.get("/api/v1/declarations", headers=lan).json() == before
    assert [row["reference"] for row in before] == [kept]
    fleet = client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=lan).json()
    assert [v["tractor_plate"] for v in fleet["vehicles"]] == ["12C-123.45"]


@pytest.mark.parametrize("changes, bad_field", [
    ({"driver.phone": "call me"}, "driver.phone"),
    ({"goods[0].hs_code": "08"}, "goods[0].hs_code"),
    ({"goods[3].hs_code": "0810.60"}, "goods[3].hs_code"),
    ({"vehicle.colour": "red"}, "vehicle.colour"),
    ({"planned_arrival": "2026-11-26T08:00:00+07:00"}, "planned_arrival"),
    ({"driver.phone": "0912345678"}, "driver.phone"),
    ({}, "changes"),
])
def test_a_refused_correction_leaves_the_declaration_and_its_history_unchanged(
        client, gate, world, sign_in, changes, bad_field):
    lan = sign_in("lan")
    reference = declared(client, gate, lan)
    url = f"/api/v1/declarations/{reference}"
    before, history = client.get(url, headers=lan).json(), client.get(f"{url}/history", headers=lan).json()
    body = problem(client.patch(url, json={"changes": changes, "reason": "typo"}, headers=lan), 422)
    assert fields(body) == [bad_field]
    assert client.get(url, headers=lan).json() == before
    assert client.get(f"{url}/history", headers=lan).json() == history


@pytest.mark.parametrize("credentials", ["none", "forged", "expired", "garbage"])
def test_without_a_valid_token_the_answer_is_401_with_www_authenticate(
        client, gate, clock, world, sign_in, credentials):
    headers = sign_in("lan")
    if credentials == "none":
        headers = {}
    elif credentials == "forged":
        me = client.get("/api/v1/me", headers=headers).json()["user_id"]
        forged = jwt.encode({"sub": me, "exp": clock.now().timestamp() + 3600, "iss": "bordergate"},
                            "not-the-gates-secret-but-long-enough-to-sign", algorithm="HS256")
        headers = {"Authorization": f"Bearer {forged}"}
    elif credentials == "expired":
        clock.advance(minutes=479)
        assert client.get("/api/v1/declarations", headers=headers).status_code == 200
        clock.advance(minutes=2)
    else:
        headers = {"Authorization": "Bearer not-a-token"}
    body = problem(client.get("/api/v1/declarations", headers=headers), 401)
    refused = client.post("/api/v1/declarations", json=a_trip(gate), headers=headers)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"] == "Bearer"
    assert "sign in" in body["detail"]


def test_a_wrong_password_gets_401_and_the_same_words_as_an_unknown_user(client, world):
    wrong = client.post("/api/v1/auth/token", data={"username": "lan", "password": "not-lans-password"})
    unknown = client.post("/api/v1/auth/token", data={"username": "nobody", "password": "not-lans-password"})
    assert problem(wrong, 401)["detail"] == problem(unknown, 401)["detail"] == "wrong username or password"
    assert wrong.headers["WWW-Authenticate"] == "Bearer"


def test_a_customs_officer_may_not_declare_for_an_enterprise(client, gate, world, sign_in):
    customs = sign_in("customs")
    body = problem(client.post("/api/v1/declarations", json=a_trip(gate, enterprise_id=world.farm),
                               headers=customs), 403)
    assert "cannot declare" in body["detail"]
    assert client.get("/api/v1/declarations", headers=customs).json() == []


def test_a_customs_officer_declaring_is_told_officers_cannot_declare(client, gate, world, sign_in):
    body = problem(client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("customs")), 403)
    assert "cannot declare" in body["detail"]


def test_another_enterprises_declaration_is_not_found_whatever_you_try(client, gate, world, sign_in):
    lan, minh = sign_in("lan"), sign_in("minh")
    reference = declared(client, gate, lan)
    url = f"/api/v1/declarations/{reference}"
    before = client.get(url, headers=lan).json()
    for answer in (client.get(url, headers=minh), client.get(f"{url}/history", headers=minh),
                   client.get(f"{url}/qr", headers=minh),
                   client.patch(url, json={"changes": {"driver.phone": "0913000111"}}, headers=minh),
                   client.post(f"{url}/cancel", json={}, headers=minh)):
        assert "check the reference" in problem(answer, 404)["detail"]
    assert client.get(url, headers=lan).json() == before
    assert client.get(url, headers=sign_in("customs")).status_code == 200


def test_another_enterprises_fleet_is_not_yours_to_pick_from(client, gate, world, sign_in):
    lan, minh = sign_in("lan"), sign_in("minh")
    declared(client, gate, lan)
    problem(client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=minh), 403)
    saved = client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=lan).json()["vehicles"][0]["id"]
    borrowed = a_trip(gate, vehicle_id=saved)
    del borrowed["vehicle"]
    body = problem(client.post("/api/v1/declarations", json=borrowed, headers=minh), 422)
    assert "vehicle_id" in fields(body) and "enterprise's list" in body["errors"][0]["message"]


def test_a_cancelled_declaration_cannot_be_corrected_or_cancelled_again(client, gate, world, sign_in):
    lan = sign_in("lan")
    reference = declared(client, gate, lan)
    url = f"/api/v1/declarations/{reference}"
    assert client.post(f"{url}/cancel", json={"reason": "order postponed"}, headers=lan).status_code == 200
    body = problem(client.patch(url, json={"changes": {"driver.phone": "0913000111"}}, headers=lan), 409)
    assert "cancelled" in body["detail"]
    problem(client.post(f"{url}/cancel", json={}, headers=lan), 409)
    assert client.get(url, headers=lan).json()["driver"]["phone"] == "+84912345678"
    actions = [entry["action"] for entry in client.get(f"{url}/history", headers=lan).json()]
    assert actions == ["DeclarationSubmitted", "AgencyChecksOpened", "CustomsChannelAssigned", "FeeNotAssessed",
                       "DeclarationCancelled"]


def test_a_qr_code_comes_only_as_svg_or_png(client, gate, world, sign_in):
    lan = sign_in("lan")
    reference = declared(client, gate, lan)
    body = problem(client.get(f"/api/v1/declarations/{reference}/qr", params={"format": "gif"}, headers=lan), 422)
    assert fields(body) == ["format"]


def test_a_bad_plate_in_the_list_filter_is_named_as_a_field(client, world, sign_in):
    body = problem(client.get("/api/v1/declarations", params={"plate": "xx"}, headers=sign_in("lan")), 422)
    assert fields(body) == ["plate"]


def test_an_unknown_address_is_a_problem_too(client):
    problem(client.get("/api/v1/no-such-thing"), 404)


def test_the_api_documents_itself_at_docs_and_openapi_json(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui" in docs.text.lower()
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "bordergate"
    assert {"post", "get"} <= set(spec["paths"]["/api/v1/declarations"])
    assert "patch" in spec["paths"]["/api/v1/declarations/{reference}"]
    assert "/track/{reference}/{key}" in spec["paths"]
    assert "DeclarationIn" in spec["components"]["schemas"]


def test_an_unexpected_failure_answers_problem_json_and_saves_nothing(gate, world, sign_in, monkeypatch):
    from fastapi.testclient import TestClient

    from bordergate.entrypoints.api.app import create_app

    client = TestClient(create_app(gate), raise_server_exceptions=False)
    headers = sign_in("lan")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(gate.bus, "handle", broken)
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=headers)
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert "nothing was saved" in answer.json()["detail"] and "disk" not in answer.json()["detail"]
