"""The questionnaires' in-memory twin: one per report, answered once."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bordergate.adapters.memory.tables import Tables
from bordergate.domain.errors import Conflict
from bordergate.domain.questionnaires import Questionnaire
from bordergate.domain.report_states import ANSWERS, ReportState


class InMemoryQuestionnaires:
    def __init__(self, tables: Tables) -> None:
        self.tables = tables

    def due(self, answered_before: datetime, limit: int) -> list[str]:
        found = [r for r in self.tables.reports.values()
                 if r.state in (ReportState.ANSWERED, ReportState.CLOSED) and r.answered_at is not None
                 and r.answered_at <= answered_before and r.resolution in ANSWERS and not r.hidden
                 and (r.reporter_user_id is not None or r.contact_phone is not None)
                 and r.tracking_code not in self.tables.report_questionnaires]
        found.sort(key=lambda r: (r.answered_at, r.tracking_code))
        return [r.tracking_code for r in found[:limit]]

    def add(self, questionnaire: Questionnaire) -> None:
        if questionnaire.code in self.tables.report_questionnaires:
            raise Conflict(f"report {questionnaire.code} has its questionnaire already")
        self.tables.report_questionnaires[questionnaire.code] = questionnaire

    def by_token(self, token_digest: str) -> Questionnaire | None:
        return next((kept for kept in self.tables.report_questionnaires.values()
                     if kept.token_digest == token_digest), None)

    def of_report(self, tracking_code: str) -> Questionnaire | None:
        return self.tables.report_questionnaires.get(tracking_code)

    def answer(self, questionnaire: Questionnaire) -> bool:
        kept = self.tables.report_questionnaires.get(questionnaire.code)
        if kept is None or kept.answered_at is not None:
            return False
        self.tables.report_questionnaires[questionnaire.code] = replace(kept, answered_at=questionnaire.answered_at,
                                                                        fixed=questionnaire.fixed,
                                                                        comment=questionnaire.comment)
        return True
