"""RFC 9457 problem details: every refusal says what is wrong, field by field, and what to do."""
from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
import structlog
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException

from bordergate.domain.errors import (Conflict, DomainError, Forbidden, Invalid, InvalidValue, NotFound,
                                      TooManyRequests, Unavailable)
from bordergate.services.authentication import NotAuthenticated

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger(__name__)
_STATUS = {Invalid: 422, NotFound: 404, Forbidden: 403, Conflict: 409, NotAuthenticated: 401, TooManyRequests: 429,
           Unavailable: 503}


PROBLEM_SCHEMA = {
    "type": "object", "title": "Problem",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "instance": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "message"],
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
_REFUSALS = {401: "Not signed in, or the token is invalid or expired", 403: "Your role may not do this",
             404: "Not found, or not yours to see", 409: "Conflicts with the current state",
             422: "Invalid input: `errors` names each bad field by its path",
             429: "Too many requests (or failed sign-ins) from this account or address; wait for Retry-After "
                  "seconds",
             503: "The database, or every password check, is busy for a moment; nothing was saved"}
PROBLEM_RESPONSES = {status: {"description": text, "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}}}
                     for status, text in _REFUSALS.items()}
"""Every operation documents its refusals as RFC 9457 problem+json (this also replaces FastAPI's default 422)."""


def problem(status: int, title: str, detail: str, request: Request, errors: list[dict] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"https://bordergate.org/problems/{status}", "title": title,
                            "status": status, "detail": detail, "instance": request.url.path}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def field_path(loc: tuple[Any, ...]) -> str:
    """('body', 'goods', 0, 'hs_code') -> 'goods[0].hs_code', the same paths the domain uses."""
    path = ""
    for part in loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += ("." if path else "") + str(part)
    return path or str(loc[0] if loc else "request")


def status_of(exc: DomainError) -> int:
    """The HTTP status a domain error answers with."""
    return next((code for kind, code in _STATUS.items() if isinstance(exc, kind)), 400)


def install(app: FastAPI) -> None:
    """Map domain errors and request-shape errors to problem+json responses."""

    @app.exception_handler(DomainError)
    def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        status = status_of(exc)
        errors = [{"field": p.field, "message": p.message} for p in exc.problems] if isinstance(exc, Invalid) else None
        headers = {"WWW-Authenticate": exc.challenge} if isinstance(exc, NotAuthenticated) else None
        if getattr(exc, "retry_after", None) is not None:  # too many requests; a key whose request still runs
            headers = {"Retry-After": str(exc.retry_after)}
        return problem(status, exc.title, exc.detail, request, errors, headers)

    @app.exception_handler(InvalidValue)
    def invalid_value(request: Request, exc: InvalidValue) -> JSONResponse:
        return problem(422, "Invalid input", str(exc), request)

    @app.exception_handler(RequestValidationError)
    def request_shape(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"field": field_path(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
        names = ", ".join(e["field"] for e in errors)
        return problem(422, "Invalid input", f"{len(errors)} field(s) need correcting: {names}", request, errors)

    @app.exception_handler(IntegrityError)
    def integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # A constraint the domain could not see coming (a concurrent change); the transaction was rolled back.
        log.warning("integrity error", path=request.url.path, error=str(exc.orig))
        return problem(409, "Conflict with current state",
                       "another change reached the database first; nothing was saved, please try again", request)

    @app.exception_handler(DataError)
    def unstorable(request: Request, exc: DataError) -> JSONResponse:
        # The database refused a value the checks let through (e.g. a NUL character); nothing was saved.
        log.warning("value refused by the database", path=request.url.path, error=str(exc.orig).splitlines()[0])
        return problem(422, "Invalid input", "a value in this request cannot be stored (for example a NUL "
                       "character or a number out of range); correct it and try again", request)

    @app.exception_handler(DBAPIError)
    def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not exc.connection_invalidated:
            return unexpected(request, exc)
        log.warning("database connection lost", path=request.url.path)
        return problem(503, "Database unavailable", "the database connection was lost and is being restored; "
                       "nothing was saved, try again in a moment", request, headers={"Retry-After": "2"})

    @app.exception_handler(Exception)
    def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("unexpected error", path=request.url.path, exc_info=exc)
        return problem(500, "Internal error", "something went wrong on our side; nothing was saved. "
                       "Try again, and tell the operator if it persists", request)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, _title(exc.status_code), str(exc.detail), request,
                       headers=getattr(exc, "headers", None))


def _title(status: int) -> str:
    return {401: "Sign-in required", 403: "Not allowed", 404: "Not found", 405: "Method not allowed"}.get(
        status, "Request refused")
