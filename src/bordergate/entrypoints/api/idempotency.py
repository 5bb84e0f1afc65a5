"""The Idempotency-Key header on every creating POST: one route class wraps the routes named in creating.CREATING."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security.utils import get_authorization_scheme_param
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from bordergate.bootstrap import Gate
from bordergate.domain.accounts import Principal
from bordergate.domain.errors import FieldProblem, Invalid
from bordergate.entrypoints.api import deps
from bordergate.entrypoints.api.creating import Creating, Rebuilding, creating_route
from bordergate.services import idempotency, open311, plate_control
from bordergate.entrypoints.web import session
from bordergate.services.idempotency import HEADER, Answer, Claim, Found, KeyedRequest

log = structlog.get_logger(__name__)
REPLAYED = "Idempotent-Replayed"
# Printable and unambiguous: UUIDs, ULIDs, base64 and the like fit; a quoted key (RFC 8941 string) is unquoted.
_KEY = re.compile(r"[A-Za-z0-9._:~+/=-]{1,128}")
_KEPT_HEADERS = ("content-type", "location")
HEADER_PARAMETER = {
    "name": HEADER, "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 128, "pattern": f"^{_KEY.pattern}$"},
    "description": "A key of your own (a UUID) that makes retrying safe: the same key and body within "
                   "BORDERGATE_IDEMPOTENCY_KEY_HOURS answer the first result again (with Idempotent-Replayed: "
                   "true); the same key with another body is 422; while the first request runs, 409 with "
                   "Retry-After.",
}
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class IdempotentRoute(APIRoute):
    """A route that honours Idempotency-Key when the creating table names it; any other route is left as it is."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if creating_route(kwargs.get("methods"), path):
            extra = dict(kwargs.get("openapi_extra") or {})
            extra["parameters"] = [*extra.get("parameters", []), HEADER_PARAMETER]
            kwargs["openapi_extra"] = extra
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        creating = creating_route(self.methods, self.path)
        if creating is None:
            return handler
        status_code = self.status_code or 200

        async def idempotent(request: Request) -> Response:
            if HEADER.lower() not in request.headers:
                return await handler(request)
            return await _once(handler, creating, status_code, request)

        return idempotent


@dataclass(frozen=True)
class _Sender:
    scope: str
    principal: Principal | None


async def _once(handler: Handler, creating: Creating, status_code: int, request: Request) -> Response:
    """Run the request once for its key: replay what the key holds, or run it holding the key."""
    gate: Gate = request.app.state.gate
    key = key_of(request.headers[HEADER])
    sender = await _sender(creating, gate, request)
    keyed = KeyedRequest(sender.scope, request.method, request.url.path, key, await fingerprint(request))
    outcome = await run_in_threadpool(
        idempotency.claim, gate.uow(), keyed, gate.ids.new_id(), gate.clock.now(),
        timedelta(hours=gate.settings.idempotency_key_hours),
        timedelta(seconds=gate.settings.idempotency_running_seconds))
    if isinstance(outcome, Found):
        answer = outcome.answer or await _rebuilt(handler, creating, status_code, request, sender, keyed, outcome)
        return _replay(answer) if answer else Response(status_code=status_code, headers={REPLAYED: "true"})
    return await _holding(handler, request, gate, outcome)


async def _holding(handler: Handler, request: Request, gate: Gate, claim: Claim) -> Response:
    with idempotency.holding(claim):
        try:
            response = await handler(request)
        except Exception:
            await _quietly(idempotency.release, gate.uow(), claim, gate.clock.now())
            raise
    answer = answer_of(response)
    if answer:
        await _quietly(idempotency.answered, gate.uow(), claim.request, answer, claim.token)
    return response


async def _rebuilt(handler: Handler, creating: Creating, status_code: int, request: Request, sender: _Sender,
                   keyed: KeyedRequest, found: Found) -> Answer | None:
    """The answer of a change whose first answer was lost: rebuilt from what it created, then kept."""
    if creating.rebuild is None:
        answer = answer_of(await handler(request))  # the route's own idempotency answers as the first time
    else:
        locale = await deps.locale(request, request.query_params.get("lang"))
        rebuilding = Rebuilding(request.app.state.gate, sender.principal, locale, dict(request.path_params),
                                await _json_body(request), found.effects)
        body, location = await run_in_threadpool(creating.rebuild, rebuilding)
        answer = answer_of(JSONResponse(jsonable_encoder(body), status_code=status_code,
                                        headers={"location": location} if location else None))
    if answer:
        await _quietly(idempotency.answered, request.app.state.gate.uow(), keyed, answer)
    return answer


def key_of(raw: str) -> str:
    """The key as sent, or 422 naming the header."""
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':
        key = key[1:-1]
    if not _KEY.fullmatch(key):
        raise Invalid([FieldProblem(HEADER, "send 1 to 128 characters of letters, digits and . _ : ~ + / = - "
                                            "(a UUID is a good key)")])
    return key


async def _sender(creating: Creating, gate: Gate, request: Request) -> _Sender:
    """Whose key it is: the signed-in user's, or the camera's (authenticated before anything is claimed)."""
    if creating.sender == "open311":  # an Open311 client's keys, its api_key in the form or the query
        form = await request.form()
        api_key = form.get("api_key") or request.query_params.get("api_key")

        def open311_client() -> str:
            with gate.reader() as uow:
                return open311.authenticate(uow, api_key if isinstance(api_key, str) else None).id
        return _Sender(f"open311:{await run_in_threadpool(open311_client)}", None)
    if creating.sender == "citizen":
        # The phone's filing: the screens' cookie when signed in; an anonymous filer's key (a UUID the page made,
        # never shown) is theirs alone by being unguessable.
        def citizen() -> Principal | None:
            try:
                return session.screen_principal(request)
            except session.SignInRequired:
                return None
        found = await run_in_threadpool(citizen)
        return _Sender(f"user:{found.user_id}" if found else "anonymous-reporter", found)
    if creating.sender == "camera":
        def camera() -> str:
            with gate.reader() as uow:
                return plate_control.authenticate_camera(uow, request.headers.get("x-camera-key")).id
        return _Sender(f"camera:{await run_in_threadpool(camera)}", None)
    secret = request.headers.get("x-report-secret")
    if creating.sender == "reporter" and secret and "authorization" not in request.headers:
        # An anonymous reporter has no user: their keys are the secret link's, on this report's route only.
        held = hashlib.sha256(f"{request.url.path}\n{secret}".encode()).hexdigest()
        return _Sender(f"report-secret:{held[:32]}", None)
    _, token = get_authorization_scheme_param(request.headers.get("authorization"))
    principal = await run_in_threadpool(deps.principal, request, token or None)
    return _Sender(f"user:{principal.user_id}", principal)


async def fingerprint(request: Request) -> str:
    """A digest of what the request asks for: JSON compared by meaning, forms by their fields (a multipart
    boundary differs on every retry), anything else byte for byte."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        parts = []
        for name, value in (await request.form()).multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                await value.seek(0)
                value = "sha256:" + hashlib.sha256(content).hexdigest()
            parts.append([name, value])
        return hashlib.sha256(json.dumps(sorted(parts)).encode()).hexdigest()
    body = await request.body()
    try:
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass
    return hashlib.sha256(body).hexdigest()


def answer_of(response: Response) -> Answer | None:
    """What to keep of a response (a streamed one cannot be kept; its retry is rebuilt instead)."""
    body = getattr(response, "body", None)
    if not isinstance(body, bytes):
        return None
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return None
    return Answer(response.status_code, {n: response.headers[n] for n in _KEPT_HEADERS if n in response.headers},
                  text)


def _replay(answer: Answer) -> Response:
    return Response(answer.body.encode(), status_code=answer.status, headers={**answer.headers, REPLAYED: "true"})


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


async def _quietly(step: Callable[..., None], *args: Any) -> None:
    """Keeping or freeing a key must not turn an answer into an error: the worst case is a retry that waits
    BORDERGATE_IDEMPOTENCY_RUNNING_SECONDS and then gets the answer rebuilt."""
    try:
        await run_in_threadpool(step, *args)
    except Exception:
        log.exception("idempotency key not updated", step=step.__name__)
