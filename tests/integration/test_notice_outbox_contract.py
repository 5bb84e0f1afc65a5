"""The SMS outbox's contract on the twin, SQLite and PostgreSQL: a notice is queued once per key, and says so."""
from __future__ import annotations

from bordergate.domain.notices import Notice, NoticeKind
from tests.conftest import NOW


def test_queueing_a_notice_says_it_was_queued_and_a_second_with_its_key_is_not(gate):
    notice = Notice("PA-26-0000001:received", NoticeKind.REPORT_RECEIVED, "PA-26-0000001", "+84912345678", "vi",
                    "bordergate: received")
    with gate.uow() as uow:
        first = uow.notices.enqueue("n-1", notice, NOW)
        again = uow.notices.enqueue("n-2", notice, NOW)
        uow.commit()
    assert (first, again) == (True, False)
