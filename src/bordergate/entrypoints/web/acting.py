"""What the portal, board and admin screens share: a page for the signed-in person, a refusal said, a form acted on."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from bordergate.domain.accounts import Principal
from bordergate.domain.errors import DomainError, Forbidden
from bordergate.entrypoints.api.problems import status_of
from bordergate.entrypoints.web import pages


def status_for(exc: Exception) -> int:
    """The status the API would answer: a domain error's own, else 422 (a value that does not fit its grammar)."""
    return status_of(exc) if isinstance(exc, DomainError) else 422


def detail_of(exc: Exception) -> str:
    return exc.detail if isinstance(exc, DomainError) else str(exc)


def _nothing(request: Request, locale: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Screen:
    """What sets one screen apart. ``refusal`` is the template a refusal is said on and ``said`` what it is told;
    ``given`` is what every page of the screen gets; ``forbidden_refuses``: a role that may not do what a form asks
    is refused the screen (403), else told under the form like any other refusal; ``also`` are the exceptions,
    besides domain errors, that a form's action may answer with (a value that does not fit its grammar)."""

    refusal: str
    said: Callable[[Exception, Principal], dict[str, Any]]
    given: Callable[[Request, str], dict[str, Any]] = _nothing
    forbidden_refuses: bool = True
    also: tuple[type[Exception], ...] = field(default=())

    def page(self, request: Request, name: str, locale: str, principal: Principal, status_code: int = 200,
             **context: Any) -> Any:
        """A page of this screen for the signed-in person."""
        return pages.page(request, name, locale, status_code=status_code, principal=principal,
                          **self.given(request, locale), **context)

    def refused(self, request: Request, locale: str, principal: Principal, exc: Exception) -> Any:
        """What the person cannot have, said on a page with the status the API would answer."""
        return self.page(request, self.refusal, locale, principal, status_code=status_for(exc),
                         **self.said(exc, principal))

    def act(self, request: Request, locale: str, principal: Principal, action: Callable[[], Any], *,
            done: Callable[[Any], Any], again: Callable[[Exception, int], Any]) -> Any:
        """Do what the form asks (through the bus, like the API); ``done`` with its result, or ``again``: the page
        once more with the refusal and the status the API would answer."""
        try:
            result = action()
        except Forbidden as exc:
            if self.forbidden_refuses:
                return self.refused(request, locale, principal, exc)
            return again(exc, status_for(exc))
        except (DomainError, *self.also) as exc:
            return again(exc, status_for(exc))
        return done(result)
