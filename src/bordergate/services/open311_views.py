"""What Open311 clients read: services, their definitions, and public reports as GeoReport v2 requests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from bordergate.domain.errors import FieldProblem, Invalid, NotFound
from bordergate.domain.open311 import Open311Settings, window
from bordergate.domain.report_rules import Category
from bordergate.domain.report_states import ReportState
from bordergate.domain.reports import Report
from bordergate.services.civic_data import FiledUnder, categories_in_force
from bordergate.services.open311_repositories import ReportQuery
from bordergate.services.report_views import PUBLIC_DECIMALS
from bordergate.services.unit_of_work import UnitOfWork

# Dates are answered in the province's time with its offset, as the spec's W3C format allows.
VIETNAM = timezone(timedelta(hours=7))
PROVINCE = "Lạng Sơn"
# The day the category table in force was published (the civic-data documents will carry it).
CHANGESET = datetime(2026, 12, 1, tzinfo=VIETNAM)
_STATUSES = {"open": tuple(s.value for s in ReportState if s.open311_status == "open"),
             "closed": tuple(s.value for s in ReportState if s.open311_status == "closed")}
_WORDS = {
    "due": {"vi": "Hạn trả lời: {at}", "en": "Answer due by {at}", "zh": "答复期限：{at}"},
    "waiting": {"vi": "Đang chờ người phản ánh bổ sung thông tin.", "en": "Waiting for the reporter to add "
                "information.", "zh": "正在等待反映人补充信息。"},
    "held": {"vi": "Đã nhận; đơn vị xử lý sẽ xem xét trước khi công khai.",
             "en": "Received; the handling unit reviews it before it is public.", "zh": "已收到；处理单位审核后公开。"},
}


def moment(at: datetime | None) -> str | None:
    return at.astimezone(VIETNAM).isoformat(timespec="seconds") if at else None


def name_of(kind: Category, locale: str) -> str:
    return {"vi": kind.name_vi, "en": kind.name_en, "zh": kind.name_zh}.get(locale, kind.name_vi)


def _in_force(uow: UnitOfWork, now: datetime) -> dict[str, Category]:
    """The categories in force today as the civic data publishes them."""
    with uow:
        return categories_in_force(uow, now.astimezone(VIETNAM).date())[1]


def _public_category(categories: dict[str, Category], code: str) -> Category:
    kind = categories.get(code)
    if kind is None or kind.never_public:  # a tip's category is not even named
        raise NotFound(f"service_code {code} was not found; GET services lists them")
    return kind


def discovery(settings: Open311Settings, url: str) -> dict[str, Any]:
    return {"changeset": moment(CHANGESET), "contact": settings.contact,
            "key_service": "An administrator of the province registers clients and gives each its api_key.",
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": url,
                           "changeset": moment(CHANGESET), "type": "production",
                           "formats": ["text/xml", "application/json"]}]}


def services(uow: UnitOfWork, now: datetime, locale: str) -> list[dict[str, Any]]:
    """One service per public category in force today (tips are not listed)."""
    return [{"service_code": kind.code, "service_name": name_of(kind, locale), "description": name_of(kind, locale),
             "metadata": bool(kind.attributes), "type": "realtime", "keywords": kind.group, "group": kind.group}
            for kind in _in_force(uow, now).values() if not kind.never_public]


def service_definition(uow: UnitOfWork, now: datetime, code: str) -> dict[str, Any]:
    kind = _public_category(_in_force(uow, now), code)
    return {"service_code": kind.code, "attributes": [
        {"variable": True, "code": a.code, "datatype": a.datatype, "required": a.required,
         "datatype_description": None, "order": order, "description": a.description,
         "values": [{"key": value, "name": value.replace("_", " ")} for value in a.values]}
        for order, a in enumerate(kind.attributes, start=1)]}


def posted(code: str, token: str, held: bool) -> list[dict[str, Any]]:
    """The answer to a POST: the service_request_id, or (a screened client) the token to ask for it later."""
    if held:
        return [{"token": token}]
    return [{"service_request_id": code, "service_notice": None, "account_id": None}]


def by_token(uow: UnitOfWork, token: str) -> list[dict[str, Any]]:
    """The service_request_id a token became, once the public may see it; 404 before."""
    with uow:
        found = uow.open311.by_token(token)
        report = uow.reports.get(found.code) if found and found.released_at else None
    if found is None or report is None or not report.public:
        raise NotFound(f"token {token} was not found, or its request is not public yet; ask again later")
    return [{"service_request_id": found.code, "token": token}]


def one_request(uow: UnitOfWork, code: str, locale: str) -> list[dict[str, Any]]:
    with uow:
        found = uow.open311.public_reports(ReportQuery(codes=(code,), limit=1))
        filed_under = FiledUnder(uow)
    if not found:
        raise NotFound(f"service_request_id {code} was not found")
    return [request(found[0], locale, filed_under)]


def requests(uow: UnitOfWork, settings: Open311Settings, now: datetime, locale: str, *, ids: str | None = None,
             service_code: str | None = None, start: datetime | None = None, end: datetime | None = None,
             status: str | None = None, page: int = 1, page_size: int | None = None) -> list[dict[str, Any]]:
    """Public reports, newest first: by ids (which overrides every other filter), else by service codes, dates
    (at most 90 days; by default the last ``default_days``) and status, at most ``max_requests`` a page."""
    size = min(page_size or settings.max_requests, settings.max_requests)
    if ids:
        codes = tuple(dict.fromkeys(c.strip() for c in ids.split(",") if c.strip()))[:settings.max_requests]
        query = ReportQuery(codes=codes, limit=settings.max_requests)
    else:
        asked = window(start, end, now, settings.default_days)
        query = ReportQuery(categories=_split(service_code), filed_from=asked.start, filed_before=asked.end,
                            states=_states(status), limit=size, offset=(max(page, 1) - 1) * size)
    with uow:
        found = uow.open311.public_reports(query)
        filed_under = FiledUnder(uow)
    return [request(report, locale, filed_under) for report in found]


def request(report: Report, locale: str, filed_under: FiledUnder) -> dict[str, Any]:
    """A report as a GeoReport v2 ``request`` (the fields in the spec's order; no zipcode, no person), its
    service_name the category's as the version it was filed under says."""
    kind = filed_under(report.category_code, report.category_version)
    place, due = report.place, report.assignment.answer_due
    open_ = report.state.open311_status == "open"
    notes = report.answer_text if not open_ else (
        _WORDS["waiting"].get(locale) if report.state is ReportState.AWAITING_REPORTER else None)
    answer: dict[str, Any] = {
        "service_request_id": report.tracking_code, "status": report.state.open311_status,
        "status_notes": notes, "service_name": name_of(kind, locale), "service_code": kind.code,
        "description": report.description, "agency_responsible": report.unit_code,
        "service_notice": _WORDS["due"].get(locale, _WORDS["due"]["vi"]).format(at=moment(due)) if open_ else None,
        "requested_datetime": moment(report.filed_at), "updated_datetime": moment(_updated(report)),
        "expected_datetime": moment(due) if open_ else None,
        "address": ", ".join(p for p in (place.address_text, place.commune_code, PROVINCE) if p),
        "address_id": place.commune_code,
        "lat": round(place.lat, PUBLIC_DECIMALS) if place.lat is not None else None,
        "long": round(place.lon, PUBLIC_DECIMALS) if place.lon is not None else None,
    }
    return answer


def _updated(report: Report) -> datetime:
    a = report.assignment
    return max(at for at in (report.filed_at, a.assigned_at, a.accepted_at, a.paused_since, report.answered_at,
                             report.closed_at) if at is not None)


def _split(raw: str | None) -> tuple[str, ...] | None:
    codes = tuple(c.strip() for c in (raw or "").split(",") if c.strip())
    return codes or None


def _states(raw: str | None) -> tuple[str, ...] | None:
    asked = _split(raw)
    if asked is None:
        return None
    unknown = [s for s in asked if s not in _STATUSES]
    if unknown:
        raise Invalid([FieldProblem("status", "is open or closed (or both, comma separated)")])
    return tuple(state for s in asked for state in _STATUSES[s])
