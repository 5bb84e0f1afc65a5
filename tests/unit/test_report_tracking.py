"""The report page's rules on the in-memory twin: what each reader may do on it, a citizen's own reports, and the
questionnaire weeks after the answer."""
from __future__ import annotations

import pytest

from bordergate.bootstrap import report_rules
from bordergate.domain import report_commands as rc
from bordergate.domain.errors import Conflict, Invalid, NotFound
from bordergate.services import report_tracking
from bordergate.adapters.memory.tables import Tables
from tests.unit.test_report_handlers import ADMIN, ANSWER, CITIZEN, OTHER_CITIZEN, a_desk


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


def questionnaire_links(desk) -> list[str]:
    return [n["text"].rsplit(" ", 1)[-1] for n in desk.tables.notices if n["kind"] == "questionnaire"]


def test_questionnaire_is_sent_once_28_days_after_the_answer_and_never_for_spam_or_a_withdrawn_report(desk):
    officer = desk.officer("UBND_X")
    answered, withdrawn, spam = (desk.file().tracking_code for _ in range(3))
    desk.handle(rc.AcceptReport(officer, answered))
    desk.handle(rc.AnswerReport(officer, answered, ANSWER, "fixed"))
    desk.handle(rc.WithdrawReport(CITIZEN, code=withdrawn))
    desk.handle(rc.MarkSpam(officer, spam, "The same text sent twenty times"))
    desk.clock.advance(days=27, hours=23)
    assert desk.handle(rc.SendQuestionnaires(ADMIN)) == 0 and questionnaire_links(desk) == []
    desk.clock.advance(hours=1)
    assert desk.handle(rc.SendQuestionnaires(ADMIN)) == 1
    assert desk.handle(rc.SendQuestionnaires(ADMIN)) == 0  # once
    [link] = questionnaire_links(desk)
    assert link.startswith(f"http://gate.test/r/{answered}/questionnaire?t=")
    assert [desk.audited(code).count("QuestionnaireSent") for code in (answered, withdrawn, spam)] == [1, 0, 0]


def test_the_questionnaires_answer_by_its_one_time_link_is_kept_once(desk):
    officer = desk.officer("UBND_X")
    code = desk.file().tracking_code
    desk.handle(rc.AcceptReport(officer, code))
    desk.handle(rc.AnswerReport(officer, code, ANSWER, "explained"))
    desk.clock.advance(days=28)
    desk.handle(rc.SendQuestionnaires(ADMIN))
    token = questionnaire_links(desk)[0].split("?t=")[1]
    with pytest.raises(NotFound):
        desk.handle(rc.AnswerQuestionnaire(None, "a-guess", code=code, fixed="yes"))
    with pytest.raises(Invalid):
        desk.handle(rc.AnswerQuestionnaire(None, token, code=code, fixed="maybe"))
    desk.handle(rc.AnswerQuestionnaire(None, token, code=code, fixed="no", comment="Still a hole there"))
    with pytest.raises(Conflict):
        desk.handle(rc.AnswerQuestionnaire(None, token, code=code, fixed="yes"))
    assert desk.audited(code).count("QuestionnaireAnswered") == 1
    kept = desk.tables.report_questionnaires[code]
    assert (kept.fixed, kept.comment) == ("no", "Still a hole there")


@pytest.mark.parametrize("locale", ["vi", "zh"])
def test_the_sentences_the_report_page_says_from_its_code_are_translated(locale):
    from bordergate.entrypoints.web import report_page
    from bordergate.entrypoints.web.i18n import gettext_for

    said = gettext_for(locale)
    sentences = [*report_page.FIELD_REFUSALS.values(), *report_page.STEP_REFUSALS.values(), "You filed this report.",
                 "You follow this report.", "Your unit handles this report."]
    assert [s for s in sentences if said(s) == s] == []
