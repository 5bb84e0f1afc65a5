"""The report page's rules on the in-memory twin: what each reader may do on it, and a citizen's own reports."""
from __future__ import annotations

import pytest

from bordergate.bootstrap import report_rules
from bordergate.domain import report_commands as rc
from bordergate.domain.errors import NotFound
from bordergate.services import report_tracking
from bordergate.adapters.memory.tables import Tables
from tests.unit.test_report_handlers import ANSWER, CITIZEN, OTHER_CITIZEN, a_desk


@pytest.fixture
def desk():
    return a_desk(Tables())


def page(desk, code, viewer=None, secret=None):
    gate = desk.gate
    return report_tracking.tracking_page(gate.reader(), code, viewer=viewer, secret=secret, locale="en",
                                         now=gate.clock.now(), rules=report_rules(gate.settings))


def test_the_reporter_adds_or_withdraws_until_answered_then_rates_once_and_reopens_only_within_the_window(desk):
    code = desk.file().tracking_code
    assert page(desk, code, CITIZEN)["actions"] == ["add_information", "withdraw"]
    officer = desk.officer("UBND_X")
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "fixed"))
    answered = page(desk, code, CITIZEN)
    assert answered["actions"] == ["add_information", "rate", "reopen"] and answered["reopen_hours_left"] == 168
    desk.handle(rc.RateAnswer(CITIZEN, code=code, stars=5))
    desk.clock.advance(days=7, minutes=1)
    assert page(desk, code, CITIZEN)["actions"] == ["add_information"]  # rated once; the window has passed
    assert page(desk, code)["actions"] == [] and page(desk, code)["reader"] == "public"


def test_an_anonymous_reporter_acts_by_the_secret_link_alone(desk):
    filed = desk.file(actor=None)
    assert page(desk, filed.tracking_code, secret=filed.secret)["reader"] == "reporter"
    assert page(desk, filed.tracking_code, secret="a-guess")["reader"] == "public"
    assert report_tracking.holds_report(desk.gate.reader(), filed.tracking_code, None, filed.secret)
    assert not report_tracking.holds_report(desk.gate.reader(), filed.tracking_code, CITIZEN, None)


def test_a_citizen_follows_an_open_public_report_never_a_tip_and_finds_both_lists_in_my_reports(desk):
    code = desk.file().tracking_code
    assert page(desk, code, OTHER_CITIZEN)["actions"] == ["follow"]
    desk.handle(rc.FollowReport(OTHER_CITIZEN, code))
    followed = page(desk, code, OTHER_CITIZEN)
    assert (followed["reader"], followed["actions"], followed["followers"]) == ("follower", ["unfollow"], 1)
    mine = report_tracking.my_reports(desk.gate.reader(), OTHER_CITIZEN, "en")
    assert ([r["code"] for r in mine["filed"]], [r["code"] for r in mine["followed"]]) == ([], [code])
    assert [r["code"] for r in report_tracking.my_reports(desk.gate.reader(), CITIZEN, "en")["filed"]] == [code]
    tip = desk.file(category="security_tip").tracking_code
    with pytest.raises(NotFound):
        page(desk, tip, OTHER_CITIZEN)
    assert page(desk, tip, CITIZEN)["actions"] == ["add_information", "withdraw"]
