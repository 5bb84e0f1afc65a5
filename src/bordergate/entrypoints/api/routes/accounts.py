"""REST routes for signing in and for accounts: organisations, users, agents, crossing points."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from bordergate.domain import commands
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.schemas import CrossingPointIn, OrganisationIn, Token, UserIn
from bordergate.services.authentication import sign_in
from bordergate.services.views import labelled

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)


@router.post("/auth/token", tags=["sign-in"])
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], gate: GateDep) -> Token:
    """Sign in with username and password (form fields); send the token as 'Authorization: Bearer ...'."""
    user = sign_in(gate.reader(), gate.passwords, form.username, form.password)
    return Token(access_token=gate.tokens.issue(user.id, gate.clock.now()),
                 expires_in=int(gate.tokens.ttl.total_seconds()))


@router.get("/me", tags=["sign-in"])
def me(principal: PrincipalDep, locale: LocaleDep) -> dict[str, Any]:
    """Who you are signed in as, and the enterprises you may declare for."""
    return {"user_id": principal.user_id, "username": principal.username, "role": labelled(principal.role, locale),
            "organisation_id": principal.organisation_id, "enterprises": sorted(principal.enterprises)}


@router.post("/organisations", tags=["administration"], status_code=status.HTTP_201_CREATED)
def register_organisation(body: OrganisationIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Open an account for an enterprise, customs agency or authority (administrators)."""
    return {"id": gate.bus.handle(commands.RegisterOrganisation(principal, body.name, body.kind, body.tax_code))}


@router.post("/users", tags=["administration"], status_code=status.HTTP_201_CREATED)
def create_user(body: UserIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Give a person a sign-in with a role (administrators)."""
    return {"id": gate.bus.handle(commands.CreateUser(principal, body.username, body.password, body.full_name,
                                                      body.role, body.organisation_id))}


@router.put("/enterprises/{enterprise_id}/agents/{agency_id}", tags=["administration"])
def authorise_agent(enterprise_id: str, agency_id: str, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Let a customs agency declare for this enterprise (its declarants, or administrators)."""
    gate.bus.handle(commands.AuthoriseAgent(principal, enterprise_id, agency_id))
    return {"enterprise_id": enterprise_id, "agency_id": agency_id, "status": "authorised"}


@router.delete("/enterprises/{enterprise_id}/agents/{agency_id}", tags=["administration"])
def revoke_agent(enterprise_id: str, agency_id: str, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Withdraw a customs agency's authorisation."""
    gate.bus.handle(commands.RevokeAgent(principal, enterprise_id, agency_id))
    return {"enterprise_id": enterprise_id, "agency_id": agency_id, "status": "revoked"}


@router.post("/crossing-points", tags=["administration"], status_code=status.HTTP_201_CREATED)
def add_crossing_point(body: CrossingPointIn, gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """Open another crossing point for declarations (administrators)."""
    return {"code": gate.bus.handle(commands.AddCrossingPoint(
        principal, body.code, body.name, body.province, body.border_markers, body.counterpart))}
