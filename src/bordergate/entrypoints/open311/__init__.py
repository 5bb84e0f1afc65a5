"""Open311 GeoReport v2 under /open311/v2/: discovery, services, requests and tokens, in XML and JSON."""
from __future__ import annotations

from fastapi import APIRouter

from bordergate.entrypoints.open311 import requests, services

router = APIRouter()
router.include_router(requests.router)
router.include_router(services.router)  # last: its catch-all answers anything else under /open311/v2/
