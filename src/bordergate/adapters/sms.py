"""SMS providers: an HTTP/JSON gateway adapter, and its sandbox twin for tests and the demo."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from bordergate.services.ports import SmsRefused


class HttpSmsGateway:
    """POSTs {"to", "text", "reference"} as JSON with the notice id as Idempotency-Key; expects {"id": ...}.

    The idempotency key is what makes a resend after a crash harmless: the provider answers the first message's id
    instead of sending it again. Most Vietnamese SMS brandname gateways accept such a JSON call behind a small
    translation service.
    """

    def __init__(self, url: str, token: str, timeout: float = 10.0) -> None:
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, notice_id: str, phone: str, text: str) -> str:
        request = urllib.request.Request(
            self.url, data=json.dumps({"to": phone, "text": text, "reference": notice_id}).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}",
                     "Idempotency-Key": notice_id}, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return str(json.loads(response.read() or b"{}").get("id", notice_id))
        except urllib.error.HTTPError as exc:
            # 4xx other than 408/429 will not get better by waiting (a bad number, a refused sender name).
            raise SmsRefused(f"SMS provider answered {exc.code}",
                             retry=exc.code >= 500 or exc.code in (408, 429)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsRefused(f"SMS provider unreachable: {exc}") from None


@dataclass
class SandboxSms:
    """Keeps messages instead of sending them, deduplicating by idempotency key as a real provider does.

    ``fail_next`` makes the next sends fail, to rehearse an outage.
    """

    delivered: dict[str, tuple[str, str]] = field(default_factory=dict)
    fail_next: int = 0
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, notice_id: str, phone: str, text: str) -> str:
        with self.lock:
            self.attempts += 1
            if self.fail_next:
                self.fail_next -= 1
                raise SmsRefused("sandbox outage")
            self.delivered.setdefault(notice_id, (phone, text))
            return f"sandbox-{notice_id}"

    def to(self, phone: str) -> list[str]:
        """Texts delivered to ``phone``, in order."""
        return [text for to, text in self.delivered.values() if to == phone]
