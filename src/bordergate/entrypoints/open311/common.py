"""What every Open311 route reads the same way: the gate, the reader's language, the jurisdiction."""
from __future__ import annotations

from fastapi import Request

from bordergate.bootstrap import Gate, open311_settings
from bordergate.domain.errors import NotFound
from bordergate.domain.open311 import Open311Settings
from bordergate.entrypoints.api.deps import LOCALES

PREFIX = "/open311/v2"


def gate_of(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


def settings_of(request: Request) -> Open311Settings:
    return open311_settings(gate_of(request).settings)


def locale_of(request: Request) -> str:
    """``locale`` (or ``lang``) first, then Accept-Language, then Vietnamese (service names, notes, notices)."""
    asked = (request.query_params.get("locale") or request.query_params.get("lang") or "")[:2].lower()
    if asked in LOCALES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return "vi"


def check_jurisdiction(request: Request, given: str | None = None) -> None:
    """One jurisdiction is served; a client may leave jurisdiction_id out, but not name another."""
    asked = given if given is not None else request.query_params.get("jurisdiction_id")
    if asked and asked != gate_of(request).settings.open311_jurisdiction_id:
        raise NotFound("jurisdiction_id provided was not found")
