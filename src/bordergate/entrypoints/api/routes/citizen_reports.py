"""The report page's API twins under /citizen/api/reports/{code}, and the reports near a place (public JSON)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from pydantic import BaseModel, Field

from bordergate.bootstrap import report_rules
from bordergate.domain import report_commands as rc
from bordergate.domain.accounts import Principal
from bordergate.entrypoints.api.deps import GateDep, LocaleDep, PrincipalDep, principal
from bordergate.entrypoints.api.idempotency import IdempotentRoute
from bordergate.entrypoints.web.report_page import as_reporter
from bordergate.services import report_tracking, report_views

router = APIRouter(tags=["citizen reports"], route_class=IdempotentRoute)
SECRET_HEADER = "X-Report-Secret"
Secret = Annotated[str | None, Header(alias=SECRET_HEADER, description="the report's secret link key (k=), for an "
                                                                        "anonymous reporter")]
REPORTS = "/citizen/api/reports/{tracking_code}"


class Information(BaseModel):
    text: str = Field(max_length=4000, description="what the reporter adds (a reply to the unit's question)")


class Rating(BaseModel):
    stars: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=500)


class Reason(BaseModel):
    reason: str = Field(max_length=4000, description="what is still wrong, in a sentence")


def _viewer(request: Request) -> Principal | None:
    """The signed-in citizen if a Bearer token came; the twins also serve the secret link's holder."""
    authorization = request.headers.get("authorization", "")
    if not authorization.lower().startswith("bearer "):
        return None
    return principal(request, authorization.split(" ", 1)[1].strip())


def _as_reporter(gate, request: Request, code: str, secret: str | None) -> tuple[Principal | None, str | None]:
    return as_reporter(gate, request, code, _viewer(request), secret)


@router.get("/citizen/reports/nearby")
def nearby(gate: GateDep, locale: LocaleDep, category: str, lat: Annotated[float, Query(ge=-90, le=90)],
           lon: Annotated[float, Query(ge=-180, le=180)]) -> list[dict[str, Any]]:
    """"Is it one of these? Follow it instead": public reports of the category near the place, nearest first."""
    return report_views.nearby_reports(gate.reader(), category, lat, lon, gate.clock.now(), locale)


@router.get(REPORTS)
def report(tracking_code: str, request: Request, gate: GateDep, locale: LocaleDep,
           secret: Secret = None) -> dict[str, Any]:
    """The report page as JSON, for whoever asks: the public's, or the reporter's (account or secret)."""
    return report_tracking.tracking_page(gate.reader(), tracking_code, viewer=_viewer(request), secret=secret,
                                         locale=locale, now=gate.clock.now(), rules=report_rules(gate.settings))


@router.post(f"{REPORTS}/information", status_code=201)
def add_information(tracking_code: str, body: Information, request: Request, gate: GateDep,
                    secret: Secret = None) -> dict[str, Any]:
    """The reporter adds information; a reply to the unit's question starts its answer clock again."""
    actor, key = _as_reporter(gate, request, tracking_code, secret)
    gate.bus.handle(rc.AddInformation(actor, key, code=tracking_code, text=body.text))
    return {"code": tracking_code, "added": True}


@router.post(f"{REPORTS}/rating", status_code=201)
def rate(tracking_code: str, body: Rating, request: Request, gate: GateDep, secret: Secret = None) -> dict[str, Any]:
    """The reporter rates the answer, once per answer."""
    actor, key = _as_reporter(gate, request, tracking_code, secret)
    gate.bus.handle(rc.RateAnswer(actor, key, code=tracking_code, stars=body.stars, comment=body.comment))
    return {"code": tracking_code, "stars": body.stars}


@router.post(f"{REPORTS}/reopen")
def reopen(tracking_code: str, body: Reason, request: Request, gate: GateDep, locale: LocaleDep,
           secret: Secret = None) -> dict[str, Any]:
    """The reporter reopens the answer within the window; the unit answers again."""
    actor, key = _as_reporter(gate, request, tracking_code, secret)
    gate.bus.handle(rc.ReopenReport(actor, key, code=tracking_code, reason=body.reason))
    return report(tracking_code, request, gate, locale, key)


@router.post(f"{REPORTS}/withdraw")
def withdraw(tracking_code: str, request: Request, gate: GateDep, locale: LocaleDep,
             secret: Secret = None) -> dict[str, Any]:
    """The reporter withdraws the report before it is answered."""
    actor, key = _as_reporter(gate, request, tracking_code, secret)
    gate.bus.handle(rc.WithdrawReport(actor, key, code=tracking_code))
    return report(tracking_code, request, gate, locale, key)


@router.post(f"{REPORTS}/follow", status_code=201)
def follow(tracking_code: str, gate: GateDep, asking: PrincipalDep) -> dict[str, Any]:
    """A signed-in citizen follows someone else's public report (told by SMS when it is answered)."""
    gate.bus.handle(rc.FollowReport(asking, tracking_code))
    return {"code": tracking_code, "following": True}


@router.post(f"{REPORTS}/unfollow")
def unfollow(tracking_code: str, gate: GateDep, asking: PrincipalDep) -> dict[str, Any]:
    gate.bus.handle(rc.UnfollowReport(asking, tracking_code))
    return {"code": tracking_code, "following": False}
