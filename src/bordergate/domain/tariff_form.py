"""Tariffs as plain documents: read one the management center publishes (naming each bad field), write one back."""
from __future__ import annotations

from datetime import date
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from bordergate.domain.dates import day_in_range
from bordergate.domain.errors import FieldProblem, Invalid, InvalidValue, collect
from bordergate.domain.fees import GoodsClass, Journey, ParkingRate, Tariff, TariffLine
from bordergate.domain.labels import parse_choice
from bordergate.domain.trip import ContainerSize, Flow

# Above any fee a trip could owe; a typo of three zeros is refused rather than billed.
MOST_VND = 1_000_000_000

E = TypeVar("E", bound=StrEnum)


def _amount(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MOST_VND:
        raise InvalidValue(f"must be a whole number of VND from 0 to {MOST_VND:,} (no decimals: VND has no cents)")
    return value


def _percent(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 10_000:
        raise InvalidValue("must be a whole per cent from 1 to 10000 (ore x5 is 500)")
    return value


def _text(longest: int) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or len(value) > longest:
            raise InvalidValue(f"must be a text of 1-{longest} characters")
        return value.strip()
    return read


def _choices(kind: type[E]) -> Callable[[Any], frozenset[E] | None]:
    def read(value: Any) -> frozenset[E] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            raise InvalidValue("must be a non-empty list, or null for any")
        return frozenset(parse_choice(kind, v) for v in value)
    return read


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("must be true (the line prices a vehicle crossing empty) or false")
    return value


def _kg(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValue("must be a whole number of kg above 0, or null")
    return value


def _day(value: Any) -> date:
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValue("must be a date like 2025-05-08") from None
    return day_in_range(day)


def _chapters(value: Any) -> frozenset[int]:
    if not isinstance(value, list) or not all(isinstance(c, int) and 1 <= c <= 99 for c in value):
        raise InvalidValue("must be a list of HS chapters from 1 to 99")
    return frozenset(value)


def read_tariff(raw: Any) -> Tariff:
    """A Tariff from its document, or Invalid naming every bad field."""
    if not isinstance(raw, dict):
        raise Invalid([FieldProblem("tariff", "must be a JSON object")])
    problems: list[FieldProblem] = []
    version = collect(problems, "version", _text(40), raw.get("version"))
    jurisdiction = collect(problems, "jurisdiction", _text(40), raw.get("jurisdiction"))
    title = collect(problems, "title", _text(300), raw.get("title"))
    in_force = collect(problems, "in_force_from", _day, raw.get("in_force_from"))
    lines = []
    if not isinstance(raw.get("lines") or [], list):
        problems.append(FieldProblem("lines", "must be a list of the schedule's lines"))
    for i, item in enumerate(raw["lines"] if isinstance(raw.get("lines"), list) else []):
        path = f"lines[{i}]"
        if not isinstance(item, dict):
            problems.append(FieldProblem(path, "must be an object"))
            continue
        lines.append(TariffLine(
            key=collect(problems, f"{path}.key", _text(40), item.get("key")),
            description=collect(problems, f"{path}.description", _text(200), item.get("description")),
            amount_vnd=collect(problems, f"{path}.amount_vnd", _amount, item.get("amount_vnd")),
            goods=collect(problems, f"{path}.goods", _choices(GoodsClass), item.get("goods")),
            containers=collect(problems, f"{path}.containers", _choices(ContainerSize), item.get("containers")),
            below_load_kg=collect(problems, f"{path}.below_load_kg", _kg, item.get("below_load_kg")),
            from_load_kg=collect(problems, f"{path}.from_load_kg", _kg, item.get("from_load_kg")),
            flows=collect(problems, f"{path}.flows", _choices(Flow), item.get("flows")),
            empty=collect(problems, f"{path}.empty", _flag, item.get("empty", False))))
    for i, line in enumerate(lines):
        if line.empty and (line.goods or line.below_load_kg or line.from_load_kg):
            problems.append(FieldProblem(f"lines[{i}].empty", "a line for an empty vehicle prices no goods: leave "
                                                               "goods and loads null"))
    if not raw.get("lines"):
        problems.append(FieldProblem("lines", "give at least one line of the schedule"))
    keys = [line.key for line in lines]
    if len(set(keys)) != len(keys):
        problems.append(FieldProblem("lines", "each line needs its own key"))
    chapters = {collect(problems, f"goods_chapters.{k}", lambda v: parse_choice(GoodsClass, v), k):
                collect(problems, f"goods_chapters.{k}", _chapters, v)
                for k, v in (raw.get("goods_chapters") or {}).items()}
    goods_percent = {collect(problems, f"goods_percent.{k}", lambda v: parse_choice(GoodsClass, v), k):
                     collect(problems, f"goods_percent.{k}", _percent, v)
                     for k, v in (raw.get("goods_percent") or {}).items()}
    journey_percent = {collect(problems, f"journey_percent.{k}", lambda v: parse_choice(Journey, v), k):
                       collect(problems, f"journey_percent.{k}", _percent, v)
                       for k, v in (raw.get("journey_percent") or {}).items()}
    ceiling = raw.get("ceiling_vnd")
    ceiling = None if ceiling is None else collect(problems, "ceiling_vnd", _amount, ceiling)
    parking = None
    if raw.get("parking") is not None:
        p = raw["parking"] if isinstance(raw["parking"], dict) else {}
        cap = p.get("per_day_cap_vnd")
        parking = ParkingRate(collect(problems, "parking.free_minutes", _amount, p.get("free_minutes")),
                              collect(problems, "parking.per_started_hour_vnd", _amount,
                                      p.get("per_started_hour_vnd")),
                              None if cap is None else collect(problems, "parking.per_day_cap_vnd", _amount, cap))
    if problems:
        raise Invalid(problems)
    return Tariff(version, jurisdiction, title, in_force, tuple(lines), chapters, goods_percent, journey_percent,
                  ceiling, parking)


def tariff_to_plain(tariff: Tariff) -> dict[str, Any]:
    """The inverse of read_tariff: JSON-ready data that reads back to the same tariff."""
    def codes(values: frozenset[E] | None) -> list[str] | None:
        return None if values is None else sorted(v.value for v in values)
    return {
        "version": tariff.version, "jurisdiction": tariff.jurisdiction, "title": tariff.title,
        "in_force_from": tariff.in_force_from.isoformat(),
        "lines": [{"key": line.key, "description": line.description, "amount_vnd": line.amount_vnd,
                   "goods": codes(line.goods), "containers": codes(line.containers),
                   "below_load_kg": line.below_load_kg, "from_load_kg": line.from_load_kg,
                   "flows": codes(line.flows), "empty": line.empty} for line in tariff.lines],
        "goods_chapters": {g.value: sorted(c) for g, c in tariff.goods_chapters.items()},
        "goods_percent": {g.value: p for g, p in tariff.goods_percent.items()},
        "journey_percent": {j.value: p for j, p in tariff.journey_percent.items()},
        "ceiling_vnd": tariff.ceiling_vnd,
        "parking": None if tariff.parking is None else {
            "free_minutes": tariff.parking.free_minutes,
            "per_started_hour_vnd": tariff.parking.per_started_hour_vnd,
            "per_day_cap_vnd": tariff.parking.per_day_cap_vnd},
    }
