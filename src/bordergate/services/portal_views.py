"""The declarant portal's list: each declaration with its fee and booking, read on one unit of work."""
from __future__ import annotations

from typing import Any

from bordergate.domain.accounts import Principal
from bordergate.domain.crossing_points import names_in
from bordergate.services import fee_views, queue_views, views
from bordergate.services.unit_of_work import UnitOfWork


def declarations_page(uow: UnitOfWork, principal: Principal, locale: str) -> dict[str, Any]:
    """The enterprise's declarations, newest first, each with its fee and latest booking; the crossing points'
    names and the enterprises' names. One unit of work for the page, not two more for each row."""
    with uow:
        rows = views.declarations_in(uow, principal, locale=locale)
        for row in rows:
            # The rows are the ones the principal may see: each part is read without asking again.
            row["fee"] = fee_views.fee_in(uow, row["reference"], locale)
            row["booking"] = queue_views.latest_booking_in(uow, row["reference"], locale)
        points = names_in(uow.crossing_points.list(), locale)
        named = [(e, getattr(uow.accounts.organisation(e), "name", e)) for e in principal.enterprises]
    return {"rows": rows, "point_names": points, "enterprises": dict(sorted(named, key=lambda pair: pair[1]))}
