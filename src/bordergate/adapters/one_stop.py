"""The province's one-stop system over the house's signed wire: a client (HttpOneStop) and its sandbox twin.

The wire (docs/one-stop.md): bordergate POSTs {"receipt_code", "asked_at"} to <ONE_STOP_URL>/status with
    X-Bordergate-Timestamp: <unix seconds>
    X-Bordergate-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under ONE_STOP_KEY>
and the system answers 200 with the application (signed the same way, so a forged answer is not shown to a
citizen as their application), 404 when it has no such receipt, anything else when it cannot answer.
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import structlog

from bordergate.adapters.signing import SIGNATURE, TIMESTAMP, SignatureRefused, json_object, sign, verify
from bordergate.domain.applications import ApplicationState, ApplicationStatus, read_status
from bordergate.domain.errors import DomainError, Unavailable

log = structlog.get_logger(__name__)

# A transport takes a path, a body and headers, and gives back the status, the answer's headers and its body.
Transport = Callable[[str, bytes, dict[str, str]], tuple[int, dict[str, str], bytes]]
DOWN = "the province's one-stop system is not answering just now; nothing is lost, try again in a few minutes"


def http_transport(base_url: str, timeout: float = 5.0) -> Transport:
    """POST over HTTP with urllib to the one-stop system."""
    def post(path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(base_url.rstrip("/") + path, data=body, method="POST",
                                         headers={"content-type": "application/json", **headers})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, dict(answer.headers.items()), answer.read()
        except urllib.error.HTTPError as refused:
            return refused.code, dict(refused.headers.items()), refused.read()
    return post


def _signed(key: str, moment: datetime, body: bytes) -> dict[str, str]:
    timestamp = int(moment.timestamp())
    return {TIMESTAMP: str(timestamp), SIGNATURE: sign(key, timestamp, body)}


@dataclass
class HttpOneStop:
    """bordergate's side of the wire: signs each question and believes only signed answers."""

    key: str
    transport: Transport
    clock: Callable[[], datetime]

    def status(self, receipt_code: str) -> ApplicationStatus | None:
        now = self.clock()
        body = json.dumps({"receipt_code": receipt_code, "asked_at": now.isoformat()}, separators=(",", ":")).encode()
        try:
            code, headers, answer = self.transport("/status", body, _signed(self.key, now, body))
        except (OSError, socket.timeout) as failed:  # URLError is an OSError
            log.warning("one-stop system unreachable", error=str(failed))
            raise Unavailable(DOWN, retry_after=60) from None
        if code == 404:
            return None
        if code != 200:
            log.warning("one-stop system refused", status=code)
            raise Unavailable(DOWN, retry_after=60)
        found = {k.lower(): v for k, v in headers.items()}
        try:
            verify(self.key, found.get(TIMESTAMP.lower()), found.get(SIGNATURE.lower()), answer, self.clock())
            return read_status(json_object(answer))
        except (SignatureRefused, DomainError) as refused:
            log.warning("one-stop answer not believed", reason=str(refused))
            raise Unavailable("the one-stop system's answer could not be checked, so it is not shown; "
                              "try again later or ask the desk where you applied") from None


@dataclass
class SandboxOneStop:
    """A twin of the one-stop system for tests and the demo: it checks the question's signature and signs its
    answers, as the real one must. ``down`` makes it answer 503, as a system under maintenance would."""

    key: str
    clock: Callable[[], datetime]
    applications: dict[str, ApplicationStatus] = field(default_factory=dict)
    down: bool = False
    asked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.applications:
            self.applications = {a.receipt_code: a for a in sandbox_applications(self.clock())}

    def answer(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """What the system answers a POST to ``path``."""
        now = self.clock()
        if self.down:
            return 503, {}, b'{"detail": "under maintenance"}'
        if path != "/status":
            return 404, {}, b'{"detail": "no such path"}'
        try:
            verify(self.key, headers.get(TIMESTAMP), headers.get(SIGNATURE), body, now)
            code = str(json_object(body).get("receipt_code", ""))
        except (SignatureRefused, DomainError) as refused:
            return 401, {}, json.dumps({"detail": str(refused)}).encode()
        self.asked.append(code)
        found = self.applications.get(code)
        if found is None:
            return 404, {}, b'{"detail": "no such receipt"}'
        answer = json.dumps(found.as_document(), ensure_ascii=False).encode()
        return 200, _signed(self.key, now, answer), answer

    def client(self, key: str | None = None) -> HttpOneStop:
        """bordergate's client speaking to this twin in-process (over the wire's bytes and headers)."""
        return HttpOneStop(self.key if key is None else key, self.answer, self.clock)


def sandbox_applications(now: datetime) -> list[ApplicationStatus]:
    """A few applications in each state, dated from ``now``, for the demo and the tests."""
    day = timedelta(days=1)
    ubnd, ca = "Ủy ban nhân dân phường Lương Văn Tri", "Phòng Quản lý xuất nhập cảnh, Công an tỉnh Lạng Sơn"
    return [
        ApplicationStatus("000.00.25.H35-261201-0001", "Đăng ký khai sinh", ubnd, now - 2 * day, now - day,
                          ApplicationState.READY, now - day),
        ApplicationStatus("000.00.25.H35-261202-0002", "Cấp hộ chiếu phổ thông ở trong nước", ca, now - 3 * day,
                          now + 5 * day, ApplicationState.IN_PROGRESS, None),
        ApplicationStatus("000.00.25.H35-261203-0003", "Đăng ký biến động khi chuyển nhượng quyền sử dụng đất",
                          "Chi nhánh Văn phòng đăng ký đất đai tỉnh Lạng Sơn", now - 6 * day, now + 4 * day,
                          ApplicationState.MORE_DOCUMENTS, None),
        ApplicationStatus("000.00.25.H35-261120-0004", "Cấp đổi giấy phép lái xe",
                          "Phòng Cảnh sát giao thông, Công an tỉnh Lạng Sơn", now - 20 * day, now - 13 * day,
                          ApplicationState.RETURNED, now - 14 * day),
        ApplicationStatus("000.00.25.H35-261125-0005", "Cấp giấy phép xây dựng nhà ở riêng lẻ", ubnd,
                          now - 25 * day, now - 4 * day, ApplicationState.IN_PROGRESS, None),
    ]
