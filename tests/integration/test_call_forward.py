"""Use case: trucks in the waiting area are called forward to the border as capacity frees, and drivers are told."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden
from bordergate.services import views
from tests.builders import clear_agencies
from tests.integration.control_helpers import decision, reasons
from tests.integration.queue_helpers import POINT, WAY, a_queue_desk, iso, local, said

TOMORROW = date(2026, 11, 28)


def test_trucks_are_called_by_legal_priority_then_spoiling_cargo_then_started_hours_then_arrival(gate, clock):
    desk = a_queue_desk(gate)  # 4 trucks an hour: one call every quarter
    first, started, second = desk.declare(), desk.declare(), desk.declare()
    lychee, relief, early = desk.declare("durian", shelf_life_hours=12), desk.declare(), desk.declare()
    for truck, slot in ((first, None), (started, local(8)), (second, None), (lychee, None), (relief, None),
                        (early, local(10))):
        desk.book(truck, slot)
    desk.arrive_at_waiting_area(first)
    for truck in (started, second, lychee, relief, early):
        desk.minutes_later(1)
        if truck is second:
            gate.bus.handle(commands.CheckIn(desk.world.operator, truck.reference))  # its camera was down
        else:
            desk.arrive_at_waiting_area(truck)
    gate.bus.handle(commands.SetPriority(desk.world.operator, relief.reference, "emergency"))

    everyone = (first, started, second, lychee, relief, early)
    for at, expected in ((local(8, 5), relief), (local(8, 15), lychee), (local(8, 30), started),
                         (local(8, 45), first), (local(9), second), (local(9, 15), early)):
        desk.at(at)
        assert desk.run()["called"] == 1
        assert desk.called(*everyone) == [expected], f"at {said(at)}"
        desk.drive_in(expected)
    assert {desk.status(truck) for truck in everyone} == {"arrived"}


def test_calls_are_paced_over_the_hour_and_never_exceed_its_capacity(gate):
    desk = a_queue_desk(gate, per_hour=4)
    trucks = [desk.declare() for _ in range(10)]
    for truck in trucks:
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
    calls = []
    for minute in range(0, 3 * 60, 5):
        desk.at(local(8) + timedelta(minutes=minute))
        called = desk.run()["called"]
        assert called <= 1
        for truck in desk.called(*trucks):
            calls.append(said(gate.clock.now()))
            desk.drive_in(truck)
    assert calls == ["08:00 27/11", "08:15 27/11", "08:30 27/11", "08:45 27/11", "09:00 27/11", "09:15 27/11",
                     "09:30 27/11", "09:45 27/11", "10:00 27/11", "10:15 27/11"]


def test_the_yard_barrier_holds_a_truck_not_yet_called_and_opens_for_a_called_one(gate, clock):
    desk = a_queue_desk(gate)
    called, waiting, on_the_road = desk.declare(), desk.declare(), desk.declare()
    for truck in (called, waiting, on_the_road):
        desk.book(truck)
    desk.arrive_at_waiting_area(called)
    desk.minutes_later(1)
    desk.arrive_at_waiting_area(waiting)
    desk.minutes_later(1)
    desk.run()
    booking = desk.booking(called)
    assert (booking["status"]["code"], booking["called_at"]) == ("called", clock.now().isoformat())
    assert booking["call_deadline"] == (clock.now() + gate.rules.call_deadline).isoformat()

    for truck, standing in ((waiting, "in the waiting area"), (on_the_road, "booked")):
        held = desk.drive_in(truck)
        assert decision(held) == "hold" and reasons(held) == ["not_called_forward"]
        assert held.read.barrier.reasons[0].detail == f"booking {standing}: wait in the waiting area until called"
    assert (desk.status(waiting), desk.status(on_the_road)) == ("waiting", "booked")

    desk.minutes_later(10)
    assert decision(desk.drive_in(called)) == "open"
    assert desk.status(called) == "arrived"
    desk.deliver()
    assert any("08:22 27/11" in text for text in desk.texts(called))


def test_a_missed_call_goes_to_the_back_of_the_live_queue_and_a_second_ends_the_booking(gate):
    desk = a_queue_desk(gate)
    late, punctual, patient = desk.declare(), desk.declare(), desk.declare()
    for truck in (late, punctual, patient):
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
        desk.minutes_later(1)
    desk.run()
    assert desk.called(late, punctual, patient) == [late]  # deadline 08:23

    desk.at(local(8, 24))
    assert desk.run() == {"called": 1, "calls_expired": 1, "no_shows": 0}
    assert desk.called(late, punctual, patient) == [punctual]
    booking = desk.booking(late)
    assert (booking["status"]["code"], booking["missed_calls"], booking["kind"]["code"]) == ("waiting", 1, "live")
    assert booking["in_waiting_area_since"] == iso(local(8, 24))
    desk.drive_in(punctual)
    desk.at(local(8, 30))
    desk.run()
    assert desk.called(late, patient) == [patient], "the truck that missed its call waits behind those present"
    desk.drive_in(patient)
    desk.at(local(8, 45))
    desk.run()
    assert desk.called(late) == [late]
    assert desk.strikes() == 0

    desk.at(local(9, 6))
    assert desk.run()["calls_expired"] == 1
    assert (desk.status(late), desk.strikes()) == ("expired", 1)
    desk.deliver()
    expired = [n["text"] for n in desk.notices(late, "call_expired")]
    assert len(expired) == 2
    assert "xếp lại cuối hàng chờ" in expired[0] and "lần lỡ thứ hai" in expired[1]


def test_a_fixed_hour_keeps_its_place_until_its_hour_ends_and_a_truck_that_never_came_is_a_no_show(gate):
    desk = a_queue_desk(gate, per_hour=1)
    absent, walk_up = desk.declare(), desk.declare()
    desk.book(absent, local(9))
    desk.book(walk_up)
    desk.at(local(9))
    desk.arrive_at_waiting_area(walk_up)
    for at in (local(9), local(9, 45)):
        desk.at(at)
        assert desk.run()["called"] == 0, "the hour's one place is kept for its booked truck"
    desk.at(local(10))
    assert desk.run() == {"called": 1, "calls_expired": 0, "no_shows": 0}
    desk.at(local(10, 29))
    assert desk.run()["no_shows"] == 0 and desk.status(absent) == "booked"
    desk.at(local(10, 30))  # its hour and gate.rules.no_show_grace are over
    assert desk.run()["no_shows"] == 1
    assert (desk.status(absent), desk.strikes()) == ("no_show", 1)


def test_a_regulation_order_stops_calls_until_lifted_and_every_booked_driver_is_told(gate):
    desk = a_queue_desk(gate)
    waiting, booked = desk.declare(), desk.declare()
    desk.book(waiting)
    desk.book(booked, local(10))
    desk.arrive_at_waiting_area(waiting)
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.IssueRegulationOrder(desk.world.lan, POINT, "Km 18", "Dừng chờ"))
    order = gate.bus.handle(commands.IssueRegulationOrder(
        desk.world.operator, POINT, "bãi đỗ Km 18 QL1A", "Dừng tại bãi đỗ, chờ thông báo", direction=WAY))
    for at in (local(8), local(8, 30)):
        desk.at(at)
        assert desk.run()["called"] == 0
    assert [o["id"] for o in desk.booking(waiting)["regulation_orders"]] == [order]
    assert desk.public()["regulation_orders"][0]["staging_area"] == "bãi đỗ Km 18 QL1A"
    driver_page = views.tracking(gate.reader(), waiting.reference, "en")
    assert driver_page["queue"]["regulation_orders"][0]["message"] == "Dừng tại bãi đỗ, chờ thông báo"
    desk.deliver()
    for truck in (waiting, booked):
        assert any("Dừng tại bãi đỗ, chờ thông báo (bãi đỗ Km 18 QL1A)" in t for t in desk.texts(truck))

    gate.bus.handle(commands.LiftRegulationOrder(desk.world.operator, order))
    with pytest.raises(Conflict, match="already lifted"):
        gate.bus.handle(commands.LiftRegulationOrder(desk.world.operator, order))
    assert desk.run()["called"] == 1 and desk.status(waiting) == "called"
    assert desk.public()["regulation_orders"] == []
    assert [len(desk.notices(truck, "regulation")) for truck in (waiting, booked)] == [2, 2]


def test_expected_call_times_are_published_and_anyone_sees_the_queue_without_signing_in(gate, clock):
    desk = a_queue_desk(gate)
    trucks = [desk.declare() for _ in range(3)]
    ahead = desk.declare()
    for truck in trucks:
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
        desk.minutes_later(1)
    desk.book(ahead, local(10))
    desk.at(local(8, 5))
    desk.run()
    called, second, third = trucks
    assert desk.booking(called)["expected_call_at"] is None
    assert [desk.booking(t)["expected_call_at"] for t in (second, third, ahead)] == \
        [iso(local(8, 15)), iso(local(8, 30)), iso(local(10))]
    assert views.tracking(gate.reader(), third.reference, "en")["queue"]["expected_call_at"] == iso(local(8, 30))
    public = desk.public()
    assert (public["waiting"], public["called"], public["booked_ahead"], public["capacity_this_hour"]) == (2, 1, 1, 4)
    assert public["expected_wait_minutes"] == 40, "a truck arriving now would be called at 08:45"
    assert public["as_of"] == clock.now().isoformat()


def test_a_driver_is_told_when_called_and_again_only_when_the_expected_time_moves_materially(gate):
    desk = a_queue_desk(gate)
    called, second, third = trucks = [desk.declare() for _ in range(3)]
    for truck in trucks:
        desk.book(truck)
        desk.arrive_at_waiting_area(truck)
        desk.minutes_later(1)
    desk.run()
    for _ in range(2):  # two relief convoys arrive and jump the queue, each pushing the others back 15 min
        relief = desk.declare()
        desk.book(relief)
        desk.minutes_later(1)
        desk.arrive_at_waiting_area(relief)
        gate.bus.handle(commands.SetPriority(desk.world.operator, relief.reference, "emergency"))
        desk.run()

    def expected_times(truck):
        return [n["text"].split("lúc ")[1][:11] for n in desk.notices(truck, "position_moved")]

    assert gate.rules.eta_change == timedelta(minutes=30)
    assert expected_times(second) == ["08:15 27/11", "08:45 27/11"]
    assert expected_times(third) == ["08:30 27/11", "09:00 27/11"]
    assert [n["kind"] for n in desk.notices(called)] == ["booked", "called"]
    desk.deliver()
    assert "Đến trạm kiểm soát trước 08:23 27/11" in desk.texts(called)[-1]


def test_delivery_sends_each_notice_once_even_when_run_twice(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    assert desk.deliver()["sent"] == 1
    assert desk.deliver() == {"sent": 0, "retrying": 0, "failed": 0}
    assert gate.sms.attempts == 1 and len(desk.texts(truck)) == 1
    assert desk.notices(truck)[0]["status"] == "sent"


def test_a_notice_the_sms_provider_failed_is_retried_later_and_sent(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    gate.sms.fail_next = 1
    assert desk.deliver() == {"sent": 0, "retrying": 1, "failed": 0}
    notice, = desk.notices(truck)
    assert (notice["status"], notice["last_error"]) == ("pending", "sandbox outage")
    assert desk.deliver()["sent"] == 0, "not before its retry time"
    desk.minutes_later(2)
    assert desk.deliver()["sent"] == 1
    assert desk.notices(truck)[0]["status"] == "sent" and len(desk.texts(truck)) == 1


def change(desk, starts_at, ends_at, per_hour: int, reason: str) -> int:
    return desk.handle(commands.ChangeCapacity(desk.world.operator, POINT, WAY, starts_at, ends_at, per_hour, reason))


def test_closing_an_hour_moves_its_bookings_in_booking_order_to_the_next_free_hours_and_tells_each_driver(gate):
    desk = a_queue_desk(gate, per_hour=2)
    first, second, stays = desk.declare(), desk.declare(), desk.declare()
    for truck, slot in ((first, local(10)), (second, local(10)), (stays, local(11))):
        desk.book(truck, slot)
        desk.minutes_later(1)
    assert change(desk, local(10), local(11), 0, "lane works") == 2
    assert [desk.booking(t)["slot_start"] for t in (first, second, stays)] == \
        [iso(local(11)), iso(local(12)), iso(local(11))]
    assert [desk.hour(local(h))["booked"] for h in (10, 11, 12)] == [0, 2, 1]
    assert desk.active_bookings() == 3
    moved = {t: [n["text"] for n in desk.notices(t, "moved")] for t in (first, second, stays)}
    assert "dời sang 11:00 27/11 vì lane works" in moved[first][0]
    assert "dời sang 12:00 27/11 vì lane works" in moved[second][0]
    assert moved[stays] == []


def test_an_hour_that_loses_places_keeps_perishable_cargo_and_its_earliest_bookings(gate):
    desk = a_queue_desk(gate, per_hour=4)
    earliest, later, durian, latest = desk.declare(), desk.declare(), desk.declare("durian"), desk.declare()
    next_hour = [desk.declare() for _ in range(3)]
    for truck, slot in [(t, local(10)) for t in (earliest, later, durian, latest)] + \
                       [(t, local(11)) for t in next_hour]:
        desk.book(truck, slot)
        desk.minutes_later(1)
    assert change(desk, local(10), local(11), 2, "one scanner is down") == 2
    assert [desk.booking(t)["slot_start"] for t in (earliest, durian, later, latest)] == \
        [iso(local(10)), iso(local(10)), iso(local(11)), iso(local(12))]
    assert [desk.hour(local(h))["booked"] for h in (10, 11, 12)] == [2, 4, 1]
    assert desk.active_bookings() == 7
    assert [len(desk.notices(t, "moved")) for t in (earliest, durian, later, latest, *next_hour)] == \
        [0, 0, 1, 1, 0, 0, 0]


def test_a_day_limit_from_the_other_side_moves_the_bookings_beyond_it(gate):
    desk = a_queue_desk(gate, per_hour=2)
    first, second = desk.declare(), desk.declare()
    for truck in (first, second):
        desk.book(truck, local(8, day=TOMORROW))
        desk.minutes_later(1)
    moved = desk.handle(commands.SetDayLimit(desk.world.operator, POINT, WAY, TOMORROW, 24))
    assert moved == 1  # 24 trucks over 24 hours: one an hour
    assert desk.booking(first)["slot_start"] == iso(local(8, day=TOMORROW))
    assert desk.booking(second)["slot_start"] == iso(local(9, day=TOMORROW))
    assert "09:00 28/11" in desk.notices(second, "moved")[0]["text"] and desk.notices(first, "moved") == []


def test_a_booking_with_no_free_hour_left_joins_the_live_queue_and_is_never_lost(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck, local(10))
    assert change(desk, local(9), local(9) + timedelta(days=45), 0, "the province closed the border") == 1
    booking = desk.booking(truck)
    assert (booking["status"]["code"], booking["kind"]["code"], booking["slot_start"]) == ("booked", "live", None)
    assert len(desk.notices(truck, "moved")) == 1


def test_a_driver_moved_to_the_live_queue_is_told_in_their_own_language(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck, local(10))
    change(desk, local(9), local(9) + timedelta(days=45), 0, "biên giới tạm đóng")
    text, = [n["text"] for n in desk.notices(truck, "moved")]
    assert "live queue" not in text


def test_a_call_the_truck_missed_still_uses_its_place_in_the_hour(gate):
    desk = a_queue_desk(gate, per_hour=2)
    late, next_one = desk.declare(), desk.declare()
    desk.book(late)
    desk.book(next_one)
    desk.arrive_at_waiting_area(late)
    desk.run()
    desk.at(local(8, 21))
    assert desk.run()["calls_expired"] == 1
    desk.at(local(8, 30))
    assert desk.run()["called"] == 1 and desk.status(late) == "called"  # the hour's second call
    desk.arrive_at_waiting_area(next_one)
    desk.at(local(8, 45))
    assert desk.run()["called"] == 0, "two calls were made this hour; the next waits for 09:00"


def test_an_hour_that_loses_places_never_keeps_more_bookings_than_places_even_with_a_truck_checked_in(gate):
    desk = a_queue_desk(gate, per_hour=4)
    trucks = [desk.declare() for _ in range(4)]
    for truck in trucks:
        desk.book(truck, local(10))
        desk.minutes_later(1)
    desk.arrive_at_waiting_area(trucks[0])  # came early for its 10:00 hour
    change(desk, local(10), local(11), 2, "one scanner is down")
    assert desk.hour(local(10))["booked"] == 2
    holding = [t for t in trucks if desk.booking(t)["slot_start"] == iso(local(10))]
    assert len(holding) == 2, f"{len(holding)} trucks hold the 10:00 hour's 2 places"


def test_a_called_truck_that_entered_the_yard_is_not_asked_for_its_call_again_at_the_border(gate, clock):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    desk.arrive_at_waiting_area(truck)
    desk.run()
    clock.advance(minutes=5)
    assert decision(desk.drive_in(truck)) == "open" and desk.status(truck) == "arrived"
    clear_agencies(gate, desk.world, truck.reference)
    clock.advance(minutes=30)
    at_the_line = desk._read("border_out", truck)
    assert (decision(at_the_line), reasons(at_the_line)) == ("open", [])


def test_a_truck_that_was_never_called_is_still_held_at_the_border_of_a_queue_lane(gate, clock):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    clear_agencies(gate, desk.world, truck.reference)
    at_the_line = desk._read("border_out", truck)
    assert reasons(at_the_line)[0] == "not_called_forward"  # (and the yard it skipped)


def test_a_truck_checked_in_before_its_declared_arrival_is_expected_from_its_check_in_at_once(gate):
    # Issue 15: checked in at 22:17 and told 08:00, its declared arrival, while the truck still on the road got
    # 07:00 with 25 places free that hour.
    desk = a_queue_desk(gate, per_hour=25, closed=(22, 23, 0, 1, 2, 3, 4, 5, 6))
    on_the_road = desk.declare(hours_ahead=23)  # declared for 07:00 tomorrow
    early = desk.declare(hours_ahead=24)  # declared for 08:00 tomorrow
    for truck in (on_the_road, early):
        desk.book(truck)
    desk.at(local(22))
    desk.run()
    assert desk.booking(early)["expected_call_at"] == iso(local(8, day=TOMORROW))

    desk.at(local(22, 17))
    desk.arrive_at_waiting_area(early)  # no turn of the loop between the check-in and the driver looking

    assert desk.status(early) == "waiting"
    assert desk.booking(early)["expected_call_at"] == iso(local(7, day=TOMORROW))
    assert desk.booking(on_the_road)["expected_call_at"] > desk.booking(early)["expected_call_at"]
