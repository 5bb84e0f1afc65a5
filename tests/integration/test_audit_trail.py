"""The audit trail: every change says who and when, the database refuses to rewrite it, no secret lands in it."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bordergate.adapters.sql.tables import audit_log, declarations
from bordergate.domain import commands
from bordergate.domain.errors import Conflict, Forbidden, Invalid
from bordergate.services.authentication import principal_for
from tests.builders import PASSWORD, a_trip, a_world


def audit_rows(gate) -> list[dict]:
    with gate.engine.connect() as connection:
        return [dict(row) for row in connection.execute(select(audit_log).order_by(audit_log.c.id)).mappings()]


def count(gate, table) -> int:
    with gate.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def the_admin(gate):
    with gate.uow() as uow:
        admin_id = uow.accounts.user_by_username("admin").id
    return principal_for(gate.uow(), admin_id)


def test_seeding_and_setting_up_accounts_is_audited_as_the_system(gate, clock):
    world = a_world(gate)
    rows = audit_rows(gate)
    assert [r["action"] for r in rows] == (["CrossingPointAdded"] * 4 + ["OrganisationRegistered"] * 4
                                           + ["UserCreated"] * 11 + ["AgentAuthorised"])
    assert {(r["actor"], r["at"]) for r in rows} == {("system", clock.now())}
    assert rows[-1]["subject_type"] == "organisation" and rows[-1]["subject_id"] == world.fruit
    assert rows[-1]["payload"] == {"enterprise_id": world.fruit, "agency_id": world.agency}


def test_every_change_leaves_an_audit_row_with_its_actor_and_time(gate, clock):
    world = a_world(gate)
    admin, handle, seen = the_admin(gate), gate.bus.handle, len(audit_rows(gate))
    expected = []

    def step(who, command, *actions):
        clock.advance(minutes=1)
        result = handle(command)
        expected.extend((action, who.user_id, clock.now()) for action in actions)
        return result

    haulier = step(admin, commands.RegisterOrganisation(admin, "Vận tải Kỳ Lừa", "enterprise", "4900111222"),
                   "OrganisationRegistered")
    step(admin, commands.CreateUser(admin, "hoa", PASSWORD, "Hoa", "declarant", haulier), "UserCreated")
    step(world.lan, commands.AuthoriseAgent(world.lan, world.farm, world.agency), "AgentAuthorised")
    step(world.lan, commands.RevokeAgent(world.lan, world.farm, world.agency), "AgentRevoked")
    step(admin, commands.AddCrossingPoint(admin, "BINH_NGHI", "Bình Nghi", "Lạng Sơn"), "CrossingPointAdded")
    reference = step(world.lan, commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)),
                     "FleetEntrySaved", "FleetEntrySaved", "DeclarationSubmitted", "AgencyChecksOpened",
                     "CustomsChannelAssigned", "FeeNotAssessed")
    step(world.lan, commands.AmendDeclaration(world.lan, reference, {"driver.phone": "0987654321"}),
         "DeclarationAmended", "FleetEntrySaved")  # the saved driver takes the corrected phone
    step(world.lan, commands.CancelDeclaration(world.lan, reference, "order postponed"), "DeclarationCancelled")
    step(world.lan, commands.SaveVehicle(world.lan, world.farm, a_trip(gate, plate="12C-678.90")["vehicle"]),
         "FleetEntrySaved")
    rows = audit_rows(gate)[seen:]
    assert sorted((r["action"], r["actor"], r["at"]) for r in rows) == sorted(expected)
    subjects = {(r["subject_type"], r["subject_id"]) for r in rows}
    assert {("organisation", haulier), ("crossing_point", "BINH_NGHI"), ("declaration", reference),
            ("vehicle", f"{world.farm}:12C67890")} <= subjects
    # A saved driver's document number is personal: the trail keeps its salted digest (retention may erase it).
    drivers = [subject_id for kind, subject_id in subjects if kind == "driver"]
    assert len(drivers) == 2  # declared, then its phone corrected
    assert all(d.startswith(f"{world.farm}:sealed:") and "001088012345" not in d for d in drivers)


def test_an_amendment_is_audited_with_the_fields_old_and_new_values_and_the_reason(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.lan, world.farm, a_trip(gate)))
    gate.bus.handle(commands.AmendDeclaration(world.lan, reference, {"goods[0].packages": 1150}, "recounted"))
    assert audit_rows(gate)[-1]["payload"] == {
        "reference": reference, "reason": "recounted",
        "changes": [{"field": "goods[0].packages", "old": 1200, "new": 1150}]}


def test_saving_an_unchanged_fleet_entry_again_leaves_no_audit_row(gate):
    world = a_world(gate)
    vehicle = a_trip(gate)["vehicle"]
    gate.bus.handle(commands.SaveVehicle(world.lan, world.farm, vehicle))
    seen = len(audit_rows(gate))
    gate.bus.handle(commands.SaveVehicle(world.lan, world.farm, {**vehicle, "tractor_plate": "12c 12345"}))
    assert len(audit_rows(gate)) == seen


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"])
def test_the_database_itself_refuses_to_rewrite_or_erase_the_audit_trail(gate, statement):
    a_world(gate)
    before = audit_rows(gate)
    with pytest.raises(DBAPIError, match="append-only"):
        with gate.engine.begin() as connection:
            connection.execute(text(statement))
    assert audit_rows(gate) == before


def test_the_audit_trail_still_takes_new_entries(gate):
    a_world(gate)
    seen = len(audit_rows(gate))
    gate.bus.handle(commands.AddCrossingPoint(the_admin(gate), "BINH_NGHI", "Bình Nghi"))
    assert len(audit_rows(gate)) == seen + 1


@pytest.mark.parametrize("refuse", [
    pytest.param(lambda gate, w: commands.SubmitDeclaration(w.lan, w.farm, a_trip(gate, point="NOWHERE")),
                 id="an invalid declaration"),
    pytest.param(lambda gate, w: commands.SubmitDeclaration(w.lan, w.fruit, a_trip(gate)),
                 id="a declaration for another enterprise"),
    pytest.param(lambda gate, w: commands.CreateUser(the_admin(gate), "lan", PASSWORD, "Lan again", "declarant",
                                                     w.farm), id="a taken username"),
    pytest.param(lambda gate, w: commands.SaveVehicle(w.lan, w.farm, {"tractor_plate": "12C-123.45"}),
                 id="an incomplete vehicle"),
])
def test_a_refused_command_writes_no_audit_row_and_no_declaration(gate, refuse):
    world = a_world(gate)
    seen = audit_rows(gate)
    with pytest.raises((Invalid, Forbidden, Conflict)):
        gate.bus.handle(refuse(gate, world))
    assert audit_rows(gate) == seen
    assert count(gate, declarations) == 0


def test_passwords_never_appear_in_the_audit_trail(gate):
    a_world(gate)
    with gate.uow() as uow:
        hashes = [uow.accounts.user_by_username(name).password_hash for name in ("lan", "agent", "admin")]
    created = [r for r in audit_rows(gate) if r["action"] == "UserCreated"]
    trail = json.dumps([r["payload"] for r in audit_rows(gate)], ensure_ascii=False)
    assert len(created) == 11  # one person per role, and a second declarant
    assert all(set(r["payload"]) == {"user_id", "username", "role", "organisation_id"} for r in created)
    assert PASSWORD not in trail and not any(h in trail for h in hashes)
