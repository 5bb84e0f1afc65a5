"""What the phone's pages ask: the categories to choose from (with their questions), a citizen's own reports."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bordergate.domain.accounts import Principal
from bordergate.domain.report_rules import Category
from bordergate.domain.working_days import VIETNAM
from bordergate.services.civic_data import FiledUnder, categories_in_force
from bordergate.services.unit_of_work import UnitOfWork


def _name(kind: Category, locale: str) -> str:
    return {"vi": kind.name_vi, "en": kind.name_en, "zh": kind.name_zh}.get(locale, kind.name_vi)


def categories(uow: UnitOfWork, at: datetime, locale: str) -> list[dict[str, Any]]:
    """Every category in force on ``at``'s day (published civic data) in the table's order, urgent ones first (a
    landslide is not to be looked for at the end)."""
    with uow:
        _, in_force = categories_in_force(uow, at.astimezone(VIETNAM).date())
    kinds = sorted(in_force.values(), key=lambda k: not k.urgent)
    return [{"code": k.code, "name": _name(k, locale), "urgent": k.urgent, "tip": k.never_public,
             "questions": [{"code": a.code, "datatype": a.datatype, "description": a.description,
                            "required": a.required, "values": list(a.values)} for a in k.attributes]}
            for k in kinds]


def my_reports(uow: UnitOfWork, citizen: Principal, locale: str) -> list[dict[str, Any]]:
    """The signed-in citizen's reports, newest first, each named as the categories it was filed under say."""
    with uow:
        mine = uow.reports.by_reporter(citizen.user_id)
        filed_under = FiledUnder(uow)
    return [{"code": r.tracking_code, "category": _name(filed_under(r.category_code, r.category_version), locale),
             "state": r.state.label(locale), "filed_at": r.filed_at.isoformat()}
            for r in sorted(mine, key=lambda r: r.filed_at, reverse=True)]
