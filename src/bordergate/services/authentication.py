"""Sign-in and the acting principal: who is asking, and which enterprises they may act for."""
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


def _decoy_hash(hasher: PasswordHasher) -> str:
    if id(hasher) not in _decoys:
        _decoys[id(hasher)] = hasher.hash("bordergate-decoy-password")
    return _decoys[id(hasher)]


def sign_in(uow: UnitOfWork, hasher: PasswordHasher, username: str, password: str) -> User:
    """The user whose password this is, or NotAuthenticated (the same message for both kinds of mistake)."""
    with uow:
        user = uow.accounts.user_by_username(username.strip().lower())
    if user is None:
        hasher.verify(password, _decoy_hash(hasher))
        raise NotAuthenticated("wrong username or password")
    if not hasher.verify(password, user.password_hash) or not user.active:
        raise NotAuthenticated("wrong username or password")
    return user


def principal_for(uow: UnitOfWork, user_id: str) -> Principal:
    """The acting principal for a signed-in user, with the enterprises they may act for right now."""
    with uow:
        user = uow.accounts.user(user_id)
        if user is None or not user.active:
            raise NotAuthenticated("this account no longer exists or was deactivated; sign in again")
        enterprises: frozenset[str] = frozenset()
        if user.role is Role.DECLARANT:
            enterprises = frozenset({user.organisation_id})
        elif user.role is Role.AGENT:
            enterprises = uow.accounts.enterprises_represented_by(user.organisation_id)
    return Principal(user.id, user.username, user.role, user.organisation_id, enterprises)


SYSTEM = Principal("system", "system", Role.ADMIN, None)
"""The principal for the command line and seeding: an administrator that is nobody's account."""
