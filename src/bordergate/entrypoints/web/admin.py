"""Administration screens: users and roles, crossing points and checkpoints, cameras, tariffs."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
