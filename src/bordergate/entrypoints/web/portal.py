"""The declarant portal: declare (reusing saved vehicles and drivers), correct, pay, book, follow, receipts."""
from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
