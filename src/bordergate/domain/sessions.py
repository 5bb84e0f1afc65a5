"""Sign-in sessions: when one ends (signed out, revoked, idle, past its shift) and how sign-ins are throttled."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bordergate.domain.accounts import User

# A session is marked as seen at most this often: its idle expiry is exact to a minute, and a busy screen does not
# write on every request.
SEEN_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLifetimes:
    """How long a sign-in lasts: ``idle`` without a request, ``absolute`` at most (a working shift)."""

    idle: timedelta
    absolute: timedelta


@dataclass(frozen=True)
class Session:
    """One sign-in of one person, from the moment the password was right until it ends."""

    id: str
    user_id: str
    started_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    revoked_why: str | None = None

    @classmethod
    def start(cls, session_id: str, user: User, now: datetime, lifetimes: SessionLifetimes) -> Session:
        return cls(session_id, user.id, now, now, now + lifetimes.absolute)

    def ended(self, now: datetime, lifetimes: SessionLifetimes) -> str | None:
        """Why this session no longer opens anything at ``now``, or None while it does."""
        if self.revoked_at is not None:
            return f"this sign-in was ended ({self.revoked_why or 'revoked'}); sign in again"
        if now >= self.expires_at:
            return "this sign-in lasted its full shift and has ended; sign in again"
        if now - self.last_seen_at >= lifetimes.idle:
            return "this sign-in ended after a time without use; sign in again"
        return None

    def due_to_be_seen(self, now: datetime) -> bool:
        return now - self.last_seen_at >= SEEN_EVERY


class RevokedBecause:
    """Why sessions were ended: kept with each session and on the audit trail."""

    SIGNED_OUT = "signed out"
    PASSWORD_CHANGED = "password changed"
    BY_ADMINISTRATOR = "revoked by an administrator"
    ALL_REVOKED = "every session revoked by an administrator"
    DEACTIVATED = "account deactivated"


@dataclass(frozen=True)
class ThrottleRules:
    """How many failed sign-ins are allowed in a window, per account and per address, and how long a lock lasts:
    ``first_lock`` the first time, doubling with each lock after it, never longer than ``longest_lock``."""

    account_failures: int = 5
    address_failures: int = 20
    window: timedelta = timedelta(minutes=15)
    first_lock: timedelta = timedelta(minutes=1)
    longest_lock: timedelta = timedelta(hours=1)
    # Locks are forgotten (the next starts short again) after this long without a failure.
    forget_after: timedelta = timedelta(days=1)

    def allowed(self, key: str) -> int:
        return self.address_failures if key.startswith("address:") else self.account_failures


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins counted under one key (``account:<username>`` or ``address:<ip>``) and its lock."""

    key: str
    failures: int = 0
    window_from: datetime | None = None
    locks: int = 0
    locked_until: datetime | None = None
    last_failure_at: datetime | None = None

    def locked_for(self, now: datetime) -> timedelta | None:
        """How long this key must still wait, or None when it may try."""
        if self.locked_until is not None and self.locked_until > now:
            return self.locked_until - now
        return None

    def after_failure(self, now: datetime, rules: ThrottleRules) -> tuple[Throttle, bool]:
        """The throttle after one more failed sign-in, and whether that failure locked the key."""
        state = self
        if state.last_failure_at is not None and now - state.last_failure_at >= rules.forget_after:
            state = Throttle(self.key)
        if state.window_from is None or now - state.window_from >= rules.window:
            state = replace(state, failures=0, window_from=now)
        failures = state.failures + 1
        if failures < rules.allowed(self.key):
            return replace(state, failures=failures, last_failure_at=now), False
        lock = min(rules.first_lock * 2 ** min(state.locks, 30), rules.longest_lock)
        return replace(state, failures=0, window_from=None, locks=state.locks + 1, locked_until=now + lock,
                       last_failure_at=now), True


def account_key(username: str) -> str:
    """The throttle key of a username as typed, whether or not such an account exists."""
    return "account:" + username.strip().lower()[:120]


def address_key(address: str) -> str:
    """The throttle key of a client address; an IPv6 client is counted by its /64, which one host holds whole."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "address:" + address[:120]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return "address:" + str(ip.ipv4_mapped)
        return "address:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "address:" + str(ip)
