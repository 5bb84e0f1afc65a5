"""The demo's citizens: the page of SMS the sandbox kept (to read a sign-in code), and VNeID's sandbox mounted in the
same server with a few citizens to sign in as. Never on a real gate: only `bordergate demo` and tests call this."""
from __future__ import annotations

import secrets

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from bordergate.adapters.identity import OidcIdentityProvider
from bordergate.adapters.identity_sandbox import SandboxIdentityProvider
from bordergate.bootstrap import Gate
from bordergate.entrypoints.web.vneid import callback_url

SANDBOX_VNEID_PATH = "/sandbox/vneid"
CLIENT_ID = "bordergate-demo"
# Who the sandbox offers to sign in as: a phone that signs in by code too (the same account), and a newcomer.
CITIZENS = (("VN-DEMO-001", "+84912000001", "Nguyễn Văn An"), ("VN-DEMO-002", "+84912000002", "Hoàng Thị Mai"))


def wire_citizen_sandboxes(gate: Gate, keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey] | None = None
                           ) -> SandboxIdentityProvider:
    """Turn on /sandbox/sms and VNeID's sandbox at /sandbox/vneid on ``gate`` (before its app is built); the gate's
    VNeID client reaches the sandbox's server half in process, browsers its pages through the mount. ``keys`` (the
    sandbox's signing key and its forger's) spare tests making two RSA keys each time."""
    issuer = gate.settings.public_url.rstrip("/") + SANDBOX_VNEID_PATH
    client_secret = secrets.token_urlsafe(24)
    key, forger_key = keys or (None, None)
    sandbox = SandboxIdentityProvider(issuer, gate.clock, gate.ids, {CLIENT_ID: client_secret}, key=key,
                                      forger_key=forger_key, redirect_uris={CLIENT_ID: (callback_url(gate),)})
    for subject, phone, name in CITIZENS:
        sandbox.add_citizen(subject, phone, name)
    gate.identity = OidcIdentityProvider(issuer, CLIENT_ID, client_secret,
                                         httpx.Client(transport=sandbox.transport()), gate.clock, gate.ids)
    gate.sandbox_vneid = sandbox.app()
    gate.sandbox_sms_page = True
    return sandbox
