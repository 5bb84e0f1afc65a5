"""Accounts and customs agents: who gets a sign-in, who registers organisations, and who may act for an enterprise."""
from __future__ import annotations

import pytest

from bordergate.domain import commands
from bordergate.domain.accounts import Role
from bordergate.domain.errors import Conflict, Forbidden, Invalid, NotFound
from bordergate.services import views
from bordergate.services.authentication import SYSTEM, NotAuthenticated, principal_for
from tests.builders import PASSWORD, a_trip, a_world


def create(gate, username="hoa", password=PASSWORD, role="declarant", organisation=None, full_name="Hoa",
           actor=SYSTEM) -> str:
    return gate.bus.handle(commands.CreateUser(actor, username, password, full_name, role, organisation))


def refused(gate, **kwargs) -> dict[str, str]:
    with pytest.raises(Invalid) as refusal:
        create(gate, **kwargs)
    return {p.field: p.message for p in refusal.value.problems}


def sign_in(gate, username, password):
    user, _ = gate.sessions.sign_in(username, password, "198.51.100.7")
    return user


def again(gate, principal):
    """The principal as the next request sees them: rights are read afresh every time."""
    return principal_for(gate.uow(), principal.user_id)


# Accounts


def test_a_new_user_signs_in_with_their_username_in_any_case(gate):
    world = a_world(gate)
    user_id = create(gate, username=" Hoa.Tran@farm ", organisation=world.farm)
    user = sign_in(gate, "HOA.TRAN@FARM", PASSWORD)
    assert (user.id, user.username, user.role) == (user_id, "hoa.tran@farm", Role.DECLARANT)
    assert user.password_hash != PASSWORD
    assert principal_for(gate.uow(), user_id).enterprises == {world.farm}


def test_a_short_password_a_bad_username_a_blank_name_and_an_unknown_role_are_all_named(gate):
    problems = refused(gate, username="h!", password="short", full_name="  ", role="pilot")
    assert set(problems) == {"username", "password", "full_name", "role"}
    assert "at least 10 characters" in problems["password"]
    assert "declarant" in problems["role"]


@pytest.mark.parametrize("role, where", [("declarant", "agency"), ("agent", "farm"), ("customs", "farm"),
                                         ("admin", "agency"), ("declarant", None), ("driver", "farm")])
def test_a_role_must_fit_the_kind_of_organisation_it_belongs_to(gate, role, where):
    world = a_world(gate)
    organisation = getattr(world, where) if where else None
    assert list(refused(gate, role=role, organisation=organisation)) == ["organisation_id"]


def test_a_user_cannot_join_an_organisation_that_does_not_exist(gate):
    assert "no organisation" in refused(gate, organisation="no-such-org")["organisation_id"]


def test_a_taken_username_is_a_conflict_whatever_its_case(gate):
    world = a_world(gate)
    with pytest.raises(Conflict, match="lan is taken"):
        create(gate, username="LAN", organisation=world.farm)


def test_only_administrators_create_users(gate):
    world = a_world(gate)
    with pytest.raises(Forbidden):
        create(gate, organisation=world.farm, actor=world.lan)


# Organisations


def test_a_tax_code_already_registered_is_a_conflict_however_it_is_written(gate):
    a_world(gate)
    with pytest.raises(Conflict, match="4900100254"):
        gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Xứ Lạng Farm", "enterprise", "4900.100.254"))


def test_enterprises_and_agencies_need_a_valid_tax_code(gate):
    for kind, tax_code in (("enterprise", None), ("customs_agency", "49001"), ("airline", "4900111222")):
        with pytest.raises(Invalid) as refusal:
            gate.bus.handle(commands.RegisterOrganisation(SYSTEM, "Somebody", kind, tax_code))
        assert [p.field for p in refusal.value.problems] == ["kind" if kind == "airline" else "tax_code"]


@pytest.mark.parametrize("who", ["lan", "agent", "customs"])
def test_only_administrators_register_organisations(gate, who):
    world = a_world(gate)
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.RegisterOrganisation(getattr(world, who), "Vận tải Kỳ Lừa", "enterprise",
                                                      "4900111222"))


# Customs agents


def test_a_revoked_agent_immediately_loses_sight_of_the_enterprises_declarations(gate):
    world = a_world(gate)
    reference = gate.bus.handle(commands.SubmitDeclaration(world.agent, world.fruit, a_trip(gate)))
    gate.bus.handle(commands.RevokeAgent(world.minh, world.fruit, world.agency))
    agent = again(gate, world.agent)
    assert agent.enterprises == frozenset()
    with pytest.raises(NotFound):
        views.declaration(gate.uow(), agent, reference)
    assert views.declarations(gate.uow(), agent) == []
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.SubmitDeclaration(agent, world.fruit, a_trip(gate)))
    with pytest.raises(NotFound):
        gate.bus.handle(commands.CancelDeclaration(agent, reference))


def test_an_agent_authorised_again_gets_its_sight_back(gate):
    world = a_world(gate)
    gate.bus.handle(commands.RevokeAgent(world.minh, world.fruit, world.agency))
    gate.bus.handle(commands.AuthoriseAgent(world.minh, world.fruit, world.agency))
    gate.bus.handle(commands.AuthoriseAgent(world.lan, world.farm, world.agency))
    assert again(gate, world.agent).enterprises == {world.fruit, world.farm}


def test_revoking_an_authorisation_that_is_not_held_is_not_found(gate):
    world = a_world(gate)
    with pytest.raises(NotFound):
        gate.bus.handle(commands.RevokeAgent(world.lan, world.farm, world.agency))


@pytest.mark.parametrize("who, enterprise", [("minh", "farm"), ("agent", "fruit"), ("customs", "farm")])
def test_only_the_enterprises_own_declarant_or_an_admin_chooses_its_agents(gate, who, enterprise):
    world = a_world(gate)
    actor, enterprise_id = getattr(world, who), getattr(world, enterprise)
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.AuthoriseAgent(actor, enterprise_id, world.agency))
    with pytest.raises(Forbidden):
        gate.bus.handle(commands.RevokeAgent(actor, enterprise_id, world.agency))
    assert again(gate, world.agent).enterprises == {world.fruit}


def test_an_administrator_may_authorise_an_agent_for_any_enterprise(gate):
    world = a_world(gate)
    with gate.uow() as uow:
        admin_id = uow.accounts.user_by_username("admin").id
    gate.bus.handle(commands.AuthoriseAgent(principal_for(gate.uow(), admin_id), world.farm, world.agency))
    assert world.farm in again(gate, world.agent).enterprises


def test_only_a_customs_agency_can_be_authorised_and_only_by_an_enterprise(gate):
    world = a_world(gate)
    with pytest.raises(Invalid) as not_an_agency:
        gate.bus.handle(commands.AuthoriseAgent(world.lan, world.farm, world.fruit))
    with pytest.raises(Invalid) as not_an_enterprise:
        gate.bus.handle(commands.AuthoriseAgent(SYSTEM, world.center, world.agency))
    assert [p.field for p in not_an_agency.value.problems] == ["agency_id"]
    assert [p.field for p in not_an_enterprise.value.problems] == ["enterprise_id"]


# Signing in


def test_signing_in_with_the_right_password_gives_the_user(gate):
    a_world(gate)
    assert sign_in(gate, "lan", PASSWORD).username == "lan"


@pytest.mark.parametrize("username, password", [("lan", PASSWORD + "!"), ("lan", ""), ("nobody", PASSWORD)])
def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(gate, username, password):
    a_world(gate)
    with pytest.raises(NotAuthenticated) as refusal:
        sign_in(gate, username, password)
    assert refusal.value.detail == "wrong username or password"


def test_an_account_that_does_not_exist_has_no_principal(gate):
    with pytest.raises(NotAuthenticated):
        principal_for(gate.uow(), "no-such-user")
