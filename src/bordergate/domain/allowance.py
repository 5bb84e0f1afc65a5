"""The border-resident allowance: goods a resident may bring across duty-free a day, and how many times a month."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bordergate.domain.errors import FieldProblem, Invalid

# The issue cites Decree 14/2018/ND-CP "as amended"; nobody has checked the rule in force against the official
# text yet, so the seeded version says so (confirmed: false) and the screens tell the resident to ask customs.
SEEDED_RULE = {"version": "decree-14-2018-unconfirmed", "in_force_from": "2018-03-15", "value_vnd_per_day": 2_000_000,
               "times_per_month": 4, "legal_basis": "Decree 14/2018/ND-CP as amended", "confirmed": False}
SOURCES = ("border_guard", "customs", "agency_system")


@dataclass(frozen=True)
class AllowanceRule:
    """One published version of the allowance: its value a day, its times a month, the law behind it."""

    version: str
    in_force_from: date
    value_vnd_per_day: int
    times_per_month: int
    legal_basis: str
    confirmed: bool  # an administrator checked it against the law in force

    def as_document(self) -> dict[str, Any]:
        return {"version": self.version, "in_force_from": self.in_force_from.isoformat(),
                "value_vnd_per_day": self.value_vnd_per_day, "times_per_month": self.times_per_month,
                "legal_basis": self.legal_basis, "confirmed": self.confirmed}


@dataclass(frozen=True)
class AllowanceUse:
    """Goods a resident brought across duty-free on a day, as an officer at the resident lane recorded them."""

    id: str
    resident_key: str
    crossing_point: str
    day: date
    value_vnd: int
    source: str
    recorded_by: str
    recorded_at: datetime


@dataclass(frozen=True)
class AllowanceLeft:
    """What a resident has used and may still use: today, and this calendar month."""

    day: date
    used_today_vnd: int
    left_today_vnd: int
    times_this_month: int
    times_left_this_month: int


def allowance_left(rule: AllowanceRule, uses: list[AllowanceUse], day: date) -> AllowanceLeft:
    """Each use is one time ("lượt"); the month is the calendar month of ``day``. Nothing is left today once the
    month's times are spent, whatever value the day still had."""
    month = [u for u in uses if (u.day.year, u.day.month) == (day.year, day.month) and u.day <= day]
    today = sum(u.value_vnd for u in month if u.day == day)
    times_left = max(0, rule.times_per_month - len(month))
    value_left = max(0, rule.value_vnd_per_day - today)
    return AllowanceLeft(day, today, value_left if times_left else 0, len(month), times_left)


def in_force(rules: list[AllowanceRule], day: date) -> AllowanceRule | None:
    """The version in force on a day: the latest in force from that day or before."""
    started = [r for r in rules if r.in_force_from <= day]
    return max(started, key=lambda r: (r.in_force_from, r.version)) if started else None


def read_rule(document: dict[str, Any]) -> AllowanceRule:
    """A rule from its published document; Invalid naming each bad field."""
    problems: list[FieldProblem] = []
    version, basis = document.get("version"), document.get("legal_basis")
    if not isinstance(version, str) or not 1 <= len(version) <= 40:
        problems.append(FieldProblem("version", "must be a text of 1-40 characters"))
    if not isinstance(basis, str) or not basis.strip() or len(basis) > 300:
        problems.append(FieldProblem("legal_basis", "must name the law, e.g. Decree 14/2018/ND-CP as amended"))
    try:
        start = date.fromisoformat(str(document.get("in_force_from")))
    except ValueError:
        problems.append(FieldProblem("in_force_from", "must be a date, e.g. 2026-01-01"))
        start = date.min
    value, times = document.get("value_vnd_per_day"), document.get("times_per_month")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= 1_000_000_000:
        problems.append(FieldProblem("value_vnd_per_day", "must be a whole number of dong above 0"))
    if not isinstance(times, int) or isinstance(times, bool) or not 0 < times <= 31:
        problems.append(FieldProblem("times_per_month", "must be a whole number from 1 to 31"))
    confirmed = document.get("confirmed")
    if not isinstance(confirmed, bool):
        problems.append(FieldProblem("confirmed", "must be true (checked against the law in force) or false"))
    if problems:
        raise Invalid(problems)
    return AllowanceRule(str(version), start, int(str(value)), int(str(times)), str(basis).strip(), bool(confirmed))
