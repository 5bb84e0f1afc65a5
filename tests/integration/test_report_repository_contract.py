"""The citizen reports' repositories keep one contract: the in-memory twin, SQLite and PostgreSQL alike."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bordergate.domain.accounts import Organisation, OrganisationKind, Role, User
from bordergate.domain.errors import ChangedMeanwhile, Conflict
from bordergate.domain.report_rules import CATEGORIES
from bordergate.domain.report_states import Party, ReportState, Resolution
from bordergate.domain.reports import Place, Report, ReportRules
from bordergate.domain.working_days import CALENDARS, VIETNAM
from tests.conftest import NOW

FILED = datetime(2026, 12, 7, 9, tzinfo=VIETNAM)
UNIT, OTHER, ORG = "UBND_X", "TT_PVHCC", "unit-org-1"


def a_report(code: str, at: datetime = FILED, unit: str = UNIT) -> Report:
    report = Report.file(id=f"id-{code}", tracking_code=code, category_code="environment", urgent=False,
                         never_public=False, place=Place(21.853, 106.761, 12.5, "Km 12", "X", "gps"),
                         description="Burning rubbish by the river", attributes={"kind": ["smoke", "smell"]},
                         reporter_user_id=None, secret_digest="ab" * 32, contact_phone="+84912345678",
                         source="web", at=at, actor="anonymous", unit_code=unit, rule_index=4,
                         answer_working_days=CATEGORIES["environment"].answer_working_days, calendars=CALENDARS,
                         rules=ReportRules())
    report.events.clear()
    return report


@pytest.fixture
def reports(units):
    with units() as uow:
        uow.accounts.add_organisation(Organisation(ORG, "UBND xã X", OrganisationKind.UNIT), NOW)
        uow.units.add(UNIT, ORG, False)
        uow.units.add(OTHER, ORG, True)
        uow.commit()
    return units


def test_a_unit_knows_its_organisation_and_one_unit_coordinates(reports):
    with reports() as uow:
        assert (uow.units.organisation_of(UNIT), uow.units.organisation_of("NOPE")) == (ORG, None)
        assert uow.units.coordinating() == OTHER
        with pytest.raises(Conflict):
            uow.units.add(UNIT, ORG, False)


def test_a_report_added_is_found_as_it_was_and_a_missing_one_is_none(reports):
    added = a_report("PA-26-AAAAAAA")
    with reports() as uow:
        uow.reports.add(added)
        uow.commit()
    with reports() as uow:
        found = uow.reports.get("PA-26-AAAAAAA")
        assert found == added and found is not added and found in uow.reports.seen
        assert uow.reports.get("PA-26-ZZZZZZZ") is None


def test_a_taken_tracking_code_is_refused(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        with pytest.raises(Conflict):
            uow.reports.add(a_report("PA-26-AAAAAAA"))


def test_a_report_changes_only_when_saved_and_never_over_a_newer_version(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        uow.commit()
    with reports() as uow:
        report = uow.reports.get("PA-26-AAAAAAA")
        report.accept(by=Party.OFFICER, actor="o", at=FILED)
        report.answer("We cleared the rubbish and warned the owner.", Resolution.FIXED, by=Party.OFFICER,
                      actor="o", at=FILED + timedelta(hours=3), calendars=CALENDARS)
        assert uow.reports.get("PA-26-AAAAAAA").state is ReportState.RECEIVED
        uow.reports.save(report, 1)
        uow.commit()
    with reports() as uow:
        found = uow.reports.get("PA-26-AAAAAAA")
        assert found == report and found.version == 3
        stale = uow.reports.get("PA-26-AAAAAAA")
        stale.rate(5, "", by=Party.REPORTER, actor="c", at=FILED + timedelta(hours=4))
        with pytest.raises(ChangedMeanwhile):
            uow.reports.save(stale, 1)


def test_a_units_reports_come_by_state_soonest_due_first_and_answered_ones_by_when(reports):
    with reports() as uow:
        for n, code in enumerate(["PA-26-BBBBBBB", "PA-26-AAAAAAA", "PA-26-CCCCCCC"]):
            uow.reports.add(a_report(code, FILED + timedelta(days=2 - n), unit=OTHER if n == 2 else UNIT))
        uow.commit()
    with reports() as uow:
        assert [x.tracking_code for x in uow.reports.of_unit(UNIT, ("received",))] == ["PA-26-AAAAAAA",
                                                                                      "PA-26-BBBBBBB"]
        assert uow.reports.of_unit(UNIT, ("answered",)) == [] and uow.reports.by_reporter("nobody") == []
        report = uow.reports.get("PA-26-AAAAAAA")
        report.accept(by=Party.OFFICER, actor="o", at=FILED)
        report.answer("We cleared the rubbish and warned the owner.", Resolution.FIXED, by=Party.OFFICER,
                      actor="o", at=FILED, calendars=CALENDARS)
        uow.reports.save(report, 1)
        uow.commit()
    with reports() as uow:
        assert [x.tracking_code for x in uow.reports.answered_before(FILED + timedelta(seconds=1))] == [
            "PA-26-AAAAAAA"]
        assert uow.reports.answered_before(FILED) == []


def test_reports_a_unit_must_act_on_come_soonest_due_first_with_their_flags_kept(reports):
    with reports() as uow:
        for n, code in enumerate(["PA-26-BBBBBBB", "PA-26-AAAAAAA", "PA-26-CCCCCCC"]):
            uow.reports.add(a_report(code, FILED + timedelta(days=2 - n)))
        uow.commit()
    with reports() as uow:
        report = uow.reports.get("PA-26-CCCCCCC")
        report.withdraw(by=Party.REPORTER, actor="c", at=FILED)
        uow.reports.save(report, 1)
        uow.commit()
    with reports() as uow:
        found = uow.reports.open_at_units(10)
        assert [x.tracking_code for x in found] == ["PA-26-AAAAAAA", "PA-26-BBBBBBB"]
        assert all(x in uow.reports.seen for x in found) and len(uow.reports.open_at_units(1)) == 1
        found[0].watch_clock(at=FILED + timedelta(days=9), calendars=CALENDARS, rules=ReportRules())
        uow.reports.save(found[0], 1)
        uow.commit()
    with reports() as uow:
        assert uow.reports.get("PA-26-AAAAAAA").assignment.overdue_stage == "accept"


def test_followers_are_kept_once_each_in_the_order_they_began(reports):
    with reports() as uow:
        uow.accounts.add_user(User("u-1", "+84912000001", "One", Role.CITIZEN, None, "!"), NOW)
        uow.accounts.add_user(User("u-2", "+84912000002", "Two", Role.CITIZEN, None, "!"), NOW)
        uow.reports.add(a_report("PA-26-AAAAAAA"))
        assert uow.reports.follow("PA-26-AAAAAAA", "u-2", NOW)
        assert uow.reports.follow("PA-26-AAAAAAA", "u-1", NOW + timedelta(minutes=1))
        assert not uow.reports.follow("PA-26-AAAAAAA", "u-2", NOW + timedelta(minutes=2))
        uow.commit()
    with reports() as uow:
        assert uow.reports.followers("PA-26-AAAAAAA") == ["u-2", "u-1"]
        assert uow.reports.unfollow("PA-26-AAAAAAA", "u-2") and not uow.reports.unfollow("PA-26-AAAAAAA", "u-2")
        uow.commit()
    with reports() as uow:
        assert uow.reports.followers("PA-26-AAAAAAA") == ["u-1"] and uow.reports.followers("PA-26-ZZZZZZZ") == []


def test_reports_near_a_place_are_of_the_category_inside_the_box_and_recent(reports):
    with reports() as uow:
        uow.reports.add(a_report("PA-26-AAAAAAA"))  # 21.853, 106.761, environment
        uow.reports.add(a_report("PA-26-BBBBBBB", FILED - timedelta(days=20)))
        uow.commit()
    box = (21.85, 21.86, 106.75, 106.77)
    with reports() as uow:
        assert [x.tracking_code for x in uow.reports.near("environment", box, FILED - timedelta(days=14))] == [
            "PA-26-AAAAAAA"]
        assert uow.reports.near("traffic", box, FILED - timedelta(days=30)) == []
        assert uow.reports.near("environment", (21.86, 21.87, 106.75, 106.77), FILED - timedelta(days=30)) == []


def test_a_citizen_follows_reports_and_finds_them_latest_first(reports):
    with reports() as uow:
        uow.accounts.add_user(User("u-1", "+84912000001", "One", Role.CITIZEN, None, "!"), NOW)
        for code in ("PA-26-AAAAAAA", "PA-26-BBBBBBB", "PA-26-CCCCCCC"):
            uow.reports.add(a_report(code))
        uow.reports.follow("PA-26-BBBBBBB", "u-1", NOW)
        uow.reports.follow("PA-26-AAAAAAA", "u-1", NOW + timedelta(minutes=1))
        uow.commit()
    with reports() as uow:
        assert uow.reports.followed_by("u-1") == ["PA-26-AAAAAAA", "PA-26-BBBBBBB"]
        assert uow.reports.followed_by("u-2") == []


def test_a_questionnaire_is_due_once_for_an_answered_report_and_its_answer_is_kept_once(reports):
    from bordergate.domain.questionnaires import Questionnaire

    answered, waiting = a_report("PA-26-AAAAAAA"), a_report("PA-26-BBBBBBB")
    answered.accept(by=Party.OFFICER, actor="officer", at=FILED)
    answered.answer("We cleared the rubbish and fined the burner.", Resolution.FIXED, by=Party.OFFICER,
                    actor="officer", at=FILED + timedelta(hours=2), calendars=CALENDARS)
    with reports() as uow:
        uow.reports.add(answered)
        uow.reports.add(waiting)
        uow.commit()
    later = FILED + timedelta(days=28, hours=2)
    with reports() as uow:
        answered_at = FILED + timedelta(hours=2)  # the service asks for those answered by 28 days ago
        assert uow.questionnaires.due(answered_at - timedelta(seconds=1), 10) == []
        assert uow.questionnaires.due(answered_at, 10) == ["PA-26-AAAAAAA"]
        uow.questionnaires.add(Questionnaire("PA-26-AAAAAAA", "cd" * 32, later))
        uow.commit()
    with reports() as uow:
        assert uow.questionnaires.due(later, 10) == []
        kept = uow.questionnaires.by_token("cd" * 32)
        assert kept == uow.questionnaires.of_report("PA-26-AAAAAAA") and kept.sent_at == later
        assert uow.questionnaires.by_token("ef" * 32) is None
        assert uow.questionnaires.answer(kept.answered("no", "Burning again", later))
        assert not uow.questionnaires.answer(kept.answered("yes", "", later))
        uow.commit()
    with reports() as uow:
        assert (uow.questionnaires.of_report("PA-26-AAAAAAA").fixed,
                uow.questionnaires.of_report("PA-26-AAAAAAA").comment) == ("no", "Burning again")
