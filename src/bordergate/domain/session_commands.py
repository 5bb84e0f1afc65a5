"""Commands that end sign-in sessions: signing out, changing a password, an administrator's revocations."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.commands import Command


@dataclass(frozen=True)
class SignOut(Command):
    """End the sign-in this request came with."""


@dataclass(frozen=True)
class ChangePassword(Command):
    """Change one's own password; every session of the account ends, and a new one starts for the asker."""

    current_password: str
    new_password: str
    address: str = ""


@dataclass(frozen=True)
class RevokeSessions(Command):
    """End every session of one person (an administrator: a lost phone, a person who left)."""

    user_id: str


@dataclass(frozen=True)
class RevokeAllSessions(Command):
    """End everybody's sessions but the asking administrator's own (a suspected break-in)."""


@dataclass(frozen=True)
class DeactivateUser(Command):
    """Close a person's sign-in for good; their sessions end with it."""

    user_id: str
