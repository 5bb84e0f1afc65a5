"""What signing in as a citizen asks and causes: the commands (no principal yet: nobody is signed in), and
CitizenRegistered, IdentityLinked (public contract).

Asking for a code, and a wrong code, are deliberately not events: strangers could fill the audit trail with them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bordergate.domain.events import Event


@dataclass(frozen=True)
class RequestSignInCode:
    """Send a one-time code by SMS to ``phone`` (as typed), asked from client ``address``."""

    phone: str
    address: str
    locale: str = "vi"


@dataclass(frozen=True)
class ConfirmSignInCode:
    """Sign in with the code sent to ``phone``; the account is opened on the first sign-in."""

    phone: str
    code: str = field(repr=False)
    address: str = ""


@dataclass(frozen=True)
class FinishVneidSignIn:
    """Sign in as the citizen VNeID vouched for: its ``subject``, and its phone when VNeID verified it."""

    issuer: str
    subject: str
    phone: str | None
    phone_verified: bool
    address: str = ""


CitizenMessage = RequestSignInCode | ConfirmSignInCode | FinishVneidSignIn


@dataclass(frozen=True)
class CitizenRegistered(Event):
    """A citizen signed in for the first time: an account named by their phone (sealed on the trail) was opened,
    by a code sent to that phone (``via`` "sms") or by VNeID ("vneid")."""

    user_id: str
    phone: str
    via: str

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)


@dataclass(frozen=True)
class IdentityLinked(Event):
    """A citizen's account was tied to their VNeID identity (``vneid_subject``, sealed), found by the phone VNeID
    verified (sealed)."""

    user_id: str
    vneid_subject: str
    phone: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("user", self.user_id)
