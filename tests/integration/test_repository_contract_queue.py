"""The contract, continued: the queue's slots, capacity, regulation and snapshots, alerts, sign-ins and keys."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from bordergate.domain.accounts import Role, User
from bordergate.domain.alerts import Alert, AlertKind
from bordergate.domain.capacity import CapacityChange, CapacityPlan, DayLimit
from bordergate.domain.barrier import BarrierDecision, Decision
from bordergate.domain.booking import Booking, BookingKind
from bordergate.domain.checkpoints import Checkpoint, CheckpointKind, Direction
from bordergate.domain.errors import Conflict
from bordergate.domain.events import CrossingPointAdded
from bordergate.domain.plate_matching import MatchOutcome, PlateRole
from bordergate.domain.plate_reads import PlateRead, ReadSource, Sighting
from bordergate.domain.sessions import Session, Throttle
from bordergate.services.idempotency import Answer, KeyedRequest
from tests.conftest import NOW
from tests.integration.conftest import FARM, POINT
from tests.integration.test_repository_contract import a_declaration

OUT, IN = Direction.OUTBOUND, Direction.INBOUND
HOUR = timedelta(hours=1)


# -- slots and capacity ----------------------------------------------------------------------------------------


def test_an_hour_gives_places_up_to_its_capacity_and_takes_back_what_is_given_back(units):
    with units() as uow:
        assert [uow.slots.take(POINT, OUT, NOW, 2) for _ in range(3)] == [True, True, False]
        assert uow.slots.take(POINT, OUT, NOW, 5) is False, "an hour's row keeps the capacity it was made with"
        assert uow.slots.take(POINT, IN, NOW, 1) and uow.slots.take(POINT, OUT, NOW + HOUR, 1)
        uow.slots.give_back(POINT, OUT, NOW)
        uow.commit()
    with units() as uow:
        assert uow.slots.booked(POINT, OUT, NOW, NOW + 2 * HOUR) == {NOW: (2, 1), NOW + HOUR: (1, 1)}
        assert list(uow.slots.booked(POINT, OUT, NOW - HOUR, NOW + HOUR, lock=True)) == [NOW]
        uow.slots.give_back(POINT, OUT, NOW)
        uow.slots.give_back(POINT, OUT, NOW)  # never below nothing
        uow.slots.set(POINT, OUT, NOW + HOUR, 3, 2)
        uow.slots.set(POINT, OUT, NOW + 5 * HOUR, 3, 2)  # an hour nobody booked has no row to set
        uow.commit()
    with units() as uow:
        assert uow.slots.booked(POINT, OUT, NOW, NOW + 6 * HOUR) == {NOW: (2, 0), NOW + HOUR: (3, 2)}


def test_a_lane_runs_a_queue_once_planned_and_its_capacity_reads_plan_changes_and_limits(units):
    plan = CapacityPlan(POINT, OUT, tuple([4] * 24))
    later = CapacityChange("change-2", POINT, None, NOW + 2 * HOUR, NOW + 3 * HOUR, 0, "works")
    earlier = CapacityChange("change-1", POINT, OUT, NOW - 2 * HOUR, NOW + HOUR, 2, "scanner down")
    over = CapacityChange("change-0", POINT, OUT, NOW - 3 * HOUR, NOW - HOUR, 1, "over")
    with units() as uow:
        assert not uow.capacity.runs_a_queue(POINT, OUT) and uow.capacity.lanes() == []
        uow.capacity.set_plan(CapacityPlan(POINT, OUT, tuple([1] * 24)), NOW)
        uow.capacity.set_plan(plan, NOW)  # a new plan replaces the old
        uow.capacity.set_plan(CapacityPlan(POINT, IN, tuple([2] * 24)), NOW)
        for change in (earlier, over, later):
            uow.capacity.add_change(change, NOW)
        uow.capacity.set_limit(DayLimit(POINT, OUT, date(2026, 11, 27), 30))
        uow.capacity.set_limit(DayLimit(POINT, OUT, date(2026, 11, 27), 40))  # replaces the day's limit
        uow.capacity.set_limit(DayLimit(POINT, OUT, date(2026, 11, 26), 10))  # a day gone by
        uow.commit()
    with units() as uow:
        assert uow.capacity.runs_a_queue(POINT, OUT) and not uow.capacity.runs_a_queue("CHI_MA", OUT)
        assert uow.capacity.lanes() == [(POINT, IN), (POINT, OUT)]
        capacity = uow.capacity.of(POINT, OUT, NOW)
    assert capacity.plan == plan
    assert [c.id for c in capacity.changes] == ["change-1", "change-2"]
    assert capacity.limits == {date(2026, 11, 27): 40}


# -- regulation, snapshots, alerts -------------------------------------------------------------------------------


def an_order(order_id: str, minutes: int, direction: str | None) -> dict[str, object]:
    return {"id": order_id, "crossing_point": POINT, "direction": direction, "staging_area": "Km 18",
            "message": "Dừng chờ", "issued_by": "op", "issued_at": NOW + timedelta(minutes=minutes)}


def test_regulation_orders_are_in_force_in_the_order_issued_until_lifted_once(units):
    with units() as uow:
        uow.regulation.issue(an_order("order-b", 5, None))
        uow.regulation.issue(an_order("order-a", 1, "outbound"))
        uow.regulation.issue(an_order("order-c", 9, "inbound"))
        uow.commit()
    with units() as uow:
        assert [o["id"] for o in uow.regulation.in_force()] == ["order-a", "order-b", "order-c"]
        assert [o["id"] for o in uow.regulation.in_force(POINT, OUT)] == ["order-a", "order-b"]
        assert uow.regulation.in_force("CHI_MA") == []
        assert uow.regulation.lift("order-a", "op2", NOW) and not uow.regulation.lift("order-a", "op2", NOW)
        assert not uow.regulation.lift("no-such-order", "op2", NOW)
        uow.commit()
    with units() as uow:
        assert [o["id"] for o in uow.regulation.in_force(POINT, OUT)] == ["order-b"]
        lifted = uow.regulation.get("order-a")
        assert lifted is not None and (lifted["lifted_by"], lifted["lifted_at"]) == ("op2", NOW)
        assert uow.regulation.get("order-b")["lifted_at"] is None and uow.regulation.get("nothing") is None


def a_snapshot(direction: str, minutes: int, waiting: int) -> dict[str, object]:
    return {"crossing_point": POINT, "direction": direction, "at": NOW + timedelta(minutes=minutes),
            "waiting": waiting, "called": 0, "booked_ahead": 0, "capacity_this_hour": 4,
            "expected_wait_minutes": waiting * 15, "expected_wait_low_minutes": None,
            "expected_wait_high_minutes": None, "urgent_wait_minutes": None}


def test_the_latest_snapshot_of_each_lane_is_published_and_one_minute_is_written_once(units):
    with units() as uow:
        for row in (a_snapshot("outbound", 0, 1), a_snapshot("outbound", 1, 2), a_snapshot("inbound", 0, 5),
                    a_snapshot("outbound", 1, 3)):
            uow.snapshots.add(row)
        uow.commit()
    with units() as uow:
        assert [(r["direction"], r["waiting"]) for r in uow.snapshots.latest()] == [("inbound", 5), ("outbound", 3)]
        assert [r["waiting"] for r in uow.snapshots.since(POINT, NOW + timedelta(minutes=1))] == [3]
        assert uow.published_waits.published(POINT, OUT, NOW + timedelta(seconds=30), NOW + HOUR) == [
            (NOW, 15, None), (NOW + timedelta(minutes=1), 45, None)]


def an_alert(alert_id: str, key: str, minutes: int) -> Alert:
    return Alert(alert_id, AlertKind.UNDECLARED_TRUCK, POINT, "an undeclared truck", key,
                 NOW + timedelta(minutes=minutes), plate="29H-999.99")


def test_one_alert_is_open_per_dedupe_key_until_resolved_and_alerts_list_newest_first(units):
    with units() as uow:
        assert uow.alerts.raise_(an_alert("alert-1", "undeclared:x", 0))
        assert not uow.alerts.raise_(an_alert("alert-2", "undeclared:x", 1))
        assert uow.alerts.raise_(an_alert("alert-3", "undeclared:y", 2))
        uow.commit()
    with units() as uow:
        assert uow.alerts.open_for("undeclared:x").id == "alert-1" and uow.alerts.get("alert-2") is None
        assert uow.alerts.resolve("alert-1", by="op", at=NOW, resolution="gone")
        assert not uow.alerts.resolve("alert-1", by="op", at=NOW, resolution="again")
        assert uow.alerts.raise_(an_alert("alert-4", "undeclared:x", 3))
        uow.commit()
    with units() as uow:
        assert [a.id for a in uow.alerts.listing(status=None, crossing_point=POINT, kind=None)] == [
            "alert-4", "alert-3", "alert-1"]
        assert [a.id for a in uow.alerts.listing(status="open", crossing_point=None, kind=None, limit=1)] == [
            "alert-4"]
        assert sorted(a.id for a in uow.alerts.open_for_any(["undeclared:x", "undeclared:y"])) == [
            "alert-3", "alert-4"]
        assert uow.alerts.get("alert-1").resolution == "gone"


# -- sign-ins, throttles, Idempotency-Keys -------------------------------------------------------------------------


def test_a_session_is_seen_at_most_once_a_minute_and_revoking_counts_only_open_ones(units):
    day = timedelta(days=1)
    with units() as uow:
        uow.accounts.add_user(User("u-1", "lan", "Lan", Role.DECLARANT, FARM, "hash"), NOW)
        for session_id, ends in (("s-1", NOW + day), ("s-2", NOW + day), ("s-old", NOW - HOUR)):
            uow.sessions.start(Session(session_id, "u-1", NOW - 2 * HOUR, NOW - 2 * HOUR, ends))
        uow.commit()
    with units() as uow:
        session, user = uow.sessions.with_user("s-1")
        assert (session.user_id, user.username) == ("u-1", "lan") and uow.sessions.with_user("nope") is None
        uow.sessions.seen("s-1", NOW)
        uow.sessions.seen("s-1", NOW + timedelta(seconds=30))  # seen this minute already
        assert uow.sessions.revoke_of_user("u-1", NOW, "u-1", "signed out elsewhere", keep="s-1") == 1
        assert uow.sessions.revoke("s-2", NOW, "admin", "again") == 0
        uow.commit()
    with units() as uow:
        assert uow.sessions.with_user("s-1")[0].last_seen_at == NOW
        assert uow.sessions.with_user("s-2")[0].revoked_why == "signed out elsewhere"
        assert uow.sessions.with_user("s-old")[0].revoked_at is None, "past its end: closed, not revoked"
        assert uow.sessions.revoke_all(NOW, "admin", "key rotated") == 1
        uow.commit()


def test_a_throttle_is_made_on_first_use_saved_cleared_and_forgotten_when_quiet_and_unlocked(units):
    with units() as uow:
        assert uow.throttles.of(["account:lan"]) == {}
        assert uow.throttles.for_update("account:lan", NOW) == Throttle("account:lan", 0, None, 0, None, NOW)
        uow.throttles.save(Throttle("account:lan", 3, NOW, 0, None, NOW))
        uow.throttles.save(Throttle("account:nobody", 3, NOW, 0, None, NOW))  # never made: nothing to save
        uow.throttles.for_update("address:1.2.3.4", NOW - 2 * HOUR)
        uow.throttles.save(Throttle("address:1.2.3.4", 0, None, 1, NOW + HOUR, NOW - 2 * HOUR))
        uow.throttles.for_update("account:ghost", NOW - 2 * HOUR)
        uow.commit()
    with units() as uow:
        assert uow.throttles.of(["account:lan", "account:nobody"]) == {
            "account:lan": Throttle("account:lan", 3, NOW, 0, None, NOW)}
        uow.throttles.forget(NOW - HOUR, NOW)
        assert sorted(uow.throttles.of(["account:lan", "address:1.2.3.4", "account:ghost"])) == [
            "account:lan", "address:1.2.3.4"]
        uow.throttles.clear("account:lan")
        assert uow.throttles.of(["account:lan"]) == {}


def test_an_idempotency_key_is_claimed_once_settled_by_its_holder_answered_once_and_purged(units):
    request = KeyedRequest("u-1", "POST", "/api/v1/declarations", "key-1", "f" * 64)
    with units() as uow:
        assert uow.idempotency_keys.insert(request, "token-1", NOW, expires_at=NOW + HOUR, running_until=NOW + HOUR)
        assert not uow.idempotency_keys.insert(request, "token-2", NOW, expires_at=NOW + HOUR,
                                               running_until=NOW + HOUR)
        event = CrossingPointAdded(actor="admin", at=NOW, code="CHI_MA", name="Chi Ma")
        assert not uow.idempotency_keys.settle(request.id, "token-2", [event])
        assert uow.idempotency_keys.settle(request.id, "token-1", [event])
        assert not uow.idempotency_keys.settle(request.id, "token-1", [event]), "settled once"
        uow.idempotency_keys.answer(request.id, "token-1", Answer(201, {"Location": "/x"}, '{"a": 1}'))
        uow.idempotency_keys.answer(request.id, None, Answer(500, {}, "second"))  # answered already
        uow.commit()
    with units() as uow:
        row = uow.idempotency_keys.get(request.id)
        assert row is not None and (row["state"], row["status"], row["headers"], row["body"]) == (
            "answered", 201, {"Location": "/x"}, '{"a": 1}')
        assert row["effects"] == [{"action": "CrossingPointAdded", "subject": ["crossing_point", "CHI_MA"],
                                   "payload": {"code": "CHI_MA", "name": "Chi Ma"}}]
        uow.idempotency_keys.purge(NOW + HOUR)
        assert uow.idempotency_keys.get(request.id) is None


@pytest.mark.parametrize("settled", [False, True], ids=["never committed", "committed"])
def test_a_released_key_is_forgotten_unless_its_change_committed(units, settled):
    request = KeyedRequest("u-1", "POST", "/api/v1/declarations", "key-1", "f" * 64)
    with units() as uow:
        uow.idempotency_keys.insert(request, "token-1", NOW, expires_at=NOW + HOUR, running_until=NOW + HOUR)
        if settled:
            uow.idempotency_keys.settle(request.id, "token-1", [
                CrossingPointAdded(actor="admin", at=NOW, code="CHI_MA", name="Chi Ma")])
        uow.idempotency_keys.take_over(request.id, "not-the-holder", "token-x", NOW)  # changes nothing
        uow.idempotency_keys.release(request.id, "token-x", NOW)  # not the holder: changes nothing
        uow.idempotency_keys.release(request.id, "token-1", NOW)
        uow.commit()
    with units() as uow:
        row = uow.idempotency_keys.get(request.id)
        if settled:
            assert row is not None and (row["state"], row["claim"], row["running_until"]) == (
                "committed", "token-1", NOW)
        else:
            assert row is None


# -- reviews, agencies' messages, the security log ----------------------------------------------------------------


def an_unmatched_read(read_id: str, minutes: int) -> PlateRead:
    at = NOW + timedelta(minutes=minutes)
    sighting = Sighting("cp-1", at, "29H99999", 0.95, ReadSource.CAMERA, camera_read_id=read_id)
    return PlateRead(id=read_id, sighting=sighting,
                     crossing_point=POINT, checkpoint_kind=CheckpointKind.YARD_ENTRY, direction=OUT, received_at=at,
                     actor="camera", read_as="29H-999.99", outcome=MatchOutcome.NO_MATCH,
                     barrier=BarrierDecision(Decision.HOLD))


def test_reads_in_review_are_listed_oldest_first_and_resolved_once(units):
    with units() as uow:
        uow.checkpoints.add(Checkpoint("cp-1", POINT, CheckpointKind.YARD_ENTRY, OUT, "Yard gate", lanes=1), NOW)
        for read_id, minutes in (("read-2", 2), ("read-1", 1), ("read-3", 3)):
            read = an_unmatched_read(read_id, minutes)
            uow.reads.add(read)
            uow.reviews.open(read)
        uow.commit()
    with units() as uow:
        assert uow.reviews.resolve("read-1", by="op", at=NOW, resolution="undeclared", resolved_read_id=None,
                                   note="no papers")
        assert not uow.reviews.resolve("read-1", by="op", at=NOW, resolution="confirmed", resolved_read_id=None,
                                       note=None)
        uow.commit()
    with units() as uow:
        listed = uow.reviews.listing(POINT, "open", 10)
        assert [read.id for _, read in listed] == ["read-2", "read-3"]
        assert listed[0][0]["review_status"] == "open" and listed[0][1] == an_unmatched_read("read-2", 2)
        assert [read.id for _, read in uow.reviews.listing(None, "open", 1)] == ["read-2"]
        done, = uow.reviews.listing(POINT, "resolved", 10)
        assert (done[0]["resolution"], done[0]["review_note"], done[0]["resolved_by"]) == ("undeclared", "no papers",
                                                                                         "op")
        assert uow.reviews.get("read-1")["status"] == "resolved" and uow.reviews.get("read-9") is None


def test_an_agency_message_is_kept_by_its_id_and_a_second_copy_is_refused(units):
    with units() as uow:
        uow.agency_messages.add("customs", "m-1", "d" * 64, NOW, {"status": 200})
        uow.commit()
    with units() as uow:
        assert uow.agency_messages.get("customs", "m-1") == {
            "agency": "customs", "message_id": "m-1", "digest": "d" * 64, "received_at": NOW,
            "outcome": {"status": 200}}
        assert uow.agency_messages.get("quarantine", "m-1") is None
        with pytest.raises(Conflict, match="being applied by another request"):
            uow.agency_messages.add("customs", "m-1", "e" * 64, NOW, {"status": 200})


def test_the_security_log_keeps_a_few_rows_a_minute_per_source_and_drops_the_oldest_past_its_size(units):
    def refused(source: str, rows: int, minutes: int = 0) -> bool:
        return uow.security.add(kind="bad_signature", source=source, detail="forged",
                                at=NOW + timedelta(minutes=minutes), rows=rows, per_source_per_minute=2)

    with units() as uow:
        assert [refused(source, 10) for source in ("1.2.3.4", "1.2.3.4", "1.2.3.4", "5.6.7.8")] == [
            True, True, False, True]
        assert refused("1.2.3.4", 10, minutes=1), "a minute later the source may be logged again"
        # Kept to one row, the table forgets the source's earlier refusals, so they no longer count against it.
        assert [refused("9.9.9.9", 1) for _ in range(3)] == [True, True, True]
        uow.commit()


# -- a lane's day -------------------------------------------------------------------------------------------------


def a_pass(read_id: str, reference: str, checkpoint: Checkpoint, minutes: int) -> PlateRead:
    at = NOW + timedelta(minutes=minutes)
    return PlateRead(id=read_id, sighting=Sighting(checkpoint.id, at, "12C12345", 0.95, ReadSource.CAMERA,
                                                   camera_read_id=read_id),
                     crossing_point=POINT, checkpoint_kind=checkpoint.kind, direction=OUT, received_at=at,
                     actor="camera", read_as="12C-123.45", outcome=MatchOutcome.MATCHED,
                     barrier=BarrierDecision(Decision.OPEN), reference=reference, role=PlateRole.TRACTOR,
                     is_pass=True)


def test_a_lanes_day_tells_where_open_trips_stand_when_trips_crossed_and_how_long_called_trucks_waited(units):
    yard = Checkpoint("cp-yard", POINT, CheckpointKind.YARD_ENTRY, OUT, "Yard gate", lanes=1)
    border = Checkpoint("cp-border", POINT, CheckpointKind.BORDER_OUT, OUT, "Border", lanes=1)
    waiting = Booking.make(id="bk-1", reference="BG261127-AAAAAA", enterprise_id=FARM, booked_by="lan",
                           crossing_point=POINT, direction=OUT, kind=BookingKind.LIVE, tractor_plate="12C12345",
                           booked_at=NOW)
    with units() as uow:
        uow.checkpoints.add(yard, NOW)
        uow.checkpoints.add(border, NOW)
        uow.declarations.add(a_declaration("BG261127-AAAAAA"))
        uow.declarations.add(a_declaration("BG261127-BBBBBB", plate="12C-543.21"))
        uow.bookings.add(waiting)
        uow.commit()
    with units() as uow:
        crossed = uow.declarations.get("BG261127-BBBBBB")
        crossed.record_crossing(actor="camera", now=NOW + timedelta(minutes=20), checkpoint_id=border.id,
                                crossed_at=NOW + timedelta(minutes=20))
        uow.declarations.save(crossed, 1)
        for read in (a_pass("r-1", "BG261127-AAAAAA", yard, 5), a_pass("r-2", "BG261127-BBBBBB", yard, 10),
                     a_pass("r-3", "BG261127-BBBBBB", border, 20), a_pass("r-4", "BG261127-BBBBBB", border, 25)):
            uow.reads.add(read)
        booking = uow.bookings.get("bk-1")
        booking.check_in(actor="op", at=NOW + timedelta(minutes=1), how="operator")
        booking.call(at=NOW + timedelta(minutes=15), deadline=timedelta(minutes=30))
        uow.bookings.save(booking, 1)
        uow.commit()
    with units() as uow:
        assert uow.lane_days.last_stops(POINT, OUT) == {"BG261127-AAAAAA": CheckpointKind.YARD_ENTRY}
        assert uow.lane_days.crossings(POINT, OUT, NOW) == [NOW + timedelta(minutes=20)]
        assert uow.lane_days.crossings(POINT, OUT, NOW + HOUR) == []
        assert uow.lane_days.calls(POINT, OUT, NOW) == [(NOW + timedelta(minutes=1), NOW + timedelta(minutes=15))]
        assert uow.lane_days.calls(POINT, IN, NOW) == []
        assert uow.published_waits.waited(POINT, OUT, NOW, NOW + HOUR) == [{
            "queued_at": NOW + timedelta(minutes=1), "called_at": NOW + timedelta(minutes=15), "priority": "none",
            "perishable_until": None}]
        assert uow.published_waits.waited(POINT, OUT, NOW + HOUR, NOW + 2 * HOUR) == []
