"""When a session ends, how failed sign-ins lock a username or an address, and the hashing pool's reserved slot."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from bordergate.adapters.security import HashingPool
from bordergate.domain.accounts import Role, User
from bordergate.domain.errors import Unavailable
from bordergate.domain.sessions import (Session, SessionLifetimes, Throttle, ThrottleRules, account_key,
                                        address_key)

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
LIFETIMES = SessionLifetimes(idle=timedelta(minutes=60), absolute=timedelta(hours=8))
RULES = ThrottleRules()
LAN = User("u-1", "lan", "Lan", Role.DECLARANT, "farm", "hash")


def test_a_session_lasts_while_used_and_ends_idle_past_its_shift_or_revoked():
    session = Session.start("s-1", LAN, NOW, LIFETIMES)
    assert session.ended(NOW + timedelta(minutes=59), LIFETIMES) is None
    assert "without use" in session.ended(NOW + timedelta(minutes=60), LIFETIMES)
    used = Session("s-1", "u-1", NOW, NOW + timedelta(hours=7, minutes=30), session.expires_at)
    assert used.ended(NOW + timedelta(hours=7, minutes=59), LIFETIMES) is None
    assert "full shift" in used.ended(NOW + timedelta(hours=8), LIFETIMES)
    revoked = Session("s-1", "u-1", NOW, NOW, session.expires_at, NOW, "u-1", "signed out")
    assert "signed out" in revoked.ended(NOW, LIFETIMES)


def test_a_session_is_marked_as_seen_at_most_once_a_minute():
    session = Session.start("s-1", LAN, NOW, LIFETIMES)
    assert not session.due_to_be_seen(NOW + timedelta(seconds=59))
    assert session.due_to_be_seen(NOW + timedelta(seconds=60))


def fail(throttle: Throttle, at: datetime, times: int) -> tuple[Throttle, list[bool]]:
    locked = []
    for _ in range(times):
        throttle, lock = throttle.after_failure(at, RULES)
        locked.append(lock)
    return throttle, locked


def test_the_fifth_failure_to_a_username_locks_it_for_a_minute():
    throttle, locked = fail(Throttle(account_key("Lan ")), NOW, 5)
    assert locked == [False, False, False, False, True]
    assert throttle.key == "account:lan"
    assert throttle.locked_for(NOW) == timedelta(minutes=1)
    assert throttle.locked_for(NOW + timedelta(minutes=1)) is None


def test_an_address_may_fail_twenty_times_before_it_is_locked():
    throttle, locked = fail(Throttle(address_key("203.0.113.9")), NOW, 20)
    assert locked.index(True) == 19


def test_each_lock_doubles_up_to_the_longest_and_a_quiet_day_forgets_them():
    throttle, at, locks = Throttle("account:lan"), NOW, []
    for _ in range(8):
        throttle, _ = fail(throttle, at, 5)
        locks.append(throttle.locked_for(at))
        at = throttle.locked_until
    assert [int(lock.total_seconds()) for lock in locks] == [60, 120, 240, 480, 960, 1920, 3600, 3600]
    throttle, _ = fail(throttle, at + timedelta(days=1), 5)
    assert throttle.locks == 1 and throttle.locked_for(at + timedelta(days=1)) == timedelta(minutes=1)


def test_failures_spread_wider_than_the_window_do_not_add_up():
    throttle = Throttle("account:lan")
    for n in range(12):
        throttle, locked = throttle.after_failure(NOW + timedelta(minutes=4 * n), RULES)
        assert not locked


@pytest.mark.parametrize("address, key", [
    ("203.0.113.9", "address:203.0.113.9"),
    ("2001:db8:1:2:aaaa::1", "address:2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::7", "address:2001:db8:1:2::/64"),
    ("::ffff:203.0.113.9", "address:203.0.113.9"),
    ("testclient", "address:testclient"),
])
def test_an_ipv6_client_is_counted_by_its_64_which_one_host_holds_whole(address, key):
    assert address_key(address) == key


def test_a_sign_in_under_suspicion_never_takes_the_last_free_hashing_slot():
    inside, release = threading.Event(), threading.Event()

    class Slow:
        def verify(self, password: str, hashed: str) -> bool:
            inside.set()
            release.wait()
            return True

    pool = HashingPool(Slow(), slots=2, wait=0)
    answers: list[bool] = []
    suspect = threading.Thread(target=pool.verify_suspect, args=("a", "b"))
    suspect.start()
    inside.wait()
    try:
        with pytest.raises(Unavailable):
            pool.verify_suspect("a", "b")  # the last free slot is not for a suspect
        honest = threading.Thread(target=lambda: answers.append(pool.verify("a", "b")))
        honest.start()
    finally:
        release.set()
    suspect.join()
    honest.join()
    assert answers == [True]  # it is for someone not under suspicion
