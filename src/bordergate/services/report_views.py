"""A report's page as its reader may see it (the public, its reporter, its unit); likely duplicates nearby."""
from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

from bordergate.domain import access
from bordergate.domain.accounts import Principal
from bordergate.domain.duplicates import bounding_box, likely_duplicates
from bordergate.domain.errors import NotFound
from bordergate.domain.report_history import told
from bordergate.domain.report_rules import Category, category
from bordergate.domain.reports import Report
from bordergate.domain.working_days import VIETNAM
from bordergate.services.civic_data import categories_in_force, category_filed_under
from bordergate.services.reporting import secret_digest
from bordergate.services.unit_of_work import UnitOfWork

PUBLIC_DECIMALS = 4  # about 11 m: the street, not the door (BORDERGATE_PUBLIC_LOCATION_DECIMALS to come)


def reader_of(uow: UnitOfWork, report: Report, viewer: Principal | None, secret: str | None) -> str:
    """Who is reading: ``unit`` (an officer of its unit), ``reporter`` (its account or its secret link), else
    ``public``."""
    if viewer is not None and access.handles_for(viewer, uow.units.organisation_of(report.unit_code)):
        return "unit"
    if viewer is not None and report.reporter_user_id is not None and viewer.user_id == report.reporter_user_id:
        return "reporter"
    if secret and report.secret_digest and hmac.compare_digest(report.secret_digest, secret_digest(secret)):
        return "reporter"
    return "public"


def report_page(uow: UnitOfWork, code: str, *, viewer: Principal | None = None, secret: str | None = None,
                locale: str = "vi") -> dict[str, Any]:
    """What the report page shows: its state, unit and deadline, where (rounded for the public), the answer, and
    every step in a sentence (the public reads the public ones). A tip is for its reporter and unit only."""
    with uow:
        report = uow.reports.get(code)
        if report is None:
            raise NotFound(f"there is no report {code}")
        reader = reader_of(uow, report, viewer, secret)
        if reader == "public" and not report.public:
            raise NotFound(f"there is no report {code}")  # a tip's existence is not told either, nor a hidden one
        entries = uow.audit.history("report", code)
        kind = category_filed_under(uow, report.category_code, report.category_version)
    place = report.place
    digits = None if reader in ("unit", "reporter") else PUBLIC_DECIMALS  # the reporter gave the place
    steps = []
    for entry in entries:
        sentence = told(entry["action"], dict(entry["payload"]), locale, public_only=reader != "unit")
        if sentence is not None:
            steps.append({"at": entry["at"].isoformat(), "action": entry["action"], "sentence": sentence})
    return {
        "code": report.tracking_code, "reader": reader,
        "state": {"code": report.state.value, "label": report.state.label(locale), "colour": report.state.colour},
        "category": {"code": report.category_code, "name": _name(kind, locale)},
        "unit": report.unit_code, "answer_due": report.assignment.answer_due.isoformat(),
        "lat": round(place.lat, digits) if place.lat is not None and digits else place.lat,
        "lon": round(place.lon, digits) if place.lon is not None and digits else place.lon,
        "address": place.address_text, "commune": place.commune_code,
        "description": report.description, "answer": report.answer_text,
        "resolution": report.resolution.label(locale) if report.resolution else None,
        "steps": steps,
    }


def _name(kind: Category, locale: str) -> str:
    return {"vi": kind.name_vi, "en": kind.name_en, "zh": kind.name_zh}.get(locale, kind.name_vi)


def nearby_reports(uow: UnitOfWork, category_code: str, lat: float, lon: float, at: datetime,
                   locale: str = "vi") -> list[dict[str, Any]]:
    """"Is it one of these?": the public reports a new one here may repeat, nearest first, to follow instead."""
    with uow:
        kind = category(category_code, categories_in_force(uow, at.astimezone(VIETNAM).date())[1])
        if kind.duplicate_radius_m is None or kind.duplicate_window_days is None:
            return []
        since = at - timedelta(days=kind.duplicate_window_days)
        candidates = uow.reports.near(kind.code, bounding_box(lat, lon, kind.duplicate_radius_m), since)
    return [{"code": r.tracking_code, "metres": round(d), "state": r.state.label(locale),
             "filed_at": r.filed_at.isoformat(), "description": r.description}
            for r, d in likely_duplicates(kind, lat, lon, at, candidates) if r.public]
