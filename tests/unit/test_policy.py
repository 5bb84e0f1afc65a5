"""Who may do what: one policy (domain/access.py) that the routes and the services both read, and nothing beside it.

The abilities, the object checks (this enterprise's trip, this officer's agency) and a scan of the source that
fails when a module outside the policy decides by comparing a person's role itself.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bordergate.domain import access
from bordergate.domain.access import (ABILITIES, ACT_FOR_AN_AGENCY, ADMINISTER, CHOOSE_AGENTS, COLLECT_FEES, DECLARE,
                                      GIVE_CONTACT_PHONE, HOLD_TRUCKS, READ_INBOXES, SEE_EVERY_TRIP, SIGNED_IN,
                                      Ability)
from bordergate.domain.accounts import OrganisationKind, Principal, Role
from bordergate.domain.errors import Forbidden
from bordergate.domain.inspection import Agency

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "bordergate"
POLICY = "domain/access.py"

# Modules that read a role themselves, and why that is not a permission.
READ_A_ROLE_FOR_OTHER_REASONS = {
    "domain/accounts.py": "Role.organisation_kind: the kind of organisation a role belongs to (an account's shape)",
    "services/authentication.py": "which enterprises a person acts for: a declarant's own, an agent's clients "
                                  "(who one is; what one may do with them is the policy's)",
    "adapters/memory/reports.py": "a unit's supervisors, to address the overdue SMS to (who is told, not who may)",
    "adapters/sql/reports.py": "a unit's supervisors, to address the overdue SMS to (who is told, not who may)",
}
# Roles no ability names beyond signing in, and why.
ROLES_WITH_NOTHING_BUT_SIGNING_IN = {
    Role.DRIVER: "drivers follow their trip from the link in its QR code; they sign in to nothing else",
}


def a_principal(role: Role, enterprises: set[str] = frozenset(), organisation: str = "org") -> Principal:
    return Principal(f"{role.value}-1", role.value, role, organisation, frozenset(enterprises))


def sources() -> dict[str, ast.Module]:
    return {str(path.relative_to(PACKAGE)): ast.parse(path.read_text()) for path in PACKAGE.rglob("*.py")}


# --- The policy is one list of abilities, each used ---------------------------------------------------------------

def test_every_ability_of_the_policy_is_in_its_list_once_with_a_refusal_a_person_can_read():
    declared = [value for value in vars(access).values() if isinstance(value, Ability)]
    assert sorted(a.name for a in declared) == sorted(a.name for a in ABILITIES)
    assert len({a.name for a in ABILITIES}) == len(ABILITIES)
    assert all(a.roles and len(a.refusal) >= len("sign in first") for a in ABILITIES)


def test_every_ability_is_used_by_a_route_or_a_service_check():
    from bordergate.entrypoints.access import ROUTES
    named = {value: name for name, value in vars(access).items() if isinstance(value, Ability)}
    by_routes = {rule for rule in ROUTES.values() if isinstance(rule, Ability)}
    trees = sources()
    # Read by another module, or by one of the policy's own checks (readable_inboxes reads READ_EVERY_INBOX).
    readers = [tree for module, tree in trees.items() if module != POLICY]
    readers += [node for node in trees[POLICY].body if isinstance(node, ast.FunctionDef)]
    read_elsewhere = {node.id if isinstance(node, ast.Name) else node.attr for reader in readers
                      for node in ast.walk(reader) if isinstance(node, (ast.Name, ast.Attribute))}
    unused = [a.name for a in ABILITIES if a not in by_routes and named[a] not in read_elsewhere]
    assert unused == []


def test_every_route_rule_is_an_ability_of_the_policy():
    from bordergate.entrypoints.access import ROUTES
    assert [key for key, rule in ROUTES.items() if isinstance(rule, Ability) and rule not in ABILITIES] == []


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_role_has_something_to_do_or_a_reason_why_not(role):
    abilities = [a.name for a in ABILITIES if a.allows(role) and a is not SIGNED_IN]
    assert bool(abilities) is (role not in ROLES_WITH_NOTHING_BUT_SIGNING_IN), abilities


def test_the_authorities_at_the_gate_see_every_trip_and_the_traffic_police_the_road_only():
    authorities = {r for r in Role if r.organisation_kind is OrganisationKind.AUTHORITY}
    assert SEE_EVERY_TRIP.roles == authorities - {Role.TRAFFIC_POLICE}


# --- Nobody beside the policy decides by a role --------------------------------------------------------------------

ROLE_GROUPS = {"DECLARERS", "OFFICERS", "CENTER", "EVERYONE"}  # the policy's groups of roles


def _reads_a_role(node: ast.AST) -> bool:
    """``x.role``, ``Role.SOMETHING`` or a group of roles: what a permission decided by hand compares."""
    if isinstance(node, ast.Attribute):
        return node.attr == "role" or (isinstance(node.value, ast.Name) and node.value.id == "Role")
    return isinstance(node, ast.Name) and node.id in ROLE_GROUPS


def test_no_module_outside_the_policy_compares_a_role_to_decide_who_may():
    found = {}
    for module, tree in sources().items():
        if module == POLICY or module in READ_A_ROLE_FOR_OTHER_REASONS:
            continue
        lines = sorted({node.lineno for node in ast.walk(tree) if isinstance(node, ast.Compare)
                        and any(_reads_a_role(side) for side in (node.left, *node.comparators))})
        if lines:
            found[module] = lines
    assert found == {}, "decide with bordergate.domain.access (require / allows), or list the module with a reason"


def test_every_exception_still_reads_a_role():
    trees = sources()
    stale = [module for module in READ_A_ROLE_FOR_OTHER_REASONS
             if not any(isinstance(n, ast.Compare) and any(_reads_a_role(s) for s in (n.left, *n.comparators))
                        for n in ast.walk(trees[module]))]
    assert stale == []


# The checks that lived on the Principal, or in the services, before the policy held them all (issue 16).
RETIRED_CHECKS = {"require_admin", "require_declaring_role", "require_gate_operator", "require_authority",
                  "require_board", "_require_collector", "_require_regulator", "_require_agency", "agencies_of"}


# What the Principal answered itself, now the policy's functions: principal.may_see(e) is may_see(principal, e).
MOVED_FROM_THE_PRINCIPAL = {"may_see", "require_may_declare_for"}


def _calls_a_retired_check(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in RETIRED_CHECKS
    on_the_policy = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "access"
    return (isinstance(func, ast.Attribute) and not on_the_policy
            and func.attr in RETIRED_CHECKS | MOVED_FROM_THE_PRINCIPAL)


def test_nobody_calls_a_check_the_policy_replaced():
    calls = sorted(f"{module}:{node.lineno}" for module, tree in sources().items()
                   for node in ast.walk(tree) if isinstance(node, ast.Call) and _calls_a_retired_check(node))
    assert calls == [], "call bordergate.domain.access (require(principal, ABILITY), require_may_declare_for, ...)"


def test_no_module_outside_the_policy_makes_its_own_ability():
    made = sorted(module for module, tree in sources().items() if module != POLICY
                  for node in ast.walk(tree) if isinstance(node, ast.Call)
                  and isinstance(node.func, ast.Name) and node.func.id == "Ability")
    assert made == []


# --- The checks ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ability", ABILITIES, ids=lambda a: a.name)
def test_require_refuses_with_the_abilitys_own_words_whoever_lacks_it(ability):
    for role in Role:
        if ability.allows(role):
            access.require(a_principal(role), ability)
        else:
            with pytest.raises(Forbidden) as refused:
                access.require(a_principal(role), ability)
            assert refused.value.detail == ability.refusal


def test_only_administrators_manage_accounts():
    access.require(a_principal(Role.ADMIN), ADMINISTER)
    for role in set(Role) - {Role.ADMIN}:
        with pytest.raises(Forbidden, match="only an administrator"):
            access.require(a_principal(role), ADMINISTER)


@pytest.mark.parametrize("role", sorted(SEE_EVERY_TRIP.roles, key=str), ids=str)
def test_officers_at_the_gate_see_every_enterprises_declarations(role):
    assert access.may_see(a_principal(role), "farm")


def test_declarants_and_agents_see_only_the_enterprises_they_act_for_and_drivers_none():
    assert access.may_see(a_principal(Role.DECLARANT, {"farm"}), "farm")
    assert not access.may_see(a_principal(Role.DECLARANT, {"farm"}), "fruit")
    assert not access.may_see(a_principal(Role.AGENT, {"fruit"}), "farm")
    assert not access.may_see(a_principal(Role.DRIVER), "farm")
    assert not access.may_see(a_principal(Role.TRAFFIC_POLICE), "farm")


def test_declarants_and_agents_declare_for_the_enterprises_they_act_for():
    access.require_may_declare_for(a_principal(Role.DECLARANT, {"farm"}), "farm")
    access.require_may_declare_for(a_principal(Role.AGENT, {"farm", "fruit"}), "fruit")
    with pytest.raises(Forbidden, match="authorise"):
        access.require_may_declare_for(a_principal(Role.AGENT, {"fruit"}), "farm")


@pytest.mark.parametrize("role", [Role.CUSTOMS, Role.ADMIN, Role.DRIVER, Role.OPERATOR])
def test_nobody_else_declares_even_for_an_enterprise_in_their_list(role):
    with pytest.raises(Forbidden, match="cannot declare"):
        access.require_may_declare_for(a_principal(role, {"farm"}), "farm")
    assert not DECLARE.allows(role)


@pytest.mark.parametrize("ability", [CHOOSE_AGENTS, GIVE_CONTACT_PHONE], ids=lambda a: a.name)
def test_an_enterprise_speaks_for_itself_through_its_declarants_or_an_administrator(ability):
    access.require_enterprise_voice(a_principal(Role.DECLARANT, {"farm"}, organisation="farm"), "farm", ability)
    access.require_enterprise_voice(a_principal(Role.ADMIN, organisation="authority"), "farm", ability)
    for someone_else in (a_principal(Role.DECLARANT, {"fruit"}, organisation="fruit"),
                         a_principal(Role.AGENT, {"farm"}, organisation="agency"),
                         a_principal(Role.OPERATOR, organisation="authority")):
        with pytest.raises(Forbidden, match="own declarants"):
            access.require_enterprise_voice(someone_else, "farm", ability)


def test_an_officer_decides_for_their_own_agency_and_a_quarantine_officer_for_plants_and_animals():
    quarantine = a_principal(Role.QUARANTINE)
    access.require_own_agency(quarantine, Agency.PLANT_QUARANTINE)
    access.require_own_agency(quarantine, Agency.ANIMAL_QUARANTINE)
    with pytest.raises(Forbidden, match="you act for Plant quarantine, Animal quarantine, not Customs"):
        access.require_own_agency(quarantine, Agency.CUSTOMS)
    with pytest.raises(Forbidden) as refused:
        access.require_own_agency(a_principal(Role.OPERATOR), Agency.CUSTOMS)
    assert refused.value.detail == ACT_FOR_AN_AGENCY.refusal
    assert set(access.OWN_AGENCIES) == ACT_FOR_AN_AGENCY.roles
    assert {a for agencies in access.OWN_AGENCIES.values() for a in agencies} == set(Agency)


def test_the_management_center_reads_every_inbox_and_an_officer_their_own():
    assert access.readable_inboxes(a_principal(Role.OPERATOR)) == tuple(Agency)
    assert access.readable_inboxes(a_principal(Role.BORDER_GUARD)) == (Agency.BORDER_GUARD,)
    with pytest.raises(Forbidden) as refused:
        access.readable_inboxes(a_principal(Role.DECLARANT))
    assert refused.value.detail == READ_INBOXES.refusal


def test_a_hold_is_placed_in_the_name_of_the_officers_own_service():
    assert access.holding_service(a_principal(Role.QUARANTINE)) == "quarantine"
    assert access.holding_service(a_principal(Role.CUSTOMS)) == "customs"
    for role in (Role.OPERATOR, Role.TRAFFIC_POLICE, Role.DECLARANT):
        with pytest.raises(Forbidden, match="hold a truck"):
            access.holding_service(a_principal(role))


def test_the_fee_is_the_management_centers_to_collect():
    assert COLLECT_FEES.roles == {Role.OPERATOR, Role.ADMIN}
    assert HOLD_TRUCKS.roles == ACT_FOR_AN_AGENCY.roles
