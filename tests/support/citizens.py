"""The demo's citizens' sandboxes for tests: wired with VNeID sandbox keys made once per test session."""
from __future__ import annotations

from functools import cache

from bordergate.adapters.identity_sandbox import SandboxIdentityProvider, new_signing_key
from bordergate.bootstrap import Gate
from bordergate.entrypoints.demo_citizens import wire_citizen_sandboxes


@cache
def _keys():
    return new_signing_key(), new_signing_key()


def with_citizen_sandboxes(gate: Gate) -> SandboxIdentityProvider:
    """/sandbox/sms and VNeID's sandbox on ``gate`` (before its app is built), as `bordergate demo` wires them."""
    return wire_citizen_sandboxes(gate, _keys())
