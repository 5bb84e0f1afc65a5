"""Sign-in throttling: wrong passwords lock a username or an address for a growing while, refused before any
password is hashed; the honest user elsewhere is not affected; the lock, not each try, is on the audit trail."""
from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient

from bordergate.entrypoints.api.app import create_app
from tests.builders import PASSWORD
from tests.e2e.conftest import PROBLEM_JSON
from tests.support.forms import post_form

WRONG = "not-the-password"


def attempt(client, username: str, password: str, **kwargs):
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}, **kwargs)


def from_address(gate, address: str) -> TestClient:
    return TestClient(create_app(gate), client=(address, 40000))


class CountingHasher:
    """The gate's hasher, counting the passwords it checks."""

    def __init__(self, inner) -> None:
        self.inner, self.checked = inner, 0

    def hash(self, password: str) -> str:
        return self.inner.hash(password)

    def verify(self, password: str, hashed: str) -> bool:
        self.checked += 1
        return self.inner.verify(password, hashed)


def audit_rows(gate) -> int:
    from sqlalchemy import func, select

    from bordergate.adapters.sql.tables import audit_log
    with gate.reader() as uow:
        return uow.connection.execute(select(func.count()).select_from(audit_log)).scalar_one()


def test_104_wrong_passwords_then_the_right_one_is_refused_with_429_until_the_lock_lifts(client, gate, clock, world):
    for _ in range(104):
        assert attempt(client, "lan", WRONG).status_code in (401, 429)

    refused = attempt(client, "lan", PASSWORD)

    assert refused.status_code == 429
    assert refused.headers["content-type"] == PROBLEM_JSON
    wait = int(refused.headers["retry-after"])
    assert 0 < wait <= 60
    assert (clock.now().replace(microsecond=0).isoformat() < refused.json()["detail"].split("until ")[1][:25])
    assert "try again" in refused.json()["detail"]
    clock.advance(seconds=wait - 1)
    assert attempt(client, "lan", PASSWORD).status_code == 429
    clock.advance(seconds=1)
    assert attempt(client, "lan", PASSWORD).status_code == 200


def test_a_locked_sign_in_is_refused_before_any_password_is_hashed(client, gate, world):
    counting = CountingHasher(gate.passwords.hasher)
    gate.passwords.hasher = counting
    for _ in range(5):
        assert attempt(client, "lan", WRONG).status_code == 401
    checked = counting.checked

    for _ in range(50):
        assert attempt(client, "lan", WRONG).status_code == 429

    assert counting.checked == checked


def test_each_lock_is_longer_than_the_last_up_to_the_longest(client, gate, clock, world):
    waits = []
    for _ in range(9):
        for _ in range(5):
            attempt(client, "lan", WRONG)
        refused = attempt(client, "lan", WRONG)
        waits.append(int(refused.headers["retry-after"]))
        clock.advance(seconds=waits[-1])

    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


def test_the_lockout_is_one_event_on_the_audit_trail_and_failed_tries_write_none(client, gate, world):
    before = audit_rows(gate)
    for _ in range(4):
        attempt(client, "lan", WRONG)
    assert audit_rows(gate) == before

    for _ in range(30):
        attempt(client, "lan", WRONG)

    assert audit_rows(gate) == before + 1
    with gate.reader() as uow:
        locked = uow.audit.history("user", world.lan.user_id)[-1]
    assert locked["action"] == "SignInLocked" and locked["payload"]["lock"] == 1


def test_unknown_usernames_count_per_username_and_per_address_and_the_honest_user_elsewhere_signs_in(gate, world):
    stranger, honest = from_address(gate, "203.0.113.9"), from_address(gate, "198.51.100.20")
    for n in range(20):
        assert attempt(stranger, f"nobody-{n}", WRONG).status_code == 401

    assert attempt(stranger, "lan", PASSWORD).status_code == 429  # the address is locked, whoever it names
    assert attempt(honest, "minh", PASSWORD).status_code == 200
    for _ in range(5):
        attempt(honest, "ghost", WRONG)
    assert attempt(honest, "ghost", WRONG).status_code == 429  # an unknown username is locked like a real one
    with gate.reader() as uow:
        assert uow.audit.history("address", "203.0.113.9")[-1]["action"] == "SignInLocked"


def test_an_attack_on_one_account_does_not_lock_out_another_account(gate, world):
    attacker, honest = from_address(gate, "203.0.113.9"), from_address(gate, "198.51.100.20")
    for _ in range(30):
        attempt(attacker, "lan", WRONG)

    assert attempt(honest, "minh", PASSWORD).status_code == 200
    assert attempt(honest, "lan", PASSWORD).status_code == 429  # the account under attack waits, from anywhere


def test_x_forwarded_for_is_believed_only_from_a_trusted_proxy(gate, world):
    gate.settings.trusted_proxies = "10.0.0.1"
    proxy, outsider = from_address(gate, "10.0.0.1"), from_address(gate, "203.0.113.50")
    for n in range(20):
        attempt(proxy, f"nobody-{n}", WRONG, headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"})
    for n in range(20):
        attempt(outsider, f"nobody-{n}", WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"})

    # The proxy's client 203.0.113.7 is locked; the proxy and its other clients are not.
    assert attempt(proxy, "minh", PASSWORD, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert attempt(proxy, "minh", PASSWORD, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    # The outsider's forged header was ignored: its own address was counted and is locked.
    assert attempt(outsider, "minh", PASSWORD, headers={"X-Forwarded-For": "192.0.2.99"}).status_code == 429


def test_a_trusted_proxy_seen_through_a_dual_stack_socket_is_still_trusted(gate, world):
    gate.settings.trusted_proxies = "10.0.0.0/8"
    proxy = from_address(gate, "::ffff:10.0.0.1")
    for n in range(20):
        attempt(proxy, f"nobody-{n}", WRONG, headers={"X-Forwarded-For": "203.0.113.7"})
    # Its client is locked, not the proxy (which would lock out everyone behind it).
    assert attempt(proxy, "minh", PASSWORD, headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 429
    assert attempt(proxy, "minh", PASSWORD, headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_the_sign_in_screen_is_throttled_too_and_says_when_to_come_back(gate, world):
    browser = TestClient(create_app(gate), follow_redirects=False)
    for _ in range(5):
        assert post_form(browser, "/signin", "/signin", {"username": "lan", "password": WRONG}).status_code == 401

    refused = post_form(browser, "/signin", "/signin", {"username": "lan", "password": PASSWORD})

    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many failed sign-ins" in post_form(browser, "/signin", "/signin?lang=en",
                                                   {"username": "lan", "password": PASSWORD}).text


def test_when_every_hashing_slot_is_busy_a_sign_in_is_answered_503_fast(client, gate, world):
    gate.passwords.wait = 0
    held = [gate.passwords._slots.acquire() for _ in range(gate.settings.password_hashing_slots)]
    try:
        busy = attempt(client, "lan", PASSWORD)
    finally:
        for _ in held:
            gate.passwords._slots.release()

    assert busy.status_code == 503 and busy.headers["retry-after"] == "1"
    assert busy.headers["content-type"] == PROBLEM_JSON
    assert attempt(client, "lan", PASSWORD).status_code == 200


def test_a_full_hashing_pool_refuses_the_next_caller_and_takes_it_once_a_slot_is_free():
    from bordergate.adapters.security import HashingPool
    from bordergate.domain.errors import Unavailable

    inside, release = threading.Event(), threading.Event()

    class Slow:
        def verify(self, password: str, hashed: str) -> bool:
            inside.set()
            release.wait()
            return True

    pool = HashingPool(Slow(), slots=1, wait=0)
    first = threading.Thread(target=pool.verify, args=("a", "b"))
    first.start()
    inside.wait()
    with pytest.raises(Unavailable) as refused:
        pool.verify("a", "b")
    release.set()
    first.join()

    assert refused.value.retry_after == 1
    assert pool.verify("a", "b") is True


def test_a_sign_in_while_another_is_under_way_for_the_same_username_is_under_suspicion(gate, world):
    first_inside, release = threading.Event(), threading.Event()
    lanes: list[str] = []
    real = gate.passwords.hasher

    class Recording:
        def hash(self, password: str) -> str:
            return real.hash(password)

        def verify(self, password: str, hashed: str) -> bool:
            lanes.append("clean")
            first_inside.set()
            release.wait()
            return real.verify(password, hashed)

        def verify_suspect(self, password: str, hashed: str) -> bool:
            lanes.append("suspect")
            return real.verify(password, hashed)

    gate.sessions.hasher = Recording()
    first = threading.Thread(target=gate.sessions.sign_in, args=("lan", PASSWORD, "198.51.100.1"))
    first.start()
    first_inside.wait()
    try:
        gate.sessions.sign_in("LAN", PASSWORD, "198.51.100.2")
    finally:
        release.set()
        first.join()
    gate.sessions.sign_in("lan", PASSWORD, "198.51.100.3")

    assert lanes == ["clean", "suspect", "clean"]
