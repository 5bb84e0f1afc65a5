"""Use case: a camera reads a plate, the gate matches it to a declared trip and tells the barrier what to do."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Forbidden, Invalid
from bordergate.services.authentication import NotAuthenticated
from tests.builders import a_gateway, a_world
from tests.integration.control_helpers import PLATE, ControlRoom, a_control_room, decision, reasons


def test_a_declared_truck_read_at_the_waiting_area_is_let_in(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    answer = room.read("waiting_area_entry", "12C12345")
    read = answer.read
    assert (read.outcome.value, read.reference, read.role.value) == ("matched", reference, "tractor")
    assert decision(answer) == "open" and reasons(answer) == []
    assert read.is_pass and not answer.replayed
    assert read.sighting.source.value == "camera"
    assert [r.id for r in room.reads(reference)] == [read.id]
    last = room.history("declaration", reference)[-1]
    camera = room.huu_nghi.cameras["waiting_area_entry"]
    assert (last["action"], last["actor"], last["at"]) == ("PlateReadDecided", f"camera:{camera}", clock.now())


@pytest.mark.parametrize("read_id", ["cam-7-000123", None], ids=["with its own read id", "without a read id"])
def test_a_camera_retrying_a_read_gets_the_same_answer_and_nothing_is_stored_twice(gate, clock, read_id):
    room = a_control_room(gate)
    reference = room.declare()
    captured = clock.now()
    first = room.read("waiting_area_entry", at=captured, read_id=read_id)
    stored = room.stored()
    clock.advance(seconds=20)  # the camera heard no answer in time and sends the same read again
    again = room.read("waiting_area_entry", at=captured, read_id=read_id)
    assert again.replayed and not first.replayed
    assert again.read.id == first.read.id
    assert (decision(again), again.read.reference) == (decision(first), reference) == ("open", reference)
    assert room.stored() == stored
    assert len(room.reads(reference)) == 1


def test_a_read_id_used_again_for_another_plate_is_refused_and_nothing_is_stored(gate):
    room = a_control_room(gate)
    room.declare()
    room.read("waiting_area_entry", "12C12345", read_id="cam-7-000124")
    stored = room.stored()
    with pytest.raises(Invalid) as refused:
        room.read("waiting_area_entry", "12C12346", read_id="cam-7-000124")
    assert [p.field for p in refused.value.problems] == ["read_id"]
    assert room.stored() == stored


def test_a_truck_that_skipped_the_yard_is_held_at_the_border(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.read("waiting_area_entry")
    clock.advance(minutes=20)
    answer = room.read("border_out")
    assert decision(answer) == "hold" and reasons(answer) == ["checkpoint_skipped"]
    assert "yard entry" in answer.read.barrier.reasons[0].detail
    assert room.status(reference) == "submitted"
    skipped, = room.alerts("checkpoint_skipped")
    assert skipped.reference == reference and "yard entry" in skipped.detail


def test_a_yard_read_arriving_late_fills_the_gap_and_resolves_the_skipped_checkpoint_alert(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.read("waiting_area_entry")
    clock.advance(minutes=5)
    at_the_yard = clock.now()  # the yard camera's read of this moment is stuck in a flaky link
    clock.advance(minutes=10)
    held = room.read("border_out")
    assert reasons(held) == ["checkpoint_skipped"]
    assert len(room.alerts("checkpoint_skipped")) == 1

    clock.advance(minutes=2)
    late = room.read("yard_entry", at=at_the_yard)
    assert decision(late) == "open" and late.read.is_pass
    assert room.alerts("checkpoint_skipped") == []
    resolved, = room.alerts("checkpoint_skipped", status="resolved")
    assert "arrived late" in resolved.resolution and resolved.resolved_by == "system"
    assert [r.checkpoint_kind.value for r in room.reads(reference)] == ["waiting_area_entry", "yard_entry",
                                                                       "border_out"]

    clock.advance(minutes=1)
    assert decision(room.read("border_out")) == "open"
    assert room.status(reference) == "crossed"


def _unknown_camera(room: ControlRoom) -> str:
    return "7f0c2a9e-0000-4000-8000-000000000000.some-secret"


def _wrong_secret(room: ControlRoom) -> str:
    return f"{room.huu_nghi.cameras['waiting_area_entry']}.not-the-secret"


def _revoked_camera(room: ControlRoom) -> str:
    room.gate.bus.handle(commands.RevokeCamera(room.world.operator, room.huu_nghi.cameras["waiting_area_entry"],
                                               "stolen from its pole"))
    return room.huu_nghi.keys["waiting_area_entry"]


def _replaced_key(room: ControlRoom) -> str:
    room.gate.bus.handle(commands.IssueCameraKey(room.world.operator, room.huu_nghi.cameras["waiting_area_entry"]))
    return room.huu_nghi.keys["waiting_area_entry"]


@pytest.mark.parametrize("key_of, refusal", [
    (_unknown_camera, NotAuthenticated), (_wrong_secret, NotAuthenticated), (_revoked_camera, Forbidden),
    (_replaced_key, NotAuthenticated),
], ids=["unknown camera", "wrong secret", "revoked camera", "key replaced since"])
def test_a_read_without_a_valid_camera_key_is_refused_and_nothing_is_stored(gate, key_of, refusal):
    room = a_control_room(gate)
    room.declare()
    key = key_of(room)
    stored = room.stored()
    with pytest.raises(refusal):
        room.send(key, PLATE)
    assert room.stored() == stored


def test_a_new_camera_key_works_at_once(gate):
    room = a_control_room(gate)
    reference = room.declare()
    new_key = gate.bus.handle(commands.IssueCameraKey(room.world.operator,
                                                      room.huu_nghi.cameras["waiting_area_entry"]))
    assert room.send(new_key, PLATE).read.reference == reference


def test_a_read_captured_ahead_of_the_gate_clock_is_refused_beyond_two_minutes(gate, clock):
    room = a_control_room(gate)
    room.declare()
    stored = room.stored()
    with pytest.raises(Invalid) as refused:
        room.read("waiting_area_entry", at=clock.now() + timedelta(minutes=3))
    assert [p.field for p in refused.value.problems] == ["captured_at"]
    assert room.stored() == stored
    # A camera clock a little fast is normal drift.
    assert decision(room.read("waiting_area_entry", at=clock.now() + timedelta(seconds=90))) == "open"


def test_a_confidence_above_one_is_refused_naming_the_field(gate):
    room = a_control_room(gate)
    room.declare()
    stored = room.stored()
    with pytest.raises(Invalid) as refused:
        room.read("waiting_area_entry", confidence=1.5)
    assert [p.field for p in refused.value.problems] == ["confidence"]
    assert room.stored() == stored


def test_the_trailer_plate_matches_the_declaration_as_its_trailer(gate):
    room = a_control_room(gate)
    reference = room.declare()
    answer = room.read("waiting_area_entry", "12R-012.34")
    assert (answer.read.outcome.value, answer.read.reference) == ("matched", reference)
    assert answer.read.role.value == "trailer"
    assert decision(answer) == "open"


def test_a_usual_camera_confusion_still_matches(gate):
    room = a_control_room(gate)
    reference = room.declare(plate="12C-106.78")
    answer = room.read("waiting_area_entry", "12C1O678")  # the letter O where the plate has a zero
    assert (answer.read.outcome.value, answer.read.reference) == ("matched", reference)
    assert answer.read.read_as == "12C1O678" and decision(answer) == "open"


def test_a_cancelled_trip_is_no_longer_expected(gate):
    room = a_control_room(gate)
    reference = room.declare()
    gate.bus.handle(commands.CancelDeclaration(room.world.lan, reference, "order postponed"))
    answer = room.read("waiting_area_entry")
    assert (answer.read.outcome.value, answer.read.reference) == ("no_match", None)
    assert decision(answer) == "divert" and reasons(answer) == ["not_declared"]
    assert room.reads(reference) == []


def test_a_truck_that_crossed_is_no_longer_expected_and_its_declaration_is_crossed(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    assert decision(room.read("border_out")) == "open"
    assert room.status(reference) == "crossed"
    assert room.history("declaration", reference)[-1]["action"] == "DeclarationCrossed"

    clock.advance(hours=2)  # the same truck comes back later with no new declaration
    answer = room.read("waiting_area_entry")
    assert (answer.read.outcome.value, answer.read.reference) == ("no_match", None)
    assert decision(answer) == "divert"


def test_a_truck_with_two_open_trips_is_matched_to_the_trip_already_at_the_gate(gate, clock):
    room = a_control_room(gate)
    today = room.declare(hours_ahead=1)
    tomorrow = room.declare(hours_ahead=3)
    assert room.read("waiting_area_entry").read.reference == today
    clock.advance(hours=3)  # now the second trip is the one planned nearest, but the truck is on the first
    answer = room.read("yard_entry")
    assert (answer.read.outcome.value, answer.read.reference) == ("matched", today)
    assert room.reviews() == []
    assert room.reads(tomorrow) == []


def test_an_import_truck_read_on_the_outbound_border_lane_is_held_for_wrong_direction(gate):
    room = a_control_room(gate)
    reference = room.declare(flow="import")
    room.clear(reference)
    answer = room.read("border_out")
    assert answer.read.reference == reference
    assert decision(answer) == "hold" and reasons(answer) == ["wrong_direction"]
    assert room.status(reference) == "submitted"


def test_a_trip_declared_before_the_checkpoints_existed_is_still_matched(gate):
    world = a_world(gate)
    early = ControlRoom(gate, world, None)
    reference = early.declare()
    room = ControlRoom(gate, world, a_gateway(gate, world.operator))
    answer = room.read("waiting_area_entry")
    assert (answer.read.outcome.value, answer.read.reference) == ("matched", reference)
    assert decision(answer) == "open"


def test_a_read_captured_before_the_truck_crossed_but_received_after_is_still_its_trips(gate, clock):
    room = a_control_room(gate)
    reference = room.declare()
    room.clear(reference)
    room.drive_up_to_the_border()
    at_inspection = clock.now()  # the inspection camera's read is stuck in a flaky link
    clock.advance(minutes=10)
    assert decision(room.read("border_out")) == "open"
    clock.advance(minutes=1)
    late = room.read("inspection", at=at_inspection)
    assert late.read.reference == reference
    assert room.alerts("undeclared_truck") == [] and room.reviews() == []


def test_a_read_on_a_lane_of_the_other_direction_is_no_pass_through_that_stop(gate, clock):
    room = a_control_room(gate)
    reference = room.declare(flow="import")
    room.clear(reference)
    assert decision(room.read("border_in")) == "open"
    clock.advance(minutes=5)
    assert reasons(room.read("yard_entry")) == ["wrong_direction"]  # the outbound yard, not the import one
    clock.advance(minutes=5)
    at_the_exit = room.read("gate_exit")
    assert decision(at_the_exit) == "hold" and reasons(at_the_exit) == ["checkpoint_skipped"]
    assert room.status(reference) == "submitted"
