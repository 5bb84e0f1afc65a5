"""Ending sessions: signing out, a password change, an administrator revoking one person's or everybody's, and
deactivating an account. Each is on the audit trail with who and when."""
from __future__ import annotations

from bordergate.domain import session_commands as commands
from bordergate.domain.access import ADMINISTER, require
from bordergate.domain.accounts import password_problem
from bordergate.domain.errors import ChangedMeanwhile, Conflict, FieldProblem, Invalid, NotFound
from bordergate.domain.session_events import PasswordChanged, SessionsRevoked, SignedOut, UserDeactivated
from bordergate.domain.sessions import (RevokedBecause, Session, SessionLifetimes, ThrottleRules, account_key,
                                        address_key)
from bordergate.services.ports import Clock, Identifiers, PasswordHasher
from bordergate.services.sessions import count_failure, refuse_while_locked
from bordergate.services.unit_of_work import UnitOfWork


def sign_out(cmd: commands.SignOut, uow: UnitOfWork, clock: Clock) -> None:
    """The asker's own session ends; its token opens nothing any more."""
    if cmd.actor.session_id is None:
        raise Conflict("this request came with no sign-in to end")
    now = clock.now()
    with uow:
        uow.sessions.revoke(cmd.actor.session_id, now, cmd.actor.user_id, RevokedBecause.SIGNED_OUT)
        uow.record(SignedOut(actor=cmd.actor.user_id, at=now, user_id=cmd.actor.user_id,
                             session_id=cmd.actor.session_id))
        uow.commit()


def change_password(cmd: commands.ChangePassword, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                    hasher: PasswordHasher, lifetimes: SessionLifetimes, throttle_rules: ThrottleRules) -> Session:
    """Check the current password (throttled like a sign-in), store the new one, end every session of the account
    and start a new one for the asker."""
    actor = cmd.actor
    problem = password_problem(cmd.new_password, actor.username)
    if problem is None and cmd.new_password == cmd.current_password:
        problem = "is the current password; choose another"
    if problem:
        raise Invalid([FieldProblem("new_password", problem)])
    keys = [account_key(actor.username), address_key(cmd.address)]
    with uow:
        refuse_while_locked(uow.throttles.of(keys).values(), clock.now())
        user = uow.accounts.user(actor.user_id)
    if user is None:
        raise NotFound("your account no longer exists")
    # Hashed outside the transaction: argon2 must not hold a connection (nor SQLite's write lock).
    if not hasher.verify(cmd.current_password, user.password_hash):
        with uow:
            count_failure(uow, keys, user, clock.now(), throttle_rules)
            uow.commit()
        raise Invalid([FieldProblem("current_password", "is not your current password")])
    new_hash = hasher.hash(cmd.new_password)
    now = clock.now()
    with uow:
        now_stored = uow.accounts.user(actor.user_id)
        if now_stored is None or now_stored.password_hash != user.password_hash:
            raise ChangedMeanwhile("your password was changed by another request meanwhile; sign in again")
        uow.accounts.set_password(user.id, new_hash)
        ended = uow.sessions.revoke_of_user(user.id, now, actor.user_id, RevokedBecause.PASSWORD_CHANGED)
        session = Session.start(ids.new_id(), user, now, lifetimes)
        uow.sessions.start(session)
        uow.record(PasswordChanged(actor=actor.user_id, at=now, user_id=user.id))
        uow.record(SessionsRevoked(actor=actor.user_id, at=now, user_id=user.id,
                                   why=RevokedBecause.PASSWORD_CHANGED, count=ended))
        uow.commit()
    return session


def revoke_sessions(cmd: commands.RevokeSessions, uow: UnitOfWork, clock: Clock) -> int:
    """An administrator ends every session of one person (their own, but the one asking)."""
    require(cmd.actor, ADMINISTER)
    now = clock.now()
    with uow:
        if uow.accounts.user(cmd.user_id) is None:
            raise NotFound(f"no user {cmd.user_id}")
        ended = uow.sessions.revoke_of_user(cmd.user_id, now, cmd.actor.user_id, RevokedBecause.BY_ADMINISTRATOR,
                                            keep=cmd.actor.session_id)
        uow.record(SessionsRevoked(actor=cmd.actor.user_id, at=now, user_id=cmd.user_id,
                                   why=RevokedBecause.BY_ADMINISTRATOR, count=ended))
        uow.commit()
    return ended


def revoke_all_sessions(cmd: commands.RevokeAllSessions, uow: UnitOfWork, clock: Clock) -> int:
    """An administrator ends everybody's sessions but their own: everyone signs in again."""
    require(cmd.actor, ADMINISTER)
    now = clock.now()
    with uow:
        ended = uow.sessions.revoke_all(now, cmd.actor.user_id, RevokedBecause.ALL_REVOKED, keep=cmd.actor.session_id)
        uow.record(SessionsRevoked(actor=cmd.actor.user_id, at=now, user_id=None, why=RevokedBecause.ALL_REVOKED,
                                   count=ended))
        uow.commit()
    return ended


def deactivate_user(cmd: commands.DeactivateUser, uow: UnitOfWork, clock: Clock) -> int:
    """An administrator closes a person's sign-in; every session of theirs ends in the same transaction."""
    require(cmd.actor, ADMINISTER)
    if cmd.user_id == cmd.actor.user_id:
        raise Conflict("you cannot deactivate your own account; ask another administrator")
    now = clock.now()
    with uow:
        if uow.accounts.user(cmd.user_id) is None:
            raise NotFound(f"no user {cmd.user_id}")
        if not uow.accounts.deactivate(cmd.user_id):
            raise Conflict(f"user {cmd.user_id} is deactivated already")
        ended = uow.sessions.revoke_of_user(cmd.user_id, now, cmd.actor.user_id, RevokedBecause.DEACTIVATED)
        uow.record(UserDeactivated(actor=cmd.actor.user_id, at=now, user_id=cmd.user_id))
        uow.record(SessionsRevoked(actor=cmd.actor.user_id, at=now, user_id=cmd.user_id,
                                   why=RevokedBecause.DEACTIVATED, count=ended))
        uow.commit()
    return ended
