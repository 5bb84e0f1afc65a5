"""Use case 1 over HTTP: sign in, declare, show the QR code, follow the trip, correct it, cancel it, declare again."""
from __future__ import annotations

from urllib.parse import urlsplit

from bordergate.adapters.qr import qr_png, qr_svg
from tests.builders import a_trip


def declare(client, gate, headers, **trip) -> dict:
    answer = client.post("/api/v1/declarations", json=a_trip(gate, **trip), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_declarant_signs_in_and_sees_who_they_are(client, world, sign_in):
    token = client.post("/api/v1/auth/token", data={"username": "lan", "password": "a-long-test-password"})
    assert token.status_code == 200
    assert token.json()["token_type"] == "bearer" and token.json()["expires_in"] == 480 * 60
    me = client.get("/api/v1/me", params={"lang": "en"},
                    headers={"Authorization": f"Bearer {token.json()['access_token']}"})
    assert me.json()["username"] == "lan"
    assert me.json()["role"] == {"code": "declarant", "label": "Declarant", "colour": me.json()["role"]["colour"]}
    assert me.json()["enterprises"] == [world.farm]


def test_declaring_a_trip_answers_201_with_its_location_reference_and_tracking_link(client, gate, world, sign_in):
    lan = sign_in("lan")
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=lan)
    assert answer.status_code == 201
    declared = answer.json()
    reference = declared["reference"]
    assert reference.startswith("BG261127-")
    assert answer.headers["Location"] == f"/api/v1/declarations/{reference}"
    assert declared["tracking_url"].startswith(f"http://gate.test/track/{reference}/")
    assert declared["enterprise_id"] == world.farm and declared["status"]["code"] == "submitted"
    assert declared["driver"]["phone"] == "+84912345678"
    assert client.get(answer.headers["Location"], headers=lan).json() == declared


def test_the_qr_code_is_the_tracking_link_as_svg_for_screens_and_png_for_printing(client, gate, world, sign_in):
    lan = sign_in("lan")
    declared = declare(client, gate, lan)
    other = declare(client, gate, lan, plate="12C-234.56")
    url = f"/api/v1/declarations/{declared['reference']}/qr"
    svg = client.get(url, headers=lan)
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in svg.content and svg.content == qr_svg(declared["tracking_url"])
    png = client.get(url, params={"format": "png"}, headers=lan)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n") and png.content == qr_png(declared["tracking_url"])
    assert png.content != qr_png(other["tracking_url"])


def test_the_tracking_link_opens_the_trip_without_sign_in_and_without_personal_details(client, gate, world, sign_in):
    declared = declare(client, gate, sign_in("lan"))
    opened = client.get(urlsplit(declared["tracking_url"]).path, params={"lang": "en"})
    assert opened.status_code == 200
    trip = opened.json()
    assert trip["reference"] == declared["reference"]
    assert trip["status"]["label"] == "Submitted"
    assert (trip["tractor_plate"], trip["trailer_plate"]) == ("12C-123.45", "12R-012.34")
    assert "driver" not in trip and "goods" not in trip
    assert "912345678" not in opened.text and "001088012345" not in opened.text


def test_a_tampered_tracking_key_opens_nothing(client, gate, world, sign_in):
    lan = sign_in("lan")
    declared = declare(client, gate, lan)
    other = declare(client, gate, lan, plate="12C-234.56")
    path = urlsplit(declared["tracking_url"]).path
    tampered = path[:-1] + ("a" if path[-1] != "a" else "b")
    someone_elses_key = f"/track/{declared['reference']}/{other['tracking_url'].rsplit('/', 1)[1]}"
    for wrong in (tampered, someone_elses_key, path.replace(declared["reference"], "BG261127-AAAAAA")):
        refused = client.get(wrong)
        assert refused.status_code == 404, wrong
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["status"] == 404 and "QR code" in refused.json()["detail"]
        assert declared["reference"] not in refused.text.replace(wrong, "")


def test_correcting_the_drivers_phone_keeps_the_rest_and_records_old_new_who_and_when(
        client, gate, clock, world, sign_in):
    lan = sign_in("lan")
    declared = declare(client, gate, lan)
    clock.advance(minutes=5)
    answer = client.patch(f"/api/v1/declarations/{declared['reference']}",
                          json={"changes": {"driver.phone": "0913 000 111"}, "reason": "one digit was wrong"},
                          headers=lan)
    assert answer.status_code == 200, answer.text
    corrected = answer.json()
    assert corrected["changes"] == [{"field": "driver.phone", "old": "+84912345678", "new": "+84913000111"}]
    assert corrected["driver"]["phone"] == "+84913000111" and corrected["version"] == 2
    untouched = ("vehicle", "goods", "containers", "planned_arrival", "crossing_point", "tracking_url")
    assert {k: corrected[k] for k in untouched} == {k: declared[k] for k in untouched}
    history = client.get(f"/api/v1/declarations/{declared['reference']}/history", headers=lan).json()
    assert [entry["action"] for entry in history] == ["DeclarationSubmitted", "AgencyChecksOpened",
                                                      "CustomsChannelAssigned", "FeeNotAssessed", "DeclarationAmended"]
    me = client.get("/api/v1/me", headers=lan).json()
    assert history[-1]["changes"] == corrected["changes"]
    assert history[-1]["reason"] == "one digit was wrong"
    assert (history[-1]["actor"], history[-1]["actor_name"]) == (me["user_id"], "Lan")
    assert history[-1]["at"] == clock.now().isoformat() != history[0]["at"]


def test_a_cancelled_declaration_stays_on_record_as_cancelled(client, gate, clock, world, sign_in):
    lan = sign_in("lan")
    declared = declare(client, gate, lan)
    clock.advance(hours=1)
    answer = client.post(f"/api/v1/declarations/{declared['reference']}/cancel",
                         json={"reason": "buyer postponed the order"}, headers=lan)
    assert answer.status_code == 200
    assert answer.json()["status"]["code"] == "cancelled"
    assert answer.json()["cancelled_at"] == clock.now().isoformat()
    history = client.get(f"/api/v1/declarations/{declared['reference']}/history", headers=lan).json()
    assert history[-1]["action"] == "DeclarationCancelled" and history[-1]["reason"] == "buyer postponed the order"
    assert client.get(urlsplit(declared["tracking_url"]).path).json()["status"]["code"] == "cancelled"


def test_the_list_shows_newest_first_and_filters_by_plate_however_it_is_typed_and_by_status(
        client, gate, clock, world, sign_in):
    lan = sign_in("lan")
    durian = declare(client, gate, lan)["reference"]
    clock.advance(minutes=10)
    jackfruit = declare(client, gate, lan, plate="12C-234.56")["reference"]
    client.post(f"/api/v1/declarations/{durian}/cancel", json={}, headers=lan)

    def listed(**filters) -> list[str]:
        answer = client.get("/api/v1/declarations", params=filters, headers=lan)
        assert answer.status_code == 200, answer.text
        return [row["reference"] for row in answer.json()]

    assert listed() == [jackfruit, durian]
    assert listed(plate="12c 234.56") == listed(plate="12C23456") == [jackfruit]
    assert listed(plate="12R-012.34") == [jackfruit, durian]
    assert listed(status="cancelled") == [durian]
    assert listed(status="submitted", plate="12C-123.45") == []
    assert listed(limit=1, offset=1) == [durian]
    assert client.get("/api/v1/declarations", headers=sign_in("minh")).json() == []


def test_an_agent_must_say_which_enterprise_it_declares_for(client, gate, world, sign_in):
    agent = sign_in("agent")
    unnamed = client.post("/api/v1/declarations", json=a_trip(gate), headers=agent)
    assert unnamed.status_code == 422
    assert [e["field"] for e in unnamed.json()["errors"]] == ["enterprise_id"]
    named = declare(client, gate, agent, enterprise_id=world.fruit)
    assert named["enterprise_id"] == world.fruit
    minh_sees = client.get("/api/v1/declarations", headers=sign_in("minh")).json()
    assert [row["reference"] for row in minh_sees] == [named["reference"]]
    not_a_client = client.post("/api/v1/declarations", json=a_trip(gate, enterprise_id=world.farm), headers=agent)
    assert not_a_client.status_code == 403


def test_a_repeat_trip_picks_the_saved_vehicle_and_driver_from_the_fleet(client, gate, clock, world, sign_in):
    lan = sign_in("lan")
    first = declare(client, gate, lan)
    fleet = client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=lan).json()
    assert [v["tractor_plate"] for v in fleet["vehicles"]] == ["12C-123.45"]
    assert [d["document_number"] for d in fleet["drivers"]] == ["001088012345"]
    clock.advance(days=1)
    next_day = sign_in("lan")
    repeat = a_trip(gate, goods="phones", vehicle_id=fleet["vehicles"][0]["id"], driver_id=fleet["drivers"][0]["id"])
    del repeat["vehicle"], repeat["driver"]
    answer = client.post("/api/v1/declarations", json=repeat, headers=next_day)
    assert answer.status_code == 201, answer.text
    second = answer.json()
    assert second["reference"] != first["reference"]
    assert (second["vehicle"], second["driver"]) == (first["vehicle"], first["driver"])
    assert second["goods"][0]["description"] == "Mobile phones"


def test_fields_typed_in_a_repeat_trip_win_over_the_saved_ones(client, gate, world, sign_in):
    lan = sign_in("lan")
    declare(client, gate, lan)
    saved = client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=lan).json()["vehicles"][0]
    repeat = a_trip(gate, vehicle_id=saved["id"], vehicle={"gross_weight_kg": 40000})
    second = client.post("/api/v1/declarations", json=repeat, headers=lan).json()
    saved_details = {k: v for k, v in saved.items() if k != "id"}
    assert second["vehicle"] == {**saved_details, "gross_weight_kg": 40000}
    fleet = client.get(f"/api/v1/enterprises/{world.farm}/fleet", headers=lan).json()["vehicles"]
    assert [(v["id"], v["gross_weight_kg"]) for v in fleet] == [(saved["id"], 40000)]
