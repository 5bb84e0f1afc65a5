"""Smart control over HTTP: cameras post plate reads with their own key, operators review, officers hold a truck."""
from __future__ import annotations

from datetime import datetime

import pytest

from tests.builders import Gateway, a_gateway, a_trip
from tests.e2e.test_problems_over_http import fields, problem

PLATE = "12C-123.45"
SURE, UNSURE = 0.95, 0.5
YARD = {"crossing_point": "HUU_NGHI", "kind": "yard_entry", "direction": "outbound",
        "name": "Hữu Nghị yard gate (export)", "lanes": 2}


def codes(answer: dict) -> list[str]:
    """The codes of why the barrier stays shut, in order."""
    return [because["code"] for because in answer["reasons"]]


@pytest.fixture
def huu_nghi(gate, world) -> Gateway:
    """Huu Nghi's checkpoints, set up by the operator, one camera with its key on each."""
    return a_gateway(gate, world.operator)


def declared(client, gate, headers, **trip) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate, **trip), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def released_by_every_agency(client, reference: str, declarant: dict, sign_in) -> None:
    """Each agency still to act releases the trip over HTTP, by its own officer."""
    officers = {"customs": "customs", "border_guard": "guard", "plant_quarantine": "quarantine",
                "animal_quarantine": "quarantine", "health": "health"}
    checks = client.get(f"/api/v1/declarations/{reference}/clearance", headers=declarant).json()["checks"]
    for check in checks:
        if check["status"]["code"] != "released":
            agency = check["agency"]["code"]
            answer = client.post(f"/api/v1/declarations/{reference}/agencies/{agency}/decisions",
                                 json={"action": "release"}, headers=sign_in(officers[agency]))
            assert answer.status_code == 200, answer.text


def a_read(gate, plate: str = PLATE, confidence: float = SURE, **sent) -> dict:
    """What a camera's ANPR box sends for a truck it sees now."""
    return {"captured_at": gate.clock.now().isoformat(), "plate": plate, "confidence": confidence, **sent}


def camera_posts(client, key: str | None, body: dict, **params):
    headers = {"X-Camera-Key": key} if key is not None else {}
    return client.post("/api/v1/plate-reads", json=body, headers=headers, params=params)


def seen(client, gate, huu_nghi, checkpoint: str, plate: str = PLATE, confidence: float = SURE, **params) -> dict:
    """The camera of ``checkpoint`` reads ``plate`` now, and the gate records it (201)."""
    answer = camera_posts(client, huu_nghi.keys[checkpoint], a_read(gate, plate, confidence), **params)
    assert answer.status_code == 201, answer.text
    return answer.json()


def stored(client, headers, reference: str) -> tuple[list[str], list[str]]:
    """What the gate holds, as an operator sees it: the trip's reads and the open review queue."""
    reads = client.get(f"/api/v1/declarations/{reference}/timeline", headers=headers).json()["reads"]
    queue = client.get("/api/v1/reviews", headers=headers).json()
    return [read["read_id"] for read in reads], [read["read_id"] for read in queue]


def test_an_operator_adds_a_checkpoint_and_a_camera_whose_key_is_shown_once_and_can_be_replaced(
        client, gate, world, sign_in):
    operator = sign_in("operator")
    added = client.post("/api/v1/checkpoints", json=YARD, headers=operator, params={"lang": "en"})
    assert added.status_code == 201, added.text
    checkpoint = added.json()
    assert (checkpoint["kind"]["label"], checkpoint["direction"]["code"]) == ("Yard entry", "outbound")
    assert (checkpoint["lanes"], checkpoint["has_barrier"], checkpoint["cameras"]) == (2, True, [])
    registered = client.post(f"/api/v1/checkpoints/{checkpoint['id']}/cameras",
                             json={"name": "HN yard gate lane 1", "lane": 1}, headers=operator)
    assert registered.status_code == 201, registered.text
    camera = registered.json()
    assert camera["key"].startswith(f"{camera['id']}.") and camera["status"]["code"] == "active"
    listed = client.get("/api/v1/checkpoints", params={"crossing_point": "HUU_NGHI"}, headers=operator)
    [shown] = [c for c in listed.json() if c["id"] == checkpoint["id"]]
    assert shown["cameras"] == [{k: v for k, v in camera.items() if k != "key"}]
    assert camera["key"].split(".", 1)[1] not in listed.text
    assert client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": camera["key"]}).status_code == 204
    replaced = client.post(f"/api/v1/cameras/{camera['id']}/key", headers=operator).json()["key"]
    problem(client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": camera["key"]}), 401)
    assert client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": replaced}).status_code == 204


def test_a_declarant_may_neither_see_nor_set_up_checkpoints_cameras_reviews_or_alerts(client, huu_nghi, sign_in):
    lan, operator = sign_in("lan"), sign_in("operator")
    before = client.get("/api/v1/checkpoints", headers=operator).json()
    yard, camera = huu_nghi.checkpoints["yard_entry"], huu_nghi.cameras["yard_entry"]
    for answer in (client.get("/api/v1/checkpoints", headers=lan),
                   client.post("/api/v1/checkpoints", json=YARD, headers=lan),
                   client.post(f"/api/v1/checkpoints/{yard}/cameras", json={"name": "mine"}, headers=lan),
                   client.post(f"/api/v1/cameras/{camera}/key", headers=lan),
                   client.post(f"/api/v1/cameras/{camera}/revoke", json={}, headers=lan),
                   client.post(f"/api/v1/checkpoints/{yard}/manual-reads", json={"plate": PLATE}, headers=lan),
                   client.get("/api/v1/reviews", headers=lan), client.get("/api/v1/alerts", headers=lan)):
        problem(answer, 403)
    assert client.get("/api/v1/checkpoints", headers=operator).json() == before
    customs = sign_in("customs")
    assert client.get("/api/v1/checkpoints", headers=customs).json() == before
    problem(client.post("/api/v1/checkpoints", json=YARD, headers=customs), 403)


def test_a_declared_truck_read_by_a_camera_opens_the_barrier_in_vietnamese_or_in_english(
        client, gate, clock, huu_nghi, sign_in):
    reference = declared(client, gate, sign_in("lan"))
    answer = seen(client, gate, huu_nghi, "waiting_area_entry", "12C12345")
    assert answer["decision"] == {"code": "open", "label": "Mở barie", "colour": "green"}
    assert answer["reasons"] == [] and answer["needs_review"] is False and answer["replayed"] is False
    assert (answer["reference"], answer["role"], answer["source"]["code"]) == (reference, "tractor", "camera")
    assert answer["is_pass"] is True and answer["camera_id"] == huu_nghi.cameras["waiting_area_entry"]
    clock.advance(minutes=5)
    english = seen(client, gate, huu_nghi, "yard_entry", lang="en")
    assert (english["decision"]["label"], english["checkpoint_kind"]["label"]) == ("Open", "Yard entry")
    assert english["reasons"] == [] and english["reference"] == reference


@pytest.mark.parametrize("read_id", ["cam7-000123", None], ids=["with its own read id", "without a read id"])
def test_a_camera_retrying_a_read_gets_200_the_same_answer_and_nothing_is_stored_twice(
        client, gate, clock, huu_nghi, sign_in, read_id):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    key = huu_nghi.keys["waiting_area_entry"]
    # A camera in Lang Son stamps its own time zone, to the microsecond.
    body = {"captured_at": "2026-11-27T07:59:58.123456+07:00", "plate": PLATE, "confidence": 0.93,
            **({"read_id": read_id} if read_id else {})}
    first = camera_posts(client, key, body)
    assert first.status_code == 201, first.text
    clock.advance(seconds=20)  # no answer reached the camera in time, so it sends the read again
    again = camera_posts(client, key, body)
    assert again.status_code == 200, again.text
    assert again.json()["replayed"] is True and again.json()["read_id"] == first.json()["read_id"]
    same = {k: v for k, v in again.json().items() if k not in ("replayed", "captured_at")}
    assert same == {k: v for k, v in first.json().items() if k not in ("replayed", "captured_at")}
    assert datetime.fromisoformat(again.json()["captured_at"]) == datetime.fromisoformat(body["captured_at"])
    assert stored(client, operator, reference) == ([first.json()["read_id"]], [])


def test_a_read_id_used_again_for_another_plate_is_refused_naming_the_read_id(client, gate, huu_nghi, sign_in):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    key = huu_nghi.keys["waiting_area_entry"]
    assert camera_posts(client, key, a_read(gate, read_id="cam7-000124")).status_code == 201
    before = stored(client, operator, reference)
    body = problem(camera_posts(client, key, a_read(gate, "12C-123.46", read_id="cam7-000124")), 422)
    assert fields(body) == ["read_id"] and "give every read its own id" in body["errors"][0]["message"]
    assert stored(client, operator, reference) == before


@pytest.mark.parametrize("credentials, status, words", [
    ("missing", 401, "X-Camera-Key"), ("wrong secret", 401, "not valid"), ("garbage", 401, "X-Camera-Key"),
    ("revoked", 403, "revoked"),
])
def test_a_camera_without_a_valid_key_is_refused_and_nothing_is_stored(
        client, gate, huu_nghi, sign_in, credentials, status, words):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    key = {"missing": None, "wrong secret": f"{huu_nghi.cameras['waiting_area_entry']}.not-the-secret",
           "garbage": "let-me-in", "revoked": huu_nghi.keys["waiting_area_entry"]}[credentials]
    if credentials == "revoked":
        revoked = client.post(f"/api/v1/cameras/{huu_nghi.cameras['waiting_area_entry']}/revoke",
                              json={"reason": "stolen from the pole"}, headers=operator)
        assert revoked.status_code == 200 and revoked.json()["status"]["code"] == "revoked"
    for unsure in (False, True):
        body = problem(camera_posts(client, key, a_read(gate, confidence=UNSURE if unsure else SURE)), status)
        assert words in body["detail"]
    heartbeat = client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": key} if key else {})
    problem(heartbeat, status)
    assert stored(client, operator, reference) == ([], [])
    assert client.get("/api/v1/alerts", headers=operator).json() == []


@pytest.mark.parametrize("change, field", [
    pytest.param({"captured_at": "2026-11-27T08:00:00"}, "captured_at", id="no time zone"),
    pytest.param({"captured_at": "2026-11-27T09:00:00+07:00"}, "captured_at", id="an hour ahead of the gate"),
    pytest.param({"confidence": 2}, "confidence", id="confidence 2"),
    pytest.param({"plate": ""}, "plate", id="empty plate"),
    pytest.param({"plate": "12C-123.45" * 4}, "plate", id="plate of 40"),
    pytest.param({"direction": "sideways"}, "direction", id="unknown direction"),
    pytest.param({"direction": "inbound"}, "direction", id="the other direction"),
    pytest.param({"colour": "red"}, "colour", id="extra field"),
    pytest.param({"captured_at": "0001-01-01T00:00:00+00:00"}, "captured_at", id="year 1"),
    pytest.param({"plate": "12C-123.45\x00"}, "plate", id="NUL in the plate"),
])
def test_a_malformed_read_is_refused_naming_the_field_and_nothing_is_stored(
        client, gate, huu_nghi, sign_in, change, field):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    body = problem(camera_posts(client, huu_nghi.keys["waiting_area_entry"], {**a_read(gate), **change}), 422)
    assert fields(body) == [field]
    assert stored(client, operator, reference) == ([], [])


@pytest.mark.parametrize("settled_by", ["reference", "plate"])
def test_an_unsure_read_holds_the_truck_until_an_operator_says_which_truck_it_is(
        client, gate, clock, huu_nghi, sign_in, settled_by):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    unsure = seen(client, gate, huu_nghi, "waiting_area_entry", confidence=UNSURE, lang="en")
    assert (unsure["decision"]["code"], unsure["needs_review"], codes(unsure)) == ("hold", True, ["plate_unsure"])
    [queued] = client.get("/api/v1/reviews", headers=operator).json()
    assert queued["read_id"] == unsure["read_id"] and queued["review"]["status"] == "open"
    assert queued["checkpoint_name"] == "waiting_area_entry"
    clock.advance(minutes=1)
    said = {"reference": reference} if settled_by == "reference" else {"plate": "12c 123 45"}
    answer = client.post(f"/api/v1/reviews/{unsure['read_id']}", json={**said, "note": "checked on camera"},
                         headers=operator)
    assert answer.status_code == 200, answer.text
    confirmed = answer.json()
    assert (confirmed["decision"]["code"], confirmed["reasons"], confirmed["reference"]) == ("open", [], reference)
    assert (confirmed["source"]["code"], confirmed["corrects_read_id"]) == ("review", unsure["read_id"])
    assert client.get("/api/v1/reviews", headers=operator).json() == []
    [resolved] = client.get("/api/v1/reviews", params={"status": "resolved"}, headers=operator).json()
    assert (resolved["review"]["resolution"], resolved["review"]["resolved_read_id"]) == (
        "confirmed", confirmed["read_id"])
    again = client.post(f"/api/v1/reviews/{unsure['read_id']}", json=said, headers=operator)
    assert "already reviewed" in problem(again, 409)["detail"]


@pytest.mark.parametrize("verdict, alerted", [("undeclared", ["undeclared_truck"]), ("not_a_plate", [])])
def test_an_operator_dismisses_a_read_and_an_undeclared_truck_at_a_barrier_is_an_alert(
        client, gate, huu_nghi, sign_in, verdict, alerted):
    operator = sign_in("operator")
    unsure = seen(client, gate, huu_nghi, "waiting_area_entry", "29H-555.55", confidence=UNSURE)
    assert unsure["needs_review"] is True and unsure["reference"] is None
    assert client.get("/api/v1/alerts", headers=operator).json() == []
    answer = client.post(f"/api/v1/reviews/{unsure['read_id']}", json={"dismiss": verdict}, headers=operator)
    assert answer.status_code == 204 and answer.content == b""
    alerts = client.get("/api/v1/alerts", params={"lang": "en"}, headers=operator).json()
    assert [alert["kind"]["code"] for alert in alerts] == alerted
    for alert in alerts:
        assert (alert["plate"], alert["read_id"]) == ("29H55555", unsure["read_id"])
        assert alert["checkpoint_id"] == huu_nghi.checkpoints["waiting_area_entry"]
    assert client.get("/api/v1/reviews", headers=operator).json() == []


@pytest.mark.parametrize("said, field", [
    ({"reference": "BG261127-AAAAAA", "plate": PLATE}, "reference"),
    ({"plate": PLATE, "dismiss": "undeclared"}, "reference"),
    ({"reference": "BG261127-AAAAAA", "plate": PLATE, "dismiss": "undeclared"}, "reference"),
    ({"note": "looked at it"}, "reference"),
    ({"dismiss": "lost"}, "dismiss"),
])
def test_a_review_is_settled_in_exactly_one_way_or_refused(client, gate, huu_nghi, sign_in, said, field):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    unsure = seen(client, gate, huu_nghi, "waiting_area_entry", confidence=UNSURE)
    before = stored(client, operator, reference)
    body = problem(client.post(f"/api/v1/reviews/{unsure['read_id']}", json=said, headers=operator), 422)
    assert fields(body) == [field]
    assert stored(client, operator, reference) == before == ([], [unsure["read_id"]])
    assert client.get("/api/v1/alerts", headers=operator).json() == []


def test_an_operator_enters_the_plate_by_hand_when_the_camera_is_down(client, gate, huu_nghi, sign_in):
    reference, operator = declared(client, gate, sign_in("lan")), sign_in("operator")
    url = f"/api/v1/checkpoints/{huu_nghi.checkpoints['waiting_area_entry']}/manual-reads"
    answer = client.post(url, json={"plate": "12C 123.45", "note": "camera 2 down, read by the gate guard"},
                         headers=operator, params={"lang": "en"})
    assert answer.status_code == 201, answer.text
    typed = answer.json()
    assert (typed["source"]["code"], typed["decision"]["code"], typed["reference"]) == ("manual", "open", reference)
    assert (typed["confidence"], typed["camera_id"]) == (1.0, None)
    assert typed["note"] == "camera 2 down, read by the gate guard"
    assert stored(client, operator, reference) == ([typed["read_id"]], [])
    problem(client.post(url.replace(huu_nghi.checkpoints["waiting_area_entry"], "no-such-checkpoint"),
                        json={"plate": PLATE}, headers=operator), 404)


def test_a_customs_hold_keeps_the_truck_at_the_border_until_customs_lifts_it(
        client, gate, clock, huu_nghi, sign_in):
    lan, customs, operator = sign_in("lan"), sign_in("customs"), sign_in("operator")
    reference = declared(client, gate, lan)
    released_by_every_agency(client, reference, lan, sign_in)
    placed = client.post(f"/api/v1/declarations/{reference}/holds",
                         json={"reason": "phytosanitary certificate missing"}, headers=customs)
    assert placed.status_code == 201, placed.text
    for checkpoint in ("waiting_area_entry", "yard_entry"):
        assert seen(client, gate, huu_nghi, checkpoint)["decision"]["code"] == "open"
        clock.advance(minutes=5)
    held = seen(client, gate, huu_nghi, "border_out")
    assert (held["decision"]["code"], codes(held)) == ("hold", ["agency_hold"])
    assert held["reasons"][0]["detail"] == "customs: phytosanitary certificate missing"
    timeline = client.get(f"/api/v1/declarations/{reference}/timeline", headers=lan).json()
    [hold] = timeline["holds"]
    assert (hold["id"], hold["agency"], hold["reason"], hold["active"]) == (
        placed.json()["id"], "customs", "phytosanitary certificate missing", True)
    assert [read["decision"]["code"] for read in timeline["reads"]] == ["open", "open", "hold"]
    assert timeline["alerts"] == []
    officers_see = client.get(f"/api/v1/declarations/{reference}/timeline", headers=operator).json()["alerts"]
    assert [alert["kind"]["code"] for alert in officers_see] == ["exit_without_clearance"]
    clock.advance(minutes=2)
    lifted_at = clock.now().isoformat()
    assert client.post(f"/api/v1/holds/{hold['id']}/lift", json={"note": "certificate shown"},
                       headers=customs).status_code == 204
    problem(client.post(f"/api/v1/holds/{hold['id']}/lift", json={}, headers=customs), 409)
    clock.advance(minutes=1)
    gone = seen(client, gate, huu_nghi, "border_out")
    assert (gone["decision"]["code"], gone["reasons"]) == ("open", [])
    after = client.get(f"/api/v1/declarations/{reference}/timeline", headers=lan).json()
    assert (after["holds"][0]["active"], after["holds"][0]["lifted_at"]) == (False, lifted_at)
    assert after["status"]["code"] == "crossed"


def test_only_officers_hold_a_truck_and_only_the_agency_that_held_it_lifts_it(client, gate, world, sign_in):
    lan, customs = sign_in("lan"), sign_in("customs")
    reference = declared(client, gate, lan)
    url = f"/api/v1/declarations/{reference}/holds"
    for not_an_officer in (lan, sign_in("operator")):
        problem(client.post(url, json={"reason": "because"}, headers=not_an_officer), 403)
    assert fields(problem(client.post(url, json={"reason": "   "}, headers=customs), 422)) == ["reason"]
    hold = client.post(url, json={"reason": "documents missing"}, headers=customs).json()["id"]
    body = problem(client.post(f"/api/v1/holds/{hold}/lift", json={}, headers=sign_in("guard")), 403)
    assert "Customs" in body["detail"]
    holds = client.get(f"/api/v1/declarations/{reference}/timeline", headers=lan).json()["holds"]
    assert [(h["id"], h["active"]) for h in holds] == [(hold, True)]


def test_an_operator_sweeps_for_silent_cameras_and_a_declarant_may_not(client, gate, clock, huu_nghi, sign_in):
    operator = sign_in("operator")
    clock.advance(minutes=4)
    assert client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": huu_nghi.keys["yard_entry"]}
                       ).status_code == 204
    clock.advance(minutes=2)
    problem(client.post("/api/v1/control/sweep", headers=sign_in("lan")), 403)
    swept = client.post("/api/v1/control/sweep", headers=operator)
    assert swept.status_code == 200 and swept.json() == {"camera_silent": len(huu_nghi.cameras) - 1,
                                                         "overstay_in_yard": 0}
    assert client.post("/api/v1/control/sweep", headers=operator).json()["camera_silent"] == 0
    silent = client.get("/api/v1/alerts", params={"kind": "camera_silent"}, headers=operator).json()
    assert sorted(alert["camera_id"] for alert in silent) == sorted(
        camera for name, camera in huu_nghi.cameras.items() if name != "yard_entry")


def test_a_camera_with_nothing_to_read_says_it_is_alive_with_a_heartbeat(client, gate, clock, huu_nghi, sign_in):
    clock.advance(minutes=3)
    answer = client.post("/api/v1/cameras/heartbeat", headers={"X-Camera-Key": huu_nghi.keys["border_out"]})
    assert answer.status_code == 204 and answer.content == b""
    cameras = [camera for checkpoint in client.get("/api/v1/checkpoints", headers=sign_in("operator")).json()
               for camera in checkpoint["cameras"]]
    [beating] = [camera for camera in cameras if camera["last_heartbeat_at"]]
    assert (beating["id"], beating["last_heartbeat_at"]) == (huu_nghi.cameras["border_out"], clock.now().isoformat())
    assert "X-Camera-Key" in problem(client.post("/api/v1/cameras/heartbeat"), 401)["detail"]


def test_the_openapi_document_says_cameras_send_their_key_in_x_camera_key(client):
    spec = client.get("/openapi.json").json()
    schemes = {name: scheme for name, scheme in spec["components"]["securitySchemes"].items()
               if scheme.get("name") == "X-Camera-Key"}
    [(name, scheme)] = schemes.items()
    assert (scheme["type"], scheme["in"]) == ("apiKey", "header")
    for path in ("/api/v1/plate-reads", "/api/v1/plate-reads/image", "/api/v1/cameras/heartbeat"):
        assert {name: []} in spec["paths"][path]["post"]["security"], path
    assert "PlateReadIn" in spec["components"]["schemas"]
