"""Citizens signing in by phone: the number in E.164, one-time codes and their rules, and why a code is refused."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bordergate.domain.errors import DomainError, TooManyRequests
from bordergate.domain.identifiers import parse_phone

CODE_DIGITS = 6
# A citizen account has no password: argon2 never yields "!", so no password opens it (design §1).
UNUSABLE_PASSWORD = "!"
# What the outbox keeps of a sign-in code's SMS once it is sent or given up on: never the code.
CODE_SENT_TEXT = "(sign-in code sent)"
PHONE_WINDOW = timedelta(hours=1)
GLOBAL_WINDOW = timedelta(minutes=1)


def citizen_phone(text: str) -> str:
    """A citizen's phone as typed (0912 345 678, +84 912...), in E.164: their account's username."""
    return parse_phone(text)


def readable_code(text: str) -> str | None:
    """The code as a person typed it (spaces and dashes allowed), or None when it is not six digits."""
    digits = "".join(ch for ch in text if ch not in " -\t")
    return digits if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit() else None


def code_digest(key: bytes, phone: str, code: str) -> str:
    """What is kept of a code: HMAC-SHA256 under the gate's OTP key, so a copy of the table reveals no code (a
    bare hash of six digits is undone in a millisecond)."""
    return hmac.new(key, f"{phone}|{code}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class SignInCodeRules:
    """How long a code lasts and how many are given: per phone and per address an hour, and for everyone a minute
    (SMS pumping: each code is a paid SMS a stranger could send to premium numbers)."""

    key: bytes
    ttl: timedelta = timedelta(seconds=300)
    max_attempts: int = 5
    per_phone_per_hour: int = 3
    per_address_per_hour: int = 20
    global_per_minute: int = 120


@dataclass(frozen=True)
class SignInCode:
    """One code sent to one phone: only its digest, when it ends, the tries made, and whether it was used or
    voided by a newer one."""

    id: str
    phone: str
    digest: str
    address: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    voided_at: datetime | None = None

    @classmethod
    def issue(cls, code_id: str, phone: str, code: str, address: str, now: datetime,
              rules: SignInCodeRules) -> SignInCode:
        return cls(code_id, phone, code_digest(rules.key, phone, code), address, now, now + rules.ttl)

    def refusal(self, now: datetime, rules: SignInCodeRules) -> CodeRefused | None:
        """Why this code can no longer be tried at ``now``, or None while it can."""
        if self.used_at is not None or self.voided_at is not None:
            return CodeRefused("none")
        if now >= self.expires_at:
            return CodeRefused("expired")
        if self.attempts >= rules.max_attempts:
            return CodeRefused("exhausted")
        return None

    def matches(self, typed: str, rules: SignInCodeRules) -> bool:
        """Whether ``typed`` is this code, compared in constant time."""
        return hmac.compare_digest(self.digest, code_digest(rules.key, self.phone, typed))

    def tried(self) -> SignInCode:
        return replace(self, attempts=self.attempts + 1)


class CodeRefused(DomainError):
    """A sign-in code that does not open the account: ``reason`` is wrong, expired, exhausted or none."""

    title = "Sign-in code refused"
    challenge = "Bearer"
    SAYS = {
        "wrong": "that code is not the one sent; check the SMS and type it again ({left} tries left)",
        "expired": "that code has expired; ask for a new one",
        "exhausted": "too many wrong codes; this code no longer works, ask for a new one",
        "none": "no code is waiting for this phone; ask for a code first",
    }

    def __init__(self, reason: str, left: int = 0) -> None:
        super().__init__(self.SAYS[reason].format(left=left))
        self.reason, self.left = reason, left


class SignInCodesThrottled(TooManyRequests):
    """Too many codes were asked for this phone, from this address, or by everyone this minute."""

    title = "Too many sign-in codes"

    def __init__(self, why: str, retry_after: int) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(f"too many sign-in codes were asked for {why}; try again in {minutes} minutes",
                         retry_after=retry_after)
        self.minutes = minutes


def wait_after(created: list[datetime], limit: int, window: timedelta, now: datetime) -> int | None:
    """Seconds until one more code may be sent, when ``created`` (sorted, within ``window``) reached ``limit``;
    None while below it."""
    if len(created) < limit:
        return None
    frees_at = created[len(created) - limit] + window
    return max(1, int((frees_at - now).total_seconds() + 0.999))
