"""The operators' board for the control room: lanes, alerts, plate reviews, manual reads, capacity, orders."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
