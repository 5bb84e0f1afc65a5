"""Use cases of the control room: reads a person settles, alerts the gate raises, and officers' holds."""
from __future__ import annotations

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid
from tests.builders import a_gateway
from tests.integration.control_helpers import UNSURE, ControlRoom, a_control_room, decision, reasons


def an_unsure_read(room: ControlRoom, plate: str = "12C-123.45"):
    """The waiting-area camera is not sure of what it read: the read waits for an operator."""
    return room.read("waiting_area_entry", plate, UNSURE).read


def test_a_low_confidence_read_goes_to_review_and_holds_the_truck(gate):
    room = a_control_room(gate)
    reference = room.declare()
    answer = room.read("waiting_area_entry", confidence=UNSURE)
    assert (answer.read.outcome.value, answer.read.reference) == ("low_confidence", None)
    assert decision(answer) == "hold" and reasons(answer) == ["plate_unsure"]
    (item, waiting), = room.reviews()
    assert waiting.id == answer.read.id and item["review_status"] == "open"
    assert [s["reference"] for s in waiting.suggestions] == [reference]


def test_an_operator_confirms_a_review_and_the_read_is_decided_anew(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    unsure = an_unsure_read(room)
    clock.advance(minutes=1)
    answer = gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, reference=reference,
                                                    note="plate clear on the picture"))
    confirmed = answer.read
    assert confirmed.id != unsure.id and confirmed.corrects_read_id == unsure.id
    assert confirmed.sighting.source.value == "review" and confirmed.actor == room.world.operator.user_id
    assert (confirmed.reference, decision(answer), confirmed.is_pass) == (reference, "open", True)
    assert confirmed.sighting.captured_at == unsure.sighting.captured_at
    assert room.reviews() == []
    (item, _), = room.reviews("resolved")
    assert (item["resolution"], item["resolved_by"], item["resolved_read_id"]) == (
        "confirmed", room.world.operator.user_id, confirmed.id)
    assert [r.id for r in room.reads(reference)] == [confirmed.id]


def test_a_review_is_settled_only_once(gate):
    room = a_control_room(gate)
    reference = room.declare()
    unsure = an_unsure_read(room)
    gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, reference=reference))
    stored = room.stored()
    with pytest.raises(Conflict):
        gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, dismiss="not_a_plate"))
    assert room.stored() == stored


def test_correcting_a_read_to_a_plate_no_open_declaration_carries_is_refused(gate):
    room = a_control_room(gate)
    reference = room.declare()
    unsure = an_unsure_read(room, "12C-123.4S")
    stored = room.stored()
    with pytest.raises(Invalid) as refused:
        gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, plate="12C-999.99"))
    assert [p.field for p in refused.value.problems] == ["plate"]
    assert room.stored() == stored and len(room.reviews()) == 1
    answer = gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, plate="12C-123.45"))
    assert (answer.read.reference, answer.read.read_as, decision(answer)) == (reference, "12C12345", "open")


def test_dismissing_a_read_as_undeclared_raises_an_undeclared_truck_alert(gate):
    room = a_control_room(gate)
    unsure = an_unsure_read(room, "29C-999.99")
    assert room.alerts("undeclared_truck") == []  # an unsure read alone is no proof
    assert gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, dismiss="undeclared")) is None
    alert, = room.alerts("undeclared_truck")
    assert (alert.plate, alert.read_id) == ("29C99999", unsure.id)
    assert alert.checkpoint_id == room.huu_nghi.checkpoints["waiting_area_entry"]
    (item, _), = room.reviews("resolved")
    assert item["resolution"] == "undeclared"


def test_only_the_gates_operators_settle_reviews(gate):
    room = a_control_room(gate)
    reference = room.declare()
    unsure = an_unsure_read(room)
    stored = room.stored()
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.ResolveReview(room.world.lan, unsure.id, reference=reference))
    assert room.stored() == stored and len(room.reviews()) == 1


def test_an_operator_enters_a_plate_by_hand_when_the_camera_is_down(gate):
    room = a_control_room(gate)
    reference = room.declare()
    answer = gate.bus.handle(commands.EnterPlate(room.world.operator, room.huu_nghi.checkpoints["waiting_area_entry"],
                                                 "12C-123.45", note="camera fogged up"))
    read = answer.read
    assert (read.sighting.source.value, read.actor, read.sighting.note) == (
        "manual", room.world.operator.user_id, "camera fogged up")
    assert (read.reference, decision(answer), read.is_pass) == (reference, "open", True)


def test_one_plate_at_two_crossing_points_within_half_an_hour_raises_one_cloned_plate_alert(gate, clock):
    room = a_control_room(gate)
    tan_thanh = a_gateway(gate, room.world.operator, "TAN_THANH")
    assert len(set(tan_thanh.checkpoints.values()) | set(room.huu_nghi.checkpoints.values())) == 16
    reference = room.declare()
    room.read("waiting_area_entry")
    clock.advance(minutes=12)
    elsewhere = room.read("waiting_area_entry", gateway=tan_thanh)
    assert (elsewhere.read.reference, decision(elsewhere)) == (None, "divert")  # not declared at Tan Thanh
    clone, = room.alerts("cloned_plate")
    assert clone.plate == "12C12345" and {"HUU_NGHI", "TAN_THANH"} <= set(clone.detail.split())
    clock.advance(minutes=3)
    room.read("highway_approach", gateway=tan_thanh)
    at_home = room.read("yard_entry")
    # Back at Huu Nghi the plate is still the one just seen at Tan Thanh: which truck is the real one, a person says.
    assert (at_home.read.reference, decision(at_home), reasons(at_home)) == (reference, "hold", ["plate_in_doubt"])
    assert len(room.alerts("cloned_plate", status=None)) == 1


def test_a_plate_read_at_another_crossing_point_minutes_after_it_crossed_holds_until_an_operator_confirms(gate,
                                                                                                          clock):
    room = a_control_room(gate)
    tan_thanh = a_gateway(gate, room.world.operator, "TAN_THANH")
    crossed = room.declare()
    next_trip = room.declare(point="TAN_THANH")
    room.clear(crossed)
    room.drive_up_to_the_border()
    assert decision(room.read("border_out")) == "open" and room.status(crossed) == "crossed"
    clock.advance(minutes=3)
    held = room.read("waiting_area_entry", gateway=tan_thanh)
    assert (held.read.reference, decision(held), reasons(held)) == (next_trip, "hold", ["plate_in_doubt"])
    assert "HUU_NGHI" in held.read.barrier.reasons[0].detail
    clone, = room.alerts("cloned_plate")
    assert clone.read_id == held.read.id
    (item, waiting), = room.reviews()
    assert waiting.id == held.read.id and held.read.needs_review
    clock.advance(minutes=2)
    confirmed = gate.bus.handle(commands.ResolveReview(room.world.operator, held.read.id, reference=next_trip,
                                                       note="driver's papers and the truck's VIN checked"))
    assert (confirmed.read.reference, decision(confirmed), reasons(confirmed)) == (next_trip, "open", [])
    clock.advance(minutes=5)
    # Confirmed here once: the trip's next checkpoints at Tan Thanh no longer doubt it.
    further = room.read("yard_entry", gateway=tan_thanh)
    assert "plate_in_doubt" not in reasons(further)


def test_a_truck_in_the_yard_too_long_raises_one_overstay_alert_until_it_crosses(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    clock.advance(hours=9)
    assert gate.bus.handle(commands.SweepGate(room.world.operator))["overstay_in_yard"] == 1
    overstay, = room.alerts("overstay_in_yard")
    assert overstay.reference == reference
    assert gate.bus.handle(commands.SweepGate(room.world.operator)) == {"camera_silent": 0, "overstay_in_yard": 0}
    clock.advance(minutes=10)
    assert decision(room.read("border_out")) == "open"
    assert room.alerts("overstay_in_yard") == []
    assert room.alerts("overstay_in_yard", status="resolved")[0].resolved_by == "system"


def test_a_silent_camera_raises_an_alert_that_a_heartbeat_or_a_read_resolves(gate, clock):
    room = a_control_room(gate)
    cameras = room.huu_nghi.cameras
    clock.advance(minutes=3)
    room.read("waiting_area_entry", "29C-999.99")
    clock.advance(minutes=3)
    raised = gate.bus.handle(commands.SweepGate(room.world.operator))
    assert raised == {"camera_silent": len(cameras) - 1, "overstay_in_yard": 0}
    silent = {alert.camera_id for alert in room.alerts("camera_silent")}
    assert silent == set(cameras.values()) - {cameras["waiting_area_entry"]}

    clock.advance(minutes=1)
    gate.bus.handle(commands.ReportHeartbeat(room.huu_nghi.keys["yard_entry"]))
    room.read("border_out", "29C-999.99")
    still_silent = {alert.camera_id for alert in room.alerts("camera_silent")}
    assert still_silent == silent - {cameras["yard_entry"], cameras["border_out"]}
    assert gate.bus.handle(commands.SweepGate(room.world.operator))["camera_silent"] == 0


def test_a_customs_hold_keeps_the_border_shut_until_customs_lifts_it(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    hold = gate.bus.handle(commands.PlaceHold(room.world.customs, reference, "documents missing"))
    held = room.read("border_out")
    assert decision(held) == "hold" and reasons(held) == ["agency_hold"]
    assert held.read.barrier.reasons[0].detail == "customs: documents missing"
    exit_alert, = room.alerts("exit_without_clearance")
    assert exit_alert.reference == reference
    assert room.status(reference) == "submitted"

    clock.advance(minutes=15)
    gate.bus.handle(commands.LiftHold(room.world.customs, hold, "certificate handed in"))
    clock.advance(minutes=1)
    assert decision(room.read("border_out")) == "open"
    assert room.status(reference) == "crossed"
    assert room.alerts("exit_without_clearance") == []


def test_a_border_guard_cannot_lift_a_customs_hold(gate):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    hold = gate.bus.handle(commands.PlaceHold(room.world.customs, reference, "documents missing"))
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.LiftHold(room.world.guard, hold, "looks fine to me"))
    assert reasons(room.read("border_out")) == ["agency_hold"]


def test_an_operator_closes_an_alert_with_a_note_and_an_empty_note_is_refused(gate, clock):
    room = a_control_room(gate)
    room.read("waiting_area_entry", "29C-999.99")
    alert, = room.alerts("undeclared_truck")
    with pytest.raises(Invalid) as refused:
        gate.bus.handle(commands.ResolveAlert(room.world.operator, alert.id, "   "))
    assert [p.field for p in refused.value.problems] == ["note"]
    assert len(room.alerts("undeclared_truck")) == 1
    clock.advance(minutes=4)
    gate.bus.handle(commands.ResolveAlert(room.world.operator, alert.id, "driver sent back to declare the trip"))
    closed, = room.alerts("undeclared_truck", status="resolved")
    assert (closed.resolved_by, closed.resolved_at, closed.resolution) == (
        room.world.operator.user_id, clock.now(), "driver sent back to declare the trip")
    with pytest.raises(Conflict):
        gate.bus.handle(commands.ResolveAlert(room.world.operator, alert.id, "again"))


def test_every_control_change_is_in_the_audit_trail_with_its_actor_and_time(gate, clock):
    room = a_control_room(gate)
    operator, customs = room.world.operator.user_id, room.world.customs.user_id
    camera = {name: f"camera:{camera_id}" for name, camera_id in room.huu_nghi.cameras.items()}
    reference = room.declare()
    room.clear(reference)  # the agencies' releases are on the trail before what this test follows
    opening = len(room.history("declaration", reference))
    trail: list[tuple[str, str, object]] = []

    def then(actor: str, *actions: str) -> None:
        trail.extend((action, actor, clock.now()) for action in actions)
        clock.advance(minutes=1)

    unsure = an_unsure_read(room)  # matched to no trip yet: on record under the read itself
    read_at = clock.now()
    clock.advance(minutes=1)
    gate.bus.handle(commands.ResolveReview(room.world.operator, unsure.id, reference=reference))
    then(operator, "PlateReadDecided")
    gate.bus.handle(commands.EnterPlate(room.world.operator, room.huu_nghi.checkpoints["yard_entry"], "12C-123.45"))
    then(operator, "PlateReadDecided")
    hold = gate.bus.handle(commands.PlaceHold(room.world.customs, reference, "documents missing"))
    then(customs, "HoldPlaced")
    room.read("border_out")
    then(camera["border_out"], "PlateReadDecided")
    trail.append(("AlertRaised", "system", trail[-1][2]))  # exit without clearance
    gate.bus.handle(commands.LiftHold(room.world.customs, hold))
    then(customs, "HoldLifted")
    room.read("border_out")
    then(camera["border_out"], "PlateReadDecided", "DeclarationCrossed")
    trail.append(("AlertResolved", "system", trail[-1][2]))  # the gate itself closes the exit alert
    rows = [(r["action"], r["actor"], r["at"]) for r in room.history("declaration", reference)][opening:]
    assert sorted(rows, key=str) == sorted(trail, key=str)
    assert [(r["action"], r["actor"], r["at"]) for r in room.history("plate_read", unsure.id)] == [
        ("PlateReadDecided", camera["waiting_area_entry"], read_at)]

    stray = an_unsure_read(room, "29C-999.99")
    gate.bus.handle(commands.ResolveReview(room.world.operator, stray.id, dismiss="undeclared"))
    dismissed, = room.history("plate_read", stray.id)[1:]
    assert (dismissed["action"], dismissed["actor"], dismissed["at"]) == ("ReadDismissed", operator, clock.now())
    alert, = room.alerts("undeclared_truck")
    clock.advance(minutes=1)
    gate.bus.handle(commands.ResolveAlert(room.world.operator, alert.id, "truck turned back"))
    assert [(r["action"], r["actor"]) for r in room.history("alert", alert.id)] == [
        ("AlertRaised", "system"), ("AlertResolved", operator)]


def test_an_operator_enters_the_missed_yard_read_and_the_held_truck_may_cross(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.read("waiting_area_entry")
    clock.advance(minutes=20)
    assert reasons(room.read("border_out")) == ["checkpoint_skipped"]
    clock.advance(minutes=3)  # the operator checks the yard's logbook and enters the truck by hand
    gate.bus.handle(commands.EnterPlate(room.world.operator, room.huu_nghi.checkpoints["yard_entry"], "12C-123.45",
                                        note="yard camera missed it; in the yard logbook"))
    assert room.alerts("checkpoint_skipped") == []
    clock.advance(minutes=1)
    assert decision(room.read("border_out")) == "open"
    assert room.status(reference) == "crossed"


def test_a_truck_held_at_one_border_checkpoint_and_crossing_at_another_closes_its_exit_alert(gate, clock):
    room = a_control_room(gate)
    operator = room.world.operator
    second_border = gate.bus.handle(commands.AddCheckpoint(operator, "HUU_NGHI", "border_out", "outbound",
                                                           "border out, lanes 3-4"))
    _, second_camera = gate.bus.handle(commands.RegisterCamera(operator, second_border, "cam border out B"))
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    hold = gate.bus.handle(commands.PlaceHold(room.world.customs, reference, "documents missing"))
    assert reasons(room.read("border_out")) == ["agency_hold"]
    gate.bus.handle(commands.LiftHold(room.world.customs, hold))
    clock.advance(minutes=2)
    assert decision(room.send(second_camera)) == "open"
    assert room.status(reference) == "crossed"
    assert room.alerts("exit_without_clearance") == []
