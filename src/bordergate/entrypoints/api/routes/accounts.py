"""REST routes for signing in and out and for accounts: organisations, users, agents, crossing points, sessions."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, status
from fastapi.security import OAuth2PasswordRequestForm

from bordergate.bootstrap import Gate
from bordergate.domain import commands, session_commands
from bordergate.domain.sessions import Session
from bordergate.entrypoints.api.deps import ClientAddress, GateDep, LocaleDep, PrincipalDep
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.api.schemas import (ContactPhoneIn, CrossingPointIn, OrganisationIn, PasswordChangeIn,
                                                SessionsEnded, Token, UserIn)
from bordergate.services.views import labelled

router = APIRouter(prefix="/api/v1", route_class=IdempotentRoute)


@router.post("/auth/token", tags=["sign-in"])
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], gate: GateDep, address: ClientAddress) -> Token:
    """Sign in with username and password (form fields); send the token as 'Authorization: Bearer ...'.

    Failed sign-ins are counted per username and per client address: after a few, that username or address is
    refused (429, Retry-After) for a while that grows with each lock, before any password is checked."""
    _, session = gate.sessions.sign_in(form.username, form.password, address)
    return token_of(gate, session)


def token_of(gate: Gate, session: Session) -> Token:
    return Token(access_token=gate.tokens.issue(session),
                 expires_in=int((session.expires_at - gate.clock.now()).total_seconds()))


@router.post("/sign-out", tags=["sign-in"])
def sign_out(gate: GateDep, principal: PrincipalDep) -> dict[str, str]:
    """End this sign-in: its token opens nothing from now on (401)."""
    gate.bus.handle(session_commands.SignOut(principal))
    return {"status": "signed out"}


@router.post("/me/password", tags=["sign-in"])
def change_password(body: PasswordChangeIn, gate: GateDep, principal: PrincipalDep, address: ClientAddress) -> Token:
    """Change your password: every sign-in of your account ends (this one too), and the answer is a new token."""
    return token_of(gate, gate.bus.handle(session_commands.ChangePassword(
        principal, body.current_password, body.new_password, address)))


@router.post("/users/{user_id}/sessions/revoke", tags=["administration"])
def revoke_sessions(user_id: str, gate: GateDep, principal: PrincipalDep) -> SessionsEnded:
    """End every sign-in of one person (administrators); they must sign in again."""
    return SessionsEnded(sessions_ended=gate.bus.handle(session_commands.RevokeSessions(principal, user_id)))


@router.post("/sessions/revoke-all", tags=["administration"])
def revoke_all_sessions(gate: GateDep, principal: PrincipalDep) -> SessionsEnded:
    """End everybody's sign-ins but your own (administrators): everyone signs in again."""
    return SessionsEnded(sessions_ended=gate.bus.handle(session_commands.RevokeAllSessions(principal)))


@router.post("/users/{user_id}/deactivate", tags=["administration"])
def deactivate_user(user_id: str, gate: GateDep, principal: PrincipalDep) -> SessionsEnded:
    """Close a person's sign-in for good (administrators); their sign-ins end at once."""
    return SessionsEnded(sessions_ended=gate.bus.handle(session_commands.DeactivateUser(principal, user_id)))


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


@router.put("/enterprises/{enterprise_id}/contact-phone", tags=["administration"])
def set_contact_phone(enterprise_id: str, body: ContactPhoneIn, gate: GateDep,
                      principal: PrincipalDep) -> dict[str, str | None]:
    """The number the enterprise is told on by SMS when an agency holds one of its trips (its declarants, or
    administrators); null removes it, and holds are then only in the portal."""
    phone = gate.bus.handle(commands.SetContactPhone(principal, enterprise_id, body.phone))
    return {"enterprise_id": enterprise_id, "phone": phone}


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
