"""The queue at the gate over HTTP: cameras check trucks in, the loop calls them, drivers and the public see it."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from bordergate.domain import commands
from bordergate.services.authentication import SYSTEM
from tests.builders import Gateway, a_gateway, a_trip
from tests.e2e.test_problems_over_http import fields, problem
from tests.e2e.test_queue_over_http import BOARD, POINT, WAY, booked, opened
from tests.e2e.test_smart_control_over_http import codes, seen
from tests.e2e.test_tracking_page import BROWSER

PUBLIC = "/api/v1/public/queues"
ORDER = {"crossing_point": POINT, "direction": WAY, "staging_area": "Bãi đỗ Km 18 QL1A",
         "message": "Dừng tại bãi đỗ, chờ thông báo"}


@pytest.fixture
def huu_nghi(gate, world) -> Gateway:
    return a_gateway(gate, world.operator)


@pytest.fixture
def operator(client, world, sign_in) -> dict[str, str]:
    """The operator signed in, Huu Nghi's export lanes open four trucks an hour: one call every quarter."""
    headers = sign_in("operator")
    opened(client, headers)
    return headers


def a_truck(client, gate, headers, n: int = 1) -> tuple[str, str, str]:
    """Truck ``n`` declared and in the live queue: its reference, its plate, and the driver's tracking path."""
    plate = f"12C-{100 + n:03d}.{10 + n:02d}"
    driver = {"full_name": f"Lái xe số {n}", "document_number": f"0010880{n:05d}", "nationality": "VN",
              "phone": f"0912{n:06d}"}
    answer = client.post("/api/v1/declarations", json=a_trip(gate, plate=plate, driver=driver), headers=headers)
    assert answer.status_code == 201, answer.text
    reference = answer.json()["reference"]
    booked(client, headers, reference)
    return reference, plate, urlsplit(answer.json()["tracking_url"]).path


def booking(client, headers, reference: str) -> dict:
    answer = client.get(f"/api/v1/declarations/{reference}/booking", headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def call_forward(client, operator) -> dict[str, int]:
    answer = client.post("/api/v1/control/call-forward", headers=operator)
    assert answer.status_code == 200, answer.text
    return answer.json()[f"{POINT}:{WAY}"]


def export_lane(client, **params) -> dict:
    """Huu Nghi's export queue as anyone sees it, without signing in."""
    answer = client.get(PUBLIC, params=params)
    assert answer.status_code == 200, answer.text
    [lane] = [lane for lane in answer.json() if (lane["crossing_point"], lane["direction"]["code"]) == (POINT, WAY)]
    return lane


def test_a_truck_checked_in_by_the_waiting_area_camera_is_called_forward_and_the_yard_barrier_opens(
        client, gate, clock, huu_nghi, operator, sign_in):
    lan = sign_in("lan")
    reference, plate, _ = a_truck(client, gate, lan)
    clock.advance(minutes=2)
    checked_in = seen(client, gate, huu_nghi, "waiting_area_entry", plate)
    assert (checked_in["decision"]["code"], checked_in["reference"]) == ("open", reference)
    waiting = booking(client, lan, reference)
    assert (waiting["status"]["code"], waiting["in_waiting_area_since"]) == ("waiting", clock.now().isoformat())
    clock.advance(minutes=1)
    held = seen(client, gate, huu_nghi, "yard_entry", plate)
    assert (held["decision"]["code"], codes(held)) == ("hold", ["not_called_forward"])
    assert call_forward(client, operator) == {"called": 1, "calls_expired": 0, "no_shows": 0}
    called = booking(client, lan, reference)
    assert (called["status"]["code"], called["called_at"]) == ("called", clock.now().isoformat())
    assert called["call_deadline"] == (clock.now() + timedelta(minutes=20)).isoformat()
    assert [b["reference"] for b in client.get(BOARD, headers=operator).json()["called"]] == [reference]
    clock.advance(minutes=6)
    through = seen(client, gate, huu_nghi, "yard_entry", plate)
    assert (through["decision"]["code"], codes(through)) == ("open", [])
    assert booking(client, lan, reference)["status"]["code"] == "arrived"
    assert client.get(BOARD, headers=operator).json()["called"] == []


@pytest.mark.parametrize("lang, called, deadline, expected", [
    ("vi", "Được gọi vào", "Phải đến trạm trước", "Dự kiến được gọi"),
    ("en", "Called forward", "Reach the checkpoint by", "Expected call"),
    ("zh", "已叫号", "须到达检查点时间", "预计叫号"),
])
def test_the_drivers_page_shows_the_call_and_its_deadline_in_the_drivers_language(
        client, gate, clock, operator, sign_in, lang, called, deadline, expected):
    lan = sign_in("lan")
    first, _, first_page = a_truck(client, gate, lan, 1)
    second, _, second_page = a_truck(client, gate, lan, 2)
    for reference in (first, second):
        clock.advance(minutes=1)
        client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=operator)
    clock.advance(minutes=1)
    call_forward(client, operator)  # 08:03: the first is called, the second expected at the quarter
    page = client.get(first_page, params={"lang": lang}, headers=BROWSER)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page.text and f'data-queue="called">{called}</dd>' in page.text
    assert (f'{deadline} <time datetime="2026-11-27T01:23:00+00:00">08:23 27/11/2026 (UTC+7)</time>'
            in page.text)
    assert 'data-countdown="2026-11-27T01:23:00+00:00"' in page.text  # the countdown's end
    waiting = client.get(second_page, params={"lang": lang}, headers=BROWSER).text
    assert 'data-queue="waiting"' in waiting and deadline not in waiting
    assert (f'<dt>{expected}</dt><dd data-expected><time datetime="2026-11-27T01:15:00+00:00">08:15 27/11/2026'
            in waiting)
    as_json = client.get(first_page).json()["queue"]
    assert (as_json["status"]["code"], as_json["call_deadline"]) == ("called", "2026-11-27T01:23:00+00:00")
    assert "Trần Văn Bình" not in page.text and "0912000001" not in page.text


def test_a_regulation_order_shows_on_the_drivers_page_and_to_the_public_until_it_is_lifted(
        client, gate, clock, operator, sign_in):
    lan = sign_in("lan")
    reference, _, page = a_truck(client, gate, lan)
    client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=operator)
    assert export_lane(client)["regulation_orders"] == []
    issued = client.post("/api/v1/regulation-orders", json=ORDER, headers=operator)
    assert issued.status_code == 201, issued.text
    order = issued.json()["id"]
    assert call_forward(client, operator)["called"] == 0, "no truck is called while the order holds"
    shown = client.get(page, params={"lang": "en"}, headers=BROWSER).text
    assert ('<p class="order" role="alert"><strong>Regulation order:</strong> Dừng tại bãi đỗ, chờ thông báo '
            '(Bãi đỗ Km 18 QL1A)</p>') in shown
    [public] = export_lane(client)["regulation_orders"]
    assert public == {"id": order, "crossing_point": POINT, "direction": WAY, "staging_area": ORDER["staging_area"],
                      "message": ORDER["message"], "issued_at": clock.now().isoformat()}
    assert [o["id"] for o in booking(client, lan, reference)["regulation_orders"]] == [order]
    gate.bus.handle(commands.DeliverNotices(SYSTEM))  # what the server's timer does every half minute
    assert any("Dừng tại bãi đỗ, chờ thông báo (Bãi đỗ Km 18 QL1A)" in text for text in gate.sms.to("+84912000001"))

    clock.advance(minutes=30)
    lifted = client.post(f"/api/v1/regulation-orders/{order}/lift", headers=operator)
    assert lifted.status_code == 204 and lifted.content == b""
    assert "already lifted" in problem(client.post(f"/api/v1/regulation-orders/{order}/lift", headers=operator),
                                       409)["detail"]
    assert 'class="order"' not in client.get(page, params={"lang": "en"}, headers=BROWSER).text
    assert export_lane(client)["regulation_orders"] == []
    assert booking(client, lan, reference)["regulation_orders"] == []
    assert call_forward(client, operator)["called"] == 1


def test_traffic_police_may_issue_and_lift_a_regulation_order_but_a_declarant_or_customs_may_not(
        client, gate, world, operator, sign_in):
    police = sign_in("police")
    for not_a_regulator in (sign_in("lan"), sign_in("customs")):
        assert "traffic police" in problem(client.post("/api/v1/regulation-orders", json=ORDER,
                                                       headers=not_a_regulator), 403)["detail"]
    body = problem(client.post("/api/v1/regulation-orders", json={**ORDER, "staging_area": "  ", "message": ""},
                               headers=police), 422)
    assert sorted(fields(body)) == ["message", "staging_area"]
    problem(client.post("/api/v1/regulation-orders", json={**ORDER, "crossing_point": "NOWHERE"}, headers=police), 404)
    assert export_lane(client)["regulation_orders"] == []
    issued = client.post("/api/v1/regulation-orders", json={**ORDER, "direction": None}, headers=police)
    assert issued.status_code == 201, issued.text
    assert [o["direction"] for o in export_lane(client)["regulation_orders"]] == [None]
    problem(client.post(f"/api/v1/regulation-orders/{issued.json()['id']}/lift", headers=sign_in("lan")), 403)
    assert client.post(f"/api/v1/regulation-orders/{issued.json()['id']}/lift", headers=police).status_code == 204
    assert export_lane(client)["regulation_orders"] == []


def test_anyone_sees_the_queue_figures_and_their_history_without_signing_in(client, gate, clock, operator, sign_in):
    lan = sign_in("lan")
    trucks = [a_truck(client, gate, lan, n)[0] for n in (1, 2, 3)]
    for reference in trucks:
        client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=operator)
    published = export_lane(client)
    assert (published["as_of"], published["waiting"]) == (clock.now().isoformat(), 3), \
        "a check-in is published at once (its truck's expected call is worked out again)"
    clock.advance(minutes=1)
    first_turn = clock.now()
    call_forward(client, operator)
    clock.advance(minutes=15)
    call_forward(client, operator)
    lane = export_lane(client, lang="en")
    assert (lane["waiting"], lane["called"], lane["booked_ahead"], lane["capacity_this_hour"]) == (1, 2, 0, 4)
    assert lane["direction"]["label"] == "Outbound (to China)" and "Hữu Nghị" in lane["crossing_point_name"]
    assert lane["as_of"] == clock.now().isoformat() and lane["expected_wait_minutes"] == 29
    history = client.get(f"/api/v1/public/queues/{POINT}/history")
    assert history.status_code == 200, history.text
    [series] = history.json()["series"]
    assert series["direction"]["code"] == WAY
    assert [(h["at"], h["waiting"], h["called"]) for h in series["points"]] == [
        ((first_turn - timedelta(minutes=1)).isoformat(), 3, 0), (first_turn.isoformat(), 2, 1),
        (clock.now().isoformat(), 1, 2)]
    clock.advance(hours=24, minutes=5)
    call_forward(client, sign_in("operator"))  # a new shift
    [series] = client.get(f"/api/v1/public/queues/{POINT}/history").json()["series"]
    assert [h["at"] for h in series["points"]] == [clock.now().isoformat()], "the chart keeps the last 24 hours"


def test_the_24_hour_history_has_one_series_per_direction_labelled_in_the_readers_language(
        client, gate, clock, operator, sign_in):
    inbound = client.put(f"/api/v1/crossing-points/{POINT}/capacity/inbound", json={"hourly": [4] * 24},
                         headers=operator)
    assert inbound.status_code == 200, inbound.text
    lan = sign_in("lan")
    for n in (1, 2, 3):
        client.post(f"/api/v1/declarations/{a_truck(client, gate, lan, n)[0]}/booking/check-in", headers=operator)
    for _ in range(3):
        clock.advance(minutes=15)
        client.post("/api/v1/control/call-forward", headers=operator)

    def series(lang: str) -> list[dict]:
        answer = client.get(f"/api/v1/public/queues/{POINT}/history", params={"lang": lang})
        assert answer.status_code == 200, answer.text
        return answer.json()["series"]

    english = series("en")
    assert [(s["direction"]["code"], s["direction"]["label"]) for s in english] == [
        ("outbound", "Outbound (to China)"), ("inbound", "Inbound (into Vietnam)")]
    outbound, inbound = ([p["waiting"] for p in s["points"]] for s in english)
    assert max(outbound) > 0 and set(inbound) == {0}, "each line is one queue: no zigzag between the two"
    for s in english:
        moments = [p["at"] for p in s["points"]]
        assert moments == sorted(set(moments)), "one figure per moment in each direction, in time order"
    assert [s["direction"]["label"] for s in series("vi")] == ["Chiều xuất", "Chiều nhập"]
    assert [s["direction"]["label"] for s in series("zh")] == ["出境", "入境"]


def test_a_truck_checked_in_as_the_loop_turns_is_expected_before_a_truck_arriving_after_it(
        client, gate, clock, operator, sign_in):
    lan = sign_in("lan")
    first, second = (a_truck(client, gate, lan, n)[0] for n in (1, 2))
    for reference in (first, second):
        clock.advance(minutes=1)
        client.post(f"/api/v1/declarations/{reference}/booking/check-in", headers=operator)
    assert call_forward(client, operator)["called"] == 1  # 08:02, the instant the second truck checked in
    assert booking(client, lan, second)["expected_call_at"] == "2026-11-27T01:15:00+00:00"
    assert export_lane(client)["expected_wait_minutes"] == 28, "arriving now: called at 08:30, after the second"


def test_the_openapi_document_lists_the_queue_and_says_a_booking_may_be_refused_with_429(client):
    paths = client.get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/declarations/{reference}/booking": {"post", "get"},
        "/api/v1/declarations/{reference}/booking/cancel": {"post"},
        "/api/v1/declarations/{reference}/booking/check-in": {"post"},
        "/api/v1/declarations/{reference}/booking/priority": {"put"},
        "/api/v1/crossing-points/{code}/hours": {"get"},
        "/api/v1/crossing-points/{code}/capacity/{direction}": {"put"},
        "/api/v1/crossing-points/{code}/capacity-changes": {"post"},
        "/api/v1/crossing-points/{code}/day-limits/{direction}/{day}": {"put"},
        "/api/v1/regulation-orders": {"post"}, "/api/v1/regulation-orders/{order_id}/lift": {"post"},
        "/api/v1/queue/{code}/{direction}": {"get"}, "/api/v1/control/call-forward": {"post"},
        "/api/v1/public/queues": {"get"}, "/api/v1/public/queues/{code}/history": {"get"},
    }
    assert {path: set(paths.get(path, {})) for path in expected} == expected
    refused = paths["/api/v1/declarations/{reference}/booking"]["post"]["responses"]["429"]
    assert "Retry-After" in refused["description"] and "application/problem+json" in refused["content"]
    assert {"from", "direction", "hours"} <= {p["name"] for p in paths["/api/v1/crossing-points/{code}/hours"]
                                              ["get"]["parameters"]}


def test_the_public_queue_scores_yesterday_once_a_minute_per_lane_not_on_every_read(client, operator, monkeypatch):
    from bordergate.services import published_waits

    scored = []
    real = published_waits.yesterday_error
    monkeypatch.setattr(published_waits, "yesterday_error", lambda *a: scored.append(a[1:3]) or real(*a))
    for locale in ("vi", "en", "zh"):
        assert client.get(PUBLIC, params={"lang": locale}).status_code == 200
    assert client.get("/").status_code == 200
    assert scored and len(scored) == len(set(scored)), "each lane scored once for the four reads"
