"""The queue, the gate's reviews and alerts, sign-ins and Idempotency-Keys driven through the bus in memory."""
from __future__ import annotations

import random

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain import commands
from bordergate.domain.errors import Conflict
from bordergate.seeding import seed_crossing_points
from bordergate.services.ports import FixedClock
from tests.conftest import CHEAP_PASSWORDS, NOW
from tests.integration.queue_helpers import POINT, WAY, QueueDesk, a_queue_desk, iso, local


@pytest.fixture
def tables() -> Tables:
    return Tables()


@pytest.fixture
def gate(tables: Tables) -> Gate:
    settings = Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                        public_url="http://gate.test", sandbox_payments=True, sweep_seconds=0)
    wired = bootstrap(settings, clock=FixedClock(NOW), rng=random.Random(2026), passwords=CHEAP_PASSWORDS,
                      units=lambda read_only=False: InMemoryUnitOfWork(tables, read_only=read_only))
    seed_crossing_points(wired)
    return wired


@pytest.fixture
def desk(gate: Gate) -> QueueDesk:
    return a_queue_desk(gate)


def test_a_declarant_books_a_crossing_hour_and_the_driver_is_told_by_a_queued_notice(desk):
    truck = desk.declare()
    answer = desk.book(truck, local(10))
    booking = desk.booking(truck)
    assert booking["id"] == answer["booking_id"] and booking["slot_start"] == iso(local(10))
    assert desk.hour(local(10)) == {"starts_at": iso(local(10)), "capacity": 4, "booked": 1, "free": 3}
    told, = desk.notices(truck)
    assert told["status"] == "pending" and told["phone"] == truck.phone and "10:00 27/11" in told["text"]
    assert desk.deliver() == {"sent": 1, "retrying": 0, "failed": 0}
    assert truck.reference in desk.texts(truck)[0]


def test_a_full_hour_is_refused_with_the_next_free_hours_and_nothing_is_taken(gate):
    desk = a_queue_desk(gate, per_hour=2)
    desk.book(desk.declare(), local(10))
    desk.book(desk.declare(), local(10))
    with pytest.raises(Conflict) as refused:
        desk.book(desk.declare(), local(10))
    assert "the hour 10:00 27/11 at HUU_NGHI is full; free hours nearby: 08:00 27/11 (2 free)" in refused.value.detail
    assert desk.hour(local(10))["booked"] == 2 and desk.active_bookings() == 2


def test_the_gates_operator_sets_the_capacity_plan_and_a_closing_moves_the_overflowing_booking(desk):
    desk.plan(per_hour=1)
    first, second = desk.declare(), desk.declare()
    desk.book(first, local(10))
    desk.book(second, local(11))
    moved = desk.handle(commands.ChangeCapacity(desk.world.operator, POINT, WAY, local(10), local(11), 0,
                                                "lane works"))
    assert moved == 1
    assert [desk.booking(t)["slot_start"] for t in (first, second)] == [iso(local(12)), iso(local(11))]
    assert [desk.hour(local(h))["booked"] for h in (10, 11, 12)] == [0, 1, 1]
    told, = desk.notices(first, "moved")
    assert "dời sang 12:00 27/11 vì lane works" in told["text"]


def test_a_regulation_order_stops_calls_until_it_is_lifted(desk):
    waiting = desk.declare()
    desk.book(waiting)
    desk.handle(commands.CheckIn(desk.world.operator, waiting.reference))
    order = desk.handle(commands.IssueRegulationOrder(desk.world.operator, POINT, "bãi đỗ Km 18", "Dừng chờ",
                                                      direction=WAY))
    assert desk.run()["called"] == 0
    assert [o["id"] for o in desk.booking(waiting)["regulation_orders"]] == [order]
    desk.handle(commands.LiftRegulationOrder(desk.world.operator, order))
    with pytest.raises(Conflict, match="already lifted"):
        desk.handle(commands.LiftRegulationOrder(desk.world.operator, order))
    assert desk.run()["called"] == 1 and desk.status(waiting) == "called"
    assert len(desk.notices(waiting, "regulation")) == 2


def test_an_operator_checks_in_a_truck_whose_camera_was_down(desk):
    truck = desk.declare()
    desk.book(truck)
    desk.minutes_later(40)
    desk.handle(commands.CheckIn(desk.world.operator, truck.reference))
    booking = desk.booking(truck)
    assert booking["status"]["code"] == "waiting" and booking["in_waiting_area_since"] == iso(local(8, 40))
    with pytest.raises(Conflict):
        desk.handle(commands.CheckIn(desk.world.operator, truck.reference))
