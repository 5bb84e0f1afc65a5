"""Use case: a declarant books a declared truck's crossing, a fixed hour or the live queue, and the rules."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bordergate.adapters.sql.tables import audit_log

from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound, TooManyRequests
from tests.conftest import NOW
from tests.integration.queue_helpers import a_queue_desk, hours, iso, local


def test_a_declarant_books_a_fixed_hour_and_the_driver_is_told_by_sms(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    answer = desk.book(truck, local(10))
    assert answer["warning"] is None
    booking = desk.booking(truck)
    assert booking["id"] == answer["booking_id"]
    assert (booking["status"]["code"], booking["kind"]["code"], booking["slot_start"]) == \
        ("booked", "slot", iso(local(10)))
    assert desk.hour(local(10)) == {"starts_at": iso(local(10)), "capacity": 4, "booked": 1, "free": 3}
    assert desk.deliver() == {"sent": 1, "retrying": 0, "failed": 0}
    text, = desk.texts(truck)
    assert "10:00 27/11" in text and truck.reference in text and "12C-101.11" in text
    assert gate.tracking_url(truck.reference) in text  # the driver's page, no password needed


def test_a_truck_joins_the_live_queue_without_an_hour_and_is_checked_in_by_the_waiting_area_camera(gate, clock):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    booking = desk.booking(truck)
    assert (booking["kind"]["code"], booking["slot_start"], booking["status"]["code"]) == ("live", None, "booked")
    clock.advance(minutes=40)
    assert desk.arrive_at_waiting_area(truck).read.barrier.decision.value == "open"
    booking = desk.booking(truck)
    assert booking["status"]["code"] == "waiting"
    assert booking["in_waiting_area_since"] == iso(local(8, 40))


@pytest.mark.parametrize("kind, slot_start, says", [
    ("slot", local(10, 30), "did you mean 2026-11-27T10:00:00+07:00?"),
    ("slot", local(10).replace(tzinfo=None), "time zone"),
    ("slot", local(7), "that hour is over"),
    ("slot", NOW + timedelta(days=30, hours=1), "at most 30 days ahead"),
    ("slot", None, "give the hour to book"),
    ("live", local(10), "the live queue has no hour"),
], ids=["not on the hour", "without a time zone", "an hour already over", "beyond the booking horizon",
        "no hour given", "an hour for the live queue"])
def test_a_booking_needs_a_coming_whole_hour_within_the_horizon(gate, kind, slot_start, says):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    with pytest.raises(Invalid) as refused:
        gate.bus.handle(commands.BookCrossing(desk.world.lan, truck.reference, kind, slot_start))
    problem, = refused.value.problems
    assert problem.field == "slot_start" and says in problem.message
    assert gate.rules.days_ahead == timedelta(days=30)


def test_the_hour_under_way_and_the_last_hour_of_the_horizon_may_be_booked(gate, clock):
    desk = a_queue_desk(gate)
    now_truck, last_truck = desk.declare(), desk.declare()
    clock.advance(minutes=40)  # 08:40: the 08:00 hour is still running
    desk.book(now_truck, local(8))
    desk.book(last_truck, NOW + gate.rules.days_ahead)
    assert desk.booking(last_truck)["slot_start"] == (NOW + gate.rules.days_ahead).isoformat()


def test_a_closed_hour_is_refused_with_the_free_hours_nearby(gate):
    desk = a_queue_desk(gate, closed=(12,))  # the lanes close for lunch
    with pytest.raises(Conflict) as refused:
        desk.book(desk.declare(), local(12))
    assert "the hour 12:00 27/11 at HUU_NGHI is closed" in refused.value.detail
    assert "free hours nearby: 08:00 27/11 (4 free), 09:00 27/11 (4 free)" in refused.value.detail
    assert "11:00 27/11 (4 free), 13:00 27/11 (4 free)" in refused.value.detail


def test_a_full_hour_is_refused_with_the_free_hours_nearby_and_nothing_is_taken(gate):
    desk = a_queue_desk(gate, per_hour=2)
    desk.book(desk.declare(), local(10))
    desk.book(desk.declare(), local(11))
    desk.book(desk.declare(), local(10))
    with pytest.raises(Conflict) as refused:
        desk.book(desk.declare(), local(10))
    assert "the hour 10:00 27/11 at HUU_NGHI is full; free hours nearby: " \
           "08:00 27/11 (2 free), 09:00 27/11 (2 free), 11:00 27/11 (1 free), 12:00 27/11 (2 free)" \
           in refused.value.detail
    assert desk.hour(local(10))["booked"] == 2 and desk.active_bookings() == 3


def test_a_declaration_holds_one_active_booking(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck, local(10))
    with pytest.raises(Conflict, match="already booked"):
        desk.book(truck)
    with pytest.raises(Conflict, match="already booked"):
        desk.book(truck, local(11))
    assert desk.hour(local(11))["booked"] == 0


def test_a_truck_holds_one_place_even_when_declared_twice(gate):
    desk = a_queue_desk(gate)
    first = desk.declare(plate="12C-555.55")
    second = desk.declare(plate="12C-555.55", customs_declaration_number="305123456790")
    desk.book(first, local(10))
    with pytest.raises(Conflict, match="truck 12C55555 already has an active booking"):
        desk.book(second, local(10))
    assert desk.hour(local(10))["booked"] == 1, "the refused booking must not keep the place it tried"
    desk.cancel(first)
    desk.book(second, local(10))
    assert desk.hour(local(10))["booked"] == 1


def test_a_crossing_point_without_a_capacity_plan_takes_no_bookings(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare(point="TAN_THANH")
    with pytest.raises(Conflict, match="TAN_THANH does not run a queue for outbound trucks yet"):
        desk.book(truck)


@pytest.mark.parametrize("who, refusal", [
    ("minh", NotFound), ("agent", NotFound), ("customs", Forbidden), ("operator", Forbidden)],
    ids=["another enterprise's declarant", "an agent the farm never authorised", "a customs officer",
         "a gate operator"])
def test_only_the_enterprise_its_declarants_and_agents_may_book_its_trucks(gate, who, refusal):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    with pytest.raises(refusal):
        desk.book(truck, by=getattr(desk.world, who))
    assert desk.active_bookings() == 0


def test_an_authorised_agent_books_for_the_enterprise(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare(by=desk.world.agent, enterprise=desk.world.fruit)
    desk.book(truck, local(9), by=desk.world.agent)
    desk.cancel(truck, by=desk.world.minh)
    assert desk.status(truck) == "cancelled"


def test_once_booked_only_the_driver_may_be_amended_until_the_booking_is_cancelled(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck, local(11))

    def amend(changes):
        gate.bus.handle(commands.AmendDeclaration(desk.world.lan, truck.reference, changes))

    for locked in ({"vehicle.tractor_plate": "12C-999.99"}, {"goods[0].packages": 10},
                   {"driver.phone": "0987654321", "vehicle.axles": 6}):
        with pytest.raises(Conflict, match="only the driver may be changed now"):
            amend(locked)
    amend({"driver.phone": "0987654321"})
    amend({"driver": {"full_name": "Hoàng Văn Tâm", "document_number": "001099000111", "nationality": "VN",
                      "phone": "0987654321"}})
    assert desk.status(truck) == "booked"
    desk.cancel(truck)
    amend({"vehicle.tractor_plate": "12C-999.99"})


def test_cancelling_gives_the_hours_place_to_someone_else(gate):
    desk = a_queue_desk(gate, per_hour=1)
    lans, minhs = desk.declare(), desk.declare(by=desk.world.minh, enterprise=desk.world.fruit)
    desk.book(lans, local(10))
    with pytest.raises(Conflict, match="is full"):
        desk.book(minhs, local(10))
    desk.cancel(lans)  # two hours ahead: in good time
    desk.book(minhs, local(10))
    assert desk.hour(local(10))["booked"] == 1
    assert desk.status(lans) == "cancelled" and desk.strikes() == 0


def test_cancelling_the_declaration_cancels_its_booking_and_frees_its_hour(gate):
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck, local(10))
    gate.bus.handle(commands.CancelDeclaration(desk.world.lan, truck.reference, "the buyer cancelled"))
    assert desk.status(truck) == "cancelled"
    assert desk.hour(local(10))["booked"] == 0 and desk.active_bookings() == 0


def test_late_cancellations_and_no_shows_block_the_enterprise_until_the_block_passes(gate, clock):
    desk = a_queue_desk(gate)
    assert (gate.rules.late_cancel, gate.rules.strikes_to_block, gate.rules.block) == \
        (hours(2), 3, timedelta(days=7))
    for _ in range(2):
        truck = desk.declare()
        desk.book(truck, local(9))  # in an hour: cancelling now is late
        desk.cancel(truck)
    assert desk.strikes() == 2
    absent = desk.declare()
    desk.book(absent, local(8))
    desk.at(local(9, 29))
    desk.run()
    assert desk.status(absent) == "booked"
    desk.at(local(9, 30))  # its hour and half an hour of grace are over
    assert desk.run()["no_shows"] == 1
    assert desk.status(absent) == "no_show" and desk.strikes() == 3

    blocked = desk.declare()
    with pytest.raises(Forbidden, match="3 late cancellations, no-shows or lost calls in 30 days; "
                                        "it may book again from 09:30 04/12"):
        desk.book(blocked)
    other = desk.declare(by=desk.world.agent, enterprise=desk.world.fruit)
    desk.book(other)  # the block is the farm's alone

    clock.advance(days=7, seconds=-1)
    with pytest.raises(Forbidden):
        desk.book(blocked)
    clock.advance(seconds=1)
    desk.book(blocked)
    assert desk.status(blocked) == "booked"


def test_more_bookings_a_minute_than_a_person_makes_are_refused_with_when_to_retry(gate, clock):
    desk = a_queue_desk(gate)
    allowed = gate.rules.bookings_per_minute
    trucks = [desk.declare() for _ in range(allowed + 1)]
    for truck in trucks[:allowed]:
        desk.book(truck)
    with pytest.raises(TooManyRequests) as refused:
        desk.book(trucks[-1])
    assert refused.value.retry_after == 60 and f"at most {allowed} a minute" in refused.value.detail
    desk.book(desk.declare(by=desk.world.agent, enterprise=desk.world.fruit))
    clock.advance(minutes=1, seconds=1)
    desk.book(trucks[-1])
    assert desk.active_bookings() == allowed + 2


def test_refused_attempts_count_too_so_a_bot_hammering_a_full_hour_is_slowed(gate):
    desk = a_queue_desk(gate, per_hour=1)
    desk.book(desk.declare(by=desk.world.agent, enterprise=desk.world.fruit), local(10))
    truck, allowed = desk.declare(), gate.rules.bookings_per_minute
    for _ in range(allowed):
        with pytest.raises(Conflict):
            desk.book(truck, local(10))
    with pytest.raises(TooManyRequests):
        desk.book(truck, local(11))
    assert desk.active_bookings() == 1


def test_a_perishable_load_that_would_spoil_before_its_call_is_warned_with_the_numbers(gate):
    desk = a_queue_desk(gate, closed=range(8, 12))  # no crossing before noon today
    fresh = desk.declare("durian", hours_ahead=1)
    assert desk.book(fresh)["warning"] is None
    lychee = desk.declare("durian", shelf_life_hours=3, hours_ahead=0.5)  # at the gate within the half hour
    warning = desk.book(lychee)["warning"]
    assert (warning["expected_wait_hours"], warning["remaining_shelf_life_hours"]) == (4.0, 3.0)
    assert (warning["expected_call_at"], warning["capacity_this_hour"]) == (iso(local(12)), 0)
    assert "longer than the cargo's remaining shelf life" in warning["message"]
    desk.deliver()
    booked, warned = desk.texts(lychee)
    assert "4.0 giờ" in warned and "3.0 giờ" in warned and "12C-102.12" in warned
    assert [n["kind"] for n in desk.notices(lychee)] == ["booked", "shelf_life_warning"]
    assert [n["kind"] for n in desk.notices(fresh)] == ["booked"]


def test_a_shipper_booking_a_day_ahead_is_warned_of_the_queue_the_truck_will_meet_not_the_one_now(gate):
    desk = a_queue_desk(gate, closed=range(8, 14))  # every morning, nothing crosses before 14:00
    # Today the gate opens at 14:00, before this load spoils; tomorrow the truck arrives at 08:00 and the gate
    # opens at 14:00 again, three hours after the load spoils at 11:00.
    lychee = desk.declare("durian", shelf_life_hours=27, hours_ahead=24)
    warning = desk.book(lychee)["warning"]
    assert warning is not None
    assert warning["expected_call_at"] == iso(local(14, day=local(8).date() + timedelta(days=1)))
    assert warning["remaining_shelf_life_hours"] == 27.0


def test_a_perishable_booked_for_an_hour_after_it_spoils_is_warned(gate):
    desk = a_queue_desk(gate)
    lychee = desk.declare("durian", shelf_life_hours=10)
    warning = desk.book(lychee, local(8, day=local(8).date() + timedelta(days=1)))["warning"]
    assert (warning["expected_wait_hours"], warning["remaining_shelf_life_hours"]) == (24.0, 10.0)


def test_a_shelf_life_warning_counts_only_the_trucks_ahead(gate):
    desk = a_queue_desk(gate)
    later = desk.declare()
    desk.book(later, local(8, day=local(8).date() + timedelta(days=2)))  # behind: two days on
    lychee = desk.declare("durian", shelf_life_hours=10)
    warning = desk.book(lychee, local(8, day=local(8).date() + timedelta(days=1)))["warning"]
    assert warning["trucks_ahead"] == 0


def test_a_booking_sms_still_queued_goes_to_the_phone_corrected_after_booking_and_history_says_where(gate):
    # Issue 15: booked 15:16:37, phone corrected 15:16:50, SMS sent 15:17:04 to the old number.
    desk = a_queue_desk(gate)
    truck = desk.declare()
    desk.book(truck)
    gate.bus.handle(commands.AmendDeclaration(truck.declarant, truck.reference, {"driver.phone": "0987654321"},
                                              "the driver changed phones"))
    assert desk.deliver()["sent"] == 1

    assert desk.texts(truck) == [] and len(gate.sms.to("+84987654321")) == 1
    [notice] = desk.notices(truck)
    assert (notice["status"], notice["phone"]) == ("sent", "+84987654321")
    with gate.reader() as uow:
        trail = {row["action"]: row["payload"] for row in uow.audit.history("declaration", truck.reference)}
    assert trail["NoticesReaddressed"]["phone"] == "+84987654321"
    assert trail["NoticesReaddressed"]["notice_ids"] == [notice["id"]]
    assert trail["NoticeSent"]["phone"] == "+84987654321"
    with gate.engine.connect() as connection:  # the trail itself holds no phone: it is sealed
        stored = connection.execute(select(audit_log.c.payload).where(
            audit_log.c.action == "NoticesReaddressed")).scalar_one()
    assert "987654321" not in str(stored)
