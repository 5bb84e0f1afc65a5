"""Use case 1: declaring a trip, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bordergate.services import history_views, views
from tests.builders import a_trip, a_world


def test_a_declarant_declares_a_trip_and_gets_a_reference(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    shown = views.declaration(gate.uow(), world.lan, reference, "en")
    assert reference.startswith("BG261127-")
    assert shown["status"] == {"code": "submitted", "label": "Submitted", "colour": "blue"}
    assert shown["vehicle"]["tractor_plate"] == "12C-123.45"
    assert shown["driver"]["phone"] == "+84912345678"


def test_correcting_one_field_keeps_the_rest_and_records_old_and_new(gate, clock):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    before = views.declaration(gate.uow(), world.lan, reference)
    clock.advance(minutes=5)
    gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"vehicle.tractor_plate": "12C 123.46"}, "typo"))
    after = views.declaration(gate.uow(), world.lan, reference)
    assert after["vehicle"]["tractor_plate"] == "12C-123.46"
    assert {k: v for k, v in after.items() if k not in ("vehicle", "version")} == \
        {k: v for k, v in before.items() if k not in ("vehicle", "version")}
    last = history_views.history(gate.uow(), world.lan, reference)[-1]
    assert last["action"] == "DeclarationAmended"
    assert last["changes"] == [{"field": "vehicle.tractor_plate", "old": "12C-123.45", "new": "12C-123.46"}]
    assert last["actor_name"] == "Lan" and last["at"] == clock.now().isoformat()


def test_invalid_input_names_every_bad_field_and_saves_nothing(gate):
    world = a_world(gate)
    bad = a_trip(gate, crossing_point="NOWHERE", containers=["MSKU9070324"])
    bad["vehicle"]["tractor_plate"] = "12O-123.45"
    with pytest.raises(Invalid) as refused:
        gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, bad))
    assert {p.field for p in refused.value.problems} == {"crossing_point", "containers[0]", "vehicle.tractor_plate"}
    assert views.declarations(gate.uow(), world.lan) == []


def test_nobody_sees_another_enterprises_declaration(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    with pytest.raises(NotFound):
        views.declaration(gate.uow(), world.minh, reference)
    with pytest.raises(NotFound):
        gate.bus.handle(commands.CancelDeclaration(world.minh, reference))
    assert views.declarations(gate.uow(), world.minh) == []
    assert [d["reference"] for d in views.declarations(gate.uow(), world.customs)] == [reference]


def test_an_agent_declares_only_for_enterprises_that_authorised_it(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.agent, world.fruit, a_trip(gate)))
    assert views.declaration(gate.uow(), world.minh, reference)["reference"] == reference
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SubmitDeclaration(world.agent, world.farm, a_trip(gate)))


def test_a_cancelled_declaration_cannot_be_corrected(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    gate.bus.handle(commands.CancelDeclaration(world.lan, reference, "order postponed"))
    with pytest.raises(Conflict):
        gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"driver.phone": "0912000111"}))
    actions = [h["action"] for h in history_views.history(gate.uow(), world.lan, reference)]
    assert actions == ["DeclarationSubmitted", "AgencyChecksOpened", "CustomsChannelAssigned", "FeeNotAssessed",
                       "DeclarationCancelled"]


def test_the_list_shows_plates_as_painted_on_the_truck(gate):
    world = a_world(gate)
    gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate, plate="12c12345")))
    [row] = views.declarations(gate.uow(), world.lan)
    assert (row["tractor_plate"], row["trailer_plate"]) == ("12C-123.45", "12R-012.34")
