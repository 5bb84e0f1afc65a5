"""Likely duplicates: open or answered public reports of the same category, near and recent, nearest first."""
from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from bordergate.domain.report_rules import Category
from bordergate.domain.report_states import ReportState
from bordergate.domain.reports import Report

EARTH_RADIUS_M = 6_371_000
MOST = 5  # offered before filing: more than a handful is a list nobody reads on a phone


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): plenty for a few hundred metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def bounding_box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) around a point: what the database pre-filters by before the exact distance."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def likely_duplicates(category: Category, lat: float, lon: float, at: datetime,
                      candidates: Iterable[Report]) -> list[tuple[Report, float]]:
    """The reports a new one at (lat, lon) may repeat, with their distance in metres, nearest first (at most 5):
    same category, within its radius and window, still open or answered, never a tip."""
    if category.duplicate_radius_m is None or category.duplicate_window_days is None or category.never_public:
        return []
    since = at - timedelta(days=category.duplicate_window_days)
    found = []
    for report in candidates:
        if (report.category_code != category.code or report.never_public or report.state is ReportState.CLOSED
                or report.filed_at < since or report.filed_at > at or report.place.lat is None
                or report.place.lon is None):
            continue
        distance = metres_between(lat, lon, report.place.lat, report.place.lon)
        if distance <= category.duplicate_radius_m:
            found.append((report, distance))
    found.sort(key=lambda pair: (pair[1], pair[0].tracking_code))
    return found[:MOST]
