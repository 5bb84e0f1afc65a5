"""The queue over HTTP: operators set the hours, declarants book a place, and what is refused, and why."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import a_trip
from tests.conftest import NOW
from tests.e2e.test_problems_over_http import fields, problem
from tests.integration.queue_helpers import iso, local

POINT, WAY = "HUU_NGHI", "outbound"
HOURS = f"/api/v1/crossing-points/{POINT}/hours"
CAPACITY = f"/api/v1/crossing-points/{POINT}/capacity/{WAY}"
BOARD = f"/api/v1/queue/{POINT}/{WAY}"


def slot(hour: int, minute: int = 0) -> str:
    """An hour as a declarant's software sends it: local ISO time, '2026-11-27T10:00:00+07:00'."""
    return local(hour, minute).isoformat()


def opened(client, headers, per_hour: int = 4, closed: range | tuple[int, ...] = ()) -> None:
    """The operator lets Huu Nghi's export lanes pass ``per_hour`` trucks every local hour but the ``closed`` ones."""
    hourly = [0 if hour in closed else per_hour for hour in range(24)]
    answer = client.put(CAPACITY, json={"hourly": hourly}, headers=headers)
    assert answer.status_code == 200 and answer.json() == {"bookings_moved": 0}, answer.text


def declared(client, gate, headers, n: int = 1, shelf_life_hours: int | None = None, **trip) -> str:
    """Truck number ``n``: its own plate and driver, so each holds its own place."""
    driver = {"full_name": f"Lái xe số {n}", "document_number": f"0010880{n:05d}", "nationality": "VN",
              "phone": f"0912{n:06d}"}
    body = a_trip(gate, plate=f"12C-{100 + n:03d}.{10 + n:02d}", driver=driver, **trip)
    if shelf_life_hours is not None:
        body["goods"][0]["shelf_life_hours"] = shelf_life_hours
    answer = client.post("/api/v1/declarations", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()["reference"]


def book(client, headers, reference: str, starts_at: str | None = None, **body):
    """Ask for the hour starting at ``starts_at`` (local ISO time), or the live queue without one."""
    sent = {"kind": "slot", "slot_start": starts_at} if starts_at else {"kind": "live"}
    return client.post(f"/api/v1/declarations/{reference}/booking", json={**sent, **body}, headers=headers)


def booked(client, headers, reference: str, starts_at: str | None = None) -> dict:
    answer = book(client, headers, reference, starts_at)
    assert answer.status_code == 201, answer.text
    return answer.json()


def hour(client, headers, starts_at: str) -> dict:
    """One hour as the booking screen shows it: capacity, places booked, places free."""
    answer = client.get(HOURS, params={"direction": WAY, "from": starts_at, "hours": 1}, headers=headers)
    assert answer.status_code == 200, answer.text
    [shown] = answer.json()
    return shown


@pytest.fixture
def lan(client, world, sign_in) -> dict[str, str]:
    """Lan signed in, with Huu Nghi's export lanes open four trucks an hour (set by the operator)."""
    opened(client, sign_in("operator"))
    return sign_in("lan")


def test_an_operator_sets_the_hours_and_a_declarant_books_one_and_sees_one_place_fewer(
        client, gate, world, sign_in):
    operator, lan = sign_in("operator"), sign_in("lan")
    problem(book(client, lan, declared(client, gate, lan, 9), slot(10)), 409)  # no hours set yet: no queue
    opened(client, operator, per_hour=4, closed=(12,))
    reference = declared(client, gate, lan)
    hours = client.get(HOURS, params={"direction": WAY, "from": slot(10), "hours": 3}, headers=lan).json()
    assert [(h["starts_at"], h["capacity"], h["free"]) for h in hours] == [
        (iso(local(10)), 4, 4), (iso(local(11)), 4, 4), (iso(local(12)), 0, 0)]
    answer = booked(client, lan, reference, slot(10))
    assert (answer["status"]["code"], answer["kind"]["code"], answer["slot_start"]) == ("booked", "slot",
                                                                                      iso(local(10)))
    assert (answer["reference"], answer["crossing_point"], answer["warning"]) == (reference, POINT, None)
    assert answer["booked_at"] == NOW.isoformat() and answer["regulation_orders"] == []
    assert hour(client, lan, slot(10)) == {"starts_at": iso(local(10)), "capacity": 4, "booked": 1,
                                                        "free": 3}
    again = client.get(f"/api/v1/declarations/{reference}/booking", headers=lan, params={"lang": "en"}).json()
    assert again["id"] == answer["id"] and again["status"]["label"] == "Booked"


@pytest.mark.parametrize("sent, says", [
    pytest.param("2026-11-27T10:00:00", "timezone", id="without a time zone"),
    pytest.param("2026-11-27T10:30:00+07:00", "did you mean 2026-11-27T10:00:00+07:00?", id="not on the hour"),
    pytest.param((NOW + timedelta(days=30, hours=1)).isoformat(), "at most 30 days ahead", id="too far ahead"),
    pytest.param("2026-11-27T07:00:00+07:00", "that hour is over", id="an hour already over"),
])
def test_a_slot_that_is_not_a_coming_whole_hour_is_refused_naming_slot_start(client, gate, lan, sent, says):
    reference = declared(client, gate, lan)
    body = problem(book(client, lan, reference, sent), 422)
    assert fields(body) == ["slot_start"] and says in body["errors"][0]["message"]
    problem(client.get(f"/api/v1/declarations/{reference}/booking", headers=lan), 404)


def test_a_full_hour_is_refused_naming_the_free_hours_nearby(client, gate, world, sign_in):
    operator, lan = sign_in("operator"), sign_in("lan")
    opened(client, operator, per_hour=1)
    booked(client, lan, declared(client, gate, lan, 1), slot(10))
    booked(client, lan, declared(client, gate, lan, 2), slot(9))
    late = declared(client, gate, lan, 3)
    body = problem(book(client, lan, late, slot(10)), 409)
    assert "the hour 10:00 27/11 at HUU_NGHI is full; free hours nearby: 08:00 27/11 (1 free), " \
           "11:00 27/11 (1 free)" in body["detail"]
    assert hour(client, lan, slot(10))["booked"] == 1
    assert booked(client, lan, late, slot(11))["slot_start"] == iso(local(11))


def test_a_truck_already_booked_cannot_be_booked_again(client, gate, lan):
    reference = declared(client, gate, lan)
    first = booked(client, lan, reference, slot(10))
    for hour_asked in (slot(11), None):
        assert "already booked" in problem(book(client, lan, reference, hour_asked), 409)["detail"]
    assert hour(client, lan, slot(11))["booked"] == 0
    assert client.get(f"/api/v1/declarations/{reference}/booking", headers=lan).json()["id"] == first["id"]


def test_another_enterprises_declarant_cannot_book_see_or_cancel_the_booking(client, gate, lan, sign_in):
    minh = sign_in("minh")
    reference = declared(client, gate, lan)
    url = f"/api/v1/declarations/{reference}/booking"
    assert "check the reference" in problem(book(client, minh, reference, slot(10)), 404)["detail"]
    booked(client, lan, reference, slot(10))
    for answer in (client.get(url, headers=minh), client.post(f"{url}/cancel", json={}, headers=minh),
                   book(client, minh, reference)):
        problem(answer, 404)
    assert client.get(url, headers=lan).json()["status"]["code"] == "booked"
    assert hour(client, lan, slot(10))["booked"] == 1


def test_more_bookings_a_minute_than_a_person_makes_are_refused_with_retry_after(client, gate, clock, lan):
    allowed = gate.rules.bookings_per_minute
    assert allowed == 10
    references = [declared(client, gate, lan, n) for n in range(allowed + 1)]
    for reference in references[:allowed]:
        booked(client, lan, reference)
    refused = book(client, lan, references[-1])
    body = problem(refused, 429)
    assert refused.headers["Retry-After"] == "60" and f"at most {allowed} a minute" in body["detail"]
    problem(client.get(f"/api/v1/declarations/{references[-1]}/booking", headers=lan), 404)
    clock.advance(minutes=1, seconds=1)
    assert booked(client, lan, references[-1])["status"]["code"] == "booked"


def test_a_declarant_may_not_set_hours_priorities_or_orders_nor_see_the_board(client, gate, world, sign_in):
    operator, lan = sign_in("operator"), sign_in("lan")
    opened(client, operator)
    reference = declared(client, gate, lan)
    booked(client, lan, reference)
    hourly = {"hourly": [40] * 24}
    change = {"starts_at": slot(12), "ends_at": slot(13), "per_hour": 0, "reason": "lunch"}
    order = {"crossing_point": POINT, "staging_area": "Km 18", "message": "Dừng chờ"}
    for answer in (client.put(CAPACITY, json=hourly, headers=lan),
                   client.post(f"/api/v1/crossing-points/{POINT}/capacity-changes", json=change, headers=lan),
                   client.put(f"/api/v1/crossing-points/{POINT}/day-limits/{WAY}/2026-11-28", json={"trucks": 1},
                              headers=lan),
                   client.put(f"/api/v1/declarations/{reference}/booking/priority", json={"priority": "emergency"},
                              headers=lan),
                   client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=lan),
                   client.post("/api/v1/regulation-orders", json=order, headers=lan),
                   client.post("/api/v1/control/call-forward", headers=lan), client.get(BOARD, headers=lan)):
        problem(answer, 403)
    assert hour(client, lan, slot(12))["capacity"] == 4
    mine = client.get(f"/api/v1/declarations/{reference}/booking", headers=lan).json()
    assert (mine["priority"]["code"], mine["status"]["code"], mine["regulation_orders"]) == ("none", "booked", [])


def test_once_booked_the_vehicle_is_locked_but_the_driver_may_still_be_corrected(client, gate, lan):
    reference = declared(client, gate, lan)
    booked(client, lan, reference, slot(10))
    url = f"/api/v1/declarations/{reference}"
    body = problem(client.patch(url, json={"changes": {"vehicle.tractor_plate": "12C-999.99"}}, headers=lan), 409)
    assert "only the driver may be changed now, not vehicle.tractor_plate" in body["detail"]
    fixed = client.patch(url, json={"changes": {"driver.phone": "0987654321"}, "reason": "new phone"}, headers=lan)
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["driver"]["phone"] == "+84987654321"
    assert client.get(url, headers=lan).json()["vehicle"]["tractor_plate"] == "12C-101.11"
    assert client.get(f"{url}/booking", headers=lan).json()["status"]["code"] == "booked"


def test_perishable_cargo_that_would_spoil_in_the_queue_is_booked_with_a_warning_and_its_numbers(
        client, gate, world, sign_in):
    operator, lan = sign_in("operator"), sign_in("lan")
    opened(client, operator, closed=range(8, 12))  # nothing crosses before noon today
    assert booked(client, lan, declared(client, gate, lan, 1, hours_ahead=1))["warning"] is None  # ten days
    answer = booked(client, lan, declared(client, gate, lan, 2, shelf_life_hours=3, hours_ahead=0.5))
    warning = answer["warning"]
    assert (warning["expected_wait_hours"], warning["remaining_shelf_life_hours"]) == (4.0, 3.0)
    assert (warning["expected_call_at"], warning["capacity_this_hour"]) == (iso(local(12)), 0)
    assert "longer than the cargo's remaining shelf life" in warning["message"]
    assert answer["status"]["code"] == "booked" and answer["perishable_until"] == (NOW + timedelta(hours=3)).isoformat()


def test_cancelling_a_booking_gives_its_place_back(client, gate, clock, lan):
    reference = declared(client, gate, lan)
    booked(client, lan, reference, slot(11))
    assert hour(client, lan, slot(11))["free"] == 3
    answer = client.post(f"/api/v1/declarations/{reference}/booking/cancel", json={"reason": "plans changed"},
                         headers=lan, params={"lang": "en"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == {"code": "cancelled", "label": "Cancelled", "colour": "grey"}
    assert hour(client, lan, slot(11))["free"] == 4
    problem(client.post(f"/api/v1/declarations/{reference}/booking/cancel", json={}, headers=lan), 409)
    clock.advance(seconds=1)
    again = booked(client, lan, reference, slot(11))
    assert (again["status"]["code"], again["slot_start"]) == ("booked", iso(local(11)))
    assert hour(client, lan, slot(11))["free"] == 3


def test_a_truck_booked_again_in_the_same_instant_it_was_cancelled_shows_its_new_booking(client, gate, lan):
    reference = declared(client, gate, lan)
    first = booked(client, lan, reference, slot(11))
    client.post(f"/api/v1/declarations/{reference}/booking/cancel", json={}, headers=lan)
    again = booked(client, lan, reference, slot(11))
    assert again["id"] != first["id"] and again["status"]["code"] == "booked"


def test_the_operators_board_lists_the_waiting_trucks_in_call_order(client, gate, clock, lan, sign_in):
    operator = sign_in("operator")
    first, second, relief, later = (declared(client, gate, lan, n) for n in range(1, 5))
    for reference in (first, second, relief):
        booked(client, lan, reference)
    booked(client, lan, later, slot(10))
    for reference in (first, second, relief):
        clock.advance(minutes=1)
        checked = client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=operator)
        assert checked.status_code == 200 and checked.json()["status"]["code"] == "waiting", checked.text
    granted = client.put(f"/api/v1/declarations/{relief}/booking/priority", json={"priority": "emergency"},
                         headers=operator, params={"lang": "en"})
    assert granted.json()["priority"]["label"] == "Emergency or relief goods"
    board = client.get(BOARD, headers=operator).json()
    assert [b["reference"] for b in board["waiting"]] == [relief, first, second]
    assert [b["reference"] for b in board["booked"]] == [later] and board["called"] == []
    assert client.get(BOARD, headers=sign_in("customs")).status_code == 200


def test_free_hours_from_a_time_without_a_time_zone_are_refused_naming_from(client, lan):
    answer = client.get(HOURS, params={"direction": WAY, "from": "2026-11-27T10:00:00", "hours": 1}, headers=lan)
    assert fields(problem(answer, 422)) == ["from"]
