"""The questionnaires in SQL: one row per report, answered by a conditional UPDATE so it counts once."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, exists, insert, select, update

from bordergate.adapters.sql.questionnaire_tables import report_questionnaires as q
from bordergate.adapters.sql.report_tables import reports
from bordergate.domain.questionnaires import Questionnaire
from bordergate.domain.report_states import ANSWERS, ReportState


class SqlQuestionnaires:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def due(self, answered_before: datetime, limit: int) -> list[str]:
        r = reports.c
        query = (select(r.tracking_code)
                 .where(r.state.in_((ReportState.ANSWERED.value, ReportState.CLOSED.value)),
                        r.answered_at <= answered_before, r.resolution.in_([a.value for a in ANSWERS]),
                        r.hidden.is_(False), r.reporter_user_id.isnot(None) | r.contact_phone.isnot(None),
                        ~exists().where(q.c.tracking_code == r.tracking_code))
                 .order_by(r.answered_at, r.tracking_code).limit(limit))
        return list(self.connection.execute(query).scalars())

    def add(self, questionnaire: Questionnaire) -> None:
        self.connection.execute(insert(q).values(tracking_code=questionnaire.code,
                                                 token_digest=questionnaire.token_digest,
                                                 sent_at=questionnaire.sent_at))

    def by_token(self, token_digest: str) -> Questionnaire | None:
        row = self.connection.execute(select(q).where(q.c.token_digest == token_digest)).mappings().first()
        return _questionnaire(row) if row else None

    def of_report(self, tracking_code: str) -> Questionnaire | None:
        row = self.connection.execute(select(q).where(q.c.tracking_code == tracking_code)).mappings().first()
        return _questionnaire(row) if row else None

    def answer(self, questionnaire: Questionnaire) -> bool:
        result = self.connection.execute(
            update(q).where(q.c.tracking_code == questionnaire.code, q.c.answered_at.is_(None))
            .values(answered_at=questionnaire.answered_at, fixed=questionnaire.fixed, comment=questionnaire.comment))
        return result.rowcount == 1


def _questionnaire(row: Any) -> Questionnaire:
    return Questionnaire(row["tracking_code"], row["token_digest"], row["sent_at"], row["answered_at"], row["fixed"],
                         row["comment"])
