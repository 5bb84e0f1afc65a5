"""Who is asking: the refusals of sign-in, and the acting principal with the enterprises they may act for."""
from __future__ import annotations

from bordergate.domain.accounts import Principal, Role, User
from bordergate.domain.errors import DomainError
from bordergate.services.ports import PasswordHasher
from bordergate.services.unit_of_work import UnitOfWork


class NotAuthenticated(DomainError):
    """Wrong credentials, an expired token, or a deactivated account."""

    title = "Sign-in required"
    challenge = "Bearer"


class CameraNotAuthenticated(NotAuthenticated):
    """A camera's key is missing, unknown or wrong."""

    title = "Camera key required"
    challenge = 'X-Camera-Key realm="bordergate"'


class SignatureRequired(NotAuthenticated):
    """A message from another system (an agency's, a payment provider's) is unsigned, wrongly signed or stale."""

    title = "Signed message required"
    challenge = 'HMAC-SHA256 realm="bordergate"'


# Checked against unknown usernames, so the answer takes as long as for a real one and timing reveals nothing.
_decoys: dict[int, str] = {}


def decoy_hash(hasher: PasswordHasher) -> str:
    """A hash of no account's password, made once per hasher."""
    if id(hasher) not in _decoys:
        _decoys[id(hasher)] = hasher.hash("bordergate-decoy-password")
    return _decoys[id(hasher)]


def principal_for(uow: UnitOfWork, user_id: str) -> Principal:
    """The acting principal for a user (no session: seeding, the command line, tests), with the enterprises they
    may act for right now."""
    with uow:
        user = uow.accounts.user(user_id)
        if user is None:
            raise NotAuthenticated("this account no longer exists or was deactivated; sign in again")
        return principal_of(uow, user)


def principal_of(uow: UnitOfWork, user: User, session_id: str | None = None) -> Principal:
    """The acting principal of ``user`` in an open unit of work; NotAuthenticated when the account is closed."""
    if not user.active:
        raise NotAuthenticated("this account no longer exists or was deactivated; sign in again")
    enterprises: frozenset[str] = frozenset()
    if user.role is Role.DECLARANT and user.organisation_id:
        enterprises = frozenset({user.organisation_id})
    elif user.role is Role.AGENT and user.organisation_id:
        enterprises = uow.accounts.enterprises_represented_by(user.organisation_id)
    return Principal(user.id, user.username, user.role, user.organisation_id, enterprises, session_id)


SYSTEM = Principal("system", "system", Role.ADMIN, None)
"""The principal for the command line and seeding: an administrator that is nobody's account."""
