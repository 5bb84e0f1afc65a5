"""What the administration screen asks: organisations and their agents, crossing points with their checkpoints and
cameras, tariff versions and which one is in force."""
from __future__ import annotations

from datetime import date
from typing import Any

from bordergate.domain.access import ADMINISTER, require
from bordergate.domain.accounts import OrganisationKind, Principal
from bordergate.domain.fees import tariff_in_force
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.services import control_views
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled


def organisations(uow: UnitOfWork, principal: Principal, locale: str) -> list[dict[str, Any]]:
    """Every organisation with an account and its people (username, name, role, whether active); a customs agency
    with the enterprises that authorised it (administrators)."""
    require(principal, ADMINISTER)
    with uow:
        found = uow.accounts.list_organisations()
        people = uow.accounts.list_users()
        names = {org.id: org.name for org in found}
        represented = {org.id: uow.accounts.enterprises_represented_by(org.id) for org in found
                       if org.kind is OrganisationKind.CUSTOMS_AGENCY}
    return [{"id": org.id, "name": org.name, "kind": labelled(org.kind, locale), "tax_code": org.tax_code,
             "represents": sorted(({"id": e, "name": names.get(e, e)} for e in represented.get(org.id, ())),
                                  key=lambda e: e["name"]),
             "people": [{"username": u.username, "full_name": u.full_name, "role": labelled(u.role, locale),
                         "active": u.active} for u in people if u.organisation_id == org.id]}
            for org in found]


def crossing_points(uow: UnitOfWork, principal: Principal, locale: str) -> list[dict[str, Any]]:
    """Each crossing point with its checkpoints, and each checkpoint with its cameras (the gate's operators)."""
    checkpoints = control_views.checkpoints(uow, principal, None, locale)
    with uow:
        points = uow.crossing_points.list()
    return [{"code": p.code, "name": p.name, "name_shown": p.name_in(locale), "province": p.province,
             "counterpart": p.counterpart,
             "active": p.active, "checkpoints": [c for c in checkpoints if c["crossing_point"] == p.code]}
            for p in points]


def tariffs(uow: UnitOfWork, today: date) -> list[dict[str, Any]]:
    """Every published tariff version, newest first, marked when it is the one in force today in its jurisdiction."""
    with uow:
        found = uow.fees.tariffs()
    in_force = {t.jurisdiction: tariff_in_force(found, t.jurisdiction, today) for t in found}
    return [{**tariff_to_plain(t), "in_force": in_force[t.jurisdiction] is t,
             "upcoming": t.in_force_from > today}
            for t in sorted(found, key=lambda t: (t.in_force_from, t.version), reverse=True)]
