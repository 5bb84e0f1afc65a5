"""Citizens signing in: a one-time code by SMS (throttled, kept as a digest, never logged) or VNeID; the account is
opened on the first sign-in and a session started as the password sign-in starts one."""
from __future__ import annotations

from datetime import datetime
from math import ceil

from bordergate.domain.accounts import Role, User
from bordergate.domain.citizen_events import (CitizenRegistered, ConfirmSignInCode, FinishVneidSignIn,
                                              IdentityLinked, RequestSignInCode)
from bordergate.domain.citizens import (GLOBAL_WINDOW, PHONE_WINDOW, UNUSABLE_PASSWORD, CodeRefused, SignInCode,
                                        SignInCodeRules, SignInCodesThrottled, citizen_phone, readable_code,
                                        wait_after)
from bordergate.domain.errors import InvalidValue, parsed
from bordergate.domain.notices import Notice, NoticeKind, render
from bordergate.domain.sessions import Session, SessionLifetimes, address_key
from bordergate.services.authentication import NotAuthenticated
from bordergate.services.identity import IdentityRefused
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.sessions import start_session
from bordergate.services.unit_of_work import UnitOfWork

LOCALES = ("vi", "en", "zh")
# A code's SMS belongs to no trip and no report: with no reference, NoticeSent's subject is the notice itself (and
# the sealed phone on the trail is the notice's, not a declaration's).
SIGN_IN_REFERENCE = ""


def request_sign_in_code(cmd: RequestSignInCode, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                         code_rules: SignInCodeRules) -> dict[str, object]:
    """Queue an SMS with a new code (voiding the older), unless this phone, this address or everyone asked for too
    many lately. The answer never holds the code: only the SMS does."""
    phone = parsed("phone", citizen_phone, cmd.phone)
    address = address_key(cmd.address)
    locale = cmd.locale if cmd.locale in LOCALES else "vi"
    now = clock.now()
    with uow:
        uow.sign_in_codes.forget(now - PHONE_WINDOW)
        # A code not sent within its life is no use to anyone: it leaves the outbox unsent.
        uow.notices.forget_unsent(NoticeKind.SIGN_IN_CODE, now - code_rules.ttl)
        _refuse_when_too_many(uow, phone, address, now, code_rules)
        uow.sign_in_codes.void_open(phone, now)
        code = ids.new_sign_in_code()
        issued = SignInCode.issue(ids.new_id(), phone, code, address, now, code_rules)
        uow.sign_in_codes.add(issued)
        text = render(NoticeKind.SIGN_IN_CODE, locale, code=code, minutes=ceil(code_rules.ttl.total_seconds() / 60))
        uow.notices.enqueue(ids.new_id(), Notice(f"sign-in:{issued.id}", NoticeKind.SIGN_IN_CODE, SIGN_IN_REFERENCE,
                                                 phone, locale, text), now)
        uow.commit()
    return {"phone": phone, "expires_at": issued.expires_at,
            "expires_in": int(code_rules.ttl.total_seconds()), "attempts": code_rules.max_attempts}


def _refuse_when_too_many(uow: UnitOfWork, phone: str, address: str, now: datetime,
                          rules: SignInCodeRules) -> None:
    codes = uow.sign_in_codes
    checks = (("this phone", rules.per_phone_per_hour, PHONE_WINDOW,
               codes.sent_since(now - PHONE_WINDOW, phone=phone)),
              ("from this address", rules.per_address_per_hour, PHONE_WINDOW,
               codes.sent_since(now - PHONE_WINDOW, address=address)),
              ("by everyone this minute", rules.global_per_minute, GLOBAL_WINDOW, codes.sent_since(now - GLOBAL_WINDOW)))
    for why, limit, window, sent in checks:
        wait = wait_after(sent, limit, window, now)
        if wait is not None:
            raise SignInCodesThrottled(why, wait)


def confirm_sign_in_code(cmd: ConfirmSignInCode, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                         code_rules: SignInCodeRules, lifetimes: SessionLifetimes) -> tuple[User, Session]:
    """Sign in with the phone's newest code: each try counted, compared in constant time; the first sign-in opens
    the account (CitizenRegistered)."""
    phone = parsed("phone", citizen_phone, cmd.phone)
    typed = readable_code(cmd.code)
    now = clock.now()
    with uow:
        code = uow.sign_in_codes.open_for(phone)
        refusal = CodeRefused("none") if code is None else code.refusal(now, code_rules)
        if refusal is not None or code is None:
            raise refusal or CodeRefused("none")
        if not uow.sign_in_codes.count_try(code.id, code_rules.max_attempts):
            raise CodeRefused("exhausted")  # another try took the last one meanwhile
        if typed is None or not code.matches(typed, code_rules):
            uow.commit()  # the try counts even though the answer is a refusal
            left = code_rules.max_attempts - code.attempts - 1
            raise CodeRefused("wrong", left) if left > 0 else CodeRefused("exhausted")
        if not uow.sign_in_codes.use(code.id, now):
            raise CodeRefused("none")
        user = _citizen(uow, ids, phone, now, "sms")
        session = start_session(uow, ids, user, now, lifetimes)
        uow.commit()
    return user, session


def finish_vneid_sign_in(cmd: FinishVneidSignIn, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                         lifetimes: SessionLifetimes) -> tuple[User, Session]:
    """Sign in as the citizen VNeID vouched for: their linked account; else the account of the phone VNeID
    verified, linked now (IdentityLinked); else a new one."""
    now = clock.now()
    with uow:
        profile = uow.citizens.by_vneid_subject(cmd.subject)
        if profile is not None:
            user = _active(uow, profile["user_id"])
        else:
            phone = _verified_phone(cmd)
            user = _citizen(uow, ids, phone, now, "vneid")
            uow.citizens.link_vneid(user.id, cmd.subject)
            uow.record(IdentityLinked(actor=user.id, at=now, user_id=user.id, vneid_subject=cmd.subject, phone=phone))
        session = start_session(uow, ids, user, now, lifetimes)
        uow.commit()
    return user, session


def _verified_phone(cmd: FinishVneidSignIn) -> str:
    if not (cmd.phone and cmd.phone_verified):
        raise IdentityRefused("VNeID did not share a verified phone number, so no account can be named by it; "
                              "sign in with a code sent to your phone instead")
    try:
        return citizen_phone(cmd.phone)
    except InvalidValue:
        raise IdentityRefused("VNeID shared a phone number bordergate cannot read; sign in with a code sent to "
                              "your phone instead") from None


def _citizen(uow: UnitOfWork, ids: Identifiers, phone: str, now: datetime, via: str) -> User:
    """The citizen account named by ``phone``, opened now when there is none."""
    profile = uow.citizens.by_phone(phone)
    if profile is not None:
        return _active(uow, profile["user_id"])
    if uow.accounts.user_by_username(phone) is not None:
        # A staff account named by this number: it signs in with its password, never by a code to the phone.
        raise NotAuthenticated("this number names a staff account; sign in with its username and password")
    user = User(ids.new_id(), phone, "", Role.CITIZEN, None, UNUSABLE_PASSWORD)
    uow.accounts.add_user(user, now)
    uow.citizens.add({"user_id": user.id, "phone": phone, "locale": "vi", "vneid_subject": None, "created_at": now})
    uow.record(CitizenRegistered(actor=user.id, at=now, user_id=user.id, phone=phone, via=via))
    return user


def _active(uow: UnitOfWork, user_id: str) -> User:
    user = uow.accounts.user(user_id)
    if user is None or not user.active:
        raise NotAuthenticated("this account no longer exists or was deactivated; ask the gate's office")
    return user
