"""Passwords (argon2 via pwdlib), sign-in tokens (JWT) and the signed keys in drivers' QR links."""
from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2Passwords:
    """Argon2id hashes; production uses pwdlib's recommended costs, tests may pass cheaper ones."""

    def __init__(self, time_cost: int = 3, memory_cost: int = 65536, parallelism: int = 4) -> None:
        self._hash = PasswordHash((Argon2Hasher(time_cost=time_cost, memory_cost=memory_cost,
                                                parallelism=parallelism),))

    def hash(self, password: str) -> str:
        return self._hash.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        return self._hash.verify(password, hashed)


class SessionTokens:
    """Short-lived HS256 JWTs naming the user; the user's role and rights are re-read on every request."""

    def __init__(self, secret: str, ttl: timedelta, issuer: str = "bordergate") -> None:
        self.secret, self.ttl, self.issuer = secret, ttl, issuer

    def issue(self, user_id: str, now: datetime) -> str:
        return jwt.encode({"sub": user_id, "iat": now, "exp": now + self.ttl, "iss": self.issuer},
                          self.secret, algorithm="HS256")

    def user_id(self, token: str, now: datetime) -> str | None:
        """The user the token names, or None when it is forged, malformed or expired at ``now``."""
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], issuer=self.issuer,
                                options={"verify_exp": False, "require": ["sub", "exp", "iss"]})
        except jwt.PyJWTError:
            return None
        # Expiry is checked against the injected clock, not the machine's, so tests and replays agree.
        return claims["sub"] if claims["exp"] > now.timestamp() else None


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
