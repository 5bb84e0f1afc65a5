"""Events of how an enterprise is reached: the phone it is told on (a public contract)."""
from __future__ import annotations

from dataclasses import dataclass

from bordergate.domain.events import Event


@dataclass(frozen=True)
class ContactPhoneSet(Event):
    """An enterprise's declarant (or an administrator) set the number the enterprise is told on when an agency holds
    one of its trips; ``phone`` None when it was removed."""

    enterprise_id: str
    phone: str | None

    @property
    def subject(self) -> tuple[str, str]:
        return ("organisation", self.enterprise_id)
