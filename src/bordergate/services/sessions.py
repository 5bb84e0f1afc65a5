"""Signing in and who is asking: sign-ins throttled per account and per address before any password is checked,
one session per sign-in, and the session checked on every request."""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from math import ceil

import structlog

from bordergate.domain.accounts import Principal, User
from bordergate.domain.citizens import UNUSABLE_PASSWORD
from bordergate.domain.errors import TooManyRequests
from bordergate.domain.session_events import SignInLocked
from bordergate.domain.sessions import (Session, SessionLifetimes, Throttle, ThrottleRules, account_key,
                                        address_key)
from bordergate.services.authentication import NotAuthenticated, decoy_hash, principal_of
from bordergate.services.ports import Clock, HashingSlots, Identifiers
from bordergate.services.unit_of_work import UnitOfWork

log = structlog.get_logger(__name__)
WRONG = "wrong username or password"


class SignInsLocked(TooManyRequests):
    """Too many failed sign-ins for this username or from this address: no password is checked until the time."""

    title = "Too many failed sign-ins"


@dataclass
class Sessions:
    """The way in: sign in (throttled), and the per-request check that the session is still open."""

    writer: Callable[[], UnitOfWork]
    reader: Callable[[], UnitOfWork]
    hasher: HashingSlots
    clock: Clock
    ids: Identifiers
    lifetimes: SessionLifetimes
    rules: ThrottleRules
    _under_way: Counter[str] = field(default_factory=Counter, init=False, repr=False)
    _trying_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def sign_in(self, username: str, password: str, address: str) -> tuple[User, Session]:
        """A new session for the user whose password this is; NotAuthenticated (one message for both mistakes),
        or SignInsLocked before any hash is computed while the username or the address is locked."""
        keys = [account_key(username), address_key(address)]
        with self.reader() as uow:
            throttles = uow.throttles.of(keys)
            refuse_while_locked(throttles.values(), self.clock.now())
            user = uow.accounts.user_by_username(username.strip().lower())
        with self._trying(keys) as crowded:
            # Hashed outside any transaction: no connection (nor SQLite's write lock) is held while argon2 runs.
            # People do not sign in to one username, or from one address, several times at once: a flood does.
            suspect = bool(throttles) or crowded
            if self._checks(user, password, suspect) and user is not None:
                with self.writer() as uow:
                    session = start_session(uow, self.ids, user, self.clock.now(), self.lifetimes)
                    uow.throttles.clear(keys[0])
                    uow.commit()
                return user, session
        with self.writer() as uow:
            count_failure(uow, keys, user, self.clock.now(), self.rules)
            uow.commit()
        raise NotAuthenticated(WRONG)

    def _checks(self, user: User | None, password: str, suspect: bool) -> bool:
        verify = self.hasher.verify_suspect if suspect else self.hasher.verify
        if user is None or user.password_hash == UNUSABLE_PASSWORD:
            # Timed as a real check: the answer must not tell which phone numbers have a citizen's account.
            verify(password, decoy_hash(self.hasher))
            return False
        return verify(password, user.password_hash) and user.active

    @contextmanager
    def _trying(self, keys: list[str]) -> Iterator[bool]:
        """Count a sign-in under way under ``keys`` in this process; yields whether another one already was."""
        with self._trying_lock:
            crowded = any(self._under_way[key] for key in keys)
            self._under_way.update(keys)
        try:
            yield crowded
        finally:
            with self._trying_lock:
                self._under_way.subtract(keys)
                for key in keys:
                    if self._under_way[key] <= 0:
                        del self._under_way[key]

    def principal(self, user_id: str, session_id: str, *, use: bool = True) -> Principal:
        """Who is asking with this session, or NotAuthenticated saying why it no longer opens anything; ``use``
        False checks without counting as use (a live screen pushing by itself is not a person using it)."""
        now = self.clock.now()
        with self.reader() as uow:
            found = uow.sessions.with_user(session_id)
            if found is None or found[0].user_id != user_id:
                raise NotAuthenticated("this sign-in is not known here; sign in again")
            session, user = found
            ended = session.ended(now, self.lifetimes)
            if ended:
                raise NotAuthenticated(ended)
            principal = principal_of(uow, user, session.id)
        if use and session.due_to_be_seen(now):
            with self.writer() as uow:
                uow.sessions.seen(session.id, now)
                uow.commit()
        return principal


def start_session(uow: UnitOfWork, ids: Identifiers, user: User, now: datetime, lifetimes: SessionLifetimes) -> Session:
    """A new session of ``user`` from ``now``, kept in ``uow`` (committed by the caller): by password or by code."""
    session = Session.start(ids.new_id(), user, now, lifetimes)
    uow.sessions.start(session)
    return session


def refuse_while_locked(throttles: Iterable[Throttle], now: datetime) -> None:
    """SignInsLocked with the time to try again, when any of ``throttles`` is locked at ``now``."""
    wait = max((t.locked_for(now) or timedelta(0) for t in throttles), default=timedelta(0))
    if wait > timedelta(0):
        seconds = ceil(wait.total_seconds())
        raise SignInsLocked(f"too many failed sign-ins for this username or from this address; no password is "
                            f"checked until {(now + wait).isoformat(timespec='seconds')} (in {seconds} s), "
                            "then try again", retry_after=seconds)


def count_failure(uow: UnitOfWork, keys: list[str], user: User | None, now: datetime, rules: ThrottleRules) -> None:
    """One more failure under each key; a key that reaches its limit is locked, and that lock (not each failure:
    strangers must not fill the evidence) goes on the audit trail, for real accounts and for addresses."""
    for key in keys:
        throttle, locked = uow.throttles.for_update(key, now).after_failure(now, rules)
        uow.throttles.save(throttle)
        if not locked or throttle.locked_until is None:
            continue
        log.warning("sign-in locked", key=key, until=throttle.locked_until.isoformat(), lock=throttle.locks)
        kind, _, name = key.partition(":")
        if kind == "address" or user is not None:
            uow.record(SignInLocked(actor="system", at=now, kind="user" if kind == "account" else kind,
                                    subject_id=user.id if kind == "account" and user else name,
                                    until=throttle.locked_until, lock=throttle.locks))
    uow.throttles.forget(now - rules.forget_after, now)
