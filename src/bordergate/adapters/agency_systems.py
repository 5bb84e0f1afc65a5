"""Agencies' own systems (VNACCS, the border guard's): the signed HTTP/JSON wire format, a client, a sandbox twin.

The wire format (docs/agency-systems.md): the system POSTs JSON to /api/v1/agency-systems/{agency}/messages with
    X-Bordergate-Timestamp: <unix seconds>
    X-Bordergate-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the shared secret>
and a body {"message_id", "type": channel_assigned | released | vehicle_exited, "reference", "sent_at",
"channel" (channel_assigned only), "reason"}. The message id makes a retry harmless; the timestamp bounds replays.
"""
from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bordergate.adapters.signing import (SIGNATURE, TIMESTAMP, TOLERANCE_SECONDS,  # noqa: F401  (the wire's names)
                                         SignatureRefused, aware_moment, json_object, sign, verify)
from bordergate.domain.commands import ApplySystemMessage
from bordergate.domain.errors import FieldProblem, Invalid

KINDS = ("channel_assigned", "released", "vehicle_exited")


def read_message(agency: str, body: bytes) -> ApplySystemMessage:
    """The command a verified body asks for; Invalid naming each field that is wrong."""
    data = json_object(body)
    problems: list[FieldProblem] = []

    def text(name: str, required: bool = True, longest: int = 100) -> str | None:
        value = data.get(name)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip() or len(value) > longest:
            problems.append(FieldProblem(name, f"must be a text of 1-{longest} characters"))
            return None
        return value.strip()

    message_id, kind, reference = text("message_id"), text("type"), text("reference", longest=24)
    reason, channel = text("reason", required=False, longest=500), text("channel", required=False, longest=10)
    if kind is not None and kind not in KINDS:
        problems.append(FieldProblem("type", f"must be one of: {', '.join(KINDS)}"))
    if kind == "channel_assigned" and channel is None:
        problems.append(FieldProblem("channel", "a channel_assigned message names the channel: green, yellow, red"))
    sent_at = aware_moment(problems, "sent_at", data.get("sent_at"))
    if problems:
        raise Invalid(problems)
    return ApplySystemMessage(agency=agency, message_id=message_id, kind=kind, reference=reference,
                              digest=hashlib.sha256(body).hexdigest(), sent_at=sent_at, channel=channel, reason=reason)


# A transport takes a path, a body and headers, and gives back the status and the decoded answer.
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, dict[str, Any]]]


def http_transport(base_url: str, timeout: float = 10.0) -> Transport:
    """POST over HTTP with urllib, as an agency system sends to a running bordergate."""
    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(base_url.rstrip("/") + path, data=body, method="POST",
                                         headers={"content-type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read() or b"{}")
    return post


@dataclass
class AgencySystemLink:
    """An agency system's side of the wire: signs each message and sends it, keeping what it sent and heard."""

    agency: str
    secret: str
    transport: Transport
    clock: Callable[[], datetime]
    sent: list[tuple[dict[str, Any], int, dict[str, Any]]] = field(default_factory=list)
    _counter: int = 0

    def send(self, kind: str, reference: str, *, channel: str | None = None, reason: str | None = None,
             message_id: str | None = None) -> tuple[int, dict[str, Any]]:
        self._counter += 1
        now = self.clock()
        message = {"message_id": message_id or f"{self.agency}-{reference}-{kind}-{self._counter}", "type": kind,
                   "reference": reference, "sent_at": now.isoformat(), "channel": channel, "reason": reason}
        return self.post(message, now)

    def post(self, message: dict[str, Any], now: datetime) -> tuple[int, dict[str, Any]]:
        """Send a message as it is (a retry sends the same message again)."""
        body = json.dumps(message, separators=(",", ":")).encode()
        timestamp = int(now.timestamp())
        status, answer = self.transport(f"/api/v1/agency-systems/{self.agency}/messages", body,
                                        {TIMESTAMP: str(timestamp), SIGNATURE: sign(self.secret, timestamp, body)})
        self.sent.append((message, status, answer))
        return status, answer


class SandboxSystem:
    """A twin of an agency's own system for tests and the demo: it speaks the real wire, as the real one would
    after its own officers' work."""

    def __init__(self, link: AgencySystemLink) -> None:
        self.link = link

    def release(self, reference: str, reason: str | None = None) -> dict[str, Any]:
        return self._sent(self.link.send("released", reference, reason=reason))

    @staticmethod
    def _sent(answer: tuple[int, dict[str, Any]]) -> dict[str, Any]:
        status, body = answer
        if status >= 300:
            raise RuntimeError(f"bordergate refused the message ({status}): {body.get('detail', body)}")
        return body


class SandboxCustoms(SandboxSystem):
    """The customs system's twin (VNACCS): it assigns channels and releases cleared goods."""

    def assign(self, reference: str, channel: str, reason: str = "VNACCS risk management") -> dict[str, Any]:
        return self._sent(self.link.send("channel_assigned", reference, channel=channel, reason=reason))


class SandboxBorderGuard(SandboxSystem):
    """The border guard's immigration system's twin: it clears driver and vehicle, and reports the exit."""

    def exited(self, reference: str) -> dict[str, Any]:
        return self._sent(self.link.send("vehicle_exited", reference, reason="the vehicle passed the border line"))
