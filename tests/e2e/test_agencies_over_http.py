"""The agencies over HTTP: which agencies act on a trip, officers' holds and releases, declarants' answers, the
agencies' own systems speaking the signed wire, and the last barrier waiting for every release."""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bordergate.adapters.agency_systems import AgencySystemLink, SandboxBorderGuard, SandboxCustoms
from bordergate.adapters.sql.tables import audit_log
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.entrypoints.cli import seed_crossing_points
from tests.builders import a_gateway, a_trip
from tests.conftest import CHEAP_PASSWORDS
from tests.e2e.test_problems_over_http import fields, problem

CUSTOMS_SECRET, GUARD_SECRET = "customs-shared-secret-2026", "border-guard-secret-2026"
CONNECTED = f"customs={CUSTOMS_SECRET},border_guard={GUARD_SECRET}"
# Tests of agency systems run on a gate whose customs and border guard systems are connected.
connected = pytest.mark.parametrize("agency_systems", [CONNECTED], ids=["systems connected"])
DURIAN_AGENCIES = ("customs", "border_guard", "plant_quarantine")
LABELS = {"customs": "Customs", "border_guard": "Border guard", "plant_quarantine": "Plant quarantine"}


@pytest.fixture
def agency_systems() -> str:
    return ""


@pytest.fixture
def gate(database_url, clock, agency_systems) -> Iterator[Gate]:
    """The shared fixture's gate, with the agency systems the test connects (none unless it says so)."""
    settings = Settings(database_url=database_url, secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", db_pool_size=5, agency_systems=agency_systems)
    wired = bootstrap(settings, clock=clock, rng=random.Random(2026), passwords=CHEAP_PASSWORDS)
    seed_crossing_points(wired)
    yield wired
    wired.engine.dispose()


@pytest.fixture
def wire(client):
    """An agency system's transport into the TestClient; ``wire.last`` is the last response, for its headers."""
    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
        post.last = client.post(path, content=body, headers={"content-type": "application/json", **headers})
        return post.last.status_code, post.last.json()
    return post


@pytest.fixture
def link(wire, clock):
    """A link for any agency and secret, speaking through the TestClient at the test's clock."""
    return lambda agency="customs", secret=CUSTOMS_SECRET: AgencySystemLink(agency, secret, wire, clock.now)


@pytest.fixture
def lan(world, sign_in) -> dict[str, str]:
    return sign_in("lan")


@pytest.fixture
def reference(client, gate, lan) -> str:
    """Lan's farm declares a durian export: customs, the border guard and plant quarantine must act on it."""
    return declared(client, gate, lan)


def declared(client, gate, headers, plate: str = "12C-123.45", goods: str = "durian") -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate, plate=plate, goods=goods), headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def clearance(client, headers, reference: str, lang: str = "en") -> dict:
    answer = client.get(f"/api/v1/declarations/{reference}/clearance", params={"lang": lang}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def check(view: dict, agency: str) -> dict:
    [found] = [c for c in view["checks"] if c["agency"]["code"] == agency]
    return found


def decide(client, headers, reference: str, agency: str, **body):
    return client.post(f"/api/v1/declarations/{reference}/agencies/{agency}/decisions", json=body, headers=headers)


def inbox(client, headers, agency: str) -> dict:
    answer = client.get(f"/api/v1/agencies/{agency}/inbox", params={"crossing_point": "HUU_NGHI"}, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def security_rows(gate) -> list[dict]:
    """The security log, oldest first."""
    with gate.reader() as uow:
        return uow.security.latest()[::-1]


def trail(gate, action: str) -> list[dict]:
    """Entries of the audit trail with this action, oldest first."""
    with gate.engine.connect() as connection:
        rows = connection.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))
        return [dict(row) for row in rows.mappings()]


def test_a_declarant_sees_the_three_agencies_durian_needs_with_english_labels_and_the_customs_channel(
        client, lan, reference, sign_in):
    view = clearance(client, lan, reference)
    assert [c["agency"]["code"] for c in view["checks"]] == list(DURIAN_AGENCIES)
    assert [c["agency"]["label"] for c in view["checks"]] == [LABELS[agency] for agency in DURIAN_AGENCIES]
    assert {c["status"]["label"] for c in view["checks"]} == {"Waiting for the agency"}
    assert all(c["why"] and c["needs"] and c["decided_by_system"] is False for c in view["checks"])
    assert "phytosanitary certificate" in check(view, "plant_quarantine")["needs"]
    # A new enterprise's documents are checked: bordergate's selectivity puts the trip in the yellow channel.
    assert (view["channel"]["code"], view["channel"]["label"]) == ("yellow", "Yellow: documents checked")
    assert view["channel_source"]["code"] == "rules" and any("new enterprise" in r for r in view["channel_reasons"])
    assert (view["reference"], view["cleared"]) == (reference, False)
    assert clearance(client, lan, reference, lang="vi")["checks"][0]["agency"]["label"] == "Hải quan"
    problem(client.get(f"/api/v1/declarations/{reference}/clearance", headers=sign_in("minh")), 404)


def test_a_quarantine_hold_is_answered_with_a_note_and_a_correction_in_one_step_and_then_released(
        client, clock, lan, reference, sign_in):
    quarantine = sign_in("quarantine")
    needs = ["phytosanitary certificate", "goods[0].description"]
    held = decide(client, quarantine, reference, "plant_quarantine", action="hold",
                  reason="the certificate does not name the variety", needs=needs)
    assert held.status_code == 200, held.text
    assert (held.json()["status"], held.json()["outstanding"]) == ("held", list(DURIAN_AGENCIES))
    seen = check(clearance(client, lan, reference), "plant_quarantine")
    assert (seen["status"]["code"], seen["hold_reason"], seen["needs"]) == (
        "held", "the certificate does not name the variety", needs)
    assert [i["reference"] for i in inbox(client, quarantine, "plant_quarantine")["held"]] == [reference]
    clock.advance(minutes=20)
    answered = client.post(f"/api/v1/declarations/{reference}/agencies/plant_quarantine/answer", headers=lan, json={
        "note": "certificate no. 12345 names Ri6", "changes": {"goods[0].description": "Fresh durian, Ri6"}})
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"
    trip = client.get(f"/api/v1/declarations/{reference}", headers=lan).json()
    assert trip["goods"][0]["description"] == "Fresh durian, Ri6"
    box = inbox(client, quarantine, "plant_quarantine")
    [waiting] = box["waiting"]
    assert (box["held"], waiting["reference"], waiting["status"]["code"]) == ([], reference, "answered")
    assert waiting["answer"] == "certificate no. 12345 names Ri6"
    clock.advance(minutes=10)
    released = decide(client, quarantine, reference, "plant_quarantine", action="release")
    assert released.status_code == 200, released.text
    assert (released.json()["status"], released.json()["outstanding"]) == ("released", ["customs", "border_guard"])
    after = check(clearance(client, lan, reference), "plant_quarantine")
    assert (after["source"]["code"], after["decided_by_system"], after["decided_at"]) == (
        "officer", False, clock.now().isoformat())
    history = client.get(f"/api/v1/declarations/{reference}/history", headers=lan).json()
    assert {"DeclarationAmended", "AgencyAnswered"} <= {entry["action"] for entry in history}
    # Quarantine acted at once and took 30 minutes, of which 20 were the declarant's, from hold to release.
    dwell = client.get("/api/v1/crossing-points/HUU_NGHI/agency-dwell/2026-11-27", headers=quarantine).json()
    [plant] = [a for a in dwell["agencies"] if a["agency"]["code"] == "plant_quarantine"]
    assert (plant["decided"], plant["by_source"], plant["acting_minutes"]["median"]) == (1, {"officer": 1}, 30.0)
    problem(client.get("/api/v1/crossing-points/HUU_NGHI/agency-dwell/2026-11-27", headers=lan), 403)


def test_the_declarations_history_names_an_officers_decision_as_agency_acted(client, lan, reference, sign_in):
    assert decide(client, sign_in("quarantine"), reference, "plant_quarantine", action="release").status_code == 200
    history = client.get(f"/api/v1/declarations/{reference}/history", headers=lan).json()
    assert [entry["action"] for entry in history][-1] == "AgencyActed"


def test_only_an_agencys_own_officers_decide_and_a_customs_officer_reroutes_with_the_reason_on_record(
        client, lan, reference, sign_in):
    before = clearance(client, lan, reference)
    assert "officers" in problem(decide(client, lan, reference, "customs", action="release"), 403)["detail"]
    assert "Customs" in problem(decide(client, sign_in("quarantine"), reference, "customs", action="release"),
                                403)["detail"]
    problem(client.get("/api/v1/agencies/customs/inbox", params={"crossing_point": "HUU_NGHI"}, headers=lan), 403)
    problem(client.post(f"/api/v1/declarations/{reference}/channel", headers=sign_in("guard"),
                        json={"channel": "red", "reason": "tip-off"}), 403)
    assert clearance(client, lan, reference) == before
    answer = client.post(f"/api/v1/declarations/{reference}/channel", headers=sign_in("customs"),
                         json={"channel": "red", "reason": "tip-off: undeclared goods"})
    assert (answer.status_code, answer.json()["channel"]) == (200, "red")
    view = clearance(client, lan, reference)
    assert (view["channel"]["code"], view["channel_source"]["code"], view["channel_reasons"]) == (
        "red", "officer", ["tip-off: undeclared goods"])


@pytest.mark.parametrize("url, body, field", [
    ("agencies/plant_quarantine/decisions", {"action": "approve"}, "action"),
    ("agencies/plant_quarantine/decisions", {"action": "hold"}, "reason"),
    ("agencies/plant_quarantine/decisions", {"action": "hold", "reason": "   "}, "reason"),
    ("channel", {"channel": "red"}, "reason"),
    ("channel", {"channel": "red", "reason": "  "}, "reason"),
    ("channel", {"channel": "purple", "reason": "tip-off"}, "channel"),
], ids=["unknown action", "hold without a reason", "hold with a blank reason", "re-route without a reason",
        "re-route with a blank reason", "unknown channel"])
def test_a_decision_or_a_reroute_missing_what_it_needs_is_refused_naming_the_field(
        client, lan, reference, sign_in, url, body, field):
    officer = sign_in("customs" if url == "channel" else "quarantine")
    before = clearance(client, lan, reference)
    assert fields(problem(client.post(f"/api/v1/declarations/{reference}/{url}", json=body, headers=officer),
                          422)) == [field]
    assert clearance(client, lan, reference) == before


@connected
def test_the_customs_system_assigns_green_and_the_customs_check_is_released_by_the_system(
        client, lan, reference, sign_in, link):
    waiting = clearance(client, lan, reference)
    assert (waiting["channel"], check(waiting, "customs")["status"]["code"]) == (None, "waiting")
    [item] = inbox(client, sign_in("customs"), "customs")["waiting"]
    assert (item["reference"], item["awaiting_system"]) == (reference, True)
    answer = SandboxCustoms(link()).assign(reference, "green")
    assert answer == {"message_id": f"customs-{reference}-channel_assigned-1", "reference": reference,
                      "applied": True, "status": "released", "channel": "green", "replayed": False}
    customs = check(view := clearance(client, lan, reference), "customs")
    assert (customs["status"]["code"], customs["decided_by_system"], customs["source"]["code"]) == (
        "released", True, "system")
    assert (view["channel"]["code"], view["channel_source"]["code"]) == ("green", "system")
    assert [c["status"]["code"] for c in view["checks"]] == ["released", "waiting", "waiting"]


@connected
def test_a_retried_message_gets_the_first_answer_with_replayed_true_and_is_applied_once(
        gate, clock, reference, link):
    customs = link()
    status, first = customs.send("channel_assigned", reference, channel="yellow", reason="VNACCS")
    assert (status, first["replayed"], first["channel"]) == (200, False, "yellow")
    clock.advance(seconds=30)  # no answer reached the system in time, so it sends the same message again
    status, again = customs.post(customs.sent[0][0], clock.now())
    assert (status, again) == (200, {**first, "replayed": True})
    assigned = [row for row in trail(gate, "CustomsChannelAssigned") if row["actor"] == "system:customs"]
    assert [(row["subject_id"], row["payload"]["channel"]) for row in assigned] == [(reference, "yellow")]


@connected
def test_the_same_message_id_with_another_body_is_refused_with_409_changes_nothing_and_is_kept_on_the_trail(
        client, gate, lan, reference, link):
    customs = link()
    assert customs.send("channel_assigned", reference, channel="yellow", message_id="vnaccs-1")[0] == 200
    before = clearance(client, lan, reference)
    status, body = customs.post({**customs.sent[0][0], "channel": "green"}, customs.clock())
    assert status == 409 and "new message_id" in body["detail"]
    assert clearance(client, lan, reference) == before
    [refused] = trail(gate, "AgencySystemMessageRefused")
    assert (refused["payload"]["message_id"], refused["subject_id"]) == ("vnaccs-1", "customs")


@connected
@pytest.mark.parametrize("forged", ["another secret", "stale timestamp"])
def test_a_forged_or_stale_message_is_refused_with_401_a_challenge_and_a_security_log_entry_and_changes_nothing(
        client, gate, clock, lan, reference, link, wire, forged):
    before = clearance(client, lan, reference)
    message = {"message_id": "vnaccs-9", "type": "channel_assigned", "reference": reference,
               "sent_at": clock.now().isoformat(), "channel": "green", "reason": None}
    if forged == "another secret":
        status, body = link(secret="guessed-secret-0000000").post(message, clock.now())
    else:
        status, body = link().post(message, clock.now() - timedelta(seconds=301))
    assert status == 401 and wire.last.headers["content-type"] == "application/problem+json"
    assert "HMAC-SHA256" in wire.last.headers["WWW-Authenticate"]
    assert ("shared secret" if forged == "another secret" else "clock") in body["detail"]
    assert clearance(client, lan, reference) == before
    # Nobody proved who sent it: it goes to the bounded security log, not onto the audit trail.
    assert trail(gate, "AgencySystemMessageRefused") == []
    [refused] = security_rows(gate)
    assert (refused["kind"], refused["source"], refused["detail"]) == (
        "agency_message:customs", "testclient", body["detail"])
    # The genuine message still gets through afterwards: a refused one took nothing from it.
    assert link().post(message, clock.now())[1]["status"] == "released"


@connected
def test_an_officer_may_neither_release_nor_reroute_what_the_customs_system_decided(
        client, lan, reference, sign_in, link):
    officer = sign_in("customs")
    SandboxCustoms(link()).assign(reference, "green")
    before = clearance(client, lan, reference)
    assert "already released" in problem(decide(client, officer, reference, "customs", action="hold",
                                                reason="looks odd"), 409)["detail"]
    rerouted = client.post(f"/api/v1/declarations/{reference}/channel", headers=officer,
                           json={"channel": "red", "reason": "tip-off"})
    assert "authoritative" in problem(rerouted, 409)["detail"]
    assert clearance(client, lan, reference) == before


@pytest.mark.parametrize("agency_systems, agency", [(CONNECTED, "plant_quarantine"), ("", "customs")],
                         ids=["quarantine on a connected gate", "customs on a gate without systems"])
def test_a_message_from_an_agency_whose_system_is_not_connected_is_refused_with_401(
        client, lan, reference, link, wire, agency_systems, agency):
    before = clearance(client, lan, reference)
    status, body = link(agency, CUSTOMS_SECRET).send("released", reference)
    assert status == 401 and "BORDERGATE_AGENCY_SYSTEMS" in body["detail"]
    assert "WWW-Authenticate" in wire.last.headers
    assert clearance(client, lan, reference) == before


@connected
@pytest.mark.parametrize("bad, field", [({"type": "vehicle_arrived"}, "type"), ({"channel": None}, "channel"),
                                        ({"sent_at": "2026-11-27T08:00"}, "sent_at"), ({"channel": "blue"}, "channel")])
def test_a_signed_message_with_a_bad_field_is_refused_naming_it_and_changes_nothing(
        client, clock, lan, reference, link, bad, field):
    before = clearance(client, lan, reference)
    message = {"message_id": "m-1", "type": "channel_assigned", "reference": reference,
               "sent_at": clock.now().isoformat(), "channel": "green", **bad}
    status, body = link().post(message, clock.now())
    assert status == 422 and [error["field"] for error in body["errors"]] == [field], body
    assert clearance(client, lan, reference) == before


@connected
def test_a_signed_but_malformed_message_is_kept_on_the_audit_trail(gate, clock, reference, link):
    message = {"message_id": "vnaccs-1", "type": "vehicle_arrived", "reference": reference,
               "sent_at": clock.now().isoformat()}
    assert link().post(message, clock.now())[0] == 422
    assert len(trail(gate, "AgencySystemMessageRefused")) == 1


@connected
def test_the_border_guards_vehicle_exited_releases_its_check_and_marks_the_declaration_crossed(
        client, lan, reference, link):
    answer = SandboxBorderGuard(link("border_guard", GUARD_SECRET)).exited(reference)
    assert (answer["applied"], answer["status"]) == (True, "released")
    trip = client.get(f"/api/v1/declarations/{reference}", headers=lan).json()
    assert trip["status"]["code"] == "crossed"
    guard = check(clearance(client, lan, reference), "border_guard")
    assert (guard["status"]["code"], guard["decided_by_system"]) == ("released", True)


def test_every_truck_is_held_at_the_border_naming_the_agencies_still_to_release_until_all_have(
        client, gate, clock, world, lan, reference, sign_in):
    huu_nghi = a_gateway(gate, world.operator)
    officers = {"customs": sign_in("customs"), "border_guard": sign_in("guard"),
                "plant_quarantine": sign_in("quarantine")}
    trucks = {"12C-123.45": (reference, list(DURIAN_AGENCIES)),
              "29H-987.61": (declared(client, gate, lan, "29H-987.61", "phones"), ["customs", "border_guard"])}

    def read(checkpoint: str, plate: str) -> dict:
        clock.advance(minutes=3)
        body = {"captured_at": clock.now().isoformat(), "plate": plate, "confidence": 0.95}
        answer = client.post("/api/v1/plate-reads", json=body, headers={"X-Camera-Key": huu_nghi.keys[checkpoint]},
                             params={"lang": "en"})
        assert answer.status_code == 201, answer.text
        return answer.json()

    for plate in trucks:
        assert [read(stop, plate)["decision"]["code"] for stop in ("waiting_area_entry", "yard_entry")] == ["open"] * 2
    for plate, (trip, outstanding) in trucks.items():
        while outstanding:
            held = read("border_out", plate)
            assert (held["decision"]["code"], held["reference"]) == ("hold", trip)
            assert [because["code"] for because in held["reasons"]] == ["agency_pending"] * len(outstanding)
            assert [because["detail"].split(":")[0] for because in held["reasons"]] == [
                LABELS[agency] for agency in outstanding]
            agency = outstanding.pop(0)
            assert decide(client, officers[agency], trip, agency, action="release").status_code == 200
        opened = read("border_out", plate)
        assert (opened["decision"]["code"], opened["reasons"]) == ("open", [])
        assert client.get(f"/api/v1/declarations/{trip}", headers=lan).json()["status"]["code"] == "crossed"
