"""Filing's records keep one contract on the twin, SQLite and PostgreSQL: counters, standings, filings, photos."""
from __future__ import annotations

from datetime import timedelta

from bordergate.domain.report_limits import Counter, Standing
from bordergate.services.filing_repositories import StoredPhoto
from tests.integration.test_report_repository_contract import FILED, a_report, reports  # noqa: F401 (fixture)

HOUR = timedelta(hours=1)


def test_a_counter_counts_to_its_limit_and_starts_again_at_one_in_the_next_span(reports):
    now = Counter("account:u1", "hour", FILED, FILED + HOUR, 2)
    with reports() as uow:
        assert [uow.filing.take(now) for _ in range(3)] == [True, True, False]
        assert uow.filing.take(Counter("account:u1", "day", FILED, FILED + 24 * HOUR, 2))  # another span
        later = Counter("account:u1", "hour", FILED + HOUR, FILED + 2 * HOUR, 2)
        assert [uow.filing.take(later) for _ in range(3)] == [True, True, False]
        uow.commit()
    with reports() as uow:
        assert not uow.filing.take(later)  # kept


def test_a_standing_is_kept_and_replaced_and_a_filing_is_remembered_by_reporter_and_text(reports):
    with reports() as uow:
        assert uow.filing.standing("address:ab") is None
        uow.filing.save_standing(Standing("address:ab", 1, 50, FILED + 30 * 24 * HOUR))
        uow.filing.save_standing(Standing("address:ab", 2, 25, FILED + 31 * 24 * HOUR))
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        uow.filing.remember("PA-26-AAAAAAA", "address:ab", "d" * 64, FILED)
        uow.commit()
    with reports() as uow:
        assert uow.filing.standing("address:ab") == Standing("address:ab", 2, 25, FILED + 31 * 24 * HOUR)
        assert uow.filing.same_filing("address:ab", "d" * 64, FILED - HOUR) == "PA-26-AAAAAAA"
        assert uow.filing.same_filing("address:ab", "d" * 64, FILED + HOUR) is None
        assert uow.filing.same_filing("address:cd", "d" * 64, FILED - HOUR) is None
        assert (uow.filing.reporter_of("PA-26-AAAAAAA"), uow.filing.reporter_of("PA-26-ZZZZZZZ")) == ("address:ab", None)


def test_a_reports_photos_come_back_in_the_order_they_were_added(reports):
    photos = [StoredPhoto("PA-26-AAAAAAA", seq, f"{seq}" * 64, 640, 480, 51_200, f"{seq}.jpg", f"{seq}.thumb.jpg",
                          "unit_only", FILED) for seq in (2, 1)]
    with reports() as uow:
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        for photo in photos:
            uow.report_photos.add(photo)
        uow.commit()
    with reports() as uow:
        assert uow.report_photos.of("PA-26-AAAAAAA") == photos[::-1] and uow.report_photos.of("PA-26-ZZZZZZZ") == []
