"""Weeks after an answer its reporter is asked once, by SMS, whether it was really fixed; the answer is kept."""
from __future__ import annotations

from datetime import timedelta

from bordergate.domain import access, report_commands as rc
from bordergate.domain.errors import NotFound
from bordergate.domain.notices import NoticeKind
from bordergate.domain.questionnaires import Questionnaire, questionnaire_due
from bordergate.domain.report_events import QuestionnaireAnswered, QuestionnaireSent
from bordergate.domain.reports import ReportRules
from bordergate.services.ports import Clock, Identifiers
from bordergate.services.report_notices import reporters_phone, tell_reporter
from bordergate.services.reporting import secret_digest
from bordergate.services.unit_of_work import UnitOfWork

BATCH = 200  # a turn asks at most this many; the next turn takes the rest
NOT_FOUND = "this questionnaire link is not valid; open the link in the SMS you were sent"


def link(public_url: str, code: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/r/{code}/questionnaire?t={token}"


def send_questionnaires(cmd: rc.SendQuestionnaires, uow: UnitOfWork, clock: Clock, ids: Identifiers,
                        report_rules: ReportRules, public_url: str) -> int:
    """The timer's turn: each report answered ``questionnaire_days`` ago gets one SMS with a one-time link (only
    its digest kept); how many were sent."""
    access.require(cmd.actor, access.ADMINISTER)
    now = clock.now()
    sent = 0
    with uow:
        for code in uow.questionnaires.due(now - timedelta(days=report_rules.questionnaire_days), BATCH):
            report = uow.reports.get(code)
            if report is None or not questionnaire_due(report, now, report_rules):
                continue
            token = ids.new_secret()
            uow.questionnaires.add(Questionnaire(code, secret_digest(token), now))
            # The link goes in the outbox's text only: NoticeSent and the trail never carry it. A reporter who
            # cannot be told any more is not asked again at every turn: the row says it was tried.
            # Whether there is a phone to tell, asked first: the outbox's enqueue does not say reliably on
            # PostgreSQL (its rowcount after ON CONFLICT DO NOTHING), and the key is new here anyway.
            told = reporters_phone(uow, report) is not None
            tell_reporter(uow, ids, now, code, NoticeKind.QUESTIONNAIRE, "questionnaire",
                          link=link(public_url, code, token))
            assert report.answered_at is not None  # questionnaire_due says so
            uow.record(QuestionnaireSent("system", now, code, report.answered_at, told))
            sent += told
        uow.commit()
    return sent


def answer_questionnaire(cmd: rc.AnswerQuestionnaire, uow: UnitOfWork, clock: Clock) -> None:
    """The reporter's answer, by the SMS's one-time link: kept once, for the statistics."""
    if cmd.actor is not None:
        access.require(cmd.actor, access.FILE_REPORTS)
    now = clock.now()
    with uow:
        kept = uow.questionnaires.by_token(secret_digest(cmd.secret or ""))
        if kept is None or kept.code != cmd.code:
            raise NotFound(NOT_FOUND)
        answer = kept.answered(cmd.fixed, cmd.comment, now)
        if uow.questionnaires.answer(answer):
            assert answer.fixed is not None and answer.comment is not None
            uow.record(QuestionnaireAnswered("reporter", now, cmd.code, answer.fixed, answer.comment))
        uow.commit()


def questionnaire_open(uow: UnitOfWork, code: str, token: str) -> Questionnaire:
    """The questionnaire a link opens (answered or not), else NotFound in the same words for any wrong link."""
    with uow:
        kept = uow.questionnaires.by_token(secret_digest(token))
    if kept is None or kept.code != code:
        raise NotFound(NOT_FOUND)
    return kept
