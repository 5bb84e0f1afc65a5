"""The citizens' repositories keep one contract: the in-memory twin, SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bordergate.domain.accounts import Role, User
from bordergate.domain.citizens import SignInCode, SignInCodeRules
from bordergate.domain.errors import Conflict
from bordergate.domain.notices import Notice, NoticeKind
from tests.conftest import NOW

RULES = SignInCodeRules(key=b"k" * 32)
PHONE = "+84912345678"


def test_a_profile_is_found_by_phone_and_by_its_vneid_subject_once_linked_each_unique(units):
    with units() as uow:
        uow.accounts.add_user(User("c-1", PHONE, "", Role.CITIZEN, None, "!"), NOW)
        uow.citizens.add({"user_id": "c-1", "phone": PHONE, "locale": "vi", "vneid_subject": None,
                          "created_at": NOW})
        uow.citizens.link_vneid("c-1", "VN-1")
        uow.commit()
    with units() as uow:
        assert uow.citizens.by_phone(PHONE) == {"user_id": "c-1", "phone": PHONE, "locale": "vi",
                                                "vneid_subject": "VN-1", "created_at": NOW}
        assert uow.citizens.by_vneid_subject("VN-1")["user_id"] == "c-1"
        assert uow.citizens.by_phone("+84900000000") is None and uow.citizens.by_vneid_subject("VN-2") is None
        with pytest.raises((Conflict, IntegrityError)):
            uow.citizens.add({"user_id": "c-1", "phone": PHONE, "locale": "vi", "vneid_subject": None,
                              "created_at": NOW})


def test_codes_the_newest_open_one_tries_counted_to_the_limit_used_once_voided_and_forgotten(units):
    first = SignInCode.issue("code-1", PHONE, "123456", "address:203.0.113.7", NOW, RULES)
    second = SignInCode.issue("code-2", PHONE, "654321", "address:203.0.113.7", NOW + timedelta(seconds=30), RULES)
    with units() as uow:
        uow.sign_in_codes.add(first)
        assert uow.sign_in_codes.void_open(PHONE, NOW) == 1
        uow.sign_in_codes.add(second)
        uow.commit()
    with units() as uow:
        found = uow.sign_in_codes.open_for(PHONE)
        assert found == second and found.matches("654321", RULES) and not found.matches("123456", RULES)
        assert [uow.sign_in_codes.count_try("code-2", 2) for _ in range(3)] == [True, True, False]
        assert uow.sign_in_codes.open_for(PHONE).attempts == 2
        assert uow.sign_in_codes.use("code-2", NOW) and not uow.sign_in_codes.use("code-2", NOW)
        assert uow.sign_in_codes.open_for(PHONE) is None and not uow.sign_in_codes.count_try("code-1", 5)
        assert uow.sign_in_codes.sent_since(NOW - timedelta(hours=1), phone=PHONE) == [NOW, second.created_at]
        assert uow.sign_in_codes.sent_since(NOW, address="address:203.0.113.7") == [second.created_at]
        assert uow.sign_in_codes.sent_since(NOW - timedelta(minutes=1), phone="+84900000000") == []
        assert uow.sign_in_codes.forget(NOW + timedelta(seconds=1)) == 1
        assert uow.sign_in_codes.sent_since(NOW - timedelta(hours=1)) == [second.created_at]
        uow.commit()


def test_a_sign_in_codes_sms_keeps_no_code_once_sent_and_unsent_ones_are_forgotten(units):
    with units() as uow:
        for n in (1, 2):
            uow.notices.enqueue(f"n-{n}", Notice(f"sign-in:{n}", NoticeKind.SIGN_IN_CODE, "", PHONE, "vi",
                                                 f"code 11111{n}"), NOW)
        uow.notices.sent("n-1", NOW, "provider-1", PHONE)
        assert uow.notices.forget_unsent(NoticeKind.SIGN_IN_CODE, NOW + timedelta(minutes=5)) == 1
        uow.commit()
    with units() as uow:
        assert [(n["id"], n["text"]) for n in uow.notices.for_reference("")] == [
            ("n-1", "(sign-in code sent)")]
