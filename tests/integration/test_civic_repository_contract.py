"""Civic documents and the units' profiles keep one contract: the in-memory twin, SQLite and PostgreSQL alike."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from bordergate.domain.accounts import Organisation, OrganisationKind
from bordergate.domain.civic_documents import CivicDocument
from bordergate.domain.errors import Conflict, NotFound
from bordergate.domain.units import PROVINCE_UNITS, UnitKind, UnitProfile
from tests.conftest import NOW
from tests.integration.test_report_repository_contract import a_report

AT = datetime(2026, 12, 8, 1, 2, 3, tzinfo=timezone.utc)
CALENDAR = {"year": 2027, "source": "Bộ luật Lao động 2019, Điều 112", "holidays": [
    {"day": "2027-02-05", "vi": "Nghỉ Tết Nguyên đán", "en": "Tết", "zh": "春节"}], "confirmed": False}


def test_a_published_version_is_read_back_as_it_was_and_a_version_is_published_once(units):
    first = CivicDocument("calendar", 2, date(2026, 12, 8), CALENDAR, AT, "admin-1")
    with units() as uow:
        assert (uow.civic.latest_version("calendar"), uow.civic.all("calendar")) == (0, [])
        uow.civic.add(first)
        uow.civic.add(replace(first, version=3, document={**CALENDAR, "confirmed": True}))
        uow.civic.add(replace(first, kind="routing", version=2, document={"rules": []}))
        uow.commit()
    with units() as uow:
        kept = uow.civic.all("calendar")
        assert kept[0] == first and [d.version for d in kept] == [2, 3]
        assert kept[0].digest == first.digest and kept[1].document["confirmed"] is True
        assert (uow.civic.latest_version("calendar"), uow.civic.latest_version("routing")) == (3, 2)
        assert uow.civic.in_force("calendar", date(2026, 12, 8)) == kept[1]
        assert uow.civic.in_force("calendar", date(2026, 12, 7)) is None
        with pytest.raises(Conflict):
            uow.civic.add(replace(first, version=3))


def test_a_unit_is_named_in_three_languages_with_its_kind_and_commune(units):
    committee = UnitProfile(UnitKind.COMMUNE, "UBND xã Đồng Đăng", "Dong Dang Commune People's Committee",
                            "同登社人民委员会", "DONG_DANG")
    with units() as uow:
        uow.accounts.add_organisation(Organisation("org-u", "UBND", OrganisationKind.UNIT), NOW)
        uow.units.add("UBND_DONG_DANG", "org-u", False)
        uow.units.add("TT_PVHCC", "org-u", True)
        uow.units.describe("UBND_DONG_DANG", committee)
        with pytest.raises(NotFound):
            uow.units.describe("NOPE", committee)
        uow.commit()
    with units() as uow:
        assert uow.units.profiles() == {"UBND_DONG_DANG": committee}
        uow.units.describe("TT_PVHCC", PROVINCE_UNITS["TT_PVHCC"][0])
        assert list(uow.units.profiles()) == ["TT_PVHCC", "UBND_DONG_DANG"]


def test_a_report_keeps_the_versions_it_was_filed_under(units):
    with units() as uow:
        uow.accounts.add_organisation(Organisation("org-x", "UBND xã X", OrganisationKind.UNIT), NOW)
        uow.units.add("UBND_X", "org-x", False)
        report = a_report("PA-26-CIVIC01")
        report.category_version, report.routing_version = 3, 4
        uow.reports.add(report)
        uow.commit()
    with units() as uow:
        kept = uow.reports.get("PA-26-CIVIC01")
        assert kept is not None and (kept.category_version, kept.routing_version) == (3, 4)
