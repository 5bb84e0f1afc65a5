"""Empty trucks over HTTP: declared empty, refused when the goods list is empty without saying so, and a return trip
declared with the outbound one in one request that an Idempotency-Key replays whole."""
from __future__ import annotations

from datetime import timedelta

from bordergate.services import idempotency
from tests.builders import a_trip
from tests.e2e.test_problems_over_http import fields, problem

DECLARATIONS = "/api/v1/declarations"


def an_empty_trip(gate) -> dict:
    trip = a_trip(gate, flow="import", containers=[], customs_declaration_number=None)
    trip.update(goods=[], empty=True)
    return trip


def and_back(gate, hours: float = 30) -> dict:
    return {"planned_arrival": (gate.clock.now() + timedelta(hours=hours)).isoformat()}


def test_an_empty_truck_is_declared_with_empty_true_and_its_fee_says_not_assessed_and_why(
        client, gate, world, sign_in):
    lan = sign_in("lan")
    answer = client.post(DECLARATIONS, json=an_empty_trip(gate), headers=lan)
    assert answer.status_code == 201, answer.text
    declared = answer.json()
    assert (declared["empty"], declared["goods"], declared["return_trip"]) == (True, [], None)
    fee = client.get(f"{DECLARATIONS}/{declared['reference']}/fee", headers={**lan, "Accept-Language": "en"}).json()
    assert (fee["assessed"], fee["due_vnd"], fee["not_assessed"]["code"]) == (
        False, None, "empty_vehicle_not_published")


def test_an_empty_goods_list_without_empty_is_refused_with_422_saying_how_to_declare_an_empty_truck(
        client, gate, world, sign_in):
    lan = sign_in("lan")
    trip = an_empty_trip(gate)
    del trip["empty"]
    body = problem(client.post(DECLARATIONS, json=trip, headers=lan), 422)
    assert fields(body) == ["goods"] and '"empty": true' in body["errors"][0]["message"]
    loaded = problem(client.post(DECLARATIONS, json=a_trip(gate, empty=True), headers=lan), 422)
    assert fields(loaded) == ["goods"]


def test_a_return_trip_declared_with_the_outbound_one_answers_both_and_a_replay_declares_neither_again(
        client, gate, world, sign_in):
    lan = {**sign_in("lan"), "Idempotency-Key": "out-and-back-1"}
    body = {**a_trip(gate), "return_empty": and_back(gate)}
    first = client.post(DECLARATIONS, json=body, headers=lan)
    assert first.status_code == 201, first.text
    out, back = first.json(), first.json()["return_declaration"]
    assert (out["return_trip"], back["outbound_trip"], back["empty"], back["flow"]) == (
        back["reference"], out["reference"], True, "import")
    assert f"/track/{back['reference']}/" in back["tracking_url"] != out["tracking_url"]
    again = client.post(DECLARATIONS, json=body, headers=lan)
    assert (again.status_code, again.json(), again.headers["Idempotent-Replayed"]) == (201, first.json(), "true")
    listed = {d["reference"] for d in client.get(DECLARATIONS, headers=lan).json()}
    assert listed == {out["reference"], back["reference"]}
    linked = client.get(f"{DECLARATIONS}/{back['reference']}", headers=lan).json()
    assert linked["outbound_trip"] == out["reference"]


def test_a_lost_answer_to_an_outbound_and_its_return_is_rebuilt_with_both(client, gate, world, sign_in, clock,
                                                                         monkeypatch):
    lan = {**sign_in("lan"), "Idempotency-Key": "out-and-back-2"}
    body = {**a_trip(gate), "return_empty": and_back(gate)}
    with monkeypatch.context() as lost:
        lost.setattr(idempotency, "answered", lambda *args, **kwargs: None)  # the server dies after its commit
        first = client.post(DECLARATIONS, json=body, headers=lan)
    clock.advance(seconds=gate.settings.idempotency_running_seconds)
    retry = client.post(DECLARATIONS, json=body, headers=lan)
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry.headers["Location"] == f"{DECLARATIONS}/{first.json()['reference']}"


def test_a_return_with_a_bad_time_is_refused_naming_the_field_and_nothing_is_declared(client, gate, world, sign_in):
    lan = sign_in("lan")
    body = {**a_trip(gate), "return_empty": {"planned_arrival": "2026-11-27T09:00:00"}}
    refused = problem(client.post(DECLARATIONS, json=body, headers=lan), 422)
    assert fields(refused) == ["return_empty.planned_arrival"]
    assert client.get(DECLARATIONS, headers=lan).json() == []
