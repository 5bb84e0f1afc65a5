"""Without sign-in: the public list of citizen reports and the statistics per unit, as JSON (the screens' twins,
sharing their once-a-period rendering)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from bordergate.entrypoints.api.deps import GateDep, LocaleDep
from bordergate.entrypoints.web import public_reports as screens
from bordergate.services.public_reports import MOST_PER_PAGE, PAGE_SIZE

router = APIRouter(prefix="/api/v1/public", tags=["public"])


def _shared(text: str, seconds: float) -> Response:
    # Every viewer gets the same answer for the period: a proxy in front may keep it as long.
    return Response(text, media_type="application/json",
                    headers={"cache-control": f"public, max-age={max(1, int(seconds))}"})


@router.get("/reports", responses={200: {"content": {"application/json": {}}}})
def public_reports(request: Request, gate: GateDep, locale: LocaleDep,
                   commune: Annotated[str | None, Query(max_length=20, description="a commune's code")] = None,
                   category: Annotated[str | None, Query(max_length=40, description="a category's code")] = None,
                   state: Annotated[str | None, Query(max_length=20, description="a state's code")] = None,
                   after: Annotated[str | None, Query(max_length=200, description=(
                       "the `next` of the page before: the list goes on after it"))] = None,
                   limit: Annotated[int, Query(ge=1, le=MOST_PER_PAGE)] = PAGE_SIZE) -> Any:
    """Citizens' reports anyone may read, newest first: never a tip or a hidden report, nothing of the reporter,
    the place rounded to 4 decimals (about 11 m). ``next`` is the cursor of the following page (null: the last)."""
    return _shared(screens.list_json(request, gate, commune, category, state, after, locale, limit),
                   gate.settings.live_seconds)


@router.get("/reports/stats", responses={200: {"content": {"application/json": {}}}})
def public_report_stats(request: Request, gate: GateDep) -> Any:
    """Each unit's figures over BORDERGATE_STATS_PERIOD_DAYS: received, answered, answered on time (%), median
    working days to answer, average rating (n), reopened (%); reports received per commune (tips never: they
    count only in the police unit's totals)."""
    return _shared(screens.stats_json(request, gate), screens.STATS_EVERY_SECONDS)
