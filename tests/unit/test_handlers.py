"""The use cases driven through the message bus on the in-memory unit of work: no database, milliseconds each."""
from __future__ import annotations

import pytest

from bordergate.adapters.memory.tables import Tables
from bordergate.bootstrap import Gate
from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bordergate.services.authentication import SYSTEM
from tests.builders import World, a_trip, a_world
from tests.conftest import NOW
from tests.support.memory_gate import an_in_memory_gate


@pytest.fixture
def tables() -> Tables:
    return Tables()


@pytest.fixture
def gate(tables: Tables) -> Gate:
    """A wired gate whose units of work are in memory, with Lang Son's crossing points."""
    return an_in_memory_gate(tables)


@pytest.fixture
def world(gate: Gate) -> World:
    return a_world(gate)


def declare(gate: Gate, world: World, **overrides: object) -> str:
    return gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, **overrides)))


def actions(tables: Tables, reference: str) -> list[str]:
    return [type(e).__name__ for e in tables.events if e.subject == ("declaration", reference)]


def test_a_declared_trip_is_recorded_with_its_audit_events(gate, world, tables):
    reference = declare(gate, world)
    with gate.reader() as uow:
        declaration = uow.declarations.get(reference)
        history = uow.audit.history("declaration", reference)
    assert declaration is not None and declaration.enterprise_id == world.farm
    assert str(declaration.trip.vehicle.tractor_plate) == "12C-123.45"
    assert actions(tables, reference)[0] == "DeclarationSubmitted"
    assert [e["action"] for e in history] == actions(tables, reference)


def test_declaring_keeps_the_truck_and_driver_for_next_time(gate, world):
    declare(gate, world)
    with gate.reader() as uow:
        vehicles, drivers = uow.fleet.vehicles(world.farm), uow.fleet.drivers(world.farm)
    assert [v["tractor_plate"] for v in vehicles] == ["12C-123.45"]
    assert [d["document_number"] for d in drivers] == ["001088012345"]


def test_two_declarations_of_one_truck_at_the_same_time_are_two_trips(gate, world):
    # Nothing refuses them: a plate is on one vehicle, so the cameras match the read to the trip already open.
    first, second = declare(gate, world), declare(gate, world)
    with gate.reader() as uow:
        assert first != second and uow.declarations.get(second) is not None


def test_a_trip_to_an_unknown_crossing_point_is_refused_and_nothing_is_written(gate, world, tables):
    before = tables.snapshot()
    with pytest.raises(Invalid) as refused:
        declare(gate, world, crossing_point="NOWHERE")
    assert "crossing_point" in {p.field for p in refused.value.problems}
    assert tables.snapshot() == before


def test_a_declarant_may_not_declare_for_another_enterprise(gate, world, tables):
    before = tables.snapshot()
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SubmitDeclaration(world.lan, world.fruit, a_trip(gate)))
    assert tables.snapshot() == before


def test_a_trip_declared_with_its_empty_return_is_two_linked_trips(gate, world):
    trip = a_trip(gate)
    outbound = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, trip, return_empty={
        "planned_arrival": NOW.replace(hour=20).isoformat()}))
    with gate.reader() as uow:
        back = uow.trip_links.of(outbound)["return_trip"]
        assert back is not None and uow.trip_links.of(back) == {"outbound_trip": outbound, "return_trip": None}
        assert uow.trip_links.empty([outbound, back]) == {back}


def test_a_correction_changes_the_named_field_keeps_the_rest_and_is_audited(gate, world, tables):
    reference = declare(gate, world)
    gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"vehicle.tractor_plate": "12C 123.46"}, "typo"))
    with gate.reader() as uow:
        declaration = uow.declarations.get(reference)
    assert declaration is not None and declaration.version == 2
    assert str(declaration.trip.vehicle.tractor_plate) == "12C-123.46"
    assert declaration.trip.driver.document_number == "001088012345"
    assert "DeclarationAmended" in actions(tables, reference)


def test_a_cancelled_trip_stays_on_record_as_cancelled(gate, world, tables):
    reference = declare(gate, world)
    gate.bus.handle(commands.CancelDeclaration(world.lan, reference, "plans changed"))
    with gate.reader() as uow:
        declaration = uow.declarations.get(reference)
    assert declaration is not None and declaration.status.value == "cancelled"
    assert actions(tables, reference)[-1] == "DeclarationCancelled"


def test_a_cancelled_trip_cannot_be_corrected_and_the_refusal_writes_nothing(gate, world, tables):
    reference = declare(gate, world)
    gate.bus.handle(commands.CancelDeclaration(world.lan, reference))
    before = tables.snapshot()
    with pytest.raises(Conflict):
        gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"vehicle.tractor_plate": "12C 123.46"}))
    assert tables.snapshot() == before


def test_an_officer_holds_a_trip_and_the_declarant_is_told(gate, world, tables):
    gate.bus.handle(commands.SetContactPhone(world.lan, world.farm, "0912 345 678"))
    reference = declare(gate, world)
    hold_id = gate.bus.handle(commands.PlaceHold(world.customs, reference, "documents   missing"))
    with gate.reader() as uow:
        (hold,) = uow.holds.active(reference)
        notices = uow.notices.for_reference(reference)
    assert (hold.id, hold.agency, hold.reason) == (hold_id, "customs", "documents missing")
    assert [n["key"] for n in notices] == [f"{reference}:hold:{hold_id}"]
    assert actions(tables, reference)[-1] == "HoldPlaced"


def test_a_lifted_hold_no_longer_keeps_the_truck_and_stays_on_record(gate, world):
    reference = declare(gate, world)
    hold_id = gate.bus.handle(commands.PlaceHold(world.customs, reference, "documents missing"))
    gate.bus.handle(commands.LiftHold(world.customs, hold_id, "papers seen"))
    with gate.reader() as uow:
        assert uow.holds.active(reference) == ()
        (record,) = uow.holds.for_declaration(reference)
    assert (record["lifted_by"], record["lift_note"]) == (world.customs.user_id, "papers seen")
    with pytest.raises(Conflict):
        gate.bus.handle(commands.LiftHold(world.customs, hold_id))


def test_only_the_agency_that_placed_a_hold_may_lift_it(gate, world, tables):
    reference = declare(gate, world)
    hold_id = gate.bus.handle(commands.PlaceHold(world.customs, reference, "documents missing"))
    before = tables.snapshot()
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.LiftHold(world.guard, hold_id))
    assert tables.snapshot() == before


def test_a_hold_on_a_trip_that_does_not_exist_is_refused(gate, world):
    with pytest.raises(NotFound):
        gate.bus.handle(commands.PlaceHold(world.customs, "BG261127-NOPE00", "documents missing"))


def test_an_organisation_with_a_tax_code_already_registered_is_refused(gate, world, tables):
    before = tables.snapshot()
    with pytest.raises(Conflict):
        gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Another farm", "enterprise", "4900100254"))
    assert tables.snapshot() == before


def test_a_new_crossing_point_may_be_named_by_declarations(gate, world):
    gate.bus.handle(commands.AddCrossingPoint(SYSTEM, "BAC_PHONG_SINH", "Bắc Phong Sinh", "Quảng Ninh",
                                              "1327", "Lý Hỏa"))
    reference = declare(gate, world, point="BAC_PHONG_SINH")
    with gate.reader() as uow:
        declaration = uow.declarations.get(reference)
    assert declaration is not None and declaration.trip.crossing_point == "BAC_PHONG_SINH"


def test_an_operator_adds_a_checkpoint_and_registers_its_camera(gate, world):
    checkpoint = gate.bus.handle(commands.AddCheckpoint(world.operator, "HUU_NGHI", "yard_entry", "outbound",
                                                        "Yard gate", lanes=2))
    camera, key = gate.bus.handle(commands.RegisterCamera(world.operator, checkpoint, "cam 1", lane=2))
    with gate.reader() as uow:
        found = uow.cameras.credentials(camera)
    assert found is not None and found.checkpoint.name == "Yard gate" and found.checkpoint.lanes == 2
    assert key.startswith(camera + ".") and found.key_hash != key
    with pytest.raises(Conflict):
        gate.bus.handle(commands.AddCheckpoint(world.operator, "HUU_NGHI", "inspection", "outbound", "Yard gate"))
