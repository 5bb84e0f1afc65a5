"""Saved vehicles and drivers: a repeat trip picks them instead of typing them again, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bordergate.adapters.sql.tables import audit_log

from bordergate.domain import commands
from bordergate.domain.errors import Forbidden, Invalid
from bordergate.services import views
from tests.builders import a_trip, a_world


def a_repeat_trip(gate, **overrides) -> dict:
    """Only what changes from one trip to the next: where, which way, when, and what is on board."""
    full = a_trip(gate, **overrides)
    return {key: full[key] for key in ("crossing_point", "flow", "planned_arrival", "goods")}


def declare(gate, who, enterprise, trip, **picked) -> str:
    return gate.bus.handle(commands.SubmitDeclaration(who, enterprise, trip, **picked))


def test_a_submitted_declaration_saves_its_vehicle_and_driver_for_next_time(gate):
    world = a_world(gate)
    declare(gate, world.lan, world.farm, a_trip(gate))
    fleet = views.fleet(gate.uow(), world.lan, world.farm)
    [vehicle], [driver] = fleet["vehicles"], fleet["drivers"]
    assert vehicle["tractor_plate"] == "12C-123.45" and vehicle["trailer_plate"] == "12R-012.34"
    assert vehicle["gross_weight_kg"] == 42000 and vehicle["container_size"] == "40ft"
    assert driver == {"id": driver["id"], "full_name": "Trần Văn Bình", "document_number": "001088012345",
                      "nationality": "VN", "phone": "+84912345678"}


def test_a_repeat_declaration_by_saved_vehicle_and_driver_needs_only_point_flow_arrival_and_goods(gate, clock):
    world = a_world(gate)
    first = declare(gate, world.lan, world.farm, a_trip(gate))
    fleet = views.fleet(gate.uow(), world.lan, world.farm)
    clock.advance(days=1)
    repeat = declare(gate, world.lan, world.farm, a_repeat_trip(gate, point="TAN_THANH"),
                     vehicle_id=fleet["vehicles"][0]["id"], driver_id=fleet["drivers"][0]["id"])
    before, after = (views.declaration(gate.uow(), world.lan, ref) for ref in (first, repeat))
    assert after["vehicle"] == before["vehicle"] and after["driver"] == before["driver"]
    assert after["crossing_point"] == "TAN_THANH" and after["containers"] == []
    assert views.fleet(gate.uow(), world.lan, world.farm) == fleet


def test_fields_typed_in_the_declaration_override_the_saved_ones_and_update_the_fleet(gate):
    world = a_world(gate)
    declare(gate, world.lan, world.farm, a_trip(gate))
    fleet = views.fleet(gate.uow(), world.lan, world.farm)
    trip = {**a_repeat_trip(gate), "vehicle": {"gross_weight_kg": 38000, "trailer_plate": None},
            "driver": {"phone": "+86 138 0013 8000"}}
    reference = declare(gate, world.lan, world.farm, trip, vehicle_id=fleet["vehicles"][0]["id"],
                        driver_id=fleet["drivers"][0]["id"])
    shown = views.declaration(gate.uow(), world.lan, reference)
    assert shown["vehicle"]["gross_weight_kg"] == 38000
    # A typed null does not erase a saved field: only values given replace saved ones.
    assert shown["vehicle"]["trailer_plate"] == "12R-012.34"
    assert shown["driver"]["phone"] == "+8613800138000" and shown["driver"]["full_name"] == "Trần Văn Bình"
    [vehicle], [driver] = (views.fleet(gate.uow(), world.lan, world.farm)[kind] for kind in ("vehicles", "drivers"))
    assert vehicle["id"] == fleet["vehicles"][0]["id"] and vehicle["gross_weight_kg"] == 38000
    assert driver["phone"] == "+8613800138000"


def test_an_unknown_saved_vehicle_or_driver_is_a_field_problem_and_nothing_is_declared(gate):
    world = a_world(gate)
    with pytest.raises(Invalid) as refused:
        declare(gate, world.lan, world.farm, a_repeat_trip(gate), vehicle_id="no-such-truck",
                driver_id="no-such-driver")
    fields = [p.field for p in refused.value.problems]
    assert fields[:2] == ["vehicle_id", "driver_id"]
    assert "no saved vehicle no-such-truck" in refused.value.problems[0].message
    assert views.declarations(gate.uow(), world.lan) == []


def test_another_enterprises_saved_vehicle_is_not_usable(gate):
    world = a_world(gate)
    theirs = gate.bus.handle(commands.SaveVehicle(world.minh, world.fruit, a_trip(gate, plate="51C-999.99")["vehicle"]))
    with pytest.raises(Invalid) as refused:
        declare(gate, world.lan, world.farm, {**a_repeat_trip(gate), "driver": a_trip(gate)["driver"]},
                vehicle_id=theirs)
    assert [p.field for p in refused.value.problems][0] == "vehicle_id"
    with pytest.raises(Forbidden):
        views.fleet(gate.uow(), world.lan, world.fruit)
    assert views.fleet(gate.uow(), world.lan, world.farm) == {"vehicles": [], "drivers": []}


def test_an_authorised_agent_keeps_and_uses_the_enterprises_fleet(gate):
    world = a_world(gate)
    vehicle_id = gate.bus.handle(commands.SaveVehicle(world.agent, world.fruit, a_trip(gate)["vehicle"]))
    driver_id = gate.bus.handle(commands.SaveDriver(world.agent, world.fruit, a_trip(gate)["driver"]))
    reference = declare(gate, world.agent, world.fruit, a_repeat_trip(gate), vehicle_id=vehicle_id,
                        driver_id=driver_id)
    assert views.declaration(gate.uow(), world.minh, reference)["vehicle"]["tractor_plate"] == "12C-123.45"
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SaveVehicle(world.agent, world.farm, a_trip(gate)["vehicle"]))


def test_saving_the_same_plate_twice_updates_it_instead_of_adding_another(gate):
    world = a_world(gate)
    vehicle = a_trip(gate)["vehicle"]
    first = gate.bus.handle(commands.SaveVehicle(world.lan, world.farm, vehicle))
    again = gate.bus.handle(commands.SaveVehicle(world.lan, world.farm,
                                                 {**vehicle, "tractor_plate": "12c 12345", "axles": 6}))
    other = gate.bus.handle(commands.SaveVehicle(world.lan, world.farm, {**vehicle, "tractor_plate": "12C-678.90"}))
    vehicles = views.fleet(gate.uow(), world.lan, world.farm)["vehicles"]
    assert again == first != other
    assert [(v["id"], v["tractor_plate"], v["axles"]) for v in vehicles] == \
        [(first, "12C-123.45", 6), (other, "12C-678.90", 5)]


def test_saving_the_same_driver_document_twice_updates_the_driver(gate):
    world = a_world(gate)
    driver = a_trip(gate)["driver"]
    first = gate.bus.handle(commands.SaveDriver(world.lan, world.farm, driver))
    again = gate.bus.handle(commands.SaveDriver(world.lan, world.farm, {**driver, "phone": "0987654321"}))
    [saved] = views.fleet(gate.uow(), world.lan, world.farm)["drivers"]
    assert again == first == saved["id"] and saved["phone"] == "+84987654321"


def test_a_vehicle_that_breaks_a_rule_is_not_saved(gate):
    world = a_world(gate)
    with pytest.raises(Invalid) as refused:
        gate.bus.handle(commands.SaveVehicle(world.lan, world.farm, {**a_trip(gate)["vehicle"], "axles": 40}))
    assert [p.field for p in refused.value.problems] == ["vehicle.axles"]
    assert views.fleet(gate.uow(), world.lan, world.farm)["vehicles"] == []


def test_a_corrected_driver_phone_reaches_the_saved_driver_and_the_next_declaration_on_the_audit_trail(gate):
    # Issue 15: after PATCH driver.phone the fleet kept the old number and "Declare again like this" reused it.
    world = a_world(gate)
    first = declare(gate, world.lan, world.farm, a_trip(gate))
    gate.bus.handle(commands.AmendDeclaration(world.lan, first, {"driver.phone": "0912345679"}, "one digit was wrong"))

    [driver] = views.fleet(gate.uow(), world.lan, world.farm)["drivers"]
    assert driver["phone"] == "+84912345679" and driver["document_number"] == "001088012345"
    repeat = declare(gate, world.lan, world.farm, a_repeat_trip(gate), driver_id=driver["id"],
                     vehicle_id=views.fleet(gate.uow(), world.lan, world.farm)["vehicles"][0]["id"])
    assert views.declaration(gate.uow(), world.lan, repeat)["driver"]["phone"] == "+84912345679"
    assert [entry["details"]["phone"] for entry in saved_drivers(gate)] == ["+84912345678", "+84912345679"]


def saved_drivers(gate) -> list[dict]:
    """The audit trail's FleetEntrySaved entries for drivers, oldest first, their personal values unsealed."""
    with gate.engine.connect() as connection:
        subjects = connection.execute(select(audit_log.c.subject_id).where(
            audit_log.c.action == "FleetEntrySaved", audit_log.c.subject_type == "driver")
            .order_by(audit_log.c.seq)).scalars().all()
    with gate.reader() as uow:
        return [row["payload"] for subject in dict.fromkeys(subjects)
                for row in uow.audit.history("driver", subject) if row["action"] == "FleetEntrySaved"]
