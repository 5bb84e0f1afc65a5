"""Each agency's console: its inbox at a crossing point, decision forms, the day's dwell times."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
