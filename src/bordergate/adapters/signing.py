"""Signed webhooks: HMAC-SHA256 over "<timestamp>.<body>" under a shared secret, within a time window.

Agencies' systems and payment providers sign what they send to bordergate the same way (docs/agency-systems.md,
docs/payments.md): the timestamp bounds replays, the signature proves the sender and the body.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from bordergate.domain.errors import FieldProblem, Invalid

TIMESTAMP = "X-Bordergate-Timestamp"
SIGNATURE = "X-Bordergate-Signature"
# A signed message older or newer than this is refused: a captured message cannot be played back later.
TOLERANCE_SECONDS = 300


class SignatureRefused(Exception):
    """The message is not signed by its sender, or was signed too long ago; nothing is applied."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for a body sent at ``timestamp``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={mac}"


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, now: datetime) -> None:
    """Raise SignatureRefused unless the body is signed with ``secret`` within the tolerance of ``now``."""
    if not timestamp or not signature:
        raise SignatureRefused(f"send {TIMESTAMP} and {SIGNATURE} headers (HMAC-SHA256 of \"<timestamp>.<body>\")")
    try:
        sent = int(timestamp)
    except ValueError:
        raise SignatureRefused(f"{TIMESTAMP} must be unix seconds") from None
    # Whole seconds, so an absurd timestamp is refused as stale rather than overflowing a float.
    apart = int(now.timestamp()) - sent
    if abs(apart) > TOLERANCE_SECONDS:
        when = f"{apart} s before" if apart > 0 else f"{-apart} s after"
        raise SignatureRefused(f"the message was signed {when} bordergate's clock; more than {TOLERANCE_SECONDS} s "
                               "apart is refused (check the system's clock)")
    # Bytes, so a header with characters outside ASCII is a mismatch, not an error.
    if not hmac.compare_digest(sign(secret, sent, body).encode(), signature.strip().encode("utf-8", "replace")):
        raise SignatureRefused("the signature does not match the body under this agency's shared secret")


def json_object(body: bytes) -> dict[str, Any]:
    """A verified body as the JSON object it must be; Invalid otherwise."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise Invalid([FieldProblem("body", "must be a JSON object")])
    return data


def aware_moment(problems: list[FieldProblem], name: str, value: Any) -> datetime | None:
    """An ISO 8601 moment with its time zone, or None with the problem noted under ``name``."""
    try:
        moment = datetime.fromisoformat(value or "")
    except (TypeError, ValueError):
        problems.append(FieldProblem(name, "must be an ISO 8601 moment with its time zone"))
        return None
    if moment.tzinfo is None:
        problems.append(FieldProblem(name, "must carry its time zone, e.g. 2026-11-28T08:15:00+07:00"))
    return moment
