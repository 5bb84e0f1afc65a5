"""A sandbox OpenID Connect provider in process: VNeID's twin, so tests and the demo can sign in "as" a citizen."""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bordergate.services.identity import code_challenge
from bordergate.services.ports import Clock, Identifiers

CODE_SECONDS = 60
TOKEN_SECONDS = 300


@dataclass(frozen=True)
class SandboxCitizen:
    """Someone the sandbox can sign in as."""

    subject: str
    phone_number: str | None = None
    name: str | None = None


@dataclass
class Misbehaviour:
    """What the sandbox gets wrong on purpose, so tests prove the client refuses it: claims to overwrite in the
    next id_tokens (a foreign ``aud``, another ``nonce``, a past ``exp``), or a key it signs with that it does not
    publish (a forger's)."""

    claims: dict[str, Any] = field(default_factory=dict)
    forge_with_unpublished_key: bool = False
    # The algorithm-confusion forgery: HS256 keyed with something the client knows (its own client secret).
    sign_hs256_with_client_secret: bool = False


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str | None
    challenge: str
    citizen: SandboxCitizen
    expires: float


def new_signing_key() -> rsa.RSAPrivateKey:
    """An RS256 key (tests make one per module: 2048-bit RSA takes a moment)."""
    # The cryptography package draws from the OS; RSA from a seeded stream would need our own prime search.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _public_jwk(key: rsa.RSAPrivateKey) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    # kid = the key's RFC 7638 thumbprint: stable for the key, different for any other.
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"), sort_keys=True)
    jwk["kid"] = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
    return {**jwk, "use": "sig", "alg": "RS256"}


class SandboxIdentityProvider:
    """Discovery, JWKS, an authorize page ("sign in as"), a token endpoint: OIDC authorization code with PKCE.

    It is strict where a real provider is (a code is used once, within ``CODE_SECONDS``, by the client it was issued
    to, with its redirect URI and PKCE verifier) so the client's handling of refusals is tested too. ``app()`` is an
    ASGI app: mount it for the demo, or reach it in tests through httpx's transport.
    """

    def __init__(self, issuer: str, clock: Clock, ids: Identifiers, clients: dict[str, str],
                 key: rsa.RSAPrivateKey | None = None, forger_key: rsa.RSAPrivateKey | None = None,
                 redirect_uris: dict[str, tuple[str, ...]] | None = None) -> None:
        self.issuer = issuer.rstrip("/")
        self.clock, self.ids, self.clients = clock, ids, clients
        # Like a real provider: a client's registered redirect URIs, matched exactly (none listed: any).
        self.redirect_uris = redirect_uris or {}
        self.key, self.forger_key = key or new_signing_key(), forger_key or new_signing_key()
        self.jwk = _public_jwk(self.key)
        self.citizens: dict[str, SandboxCitizen] = {}
        self.misbehaviour = Misbehaviour()
        self._grants: dict[str, _Grant] = {}
        self._used: set[str] = set()

    def add_citizen(self, subject: str, phone_number: str | None = None, name: str | None = None) -> None:
        self.citizens[subject] = SandboxCitizen(subject, phone_number, name)

    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["openid", "phone", "profile"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def authorize(self, query: dict[str, str], as_subject: str | None, cancelled: bool = False) -> tuple[int, str]:
        """(302, the redirect back with a code, or with error=access_denied when the citizen cancelled), (400, why:
        never redirected, as OAuth asks for a bad client or redirect URI) or (200, the "sign in as" page)."""
        client_id, redirect_uri = query.get("client_id", ""), query.get("redirect_uri", "")
        if client_id not in self.clients or not redirect_uri:
            return 400, "unknown client_id or no redirect_uri"
        if self.redirect_uris.get(client_id) and redirect_uri not in self.redirect_uris[client_id]:
            return 400, "redirect_uri is not registered for this client"
        if query.get("response_type") != "code" or query.get("code_challenge_method") != "S256" \
                or not query.get("code_challenge") or "openid" not in query.get("scope", "").split():
            return 400, "response_type=code, scope openid and a PKCE S256 code_challenge are required"
        state = {"state": query["state"]} if "state" in query else {}
        if cancelled:
            back = {"error": "access_denied", "error_description": "the citizen cancelled", **state}
            return 302, f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{urlencode(back)}"
        citizen = self.citizens.get(as_subject or "")
        if citizen is None:
            return 200, self._page(query)
        code = self.ids.new_secret()
        self._grants[code] = _Grant(client_id, redirect_uri, query.get("nonce"), query["code_challenge"], citizen,
                                    self.clock.now().timestamp() + CODE_SECONDS)
        back = {"code": code, **state}
        return 302, f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}{urlencode(back)}"

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> tuple[int, dict[str, Any]]:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        known = self.clients.get(client_id)
        if known is None or not hmac.compare_digest(known.encode(), secret.encode()):
            return 401, {"error": "invalid_client", "error_description": "client authentication failed"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type", "error_description": "only authorization_code"}
        code = form.get("code", "")
        if code in self._used:
            return 400, {"error": "invalid_grant", "error_description": "the code was already used"}
        grant = self._grants.pop(code, None)
        if grant is None:
            return 400, {"error": "invalid_grant", "error_description": "unknown code"}
        self._used.add(code)
        problem = self._grant_problem(grant, client_id, form)
        if problem:
            return 400, {"error": "invalid_grant", "error_description": problem}
        return 200, {"access_token": self.ids.new_secret(), "token_type": "Bearer", "expires_in": TOKEN_SECONDS,
                     "id_token": self._id_token(grant)}

    def _grant_problem(self, grant: _Grant, client_id: str, form: dict[str, str]) -> str | None:
        if self.clock.now().timestamp() > grant.expires:
            return "the code expired"
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            return "the code was issued to another client or redirect_uri"
        if not hmac.compare_digest(code_challenge(form.get("code_verifier", "")), grant.challenge):
            return "the PKCE code_verifier does not match the code_challenge"
        return None

    def _id_token(self, grant: _Grant) -> str:
        now = int(self.clock.now().timestamp())
        claims: dict[str, Any] = {"iss": self.issuer, "sub": grant.citizen.subject, "aud": grant.client_id,
                                  "iat": now, "exp": now + TOKEN_SECONDS, "auth_time": now}
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if grant.citizen.phone_number:
            claims.update(phone_number=grant.citizen.phone_number, phone_number_verified=True)
        if grant.citizen.name:
            claims["name"] = grant.citizen.name
        claims.update(self.misbehaviour.claims)
        if self.misbehaviour.sign_hs256_with_client_secret:
            return jwt.encode(claims, self.clients[grant.client_id], algorithm="HS256",
                              headers={"kid": self.jwk["kid"]})
        key = self.forger_key if self.misbehaviour.forge_with_unpublished_key else self.key
        # A forger who copied the published kid: only the signature gives it away.
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.jwk["kid"]})

    def _page(self, query: dict[str, str]) -> str:
        links = "".join(
            f'<li><a href="{html.escape(self.issuer)}/authorize?{html.escape(urlencode({**query, "as": c.subject}))}">'
            f"{html.escape(c.name or c.subject)} {html.escape(c.phone_number or '')}</a></li>"
            for c in self.citizens.values())
        cancel = f'{html.escape(self.issuer)}/authorize?{html.escape(urlencode({**query, "cancel": "1"}))}'
        return (f"<!doctype html><title>VNeID sandbox</title><h1>VNeID sandbox: sign in as</h1>"
                f'<p>No real identity is checked here.</p><ul>{links}</ul><p><a href="{cancel}">Cancel</a></p>')

    def transport(self) -> httpx.MockTransport:
        """The server-to-server half (discovery, keys, token) for a synchronous httpx client in the same process:
        the demo's OidcIdentityProvider calls the sandbox through it while browsers use ``app()`` mounted at the
        issuer's path. Same handlers as ``app()``, so both halves answer alike."""
        def handle(request: httpx.Request) -> httpx.Response:
            path = request.url.path.removeprefix(_issuer_path(self.issuer))
            if request.method == "GET" and path == "/.well-known/openid-configuration":
                return httpx.Response(200, json=self.discovery())
            if request.method == "GET" and path == "/jwks":
                return httpx.Response(200, json={"keys": [self.jwk]})
            if request.method == "POST" and path == "/token":
                form = dict(parse_qsl(request.content.decode()))
                status, body = self.token(form, _basic(request.headers.get("authorization", "")))
                return httpx.Response(status, json=body, headers={"Cache-Control": "no-store"})
            return httpx.Response(404, json={"error": "not_found"})

        return httpx.MockTransport(handle)

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            return JSONResponse(self.discovery())

        async def jwks(request: Request) -> Response:
            return JSONResponse({"keys": [self.jwk]})

        async def authorize(request: Request) -> Response:
            query = dict(request.query_params)
            cancelled = query.pop("cancel", None) is not None
            status, body = self.authorize(query, query.pop("as", None), cancelled)
            if status == 302:
                return RedirectResponse(body, status_code=302)
            return HTMLResponse(body, status_code=status)

        async def token(request: Request) -> Response:
            form = {key: str(value) for key, value in (await request.form()).items()}
            status, body = self.token(form, _basic(request.headers.get("authorization", "")))
            return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

        return Starlette(routes=[
            Route("/.well-known/openid-configuration", discovery), Route("/jwks", jwks),
            Route("/authorize", authorize), Route("/token", token, methods=["POST"])])


def _basic(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except ValueError:
        return None
    # RFC 6749 §2.3.1: client id and secret are form-urlencoded before the Basic encoding.
    return unquote_plus(user), unquote_plus(password)


def _issuer_path(url: str) -> str:
    """The path part of the issuer (``""`` at a host's root), which every endpoint path starts with."""
    return httpx.URL(url).path.rstrip("/")
