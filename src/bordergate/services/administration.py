"""Use cases of administrators and enterprises: accounts, agent authorisations, crossing points."""
from __future__ import annotations

import re
from functools import partial

from bordergate.domain import commands
from bordergate.domain.access import (ADMINISTER, CHOOSE_AGENTS, GIVE_CONTACT_PHONE, require,
                                      require_enterprise_voice)
from bordergate.domain.accounts import MIN_PASSWORD_LENGTH, Organisation, OrganisationKind, Role, User
from bordergate.domain.crossing_points import CrossingPoint, parse_crossing_point_code
from bordergate.domain.errors import Conflict, FieldProblem, Invalid, NotFound, collect, parsed
from bordergate.domain.events import (AgentAuthorised, AgentRevoked, CrossingPointAdded, OrganisationRegistered,
                                      UserCreated)
from bordergate.domain.contact_events import ContactPhoneSet
from bordergate.domain.identifiers import parse_phone, parse_tax_code
from bordergate.domain.labels import parse_choice
from bordergate.services.ports import Clock, Identifiers, PasswordHasher
from bordergate.services.unit_of_work import UnitOfWork

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")


def register_organisation(cmd: commands.RegisterOrganisation, uow: UnitOfWork, clock: Clock,
                          ids: Identifiers) -> str:
    """Open an account for an enterprise, customs agency or authority; tax codes are unique."""
    require(cmd.actor, ADMINISTER)
    problems = []
    name = " ".join(cmd.name.split())
    if not name:
        problems.append(FieldProblem("name", "is required"))
    kind = collect(problems, "kind", partial(parse_choice, OrganisationKind), cmd.kind)
    tax_code = collect(problems, "tax_code", parse_tax_code, cmd.tax_code) if cmd.tax_code else None
    if kind in (OrganisationKind.ENTERPRISE, OrganisationKind.CUSTOMS_AGENCY) and not cmd.tax_code:
        problems.append(FieldProblem("tax_code", "enterprises and customs agencies need their tax code (MST)"))
    if problems:
        raise Invalid(problems)
    now = clock.now()
    with uow:
        if tax_code and uow.accounts.organisation_by_tax_code(tax_code):
            raise Conflict(f"an organisation with tax code {tax_code} already has an account")
        org = Organisation(ids.new_id(), name, kind, tax_code)
        uow.accounts.add_organisation(org, now)
        uow.record(OrganisationRegistered(actor=cmd.actor.user_id, at=now, organisation_id=org.id, name=name,
                                          kind=kind.value))
        uow.commit()
    return org.id


def create_user(cmd: commands.CreateUser, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                hasher: PasswordHasher) -> str:
    """Give a person a sign-in; their role must fit the kind of organisation they belong to."""
    require(cmd.actor, ADMINISTER)
    problems = []
    username = cmd.username.strip().lower()
    if not _USERNAME.match(username):
        problems.append(FieldProblem("username", "use 3-64 lower-case letters, digits, '.', '_', '-' or '@'"))
    if len(cmd.password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", f"must be at least {MIN_PASSWORD_LENGTH} characters"))
    if not cmd.full_name.strip():
        problems.append(FieldProblem("full_name", "is required"))
    role = collect(problems, "role", partial(parse_choice, Role), cmd.role)
    if problems:
        raise Invalid(problems)
    now = clock.now()
    with uow:
        _check_membership(uow, role, cmd.organisation_id)
        if uow.accounts.user_by_username(username):
            raise Conflict(f"username {username} is taken; choose another")
        user = User(ids.new_id(), username, cmd.full_name.strip(), role, cmd.organisation_id,
                    hasher.hash(cmd.password))
        uow.accounts.add_user(user, now)
        uow.record(UserCreated(actor=cmd.actor.user_id, at=now, user_id=user.id, username=username,
                               role=role.value, organisation_id=cmd.organisation_id))
        uow.commit()
    return user.id


def authorise_agent(cmd: commands.AuthoriseAgent, uow: UnitOfWork, clock: Clock) -> None:
    """An enterprise's declarant (or an administrator) lets a customs agency act for the enterprise."""
    require_enterprise_voice(cmd.actor, cmd.enterprise_id, CHOOSE_AGENTS)
    now = clock.now()
    with uow:
        _require_kind(uow, cmd.enterprise_id, OrganisationKind.ENTERPRISE, "enterprise_id")
        _require_kind(uow, cmd.agency_id, OrganisationKind.CUSTOMS_AGENCY, "agency_id")
        uow.accounts.authorise(cmd.enterprise_id, cmd.agency_id, cmd.actor.user_id, now)
        uow.record(AgentAuthorised(actor=cmd.actor.user_id, at=now, enterprise_id=cmd.enterprise_id,
                                   agency_id=cmd.agency_id))
        uow.commit()


def revoke_agent(cmd: commands.RevokeAgent, uow: UnitOfWork, clock: Clock) -> None:
    """Withdraw an agency's authorisation; its agents lose sight of the enterprise's declarations at once."""
    require_enterprise_voice(cmd.actor, cmd.enterprise_id, CHOOSE_AGENTS)
    now = clock.now()
    with uow:
        if not uow.accounts.revoke(cmd.enterprise_id, cmd.agency_id, now):
            raise NotFound(f"agency {cmd.agency_id} holds no authorisation from enterprise {cmd.enterprise_id}")
        uow.record(AgentRevoked(actor=cmd.actor.user_id, at=now, enterprise_id=cmd.enterprise_id,
                                agency_id=cmd.agency_id))
        uow.commit()


def add_crossing_point(cmd: commands.AddCrossingPoint, uow: UnitOfWork, clock: Clock) -> str:
    """Open a crossing point for declarations."""
    require(cmd.actor, ADMINISTER)
    problems: list[FieldProblem] = []
    code: str = collect(problems, "code", parse_crossing_point_code, cmd.code)
    if not cmd.name.strip():
        problems.append(FieldProblem("name", "is required"))
    if problems:
        raise Invalid(problems)
    now = clock.now()
    with uow:
        if uow.crossing_points.get(code):
            raise Conflict(f"crossing point {code} exists already")
        uow.crossing_points.add(CrossingPoint(code, cmd.name.strip(), cmd.province.strip(),
                                              cmd.border_markers.strip(), cmd.counterpart.strip()))
        uow.record(CrossingPointAdded(actor=cmd.actor.user_id, at=now, code=code, name=cmd.name.strip()))
        uow.commit()
    return code


def set_contact_phone(cmd: commands.SetContactPhone, uow: UnitOfWork, clock: Clock) -> str | None:
    """The number an enterprise is told on when an agency holds one of its trips; its own declarants (or an
    administrator) give it, since the enterprise answers the hold."""
    require_enterprise_voice(cmd.actor, cmd.enterprise_id, GIVE_CONTACT_PHONE)
    phone = parsed("phone", parse_phone, cmd.phone) if cmd.phone and cmd.phone.strip() else None
    now = clock.now()
    with uow:
        _require_kind(uow, cmd.enterprise_id, OrganisationKind.ENTERPRISE, "enterprise_id")
        uow.accounts.set_contact_phone(cmd.enterprise_id, phone, now)
        uow.record(ContactPhoneSet(actor=cmd.actor.user_id, at=now, enterprise_id=cmd.enterprise_id, phone=phone))
        uow.commit()
    return phone


def _check_membership(uow: UnitOfWork, role: Role, organisation_id: str | None) -> None:
    wanted = role.organisation_kind
    if wanted is None:
        if organisation_id is not None:
            raise Invalid([FieldProblem("organisation_id", "drivers sign in without an organisation")])
        return
    if organisation_id is None:
        raise Invalid([FieldProblem("organisation_id", f"a {role.value} belongs to a {wanted.value}; name it")])
    _require_kind(uow, organisation_id, wanted, "organisation_id")


def _require_kind(uow: UnitOfWork, organisation_id: str, kind: OrganisationKind, field: str) -> None:
    org = uow.accounts.organisation(organisation_id)
    if org is None:
        raise Invalid([FieldProblem(field, f"no organisation {organisation_id}")])
    if org.kind is not kind:
        raise Invalid([FieldProblem(field, f"{org.name} is a {org.kind.value}, not a {kind.value}")])
