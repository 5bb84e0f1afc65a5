"""Ports the services need from the outside world: a clock, randomness for ids, password hashing, SMS, payments."""
from __future__ import annotations

import base64
import random
import uuid
from datetime import UTC, datetime, timedelta
from dataclasses import dataclass
from typing import Protocol

# Crockford's base32: no I, L, O, U, so a reference read aloud or off a phone screen is not misread.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class Clock(Protocol):
    """Where the current time comes from; tests and the simulator pass their own."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until moved: for tests and simulated days."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


class Identifiers:
    """Makes ids and declaration references from an injected random source (seeded in tests)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def new_secret(self) -> str:
        """256 random bits, URL-safe: camera keys (from the system's CSPRNG outside tests)."""
        return base64.urlsafe_b64encode(self.rng.getrandbits(256).to_bytes(32, "big")).rstrip(b"=").decode()

    def new_reference(self, on: datetime) -> str:
        """Like BG261128-7K3M9Q: the date it was declared, then six unguessable characters."""
        tail = "".join(self.rng.choice(_REFERENCE_ALPHABET) for _ in range(6))
        return f"BG{on:%y%m%d}-{tail}"

    def new_tracking_code(self, on: datetime) -> str:
        """A citizen's report, like PA-26-7K3M9QX: PA (phản ánh), the year, seven unguessable characters."""
        return f"PA-{on:%y}-" + "".join(self.rng.choice(_REFERENCE_ALPHABET) for _ in range(7))

    def new_sign_in_code(self) -> str:
        """Six digits, each of the million as likely (the system's CSPRNG outside tests)."""
        return f"{self.rng.randrange(1_000_000):06d}"


class PasswordHasher(Protocol):
    """Hashes and checks passwords; the production adapter is argon2."""

    def hash(self, password: str) -> str: ...

    def verify(self, password: str, hashed: str) -> bool: ...


class HashingSlots(PasswordHasher, Protocol):
    """A password hasher with a bounded number of hashes at once (refusing with Unavailable when all are busy)."""

    def verify_suspect(self, password: str, hashed: str) -> bool:
        """``verify`` for a sign-in under suspicion (its username or address failed lately, or is signing in
        several times at once): it never takes the last free slot."""
        ...


class SmsRefused(Exception):
    """The SMS provider did not take a message; ``retry`` says whether trying again later can help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry


class SmsGateway(Protocol):
    """Sends one text message; ``notice_id`` is the idempotency key, so a resend is never a second message."""

    def send(self, notice_id: str, phone: str, text: str) -> str: ...


@dataclass(frozen=True)
class ProviderOrder:
    """What a payment provider answers to a new order: its id, where to send the payer, and a QR to scan."""

    order_id: str
    redirect_url: str
    qr_text: str


class ProviderRefused(Exception):
    """The payment provider did not take an order or a refund."""


class PaymentProvider(Protocol):
    """A payment provider: takes orders (the payer pays at its page or by QR) and refunds; it reports payments back
    by a signed callback. ``payment_id`` is the idempotency key of an order."""

    name: str

    def create_order(self, payment_id: str, amount_vnd: int, description: str, return_url: str) -> ProviderOrder: ...

    def refund(self, refund_id: str, transaction_id: str, amount_vnd: int) -> None: ...
