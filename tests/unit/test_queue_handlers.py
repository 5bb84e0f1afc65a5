"""The queue, the gate's reviews and alerts, sign-ins and Idempotency-Keys driven through the bus in memory."""
from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.barrier import BarrierDecision, Decision
from bordergate.domain.checkpoints import CheckpointKind, Direction
from bordergate.domain.errors import Conflict, Forbidden, Invalid
from bordergate.domain.plate_matching import MatchOutcome
from bordergate.domain.plate_reads import PlateRead, ReadSource, Sighting
from bordergate.services import board_views, idempotency
from bordergate.services.authentication import NotAuthenticated
from bordergate.services.idempotency import Answer, KeyedRequest
from bordergate.services.sessions import SignInsLocked
from tests.builders import PASSWORD, a_trip
from tests.conftest import NOW
from tests.integration.queue_helpers import POINT, WAY, QueueDesk, a_queue_desk, iso, local
from tests.support.memory_gate import an_in_memory_gate


@pytest.fixture
def tables() -> Tables:
    return Tables()


@pytest.fixture
def gate(tables: Tables) -> Gate:
    return an_in_memory_gate(tables)


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


# -- the gate's reviews and alerts ----------------------------------------------------------------------------------


def an_unmatched_read_in_review(gate: Gate, desk: QueueDesk, plate: str = "29H-999.99") -> str:
    """What a camera's read that fits no trip leaves behind (matching itself is SQL's: tests/integration)."""
    checkpoint = desk.huu_nghi.checkpoints["yard_entry"]
    read = PlateRead(id=gate.ids.new_id(), sighting=Sighting(checkpoint, NOW, plate, 0.95, ReadSource.CAMERA),
                     crossing_point=POINT, checkpoint_kind=CheckpointKind.YARD_ENTRY, direction=Direction.OUTBOUND,
                     received_at=NOW, actor="camera", read_as=plate, outcome=MatchOutcome.NO_MATCH,
                     barrier=BarrierDecision(Decision.HOLD))
    with gate.uow() as uow:
        uow.reads.add(read)
        uow.reviews.open(read)
        uow.commit()
    return read.id


def test_an_operator_dismisses_a_read_of_an_undeclared_truck_and_resolves_the_alert_it_raises(gate, desk, tables):
    read_id = an_unmatched_read_in_review(gate, desk)
    desk.handle(commands.ResolveReview(desk.world.operator, read_id, dismiss="undeclared", note="no papers"))
    with gate.reader() as uow:
        assert uow.reviews.listing(POINT, "open", 10) == []
        alert, = uow.alerts.listing(status="open", crossing_point=POINT, kind=None)
    assert (alert.kind.value, alert.plate, alert.read_id) == ("undeclared_truck", "29H-999.99", read_id)
    with pytest.raises(Conflict, match="already reviewed"):
        desk.handle(commands.ResolveReview(desk.world.operator, read_id, dismiss="not_a_plate"))

    desk.handle(commands.ResolveAlert(desk.world.operator, alert.id, "sent back to the car park"))
    with gate.reader() as uow:
        closed = uow.alerts.get(alert.id)
    assert closed is not None and (closed.status.value, closed.resolution) == ("resolved", "sent back to the car park")
    with pytest.raises(Conflict, match="already resolved"):
        desk.handle(commands.ResolveAlert(desk.world.operator, alert.id, "again"))
    assert [type(e).__name__ for e in tables.events][-3:] == ["ReadDismissed", "AlertRaised", "AlertResolved"]


def test_a_second_undeclared_read_of_one_plate_does_not_raise_a_second_open_alert(gate, desk):
    for _ in range(2):
        read_id = an_unmatched_read_in_review(gate, desk)
        desk.handle(commands.ResolveReview(desk.world.operator, read_id, dismiss="undeclared"))
    with gate.reader() as uow:
        assert len(uow.alerts.listing(status="open", crossing_point=POINT, kind="undeclared_truck")) == 1


def test_a_declarant_may_not_resolve_an_alert_and_nothing_changes(gate, desk, tables):
    desk.handle(commands.ResolveReview(desk.world.operator, an_unmatched_read_in_review(gate, desk),
                                       dismiss="undeclared"))
    with gate.reader() as uow:
        alert, = uow.alerts.listing(status="open", crossing_point=None, kind=None)
    before = tables.snapshot()
    with pytest.raises(Forbidden):
        desk.handle(commands.ResolveAlert(desk.world.lan, alert.id, "not mine to close"))
    assert tables.snapshot() == before


# -- signing in --------------------------------------------------------------------------------------------------


def test_signing_in_starts_a_session_that_names_the_person(gate, desk):
    assert gate.sessions is not None
    user, session = gate.sessions.sign_in("lan", PASSWORD, "203.0.113.7")
    principal = gate.sessions.principal(user.id, session.id)
    assert (principal.username, principal.session_id) == ("lan", session.id)
    with gate.reader() as uow:
        found = uow.sessions.with_user(session.id)
    assert found is not None and found[0].expires_at == NOW + gate.sessions.lifetimes.absolute


def test_wrong_passwords_count_toward_the_lock_and_a_right_one_then_waits_for_it(gate, desk, tables):
    assert gate.sessions is not None
    allowed = gate.sessions.rules.account_failures
    for _ in range(allowed - 1):
        with pytest.raises(NotAuthenticated, match="wrong username or password"):
            gate.sessions.sign_in("lan", "a wrong password", "203.0.113.7")
    assert tables.throttles["account:lan"].failures == allowed - 1
    with pytest.raises(NotAuthenticated):
        gate.sessions.sign_in("lan", "a wrong password", "203.0.113.7")
    assert tables.throttles["account:lan"].locked_until == NOW + gate.sessions.rules.first_lock
    with pytest.raises(SignInsLocked):
        gate.sessions.sign_in("lan", PASSWORD, "203.0.113.8")
    assert tables.sessions == {} and type(tables.events[-1]).__name__ == "SignInLocked"


def test_a_revoked_session_opens_nothing_any_more(gate, desk):
    assert gate.sessions is not None
    user, session = gate.sessions.sign_in("lan", PASSWORD, "203.0.113.7")
    with gate.uow() as uow:
        assert uow.sessions.revoke_of_user(user.id, NOW, "test", "signed out") == 1
        uow.commit()
    with pytest.raises(NotAuthenticated):
        gate.sessions.principal(user.id, session.id)


# -- Idempotency-Keys --------------------------------------------------------------------------------------------


def post_declaration(gate: Gate, desk: QueueDesk, key: str, trip: dict[str, Any]) -> Answer:
    """What the API does with a creating POST that carries an Idempotency-Key (entrypoints/api/idempotency.py)."""
    request = KeyedRequest(desk.world.lan.user_id, "POST", "/api/v1/declarations", key,
                           hashlib.sha256(json.dumps(trip, sort_keys=True).encode()).hexdigest())
    claimed = idempotency.claim(gate.uow(), request, gate.ids.new_id(), gate.clock.now(), timedelta(hours=24),
                                timedelta(seconds=30))
    if isinstance(claimed, idempotency.Found):
        assert claimed.answer is not None
        return claimed.answer
    with idempotency.holding(claimed):
        try:
            reference = desk.handle(commands.SubmitDeclaration(desk.world.lan, desk.world.farm, trip))
        except Exception:
            idempotency.release(gate.uow(), claimed, gate.clock.now())
            raise
    answer = Answer(201, {"Location": f"/api/v1/declarations/{reference}"}, json.dumps({"reference": reference}))
    idempotency.answered(gate.uow(), request, answer, claimed.token)
    return answer


def test_a_post_with_an_idempotency_key_answered_twice_gives_the_first_answer_and_declares_once(gate, desk, tables):
    trip = a_trip(gate)
    first = post_declaration(gate, desk, "key-1", trip)
    again = post_declaration(gate, desk, "key-1", trip)
    assert again == first and len(tables.declarations) == 1
    row, = tables.idempotency_keys.values()
    assert row["state"] == "answered" and [e["action"] for e in row["effects"]][0] == "DeclarationSubmitted"
    assert post_declaration(gate, desk, "key-2", trip) != first and len(tables.declarations) == 2


def test_an_idempotency_key_sent_again_with_another_body_is_refused(gate, desk, tables):
    post_declaration(gate, desk, "key-1", a_trip(gate))
    with pytest.raises(Invalid) as refused:
        post_declaration(gate, desk, "key-1", a_trip(gate, plate="12C-999.99"))
    problem, = refused.value.problems
    assert problem.field == "Idempotency-Key" and "already used for another request" in problem.message
    assert len(tables.declarations) == 1


def test_a_refused_post_frees_its_idempotency_key_so_the_corrected_retry_runs(gate, desk, tables):
    trip = a_trip(gate, crossing_point="NOWHERE")
    with pytest.raises(Invalid):
        post_declaration(gate, desk, "key-1", trip)
    assert tables.idempotency_keys == {} and tables.declarations == {}
    trip["crossing_point"] = "HUU_NGHI"
    assert post_declaration(gate, desk, "key-1", trip).status == 201 and len(tables.declarations) == 1


def test_cancelling_a_booking_gives_its_place_back_and_a_refused_booking_takes_none(desk, tables):
    desk.plan(per_hour=1)
    cancelled, booked = desk.declare(), desk.declare()
    desk.book(cancelled, local(10))
    desk.cancel(cancelled)
    assert desk.hour(local(10))["booked"] == 0
    desk.book(booked, local(10))
    slots_before = dict(tables.slots)
    with pytest.raises(Conflict, match="is full"):
        desk.book(desk.declare(), local(10))
    assert tables.slots == slots_before and desk.active_bookings() == 1


def test_the_control_rooms_board_shows_the_lane_its_calls_its_order_and_the_reads_waiting(gate, desk):
    called, booked = desk.declare(), desk.declare()
    desk.book(called)
    desk.book(booked, local(10))
    desk.handle(commands.CheckIn(desk.world.operator, called.reference))
    desk.minutes_later(5)
    assert desk.run()["called"] == 1
    read_id = an_unmatched_read_in_review(gate, desk)
    order = desk.handle(commands.IssueRegulationOrder(desk.world.operator, POINT, "Km 18", "Dừng chờ"))
    lane = board_views.board(gate.reader(), desk.world.operator, POINT, WAY, gate.clock.now(),
                             gate.rules.perishable_urgent, "en")
    assert [t["reference"] for t in lane["called"]] == [called.reference]
    assert (lane["counts"]["booked"], lane["counts"]["called"], lane["counts"]["capacity_this_hour"]) == (1, 1, 4)
    assert [o["id"] for o in lane["orders"]] == [order]
    assert [r["read_id"] for r in lane["reviews"]] == [read_id]
