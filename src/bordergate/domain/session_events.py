"""Events of sign-in sessions and passwords: who ended whose sessions, and which sign-ins were locked out.

Failed sign-ins are deliberately not events: strangers could fill the audit trail with them. A lockout is.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bordergate.domain.events import Event


@dataclass(frozen=True)
class SignedOut(Event):
    """A person ended their own sign-in; the token it was given opens nothing from now on."""

    user_id: str
    session_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class SessionsRevoked(Event):
    """Sessions were ended: every one of a person's (``user_id``), or everybody's (``user_id`` None); ``why`` says
    on what occasion (password changed, by an administrator, account deactivated) and ``count`` how many."""

    user_id: str | None
    why: str
    count: int

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id) if self.user_id else ("sessions", "all")


@dataclass(frozen=True)
class PasswordChanged(Event):
    """A person changed their password (neither the old nor the new one is recorded)."""

    user_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class UserDeactivated(Event):
    """An administrator closed a person's sign-in; their sessions ended with it."""

    user_id: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class SignInLocked(Event):
    """Too many failed sign-ins: an account (``kind`` account, ``subject_id`` the user id) or a client address
    (``kind`` address) may not try again until ``until``; ``lock`` counts the locks in a row (each one longer)."""

    kind: str
    subject_id: str
    until: datetime
    lock: int

    @property
    def subject(self) -> tuple[str, str]:
        return (self.kind, self.subject_id)
