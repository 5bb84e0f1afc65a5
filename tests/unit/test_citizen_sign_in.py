"""Citizens sign in by a code sent to their phone, or by VNeID, driven through the bus in memory: the code's life,
its tries, the throttles against SMS pumping, the account opened on the first sign-in, and the code kept nowhere."""
from __future__ import annotations

import random
import re

import pytest
import structlog

from bordergate.adapters.memory.tables import Tables
from bordergate.adapters.memory.unit_of_work import InMemoryUnitOfWork
from bordergate.adapters.sms import SandboxSms
from bordergate.bootstrap import Gate, bootstrap
from bordergate.config import Settings
from bordergate.domain.accounts import Role, User
from bordergate.domain.citizen_events import (CitizenRegistered, ConfirmSignInCode, FinishVneidSignIn,
                                              IdentityLinked, RequestSignInCode)
from bordergate.domain.citizens import CODE_SENT_TEXT, CodeRefused, SignInCodesThrottled
from bordergate.domain.commands import DeliverNotices
from bordergate.domain.errors import Invalid
from bordergate.entrypoints.logs import drop_sign_in_codes
from bordergate.services.authentication import SYSTEM, NotAuthenticated
from bordergate.services.identity import IdentityRefused
from bordergate.services.ports import FixedClock
from tests.conftest import CHEAP_PASSWORDS, NOW

PHONE = "+84912345678"
HOME = "203.0.113.7"


class Phone:
    """A gate in memory with its sandbox SMS: what a citizen's phone would read."""

    def __init__(self, **settings: object) -> None:
        self.tables = Tables()
        self.sms = SandboxSms()
        self.gate: Gate = bootstrap(
            Settings(database_url="sqlite://", secret_key="test-secret-of-at-least-32-characters",
                     public_url="http://gate.test", sweep_seconds=0, **settings),  # type: ignore[arg-type]
            clock=FixedClock(NOW), rng=random.Random(17), passwords=CHEAP_PASSWORDS, sms=self.sms,
            units=lambda read_only=False: InMemoryUnitOfWork(self.tables, read_only=read_only))
        self.clock: FixedClock = self.gate.clock  # type: ignore[assignment]

    def ask(self, phone: str = PHONE, address: str = HOME, locale: str = "vi") -> str:
        """Ask for a code, let the outbox send it, and read it off the SMS."""
        self.gate.bus.handle(RequestSignInCode(phone, address, locale))
        self.gate.bus.handle(DeliverNotices(SYSTEM))
        text = self.sms.to(phone if phone.startswith("+") else "+84" + phone.lstrip("0").replace(" ", ""))[-1]
        found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
        assert found, text
        return found.group(1)

    def confirm(self, code: str, phone: str = PHONE):
        return self.gate.bus.handle(ConfirmSignInCode(phone, code, HOME))

    def events(self, kind: type) -> list:
        return [e for e in self.tables.events if isinstance(e, kind)]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_a_code_by_sms_opens_a_citizens_account_on_the_first_sign_in_and_the_same_one_after():
    phone = Phone()
    code = phone.ask("0912 345 678")
    user, session = phone.confirm(code, "0912345678")
    assert (user.username, user.role, user.organisation_id, user.password_hash) == (PHONE, Role.CITIZEN, None, "!")
    assert phone.gate.sessions.principal(user.id, session.id).role is Role.CITIZEN
    [registered] = phone.events(CitizenRegistered)
    assert (registered.user_id, registered.phone, registered.via) == (user.id, PHONE, "sms")
    again, _ = phone.confirm(phone.ask())
    assert again.id == user.id and len(phone.events(CitizenRegistered)) == 1


def test_the_sms_says_the_code_and_its_minutes_in_the_citizens_language():
    phone = Phone()
    phone.ask(locale="zh")
    assert "5分钟内有效" in phone.sms.to(PHONE)[-1]
    phone.ask(locale="en")
    assert "valid for 5 minutes" in phone.sms.to(PHONE)[-1]


def test_the_code_appears_nowhere_after_delivery_not_in_the_outbox_the_trail_or_the_logs():
    phone = Phone()
    with structlog.testing.capture_logs() as logs:
        code = phone.ask()
        with pytest.raises(CodeRefused):
            phone.confirm(wrong(code))
        phone.confirm(code)
    kept = repr((phone.tables.notices, phone.tables.audit, phone.tables.events, phone.tables.sign_in_codes, logs))
    assert code not in kept and wrong(code) not in kept
    [notice] = phone.tables.notices
    assert (notice["status"], notice["text"]) == ("sent", CODE_SENT_TEXT)


def test_a_code_given_up_on_by_the_sms_provider_is_overwritten_too():
    phone = Phone()
    phone.sms.fail_next = 100
    phone.gate.bus.handle(RequestSignInCode(PHONE, HOME))
    [queued] = phone.tables.notices
    assert re.search(r"\d{6}", queued["text"])
    for _ in range(10):
        phone.gate.bus.handle(DeliverNotices(SYSTEM))
        phone.clock.advance(hours=1)
    [notice] = phone.tables.notices
    assert (notice["status"], notice["text"]) == ("failed", CODE_SENT_TEXT)


def test_a_code_expires_after_five_minutes():
    phone = Phone()
    code = phone.ask()
    phone.clock.advance(seconds=300)
    with pytest.raises(CodeRefused, match="expired; ask for a new one"):
        phone.confirm(code)


def test_each_wrong_code_counts_and_the_fifth_uses_the_code_up():
    phone = Phone()
    code = phone.ask()
    for left in (4, 3, 2, 1):
        with pytest.raises(CodeRefused) as refused:
            phone.confirm(wrong(code))
        assert (refused.value.reason, refused.value.left) == ("wrong", left)
        assert f"{left} tries left" in refused.value.detail
    for typed in (wrong(code), code):
        with pytest.raises(CodeRefused, match="too many wrong codes") as refused:
            phone.confirm(typed)
        assert refused.value.reason == "exhausted"


def test_a_new_code_voids_the_older_and_a_used_code_opens_nothing_again():
    phone = Phone()
    first = phone.ask()
    second = phone.ask()
    assert first != second
    with pytest.raises(CodeRefused, match="not the one sent"):
        phone.confirm(first)
    phone.confirm(second)
    with pytest.raises(CodeRefused, match="no code is waiting"):
        phone.confirm(second)


def test_three_codes_a_phone_an_hour_then_it_says_how_many_minutes_to_wait():
    phone = Phone()
    for _ in range(3):
        phone.ask()
        phone.clock.advance(minutes=10)
    with pytest.raises(SignInCodesThrottled, match="this phone; try again in 30 minutes") as refused:
        phone.ask()
    assert refused.value.retry_after == 30 * 60 and refused.value.minutes == 30
    phone.clock.advance(minutes=30)
    phone.ask()


def test_twenty_codes_an_address_an_hour_and_a_ceiling_for_everyone_a_minute():
    phone = Phone(otp_global_per_minute=25)
    for n in range(20):
        phone.ask(f"+8491200{n:04d}")
    with pytest.raises(SignInCodesThrottled, match="from this address"):
        phone.ask("+84912009999")
    for n in range(5):
        phone.ask(f"+8491300{n:04d}", address=f"198.51.100.{n}")
    with pytest.raises(SignInCodesThrottled, match="by everyone this minute; try again in 1 minutes"):
        phone.ask("+84914000000", address="192.0.2.1")
    phone.clock.advance(minutes=1)
    phone.ask("+84914000000", address="192.0.2.1")


def test_a_number_that_is_not_a_phone_is_refused_naming_the_field():
    with pytest.raises(Invalid) as refused:
        Phone().gate.bus.handle(RequestSignInCode("12ab", HOME))
    assert refused.value.problems[0].field == "phone"


def test_a_deactivated_citizen_and_a_staff_number_are_refused():
    phone = Phone()
    user, _ = phone.confirm(phone.ask())
    with InMemoryUnitOfWork(phone.tables) as uow:
        uow.accounts.deactivate(user.id)
        uow.accounts.add_user(User("staff-1", "+84987654321", "Staff", Role.OPERATOR, None, "hash"), NOW)
        uow.commit()
    with pytest.raises(NotAuthenticated, match="deactivated"):
        phone.confirm(phone.ask())
    with pytest.raises(NotAuthenticated, match="staff account"):
        phone.confirm(phone.ask("+84987654321"), "+84987654321")


def test_vneid_links_the_account_of_the_phone_it_verified_then_knows_the_citizen_by_its_subject():
    phone = Phone()
    user, _ = phone.confirm(phone.ask())
    vouched = FinishVneidSignIn("https://vneid.test", "VN-001", "0912345678", True, HOME)
    linked, session = phone.gate.bus.handle(vouched)
    assert linked.id == user.id and phone.gate.sessions.principal(user.id, session.id).user_id == user.id
    [link] = phone.events(IdentityLinked)
    assert (link.user_id, link.vneid_subject, link.phone) == (user.id, "VN-001", PHONE)
    later, _ = phone.gate.bus.handle(FinishVneidSignIn("https://vneid.test", "VN-001", None, False, HOME))
    assert later.id == user.id and len(phone.events(IdentityLinked)) == 1


def test_vneid_opens_a_new_account_by_its_verified_phone_and_refuses_without_one():
    phone = Phone()
    user, _ = phone.gate.bus.handle(FinishVneidSignIn("https://vneid.test", "VN-002", "+84911111111", True))
    assert user.username == "+84911111111" and phone.events(CitizenRegistered)[0].via == "vneid"
    with pytest.raises(IdentityRefused, match="verified phone"):
        phone.gate.bus.handle(FinishVneidSignIn("https://vneid.test", "VN-003", "+84922222222", False))


def test_the_log_drops_a_code_and_a_code_sms_text_whatever_logs_them():
    line = drop_sign_in_codes(None, "info", {"event": "oops", "code": "123456", "kind": "sign_in_code",
                                             "text": "your code is 123456", "notice": "n-1"})
    assert "123456" not in repr(line) and line["notice"] == "n-1"
    assert drop_sign_in_codes(None, "info", {"event": "sent", "text": "truck called"})["text"] == "truck called"


def test_serving_on_https_without_an_otp_key_refuses_to_start(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from bordergate.entrypoints import cli
    monkeypatch.setattr(cli, "_at_head", lambda url: True)
    monkeypatch.setattr(cli.uvicorn, "run", lambda *args, **kwargs: None)
    monkeypatch.setenv("BORDERGATE_DATABASE_URL", f"sqlite:///{tmp_path / 'gate.db'}")
    monkeypatch.setenv("BORDERGATE_PUBLIC_URL", "https://gate.example")
    refused = CliRunner().invoke(cli.main, ["serve"])
    assert refused.exit_code != 0 and "BORDERGATE_OTP_KEY" in refused.output
    monkeypatch.setenv("BORDERGATE_OTP_KEY", "o" * 32)
    assert CliRunner().invoke(cli.main, ["serve"]).exit_code == 0
