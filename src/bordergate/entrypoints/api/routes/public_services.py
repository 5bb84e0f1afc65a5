"""The public services as JSON, no sign-in: the procedures search and a procedure, an application's status."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from bordergate.entrypoints.api.deps import GateDep
from bordergate.services import public_services
from bordergate.services.one_stop import application_status

router = APIRouter(tags=["public services"])


@router.get("/api/public/services")
def search(gate: GateDep, q: str = Query("", max_length=200)) -> dict[str, Any]:
    """Procedures matching what was typed, with or without diacritics, best first (the same order on every
    database); ``catalogue`` is the version that answered and ``note`` what it says of itself."""
    found = public_services.search_procedures(gate.reader(), q)
    return {"query": q, "catalogue": found.version, "note": found.note,
            "procedures": [p.as_document() for p in found.procedures]}


@router.get("/api/public/services/{code}")
def procedure(gate: GateDep, code: str) -> dict[str, Any]:
    """One procedure of the catalogue in force: documents, fee, time limit, where to apply."""
    return public_services.procedure(gate.reader(), code).as_document()


@router.get("/api/public/applications/{receipt_code}")
def application(gate: GateDep, receipt_code: str) -> dict[str, Any]:
    """An application's status by its receipt code, as the province's one-stop system says now: 404 when it has
    none, 503 when it cannot be asked (try again)."""
    return application_status(gate.one_stop, receipt_code).as_document()
