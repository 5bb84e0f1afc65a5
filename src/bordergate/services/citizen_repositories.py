"""The citizens' repositories as typing.Protocols: their profiles, and the sign-in codes sent to them."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol, TypedDict

from bordergate.domain.citizens import SignInCode


class CitizenProfile(TypedDict):
    """What a citizen account has beyond its users row: the phone it is named by, VNeID's subject once linked."""

    user_id: str
    phone: str
    locale: str
    vneid_subject: str | None
    created_at: datetime


class CitizenRepository(Protocol):
    """Citizen profiles by account, phone or VNeID subject."""

    def add(self, profile: CitizenProfile) -> None: ...

    def by_phone(self, phone: str) -> CitizenProfile | None: ...

    def by_vneid_subject(self, subject: str) -> CitizenProfile | None: ...

    def link_vneid(self, user_id: str, subject: str) -> None: ...


class SignInCodeRepository(Protocol):
    """Sign-in codes (digests only): the newest open one per phone, tries counted atomically, and those recently
    sent, for the throttles."""

    def add(self, code: SignInCode) -> None: ...

    def open_for(self, phone: str) -> SignInCode | None:
        """The newest code of ``phone`` neither used nor voided (expired or used up, it still says why)."""
        ...

    def void_open(self, phone: str, at: datetime) -> int:
        """Void every open code of ``phone`` (a new one is being sent); how many."""
        ...

    def count_try(self, code_id: str, max_attempts: int) -> bool:
        """Count one try of an open code; False when it was used, voided or out of tries meanwhile (two tries at
        once cannot both take the last one)."""
        ...

    def use(self, code_id: str, at: datetime) -> bool:
        """Mark an open code used; False when another request used or voided it first."""
        ...

    def sent_since(self, since: datetime, *, phone: str | None = None, address: str | None = None) -> list[datetime]:
        """When codes were sent after ``since`` (to ``phone``, or asked from ``address``, or to anyone), oldest
        first."""
        ...

    def forget(self, before: datetime) -> int:
        """Delete codes sent before ``before`` (their throttles' window is over); how many."""
        ...
