"""The Open311 router's route class: every refusal in the spec's error format (the one exception to RFC 9457)."""
from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from bordergate.domain.errors import (DomainError, Forbidden, Invalid, InvalidValue, NotFound,
                                      TooManyRequests, Unavailable)
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.open311.formats import FORMATS, errors
from bordergate.services.idempotency import KeyInUse

log = structlog.get_logger(__name__)
_SUFFIX = re.compile(r"\.([a-z]+)$")


def error_format(request: Request) -> str:
    """The format the client asked for by the path's suffix; XML (the spec's required one) otherwise."""
    found = _SUFFIX.search(request.url.path)
    return found.group(1) if found and found.group(1) in FORMATS else "xml"


def refusal(request: Request, exc: Exception) -> Response:
    """A refusal as the spec has it: 404 missing, 403 api_key, 400 anything else (429/409/503 with Retry-After
    where waiting helps)."""
    fmt = error_format(request)
    if isinstance(exc, Invalid):
        return errors(400, [f"{p.field}: {p.message}" for p in exc.problems], fmt)
    if isinstance(exc, RequestValidationError):
        return errors(400, [f"{'.'.join(str(x) for x in e['loc'][1:])}: {e['msg']}" for e in exc.errors()], fmt)
    if isinstance(exc, (TooManyRequests, KeyInUse)):
        return errors(429 if isinstance(exc, TooManyRequests) else 409, [exc.detail], fmt,
                      {"Retry-After": str(exc.retry_after)})
    if isinstance(exc, Unavailable):
        return errors(503, [exc.detail], fmt, {"Retry-After": "2"})
    if isinstance(exc, DomainError):
        status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else 400
        return errors(status, [exc.detail], fmt)
    if isinstance(exc, InvalidValue):
        return errors(400, [str(exc)], fmt)
    if isinstance(exc, DataError):  # the database refused a value the checks let through (a NUL character)
        return errors(400, ["a value in this request cannot be stored (for example a NUL character); correct it "
                            "and try again"], fmt)
    if isinstance(exc, HTTPException):
        return errors(exc.status_code if exc.status_code in (403, 404) else 400, [str(exc.detail)], fmt)
    log.error("unexpected error", path=request.url.path, exc_info=exc)
    return errors(500, ["something went wrong on our side; nothing was saved. Try again, and tell the province "
                        "if it persists"], fmt)


class Open311Route(IdempotentRoute):
    """A route of /open311/v2/: its errors (the access guard's, validation's, the Idempotency-Key's, the
    handler's) are answered in GeoReport v2's format, never as problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def spec_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:  # every refusal of this router, in its own format
                return refusal(request, exc)

        return spec_errors
