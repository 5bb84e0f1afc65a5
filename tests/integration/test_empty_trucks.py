"""Use case: empty trucks coming back, on both databases: declared empty (and refused when it says neither), the
agencies and the fee an empty vehicle gets, and the return trip declared with the outbound one ("and back empty")."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Invalid
from bordergate.domain.fees import LANG_SON_09_2025
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.services import fee_views, queue_views, views
from tests.builders import a_trip
from tests.integration.control_helpers import ControlRoom, a_control_room, decision, reasons
from tests.integration.queue_helpers import Truck, a_queue_desk, iso, local

BACK = "12C-123.45"


@pytest.fixture
def room(gate) -> ControlRoom:
    return a_control_room(gate)


def an_empty_trip(gate, **overrides: Any) -> dict[str, Any]:
    """Lan's reefer coming back into Vietnam with nothing on board."""
    trip = a_trip(gate, flow="import", containers=[], customs_declaration_number=None, **overrides)
    trip.update(goods=[], empty=True)
    return trip


def declare(room: ControlRoom, trip: dict[str, Any], back: dict[str, Any] | None = None) -> str:
    return room.gate.bus.handle(commands.SubmitDeclaration(room.world.lan, room.world.farm, trip,
                                                           return_empty=back))


def problems(room: ControlRoom, trip: dict[str, Any], back: dict[str, Any] | None = None) -> dict[str, str]:
    with pytest.raises(Invalid) as refused:
        declare(room, trip, back)
    return {p.field: p.message for p in refused.value.problems}


def fee(room: ControlRoom, reference: str) -> dict:
    return fee_views.fee(room.gate.reader(), room.world.lan, reference, "en")


def agencies(room: ControlRoom, reference: str) -> dict[str, str]:
    with room.gate.reader() as uow:
        return {check.agency.value: check.why for check in uow.clearances.outstanding(reference)}


def actions(room: ControlRoom, reference: str) -> list[str]:
    return [row["action"] for row in room.history("declaration", reference)]


def test_a_truck_declared_empty_is_accepted_with_no_goods(room):
    reference = declare(room, an_empty_trip(room.gate))
    declared = views.declaration(room.gate.reader(), room.world.lan, reference, "en")
    assert (declared["empty"], declared["goods"], declared["perishable"]) == (True, [], False)


def test_no_goods_without_saying_empty_is_refused_saying_how_to_declare_an_empty_truck(room):
    trip = an_empty_trip(room.gate)
    del trip["empty"]
    said = problems(room, trip)
    assert list(said) == ["goods"]
    assert '"empty": true' in said["goods"] and "at least one goods line" in said["goods"]


def test_goods_on_a_truck_declared_empty_are_refused(room):
    said = problems(room, a_trip(room.gate, empty=True))
    assert list(said) == ["goods"] and "declared empty" in said["goods"]


def test_an_empty_truck_gets_customs_for_the_vehicle_and_the_border_guard_and_no_quarantine(room):
    reference = declare(room, an_empty_trip(room.gate))
    found = agencies(room, reference)
    assert set(found) == {"customs", "border_guard"}
    assert "empty" in found["customs"]
    loaded = room.declare()
    assert "plant_quarantine" in agencies(room, loaded)
    assert "goods" in agencies(room, loaded)["customs"]


def test_an_empty_vehicle_is_not_assessed_when_the_tariff_has_no_empty_line_and_nothing_is_due(room):
    reference = declare(room, an_empty_trip(room.gate))
    view = fee(room, reference)
    assert (view["assessed"], view["due_vnd"], view["lines"]) == (False, None, [])
    assert view["not_assessed"]["code"] == "empty_vehicle_not_published"
    assert "empty vehicle" in view["not_assessed"]["detail"]
    assert "FeeAssessed" not in actions(room, reference)
    [event] = [row for row in room.history("declaration", reference) if row["action"] == "FeeNotAssessed"]
    assert event["payload"]["reason"] == "empty_vehicle_not_published"


def test_an_empty_vehicle_pays_the_tariffs_empty_line_when_the_tariff_has_one(room):
    document = tariff_to_plain(LANG_SON_09_2025)
    document.update(version="LS-EMPTY/1", in_force_from="2026-11-01")
    document["lines"].append({"key": "empty-vehicle", "description": "an empty vehicle", "amount_vnd": 150_000,
                              "empty": True})
    room.gate.bus.handle(commands.PublishTariff(room.world.operator, document))
    reference = declare(room, an_empty_trip(room.gate))
    view = fee(room, reference)
    assert (view["assessed"], view["total_vnd"], view["due_vnd"], view["not_assessed"]) == (
        True, 150_000, 150_000, None)
    assert view["lines"] == [{"rule": "an empty vehicle (line empty-vehicle)", "amount_vnd": 150_000}]
    # The empty line prices no loaded truck: durian on 40 ft is still re-export's line or unassessed.
    assert fee(room, room.declare())["not_assessed"]["code"] == "no_fee_line"


def test_a_tariff_line_for_an_empty_vehicle_with_goods_is_refused(room):
    document = tariff_to_plain(LANG_SON_09_2025)
    document.update(version="LS-EMPTY/2")
    document["lines"][0]["empty"] = True
    with pytest.raises(Invalid) as refused:
        room.gate.bus.handle(commands.PublishTariff(room.world.operator, document))
    assert [p.field for p in refused.value.problems] == ["lines[0].empty"]


def test_a_trip_with_no_fee_line_is_not_assessed_with_the_reason_instead_of_assessed_0_vnd(room):
    reference = room.declare()  # fresh durian, 24 t on 40 ft, exported: Resolution 09/2025 publishes no line
    view = fee(room, reference)
    assert (view["assessed"], view["not_assessed"]["code"]) == (False, "no_fee_line")
    assert "FeeAssessed" not in actions(room, reference)
    [event] = [row for row in room.history("declaration", reference) if row["action"] == "FeeNotAssessed"]
    assert (event["payload"]["reason"], event["payload"]["why"]) == ("no_fee_line", "declared")
    assert "has no line" in event["payload"]["detail"]


def test_the_last_barrier_does_not_wait_for_a_fee_that_was_not_assessed(room):
    trip = an_empty_trip(room.gate, hours_ahead=0.5)
    trip["flow"] = "export"  # the outbound way the control room's cameras watch
    reference = declare(room, trip)
    room.drive_up_to_the_border(BACK)
    room.clear(reference)
    answer = room.read("border_out", BACK)
    assert (decision(answer), reasons(answer)) == ("open", [])


def test_a_return_trip_declared_with_the_outbound_one_is_a_second_empty_declaration_linked_both_ways(room):
    comes_back = (room.gate.clock.now() + timedelta(hours=30)).isoformat()
    outbound = declare(room, a_trip(room.gate), {"planned_arrival": comes_back})
    answer = views.declared(room.gate.reader(), room.world.lan, outbound, "en", lambda ref: f"/t/{ref}")
    back = answer["return_declaration"]
    assert (answer["return_trip"], back["outbound_trip"]) == (back["reference"], outbound)
    assert (back["flow"], back["empty"], back["goods"], back["planned_arrival"]) == ("import", True, [], comes_back)
    assert (back["vehicle"], back["driver"]) == (answer["vehicle"], answer["driver"])
    assert back["tracking_url"] == f"/t/{back['reference']}"
    assert "TripsLinked" in actions(room, outbound) and "TripsLinked" in actions(room, back["reference"])
    assert actions(room, back["reference"])[0] == "DeclarationSubmitted"


def test_a_return_before_the_outbound_trip_is_refused_and_neither_trip_is_declared(room):
    too_soon = room.gate.clock.now().isoformat()
    said = problems(room, a_trip(room.gate), {"planned_arrival": too_soon})
    assert set(said) == {"return_empty.planned_arrival"}
    assert views.declarations(room.gate.reader(), room.world.lan) == []


def test_an_empty_truck_books_a_place_like_any_other_and_the_queue_board_marks_it_empty(gate):
    desk = a_queue_desk(gate, per_hour=2)
    trip = an_empty_trip(gate, plate="12C-777.77")
    trip["flow"] = "export"  # the lane Huu Nghi runs a queue in
    empty = Truck(desk.handle(commands.SubmitDeclaration(desk.world.lan, desk.world.farm, trip)), "12C-777.77",
                  "+84912345678", desk.world.lan)
    loaded = desk.declare()
    desk.book(empty, local(10))
    desk.book(loaded, local(10))
    assert desk.hour(local(10)) == {"starts_at": iso(local(10)), "capacity": 2, "booked": 2, "free": 0}
    with pytest.raises(Conflict):
        desk.book(desk.declare(), local(10))
    board = queue_views.queue_board(gate.reader(), desk.world.operator, "HUU_NGHI", "outbound", gate.clock.now(),
                                    timedelta(hours=2), "en")
    assert {row["reference"]: row["empty"] for row in board["booked"]} == {empty.reference: True,
                                                                           loaded.reference: False}
    assert desk.booking(empty)["empty"] is True
