"""Dates and times out of any sensible range (year 1, year 9999) are refused naming the field and the range,
wherever they are sent: query, path, body or form, API or screens; never a 500 from an overflow."""
from __future__ import annotations

import pytest

from tests.builders import PASSWORD, a_gateway, a_trip
from tests.e2e.test_problems_over_http import fields, problem
from tests.support.forms import post_form

RANGE = "between 2000-01-01 and 2100-12-31"
LATE = "9999-12-31T23:00:00+00:00"
EARLY = "0001-01-01T00:00:00+07:00"


@pytest.fixture
def reference(client, gate, world, sign_in) -> str:
    answer = client.post("/api/v1/declarations", json=a_trip(gate), headers=sign_in("lan"))
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def refused_naming(answer, field: str) -> None:
    body = problem(answer, 422)
    assert field in fields(body), body
    assert RANGE in next(e["message"] for e in body["errors"] if e["field"] == field)


@pytest.mark.parametrize("path, params, field", [
    ("/api/v1/crossing-points/HUU_NGHI/hours", {"from": LATE, "direction": "outbound"}, "from"),
    ("/api/v1/reports/reconciliation", {"day": "0001-01-01"}, "day"),
    ("/api/v1/reports/reconciliation", {"day": "9999-12-31"}, "day"),
    ("/api/v1/crossing-points/HUU_NGHI/agency-dwell/0001-01-01", {}, "day"),
    ("/api/v1/crossing-points/HUU_NGHI/agency-dwell/9999-12-31", {}, "day"),
], ids=["free hours from year 9999", "reconciliation of year 1", "reconciliation of year 9999",
        "dwell of year 1", "dwell of year 9999"])
def test_a_date_out_of_range_in_a_query_or_a_path_is_refused_naming_it(client, world, sign_in, path, params, field):
    refused_naming(client.get(path, params=params, headers=sign_in("operator")), field)


def test_a_booking_for_the_last_hour_of_year_9999_is_refused_naming_slot_start(client, reference, sign_in):
    answer = client.post(f"/api/v1/declarations/{reference}/booking", json={"kind": "slot", "slot_start": LATE},
                         headers=sign_in("lan"))
    refused_naming(answer, "slot_start")


@pytest.mark.parametrize("arrival", [EARLY, "9999-12-31T23:59:59-12:00"], ids=["year 1", "year 9999"])
def test_a_declaration_or_a_correction_arriving_out_of_range_is_refused_naming_planned_arrival(
        client, gate, reference, sign_in, arrival):
    lan = sign_in("lan")
    refused_naming(client.post("/api/v1/declarations", json=a_trip(gate, planned_arrival=arrival), headers=lan),
                   "planned_arrival")
    refused_naming(client.patch(f"/api/v1/declarations/{reference}", json={"changes": {"planned_arrival": arrival}},
                                headers=lan), "planned_arrival")


def test_capacity_changes_and_day_limits_out_of_range_are_refused_naming_them(client, world, sign_in):
    operator = sign_in("operator")
    change = {"starts_at": LATE.replace("23:00", "22:00"), "ends_at": LATE, "per_hour": 0, "reason": "typo"}
    answer = client.post("/api/v1/crossing-points/HUU_NGHI/capacity-changes", json=change, headers=operator)
    refused_naming(answer, "starts_at")
    refused_naming(answer, "ends_at")
    refused_naming(client.put("/api/v1/crossing-points/HUU_NGHI/day-limits/outbound/0001-01-01",
                              json={"trucks": 100}, headers=operator), "day")


def test_a_tariff_in_force_from_year_1_is_refused_naming_in_force_from(client, world, sign_in):
    answer = client.put("/api/v1/tariffs/LS-0001", json={"version": "LS-0001", "in_force_from": "0001-01-01"},
                        headers=sign_in("operator"))
    refused_naming(answer, "in_force_from")


def test_a_plate_entered_by_hand_in_year_1_is_refused_naming_captured_at(client, gate, world, sign_in):
    checkpoint = a_gateway(gate, world.operator).checkpoints["waiting_area_entry"]
    answer = client.post(f"/api/v1/checkpoints/{checkpoint}/manual-reads",
                         json={"plate": "12C-123.45", "captured_at": EARLY}, headers=sign_in("operator"))
    refused_naming(answer, "captured_at")


def screens_as(client, username: str) -> None:
    signed_in = post_form(client, "/signin", "/signin", {"username": username, "password": PASSWORD},
                          follow_redirects=False)
    assert signed_in.status_code == 303, signed_in.text


def test_the_board_refuses_a_capacity_change_in_year_9999_next_to_its_fields(client, world):
    screens_as(client, "operator")
    answer = post_form(client, "/board?point=HUU_NGHI&direction=outbound",
                       "/board/capacity/changes?point=HUU_NGHI&direction=outbound&lang=en", {
        "starts_at": "9999-12-31T22:00", "ends_at": "9999-12-31T23:00", "per_hour": "0", "reason": "typo"})
    assert answer.status_code == 422 and RANGE in answer.text


def test_the_portal_refuses_a_booking_in_year_9999_next_to_the_booking(client, reference):
    screens_as(client, "lan")
    answer = post_form(client, f"/portal/{reference}", f"/portal/{reference}/book?lang=en",
                       {"kind": "slot", "slot": f"outbound@{LATE}"})
    assert answer.status_code == 422 and RANGE in answer.text


def test_the_portal_refuses_a_corrected_arrival_in_year_9999_next_to_the_field(client, reference):
    screens_as(client, "lan")
    answer = post_form(client, f"/portal/{reference}", f"/portal/{reference}/correct?lang=en",
                       {"field": "planned_arrival", "value": "9999-12-31T23:00"})
    assert answer.status_code == 422 and RANGE in answer.text
