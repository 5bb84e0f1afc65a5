"""Passwords (argon2 via pwdlib, through a bounded pool), sign-in tokens (JWT) and the keys in drivers' QR links."""
from __future__ import annotations

import base64
import hashlib
import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import jwt
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

from bordergate.domain.errors import Unavailable
from bordergate.domain.sessions import Session
from bordergate.services.ports import PasswordHasher


class Argon2Passwords:
    """Argon2id hashes; production uses pwdlib's recommended costs, tests may pass cheaper ones."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost,
                                                parallelism=parallelism),))

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        try:
            return self._hash.verify(password, hashed)
        except UnknownHashError:
            # An account without a password (a citizen's "!": they sign in by a code to their phone) opens to none.
            return False


class HashingPool:
    """At most ``slots`` password hashes at once; a caller waits ``wait`` seconds for a slot, then is refused.

    Argon2 is made to be slow: without a bound, a flood of sign-ins queues every honest one behind it for as long
    as the flood lasts. Refusing fast (503 with Retry-After) keeps the answer time of those that get in short. A
    sign-in under suspicion (its username or address failed lately, or is signing in several times at once) may
    take every slot but one, so a flood not locked yet still leaves a slot to everybody else.
    """

    def __init__(self, hasher: PasswordHasher, slots: int, wait: float) -> None:
        self.hasher, self.wait = hasher, wait
        self._slots = threading.BoundedSemaphore(slots)
        self._suspect_slots = threading.BoundedSemaphore(max(1, slots - 1))

    def hash(self, password: str) -> str:
        with self._slot(self._slots):
            return self.hasher.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        with self._slot(self._slots):
            return self.hasher.verify(password, hashed)

    def verify_suspect(self, password: str, hashed: str) -> bool:
        """``verify`` for a sign-in under suspicion: never in the last free slot."""
        with self._slot(self._suspect_slots), self._slot(self._slots):
            return self.hasher.verify(password, hashed)

    @contextmanager
    def _slot(self, slots: threading.BoundedSemaphore) -> Iterator[None]:
        if not slots.acquire(timeout=self.wait):
            raise Unavailable("every password check is busy (many sign-ins at once); nothing was checked, "
                              "try again in a moment", retry_after=1)
        try:
            yield
        finally:
            slots.release()


@dataclass(frozen=True)
class TokenClaims:
    """What a valid sign-in token says: whose it is, and which session it belongs to."""

    user_id: str
    session_id: str


class SessionTokens:
    """HS256 JWTs naming the user and the session (``sid``, also the ``jti``); the session itself is checked on
    every request, so a token is only as good as its session."""

    def __init__(self, secret: str, issuer: str = "bordergate") -> None:
        self.secret, self.issuer = secret, issuer

    def issue(self, session: Session) -> str:
        return jwt.encode({"sub": session.user_id, "sid": session.id, "jti": session.id, "iat": session.started_at,
                           "exp": session.expires_at, "iss": self.issuer}, self.secret, algorithm="HS256")

    def claims(self, token: str, now: datetime) -> TokenClaims | None:
        """Whose token and which session, or None when it is forged, malformed, names no session or is expired."""
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], issuer=self.issuer,
                                options={"verify_exp": False, "require": ["sub", "sid", "exp", "iss"]})
        except jwt.PyJWTError:
            return None
        # Expiry is checked against the injected clock, not the machine's, so tests and replays agree.
        if claims["exp"] <= now.timestamp() or not isinstance(claims["sid"], str):
            return None
        return TokenClaims(str(claims["sub"]), claims["sid"])


class TrackingKeys:
    """Keys in a declaration's QR link: anyone holding the link sees the trip's state, nobody can guess one."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()

    def key_for(self, reference: str) -> str:
        digest = hmac.new(self.secret, b"track:" + reference.encode(), hashlib.sha256).digest()
        return base64.b32encode(digest[:10]).decode().rstrip("=").lower()

    def verify(self, reference: str, key: str) -> bool:
        # Bytes, not str: compare_digest refuses non-ASCII text, and a mistyped link is just a wrong key.
        return hmac.compare_digest(self.key_for(reference).encode(), key.lower().encode())
