"""The province's one-stop system as a port: an application's status by its receipt code, refusals in words."""
from __future__ import annotations

from typing import Protocol

from bordergate.domain.applications import ApplicationStatus, read_receipt_code
from bordergate.domain.errors import NotFound


class OneStopSystem(Protocol):
    """Asks the one-stop system; None when it knows no such receipt, Unavailable when it cannot be asked."""

    def status(self, receipt_code: str) -> ApplicationStatus | None: ...


def application_status(one_stop: OneStopSystem, typed: str) -> ApplicationStatus:
    """The status of the application a receipt code names; NotFound (404) in words when there is none."""
    code = read_receipt_code(typed)
    found = one_stop.status(code)
    if found is None:
        raise NotFound(f"the one-stop system has no application with receipt code {code}; check the code on your "
                       "receipt, or ask the desk where you applied")
    return found
