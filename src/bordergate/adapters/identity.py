"""VNeID (or any OpenID Connect provider): authorization code + PKCE, the id_token checked with PyJWT."""
from __future__ import annotations

import hmac
import time
from typing import Any
from urllib.parse import quote_plus, urlencode

import httpx
import jwt

from bordergate.domain.errors import Unavailable
from bordergate.services.identity import (
    SCOPES, IdentityRefused, SignInAttempt, VerifiedIdentity, code_challenge)
from bordergate.services.ports import Clock, Identifiers

# Asymmetric only: an HS256 id_token would be "signed" with our own client secret, and "none" with nothing.
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256")


class _JwksOverHttpx(jwt.PyJWKClient):
    """PyJWKClient (its cache, key rotation and kid lookup) fetching through our httpx client, so timeouts, proxies
    and the tests' in-process transport apply to the keys as to every other call."""

    def __init__(self, uri: str, http: httpx.Client) -> None:
        super().__init__(uri, lifespan=3600)
        self.http = http

    def fetch_data(self) -> Any:
        try:
            answer = self.http.get(self.uri)
            answer.raise_for_status()
            jwk_set = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise jwt.PyJWKClientConnectionError(f"the provider's keys at {self.uri} could not be read: {exc}")
        if not isinstance(jwk_set, dict):
            raise jwt.PyJWKClientConnectionError(f"the provider's keys at {self.uri} are not a JSON object")
        if self.jwk_set_cache is not None:
            self.jwk_set_cache.put(jwk_set)
        # Starts PyJWKClient's cooldown: tokens naming unknown kids cannot make us fetch the keys on every request.
        self._last_successful_fetch = time.monotonic()
        return jwk_set


class OidcIdentityProvider:
    """Speaks OpenID Connect Core to one provider, configured by its discovery document.

    Checks what OIDC Core §3.1.3.7 asks of a client: the id_token's signature against the provider's published
    keys, ``iss`` = the configured issuer, ``aud`` holds our client id (and ``azp`` is ours when there are several),
    ``exp`` not passed on the gate's clock (with ``leeway_s`` for clock skew), ``nonce`` = the attempt's.
    """

    def __init__(self, issuer: str, client_id: str, client_secret: str, http: httpx.Client, clock: Clock,
                 ids: Identifiers, leeway_s: int = 60) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id, self.client_secret = client_id, client_secret
        self.http, self.clock, self.ids, self.leeway_s = http, clock, ids, leeway_s
        self._discovery: dict[str, Any] | None = None
        self._keys: _JwksOverHttpx | None = None

    def begin_sign_in(self, redirect_uri: str) -> SignInAttempt:
        state, nonce, verifier = self.ids.new_secret(), self.ids.new_secret(), self.ids.new_secret()
        query = urlencode({
            "response_type": "code", "client_id": self.client_id, "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES), "state": state, "nonce": nonce,
            "code_challenge": code_challenge(verifier), "code_challenge_method": "S256"})
        endpoint = self._document()["authorization_endpoint"]
        separator = "&" if "?" in endpoint else "?"
        return SignInAttempt(f"{endpoint}{separator}{query}", redirect_uri, state, nonce, verifier)

    def finish_sign_in(self, attempt: SignInAttempt, code: str, state: str) -> VerifiedIdentity:
        if not hmac.compare_digest(state.encode(), attempt.state.encode()):
            raise IdentityRefused("The sign-in answer's state is not this browser's: it was begun elsewhere or "
                                  "replayed. Start signing in again.")
        id_token = self._exchange(attempt, code)
        claims = self._verified_claims(id_token)
        if not hmac.compare_digest(str(claims.get("nonce", "")).encode(), attempt.nonce.encode()):
            raise IdentityRefused("The id_token's nonce is not this sign-in's: the token was issued for another "
                                  "attempt (a replay). Start signing in again.")
        phone, name = claims.get("phone_number"), claims.get("name")
        return VerifiedIdentity(
            issuer=self.issuer, subject=str(claims["sub"]), phone_number=phone if isinstance(phone, str) else None,
            phone_number_verified=claims.get("phone_number_verified") is True,
            name=name if isinstance(name, str) else None)

    def _document(self) -> dict[str, Any]:
        if self._discovery is None:
            document = self._get_json(f"{self.issuer}/.well-known/openid-configuration", "discovery document")
            # OIDC Discovery §4.3: the document must name the issuer it was fetched for, or it is not its own.
            if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                raise Unavailable(f"The identity provider's discovery document names issuer "
                                  f"{document.get('issuer')!r}, not {self.issuer!r}: check BORDERGATE_VNEID_ISSUER.")
            missing = [key for key in ("authorization_endpoint", "token_endpoint", "jwks_uri") if key not in document]
            if missing:
                raise Unavailable(f"The identity provider's discovery document lacks {', '.join(missing)}.")
            self._discovery = document
        return self._discovery

    def _exchange(self, attempt: SignInAttempt, code: str) -> str:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": attempt.redirect_uri,
                "code_verifier": attempt.code_verifier}
        try:
            answer = self.http.post(self._document()["token_endpoint"], data=form,
                                    # RFC 6749 §2.3.1: form-urlencoded before the Basic encoding.
                                    auth=(quote_plus(self.client_id), quote_plus(self.client_secret)))
        except httpx.HTTPError as exc:
            raise Unavailable(f"The identity provider's token endpoint did not answer: {exc}. Try again.") from None
        if answer.status_code >= 500:
            raise Unavailable(f"The identity provider's token endpoint answered {answer.status_code}. Try again.")
        body = _json_or_empty(answer)
        if answer.status_code != 200:
            # RFC 6749 §5.2: error and error_description say why (invalid_grant: a used, expired or foreign code).
            raise IdentityRefused(f"The identity provider refused the sign-in code: {body.get('error', 'error')} "
                                  f"({body.get('error_description', answer.status_code)}). Start signing in again.")
        if not isinstance(body.get("id_token"), str):
            raise IdentityRefused("The identity provider's token answer has no id_token: is the client registered "
                                  "for OpenID Connect (scope openid)?")
        return str(body["id_token"])

    def _verified_claims(self, id_token: str) -> dict[str, Any]:
        try:
            algorithm = jwt.get_unverified_header(id_token).get("alg")
            if algorithm not in SIGNING_ALGORITHMS:
                raise IdentityRefused(f"The id_token is signed with {algorithm!r}; only "
                                      f"{', '.join(SIGNING_ALGORITHMS)} are accepted.")
            key = self._key_set().get_signing_key_from_jwt(id_token)
            # exp is checked below on the gate's clock, not the machine's, like every other moment here.
            claims: dict[str, Any] = jwt.decode(
                id_token, key, algorithms=[algorithm], audience=self.client_id,
                # OIDC Core §3.1.3.7: iss exactly as the discovery document spells it (a trailing / included).
                issuer=str(self._document()["issuer"]),
                options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                         "require": ["iss", "sub", "aud", "exp", "iat"]})
        except jwt.PyJWKClientConnectionError as exc:
            raise Unavailable(f"{exc}. Try again.") from None
        except jwt.PyJWKClientError:
            raise IdentityRefused("The id_token is signed by a key the identity provider does not publish: it "
                                  "did not come from the provider.") from None
        except jwt.InvalidSignatureError:
            raise IdentityRefused("The id_token's signature does not verify with the identity provider's "
                                  "published key: it was forged or altered.") from None
        except jwt.InvalidAudienceError:
            raise IdentityRefused(f"The id_token is meant for another client, not {self.client_id!r}: check "
                                  "BORDERGATE_VNEID_CLIENT_ID, or the token was taken from another site.") from None
        except jwt.InvalidIssuerError:
            raise IdentityRefused(f"The id_token was not issued by {self.issuer!r}.") from None
        except jwt.MissingRequiredClaimError as exc:
            raise IdentityRefused(f"The id_token lacks the {exc.claim!r} claim OpenID Connect requires.") from None
        except jwt.InvalidTokenError as exc:
            raise IdentityRefused(f"The id_token is not valid: {exc}.") from None
        self._check_lifetime(claims)
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise IdentityRefused("The id_token names several audiences but was not issued to us (azp).")
        return claims

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        now = self.clock.now().timestamp()
        try:
            expires, issued = float(claims["exp"]), float(claims["iat"])
        except (TypeError, ValueError):
            raise IdentityRefused("The id_token's exp or iat is not a number of seconds.") from None
        if now > expires + self.leeway_s:
            raise IdentityRefused(f"The id_token expired {int(now - expires)} s ago: the sign-in took too long or "
                                  "the token was replayed. Start signing in again.")
        if issued > now + self.leeway_s:
            raise IdentityRefused(f"The id_token is issued {int(issued - now)} s in the future: the provider's or "
                                  "the gate's clock is wrong.")

    def _key_set(self) -> _JwksOverHttpx:
        if self._keys is None:
            self._keys = _JwksOverHttpx(self._document()["jwks_uri"], self.http)
        return self._keys

    def _get_json(self, url: str, what: str) -> dict[str, Any]:
        try:
            answer = self.http.get(url)
        except httpx.HTTPError as exc:
            raise Unavailable(f"The identity provider's {what} at {url} did not answer: {exc}. Try again.") from None
        body = _json_or_empty(answer)
        if answer.status_code != 200 or not body:
            raise Unavailable(f"The identity provider's {what} at {url} answered {answer.status_code}, not JSON.")
        return body


def _json_or_empty(answer: httpx.Response) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
