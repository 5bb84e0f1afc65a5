"""The questionnaire weeks after an answer: whose reporter is asked, once, whether it was really fixed."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bordergate.domain.errors import Conflict, FieldProblem, Invalid
from bordergate.domain.report_states import ANSWERS, ReportState
from bordergate.domain.reports import Report, ReportRules

FIXED = ("yes", "no", "unsure")
COMMENT_MAX = 500


@dataclass(frozen=True)
class Questionnaire:
    """One report's questionnaire: sent once with a one-time link (only its token's digest kept), answered once."""

    code: str
    token_digest: str
    sent_at: datetime
    answered_at: datetime | None = None
    fixed: str | None = None
    comment: str | None = None

    def answered(self, fixed: str, comment: str, at: datetime) -> Questionnaire:
        """The reporter's answer; a second one is refused (the statistics count each report once)."""
        if self.answered_at is not None:
            raise Conflict(f"the questionnaire about report {self.code} was answered already; thank you")
        fixed, comment = read_answer(fixed, comment)
        return replace(self, answered_at=at, fixed=fixed, comment=comment)


def questionnaire_due(report: Report, at: datetime, rules: ReportRules) -> bool:
    """Whether the report's reporter is asked now: its answer (fixed, explained, unable to fix; FixMyStreet skips
    closed-as-abusive ones too) is ``questionnaire_days`` old and was not reopened since, the public may read it,
    and the reporter can be reached (an account, or a phone given). Never spam, duplicates or withdrawn."""
    return (report.state in (ReportState.ANSWERED, ReportState.CLOSED) and report.answered_at is not None
            and report.resolution in ANSWERS and not report.hidden
            and (report.reporter_user_id is not None or report.contact_phone is not None)
            and at >= report.answered_at + timedelta(days=rules.questionnaire_days))


def read_answer(fixed: str, comment: str) -> tuple[str, str]:
    problems = []
    if fixed not in FIXED:
        problems.append(FieldProblem("fixed", "say yes, no or unsure"))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        problems.append(FieldProblem("comment", f"is {len(comment)} characters; at most {COMMENT_MAX}"))
    if problems:
        raise Invalid(problems)
    return fixed, comment
