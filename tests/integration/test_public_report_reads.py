"""The public's reads of reports keep one contract on the twin, SQLite and PostgreSQL: the list never holds a tip
or a hidden report, pages by keyset newest first, and the statistics get every report of the period."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bordergate.domain.accounts import Organisation, OrganisationKind
from bordergate.domain.report_events import ReportRated
from bordergate.domain.reports import Place
from bordergate.services.public_report_repositories import PublicFilter, Rating
from tests.conftest import NOW
from tests.integration.test_report_repository_contract import FILED, ORG, UNIT, a_report

POLICE = "CA_TINH"


@pytest.fixture
def stored(units):
    """Five public reports an hour apart (communes X and Y), a tip and a hidden report, one rating."""
    with units() as uow:
        uow.accounts.add_organisation(Organisation(ORG, "UBND xã X", OrganisationKind.UNIT), NOW)
        uow.units.add(UNIT, ORG, False)
        uow.units.add(POLICE, ORG, False)
        for n in range(5):
            report = a_report(f"PA-26-PUB000{n}", FILED + timedelta(hours=n))
            if n % 2:
                report.place = Place(21.85, 106.76, None, None, "Y", "gps")
            uow.reports.add(report)
        tip = replace(a_report("PA-26-TIP0000", FILED + timedelta(hours=9), unit=POLICE),
                      category_code="security_tip", never_public=True)
        hidden = replace(a_report("PA-26-HID0000", FILED + timedelta(hours=8)), hidden=True)
        uow.reports.add(tip)
        uow.reports.add(hidden)
        uow.audit.append([ReportRated("citizen-1", FILED + timedelta(days=1), "PA-26-PUB0001", 4, "quick")])
        uow.commit()
    return units


def test_the_public_list_is_newest_first_without_tips_or_hidden_reports_and_goes_on_by_keyset(stored):
    with stored() as uow:
        first = uow.public_reports.page(PublicFilter(), None, 3)
        rest = uow.public_reports.page(PublicFilter(), (first[-1].filed_at, first[-1].tracking_code), 10)
    assert [r.tracking_code for r in first + rest] == [f"PA-26-PUB000{n}" for n in (4, 3, 2, 1, 0)]
    assert first[0].filed_at == FILED + timedelta(hours=4) and first[0].lat == 21.853


def test_the_public_list_narrows_by_commune_category_and_state(stored):
    with stored() as uow:
        in_y = uow.public_reports.page(PublicFilter(commune="Y"), None, 10)
        received = uow.public_reports.page(PublicFilter(category="environment", state="received"), None, 10)
        none = uow.public_reports.page(PublicFilter(category="road_damage"), None, 10)
        tips = uow.public_reports.page(PublicFilter(category="security_tip"), None, 10)
        assert uow.public_reports.communes() == ["X", "Y"]
    assert [r.tracking_code for r in in_y] == ["PA-26-PUB0003", "PA-26-PUB0001"]
    assert len(received) == 5 and none == [] and tips == []


def test_the_statistics_read_every_report_of_the_period_tips_included_and_the_ratings(stored):
    with stored() as uow:
        records = uow.public_reports.handling(FILED + timedelta(hours=1))
        ratings = uow.public_reports.ratings(FILED)
        later = uow.public_reports.ratings(FILED + timedelta(hours=2))
    assert sorted(r.tracking_code for r in records) == [
        "PA-26-HID0000", "PA-26-PUB0001", "PA-26-PUB0002", "PA-26-PUB0003", "PA-26-PUB0004", "PA-26-TIP0000"]
    tip = next(r for r in records if r.tracking_code == "PA-26-TIP0000")
    assert tip.tip and tip.unit_code == POLICE and tip.answered_at is None
    assert ratings == [Rating("PA-26-PUB0001", 4)] and later == []
