"""The identity port: signing a citizen in through an identity provider (VNeID) by OpenID Connect."""
from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from collections.abc import Mapping
from typing import Protocol

from bordergate.domain.errors import DomainError

# What bordergate asks the provider for: the subject (always), the phone a citizen account is keyed by, a name.
SCOPES = ("openid", "phone", "profile")


@dataclass(frozen=True)
class SignInAttempt:
    """One sign-in begun: where to send the citizen, and what must come back with the code.

    ``state`` ties the answer to this browser (against login CSRF), ``nonce`` ties the id_token to this attempt
    (against a replayed token), ``code_verifier`` proves to the token endpoint that whoever exchanges the code began
    the attempt (PKCE, RFC 7636). The caller keeps the attempt server-side or sealed in a cookie, never in the URL.
    """

    authorization_url: str
    redirect_uri: str
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider says signed in, from an id_token whose signature, issuer, audience, age and nonce held."""

    issuer: str
    subject: str
    phone_number: str | None = None
    phone_number_verified: bool = False
    name: str | None = None


class IdentityRefused(DomainError):
    """The provider's answer did not prove who signed in (a wrong state, nonce, audience or signature, an expired
    token, a code refused); nobody is signed in, and starting again from the sign-in page is what to do."""

    title = "Identity not confirmed"


class IdentityProvider(Protocol):
    """An OpenID Connect provider, authorization code flow with PKCE S256."""

    def begin_sign_in(self, redirect_uri: str) -> SignInAttempt:
        """A new attempt: fresh state, nonce and code verifier, and the URL to send the citizen to."""
        ...

    def finish_sign_in(self, attempt: SignInAttempt, code: str, state: str) -> VerifiedIdentity:
        """Exchange the code the provider sent back (with its ``state``) for the identity; ``IdentityRefused``
        saying what is wrong if anything does not hold, ``Unavailable`` if the provider did not answer."""
        ...


def code_challenge(code_verifier: str) -> str:
    """PKCE S256: BASE64URL(SHA-256(verifier)) without padding (RFC 7636 §4.2)."""
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def code_and_state(callback_query: Mapping[str, str]) -> tuple[str, str]:
    """The ``code`` and ``state`` the provider sent the citizen back with; ``IdentityRefused`` when it sent an
    ``error`` instead (RFC 6749 §4.1.2.1: ``access_denied`` when the citizen cancelled) or either is missing."""
    if "error" in callback_query:
        reason = callback_query.get("error_description") or callback_query["error"]
        raise IdentityRefused(f"The identity provider did not sign you in ({callback_query['error']}: {reason}). "
                              "Start again, or sign in with your phone number.")
    code, state = callback_query.get("code"), callback_query.get("state")
    if not code or not state:
        raise IdentityRefused("The identity provider's answer lacks its code or state: start signing in again.")
    return code, state
