"""What the fee's screens ask: a trip's assessment and payments, a receipt, and the daily reconciliation."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from bordergate.domain.access import COLLECT_FEES, may_see, require
from bordergate.domain.accounts import Principal
from bordergate.domain.capacity import GATE_TIME, local_day
from bordergate.domain.errors import NotFound
from bordergate.domain.fees import not_assessed_reason
from bordergate.domain.payments import PaymentStatus, outstanding
from bordergate.domain.tariff_form import tariff_to_plain
from bordergate.services.board_views import shown_plate
from bordergate.services.repositories import AssessmentRecord
from bordergate.services.unit_of_work import UnitOfWork
from bordergate.services.views import labelled, require_crossing_point, visible_declaration

SUMMARY_COLUMNS = ["day", "crossing_point", "fee_class", "trips", "assessed_vnd", "paid_online_vnd",
                   "paid_cash_vnd", "refunded_vnd", "unpaid_vnd", "overpaid_vnd", "not_assessed"]
DETAIL_COLUMNS = ["day", "crossing_point", "fee_class", "reference", "tractor_plate", "trip_status",
                  "planned_day", "tariff_version", "assessed_vnd", "paid_online_vnd", "paid_cash_vnd", "refunded_vnd",
                  "balance_vnd", "standing"]


def tariffs(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every published tariff version: the schedule is public."""
    with uow:
        return [tariff_to_plain(t) for t in uow.fees.tariffs()]


def fee(uow: UnitOfWork, principal: Principal, reference: str, locale: str = "vi") -> dict[str, Any]:
    """A trip's fee: the current assessment with its lines, earlier ones and the difference each made, payments
    with their receipts, refunds, and what is still due."""
    with uow:
        visible_declaration(uow, principal, reference)
        return fee_in(uow, reference, locale)


def fee_in(uow: UnitOfWork, reference: str, locale: str = "vi") -> dict[str, Any]:
    """``fee``, read on a unit of work already open, for a trip the reader was already let see."""
    revisions = uow.fees.assessments(reference)
    payments = uow.fees.payments_of(reference)
    refunds = uow.fees.refunds_of(reference)
    current = next((r for r in revisions if r["current"]), None)
    history, previous = [], 0
    for r in revisions:
        history.append({"revision": r["revision"], "tariff_version": r["tariff_version"], "total_vnd": r["total_vnd"],
                        "difference_vnd": r["total_vnd"] - previous, "why": r["why"],
                        "assessed_at": r["assessed_at"].isoformat(), "missing": r["missing"]})
        previous = r["total_vnd"]
    assessed = current is not None and not current["missing"]
    return {
        "reference": reference, "assessed": assessed,
        "total_vnd": current["total_vnd"] if current else None,
        "tariff_version": current["tariff_version"] if current else None,
        "fee_class": current["fee_class"] if current else None,
        "lines": [{"rule": rule, "amount_vnd": amount} for rule, amount in (current["lines"] if current else [])],
        "missing": current["missing"] if current else "not assessed yet",
        # Why nothing is due (a code with its label): no tariff line applies, or no empty-vehicle line is published.
        "not_assessed": _not_assessed(current, locale),
        "due_vnd": outstanding(current["total_vnd"], payments) if current is not None and assessed else None,
        "revisions": history,
        "payments": [{"id": p.id, "amount_vnd": p.amount_vnd, "method": labelled(p.method, locale),
                      "status": labelled(p.status, locale), "paid_at": p.paid_at.isoformat() if p.paid_at else None,
                      "receipt_number": p.receipt_number, "order_id": p.order_id} for p in payments],
        "refunds": [{"id": r["id"], "amount_vnd": r["amount_vnd"], "status": r["status"], "reason": r["reason"],
                     "created_at": r["created_at"].isoformat()} for r in refunds],
    }


def _not_assessed(current: AssessmentRecord | None, locale: str) -> dict[str, Any] | None:
    if current is None:
        return None
    reason = not_assessed_reason(current["fee_class"], current["missing"])
    return None if reason is None else {**labelled(reason, locale), "detail": current["missing"]}


# Receipts are numbered in sequence: an answer naming the trip of a receipt one may not see would let anyone walk
# the numbers and collect other enterprises' references. Unknown and not-yours answer the same words.
NO_RECEIPT = "no receipt with that number that you can see; check the number printed on the receipt"


def receipt(uow: UnitOfWork, number: str, principal: Principal | None = None) -> dict[str, Any]:
    """A receipt as the verification QR shows it: enough to check it is genuine, nothing commercial. With
    ``principal``, only a receipt of a trip they may see (else "not found", naming nothing)."""
    with uow:
        found = uow.fees.receipt(number)
        if found is None or (principal is not None and not may_see(principal, found["enterprise_id"])):
            raise NotFound(NO_RECEIPT)
        payer = uow.accounts.organisation(found["enterprise_id"])
        assessment = uow.fees.current(found["reference"])
    return {**found, "payer": payer.name if payer else "",
            "payer_tax_code": payer.tax_code if payer else None,
            "tariff_version": assessment["tariff_version"] if assessment else "",
            "lines": [tuple(line) for line in (assessment["lines"] if assessment else [])]}


def receipt_check(uow: UnitOfWork, number: str, locale: str = "vi") -> dict[str, Any]:
    """What anyone holding a receipt's QR code may learn (the link is its key): that the gate issued it, for how
    much, for which truck (the plate as painted) at which crossing point (named in ``locale``), paid when. Nothing
    about a person; the payer is the enterprise printed on the receipt itself."""
    found = receipt(uow, number)
    with uow:
        point = uow.crossing_points.get(found["crossing_point"])
    paid_at = found.get("paid_at") or found["issued_at"]
    return {"number": found["number"], "reference": found["reference"], "amount_vnd": found["amount_vnd"],
            "issued_at": found["issued_at"].isoformat(), "paid_at": paid_at.isoformat(), "payer": found["payer"],
            "payment_status": found["payment_status"],
            "payment": labelled(PaymentStatus(found["payment_status"]), locale),
            "plate": shown_plate(found["tractor_plate"]), "crossing_point": found["crossing_point"],
            "crossing_point_name": point.name_in(locale) if point else found["crossing_point"], "genuine": True}


def reconciliation(uow: UnitOfWork, principal: Principal, day: date,
                   crossing_point: str | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The day's takings: every trip paid or refunded that local day (by the moment the money moved, not the
    trip's date) and every trip planned for it, with the money of that day, and each trip's balance and standing
    as they are now; a summary per crossing point and fee class, and the detail trip by trip."""
    require(principal, COLLECT_FEES)  # reconciliation is the collector's and the auditors' work
    start = datetime(day.year, day.month, day.day, tzinfo=GATE_TIME)
    with uow:
        if crossing_point is not None:
            require_crossing_point(uow, crossing_point)
        rows = uow.fees.reconciliation(start, start + timedelta(days=1), crossing_point)
    detail = [_detail(row, day) for row in rows]
    groups: dict[tuple[str, str, str], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(SUMMARY_COLUMNS[3:], 0))
    for d in detail:
        g = groups[(d["day"], d["crossing_point"], d["fee_class"])]
        g["trips"] += 1
        for key in ("assessed_vnd", "paid_online_vnd", "paid_cash_vnd", "refunded_vnd"):
            g[key] += d[key]
        g["unpaid_vnd"] += max(-d["balance_vnd"], 0)
        g["overpaid_vnd"] += max(d["balance_vnd"], 0)
        g["not_assessed"] += d["standing"] == "not assessed"
    summary = [{"day": k[0], "crossing_point": k[1], "fee_class": k[2], **v} for k, v in sorted(groups.items())]
    return summary, detail


def _detail(row: dict[str, Any], day: date) -> dict[str, Any]:
    cancelled = row["status"] == "cancelled"
    # A cancelled trip owes nothing: what it paid is refunded by the rule, or is an overpayment to settle.
    assessed = 0 if row["missing"] or cancelled else row["total_vnd"]
    # The balance is the trip's as it stands now, as its status is: a trip paid the evening before it arrives
    # reads "paid" on both days, while its money is counted only on the day it came in.
    balance = row["paid_so_far_vnd"] - row["refunded_so_far_vnd"] - assessed
    if row["missing"]:
        standing = "not assessed"
    elif row["refunded_so_far_vnd"]:
        standing = "refunded"
    elif cancelled and balance == 0:
        standing = "cancelled"
    elif balance < 0:
        standing = "unpaid"
    elif balance > 0:
        standing = "overpaid"
    else:
        standing = "paid"
    return {"day": day.isoformat(), "crossing_point": row["crossing_point"],
            "fee_class": row["fee_class"], "reference": row["reference"], "tractor_plate": row["tractor_plate"],
            "trip_status": row["status"], "planned_day": local_day(row["planned_arrival"]).isoformat(),
            "tariff_version": row["tariff_version"] or "", "assessed_vnd": assessed,
            "paid_online_vnd": row["paid_online_vnd"], "paid_cash_vnd": row["paid_cash_vnd"],
            "refunded_vnd": row["refunded_vnd"], "balance_vnd": balance, "standing": standing}

